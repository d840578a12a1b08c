"""A process that found the disk full reads the library without keeping other processes out:
while it runs, another process reads and writes (once there is room) as ever, and the first
sees those writes; once there is room again its own changes are written.

The full disk is real for the process: RLIMIT_FSIZE 0 makes every write that would grow a
file fail (EFBIG, SIGXFSZ ignored), as ENOSPC does, so SQLite cannot grow the -shm file every
WAL reader shares, exactly where a full disk stops it. The limit is raised again for "room".
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from paperdeck.core.models import Paper
from paperdeck.core.store import Library

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")

FULL_READER = r"""
import json, resource, signal, sys
from paperdeck.core.store import Library, LibraryError

signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
resource.setrlimit(resource.RLIMIT_FSIZE, (0, hard))  # no file may grow: the disk is full
library = Library(sys.argv[1], busy_timeout_ms=1000)
print(json.dumps(library.read_only_reason), flush=True)
for line in sys.stdin:
    command, paper = line.split()
    if command == "room":
        resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))
        answer = "ok"
    elif command == "star":
        try:
            answer = library.set_starred(paper, True)
        except LibraryError as exc:
            answer = str(exc)
    else:
        found = library.get(paper)
        answer = [found.starred, found.note]
    print(json.dumps(answer), flush=True)
"""


class FullReader:
    """The process on the full disk, holding the library open, answering one line a time."""

    def __init__(self, root: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", FULL_READER, str(root)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.reason = self.answer()

    def answer(self) -> object:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line, f"the full-disk reader exited ({self.proc.wait(timeout=30)})"
        return json.loads(line)

    def ask(self, command: str, paper: str = "-") -> object:
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"{command} {paper}\n")
        self.proc.stdin.flush()
        return self.answer()

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        assert self.proc.wait(timeout=30) == 0


def test_a_reader_on_a_full_disk_keeps_no_other_process_out(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    with Library(root) as library:
        library.add_papers(Paper(title=f"Paper {n}", id=f"full-{n}") for n in range(5))
    reader = FullReader(root)
    try:
        assert reader.reason == "no space left on the disk"
        assert reader.ask("read", "full-1") == [False, ""]
        assert reader.ask("star", "full-1") == "no space left on the disk; nothing was changed"
        # Another process (which has room) reads and writes while the full one stays open.
        with Library(root, busy_timeout_ms=1000) as other:
            assert other.get("full-1") is not None
            other.set_note("full-1", "written beside the full reader")
            assert other.set_starred("full-2", True)
        assert reader.ask("read", "full-1") == [False, "written beside the full reader"]
        assert reader.ask("read", "full-2") == [True, ""]
        # Room again: the reader's own change is written, and seen by the others.
        assert reader.ask("room") == "ok"
        assert reader.ask("star", "full-3") is True
        with Library(root, busy_timeout_ms=1000) as other:
            assert other.get("full-3").starred
            other.set_starred("full-4", True)
        assert reader.ask("read", "full-4") == [True, ""]
    finally:
        reader.close()
