"""A long import commits in batches and holds the write lock only while it writes one: a star
made meanwhile (in a reader, or from another terminal) goes through at once, and nothing of
either is lost. Real processes: the import reads a FIFO the test feeds, so the test decides
when the import is part-way."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from paperdeck.core.models import Paper
from paperdeck.core.store import DB_NAME, Library
from paperdeck.core.store.importing import IMPORT_BATCH

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")


def count_rows(root: Path) -> int:
    with sqlite3.connect(f"file:{root / DB_NAME}?mode=ro", uri=True) as db:
        return int(db.execute("SELECT count(*) FROM papers").fetchone()[0])


def records(start: int, stop: int) -> bytes:
    return "".join(
        json.dumps({"title": f"Batched paper {n}", "arxiv_id": f"2403.{n:05d}"}) + "\n"
        for n in range(start, stop)
    ).encode()


def wait_for(condition, limit: float) -> bool:  # type: ignore[no-untyped-def]
    """Polls ``condition`` (not a timing assertion: the limit only ends a failing test)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_star_goes_through_while_an_import_is_part_way(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    with Library(root) as library:
        library.add_papers([Paper(title="Starred while importing", id="keep-1")])
    fifo = tmp_path / "papers.jsonl"
    os.mkfifo(fifo)
    rest = threading.Event()

    def feed() -> None:
        with open(fifo, "wb") as out:
            out.write(records(0, 2 * IMPORT_BATCH + 200))
            out.flush()
            rest.wait(120)
            out.write(records(2 * IMPORT_BATCH + 200, 3 * IMPORT_BATCH))

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    command = [sys.executable, "-m", "paperdeck", "--library", str(root), "import", str(fifo)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # Two batches are committed while the import waits for more input, part-way.
        assert wait_for(lambda: count_rows(root) == 1 + 2 * IMPORT_BATCH, 60)
        assert proc.poll() is None
        with Library(root, busy_timeout_ms=500) as library:
            assert library.set_starred("keep-1", True)  # "busy" before: the lock was held
            assert library.set_note("keep-1", "written mid-import") == "written mid-import"
    finally:
        rest.set()
        out, err = proc.communicate(timeout=120)
        writer.join(10)
    assert proc.returncode == 0, err
    assert out.startswith(f"{fifo}: json: {3 * IMPORT_BATCH} added, 0 merged")
    with Library(root) as library:
        kept = library.get("keep-1")
        assert kept is not None and kept.starred and kept.note == "written mid-import"
        assert library.count() == 1 + 3 * IMPORT_BATCH
