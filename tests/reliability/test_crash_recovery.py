"""A `paperdeck import` or `reindex` killed (SIGKILL) part-way leaves a library that opens,
keeps every change committed before the kill, and finishes the work when run again."""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from paperdeck.core.models import Paper
from paperdeck.core.search import index_files
from paperdeck.core.search.index import SearchIndex
from paperdeck.core.search.index_files import open_index
from paperdeck.core.search.index_writing import writer_lock
from paperdeck.core.store import DB_NAME, Library
from paperdeck.core.store.importing import IMPORT_BATCH
from testkit import children_of, running

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")

BIG = 3000
WORDS = [
    "graph",
    "neural",
    "diffusion",
    "model",
    "transformer",
    "attention",
    "robot",
    "policy",
    "learning",
    "reward",
    "sparse",
    "kernel",
    "bayesian",
    "inference",
    "protein",
    "language",
    "vision",
    "scaling",
]


def write_big_jsonl(path: Path, count: int = BIG, words: int = 30) -> None:
    rng = random.Random(5)
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            record = {
                "title": f"Crash study s{n}n of " + " ".join(rng.choices(WORDS, k=5)),
                "authors": [f"Author{n % 97} Surname{n % 13}"],
                "abstract": " ".join(rng.choices(WORDS, k=words)),
                "date": f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}",
                "arxiv_id": f"2401.{n:05d}",
            }
            out.write(json.dumps(record) + "\n")


def paperdeck(root: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "paperdeck", "--library", str(root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill_when(proc: subprocess.Popen[str], ready: Callable[[], bool], limit: float) -> bool:
    """SIGKILL ``proc`` as soon as ``ready()`` (or after ``limit`` s); False if it had ended."""
    deadline = time.monotonic() + limit
    while proc.poll() is None and not ready() and time.monotonic() < deadline:
        time.sleep(0.02)
    if proc.poll() is not None:
        proc.communicate()
        return False
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return True


def after(seconds: float) -> Callable[[], bool]:
    deadline = time.monotonic() + seconds
    return lambda: time.monotonic() >= deadline


def count_papers(root: Path) -> int:
    """Read-only, from another connection: what a crash would leave."""
    try:
        with sqlite3.connect(f"file:{root / DB_NAME}?mode=ro", uri=True, timeout=0.05) as db:
            return db.execute("SELECT count(*) FROM papers").fetchone()[0]
    except sqlite3.OperationalError:
        return -1


def starting_library(root: Path, filler: int = 0) -> dict[str, tuple[bool, str, list[str]]]:
    """A small library with stars, notes and tags and an index (and ``filler`` papers more,
    without any); its user state, by id."""
    with Library(root) as library:
        ids = library.add_papers(
            Paper(title=f"Treasured paper {n}", authors=[f"Keeper {n}"]) for n in range(6)
        ).ids
        library.add_papers(Paper(title=f"Filler study {n}") for n in range(filler))
        for n, pid in enumerate(ids):
            if n % 2 == 0:
                library.set_starred(pid, True)
            library.set_note(pid, f"my private note k{n}k")
            library.add_tags(pid, [f"keep-{n}"])
        with SearchIndex(library) as index:
            index.ensure()
        return {p.id: (p.starred, p.note, p.tags) for p in library.get_many(ids)}


def check_library_opens_and_keeps(root: Path, state: dict[str, tuple[bool, str, list[str]]]):
    with sqlite3.connect(root / DB_NAME) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    with Library(root) as library:
        kept = {p.id: (p.starred, p.note, p.tags) for p in library.get_many(list(state))}
        assert kept == state
        library.set_note(next(iter(state)), state[next(iter(state))][1])  # writable again


def check_index_agrees(root: Path, state: dict[str, tuple[bool, str, list[str]]]) -> None:
    """The command left the index in step with SQLite (nothing pending), and it answers."""
    with Library(root) as library, SearchIndex(library) as index:
        applied = index.applied_seq()
        assert applied is not None
        assert library.changes_after(applied) == (applied, [])
        assert index.ensure() is False
        papers = library.count()
        with open_index(library.index_dir).reader() as reader:
            assert reader.doc_count() == papers
        assert index.search("study OR treasured").total == papers
        for n in (0, 1, 1234, BIG - 1):
            pid = library.resolve_id(f"2401.{n:05d}")
            assert index.search(f"s{n}n").ids == [pid]
        for pid, (_starred, note, tags) in state.items():
            assert index.search(f"note:{note.split()[-1]}").ids == [pid]
            assert index.search(f"tag:{tags[0]}").ids == [pid]


def once_papers_in(root: Path, count: int, then: float = 0.0) -> Callable[[], bool]:
    """Ready ``then`` seconds after the library holds ``count`` papers: the import's papers
    are all committed (the index is being written then)."""
    seen: list[float] = []

    def ready() -> bool:
        if not seen and count_papers(root) == count:
            seen.append(time.monotonic())
        return bool(seen) and time.monotonic() - seen[0] >= then

    return ready


@pytest.mark.slow
def test_import_killed_at_any_point_loses_nothing_and_completes_when_rerun(tmp_path: Path):
    """Each kill point starts from the same library (a copy): once one import has put the
    papers in, "the papers are in" would otherwise be true before the next one starts. The
    3,000 papers outgrow the library's 6, so its index is rebuilt (`Outgrown`)."""
    pristine = tmp_path / "pristine"
    state = starting_library(pristine)
    before = len(state)
    killed = kill_imports(
        tmp_path,
        pristine,
        state,
        [
            ("after 0.3 s", lambda root: after(0.3)),
            ("after 1 s", lambda root: after(1.0)),
            ("once a batch is in", lambda root: lambda: count_papers(root) > before),
            # The papers are committed; the search index is being written.
            ("once the papers are in", lambda root: once_papers_in(root, before + BIG)),
            ("0.8 s after the papers are in", lambda root: once_papers_in(root, before + BIG, 0.8)),
        ],
    )
    assert killed["0.8 s after the papers are in"] and killed["once the papers are in"]
    assert sum(killed.values()) >= 3


@pytest.mark.slow
def test_import_killed_while_its_papers_are_synced_into_the_index_completes_when_rerun(
    tmp_path: Path,
):
    """A library of 1,006 papers takes the 3,000 into its index by a sync, not a rebuild."""
    pristine = tmp_path / "pristine"
    state = starting_library(pristine, filler=1000)
    before = len(state) + 1000
    with Library(pristine) as library, SearchIndex(library) as index:
        library.add_papers([Paper(title="One more study")])
        assert index.sync() == 1
        build = index_files.read_state(index.path)[0].build
    killed = kill_imports(
        tmp_path,
        pristine,
        state,
        [
            ("once the papers are in", lambda root: once_papers_in(root, before + 1 + BIG)),
            (
                "0.5 s after the papers are in",
                lambda root: once_papers_in(root, before + 1 + BIG, 0.5),
            ),
        ],
    )
    assert killed["once the papers are in"] and killed["0.5 s after the papers are in"]
    with Library(tmp_path / "lib0") as library, SearchIndex(library) as index:
        assert index_files.read_state(index.path)[0].build == build  # synced, never rebuilt


def kill_imports(
    tmp_path: Path,
    pristine: Path,
    state: dict[str, tuple[bool, str, list[str]]],
    points: list[tuple[str, Callable[[Path], Callable[[], bool]]]],
) -> dict[str, bool]:
    """For each kill point, an import of `BIG` papers into a copy of ``pristine`` killed
    there, then run again: the user state kept and the index in step. Whether each was
    killed (not done first)."""
    big = tmp_path / "big.jsonl"
    write_big_jsonl(big)
    before = count_papers(pristine)
    killed: dict[str, bool] = {}
    for n, (label, make_ready) in enumerate(points):
        root = tmp_path / f"lib{n}"
        shutil.copytree(pristine, root)
        proc = paperdeck(root, "import", str(big))
        killed[label] = kill_when(proc, make_ready(root), 60)
        check_library_opens_and_keeps(root, state)
        if label.endswith("the papers are in"):
            assert count_papers(root) == before + BIG, label  # killed after the commit
        else:  # whole batches of the file: never part of one
            assert (count_papers(root) - before) % IMPORT_BATCH in (0, BIG % IMPORT_BATCH), label
        rerun = paperdeck(root, "import", str(big))
        out, err = rerun.communicate(timeout=120)
        assert rerun.returncode == 0, (label, err)
        assert f"{big}: json: " in out
        assert count_papers(root) == before + BIG
        check_index_agrees(root, state)
        check_library_opens_and_keeps(root, state)
    return killed


def writing(root: Path) -> bool:
    """Whether another connection holds the library's write lock (a transaction is open)."""
    db = sqlite3.connect(root / DB_NAME, timeout=0)
    try:
        db.execute("BEGIN IMMEDIATE")
        db.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        db.close()


def read_position(pid: int, path: Path) -> int | None:
    """How far process ``pid`` has read ``path`` (Linux: /proc), None if it has it not open."""
    fds = Path(f"/proc/{pid}/fd")
    try:
        for fd in fds.iterdir():
            with contextlib.suppress(OSError):
                if Path(os.readlink(fd)) == path:
                    info = (Path(f"/proc/{pid}/fdinfo") / fd.name).read_text()
                    return int(info.split("pos:")[1].split()[0])
    except OSError:
        return None
    return None


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/fdinfo").exists(), reason="reads /proc")
def test_import_killed_while_its_file_streams_in_adds_none_of_it(tmp_path: Path):
    """Papers are parsed and written as the file is read, all in one transaction: a kill a
    third of the way through the file leaves none of them, and a sound library. (Killed by
    how far the file is read: SQLite keeps an import's pages in its cache, so the
    write-ahead log may not grow before the commit.)"""
    root = tmp_path / "lib"
    state = starting_library(root)
    big = tmp_path / "big.jsonl"
    write_big_jsonl(big)
    size = big.stat().st_size
    proc = paperdeck(root, "import", str(big))

    def a_third_read() -> bool:
        """Its transaction open (the file's encoding is checked first, reading it whole
        through another descriptor) and a third of the file parsed."""
        position = read_position(proc.pid, big.resolve())
        return position is not None and size // 3 < position < size and writing(root)

    assert kill_when(proc, a_third_read, 60)
    check_library_opens_and_keeps(root, state)
    assert count_papers(root) == len(state)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc")
def test_a_killed_reindex_leaves_no_worker_holding_the_index_lock(tmp_path: Path):
    """Whoosh's forked workers inherit the index lock; orphaned they would wait forever."""
    root = tmp_path / "lib"
    state = starting_library(root)
    big = tmp_path / "big.jsonl"
    count = SearchIndex.bulk_threshold + 500  # a rebuild in two worker processes
    write_big_jsonl(big, count)
    done = paperdeck(root, "import", str(big))
    assert done.communicate(timeout=120) and done.returncode == 0
    proc = paperdeck(root, "reindex")
    workers: list[int] = []

    def both_workers_started() -> bool:
        workers[:] = children_of(proc.pid)
        return len(workers) >= 2

    assert kill_when(proc, both_workers_started, 60)  # also waits for their stdout to close
    assert len(workers) == 2
    deadline = time.monotonic() + 10
    while any(map(running, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(running, workers))
    lock = root / "index.lock"
    assert lock.exists()
    with writer_lock(lock, timeout=0) as locked:
        assert locked
    check_library_opens_and_keeps(root, state)
    rerun = paperdeck(root, "reindex")
    assert rerun.communicate(timeout=120)[0] == f"indexed {count + len(state)} papers\n"


@pytest.mark.slow
def test_reindex_killed_at_any_point_leaves_a_working_index_and_completes_when_rerun(
    tmp_path: Path,
):
    root = tmp_path / "lib"
    state = starting_library(root)
    big = tmp_path / "big.jsonl"
    write_big_jsonl(big)
    done = paperdeck(root, "import", str(big))
    assert done.communicate(timeout=120) and done.returncode == 0
    kills = 0
    for delay in (0.3, 1.0, 2.0):
        kills += kill_when(paperdeck(root, "reindex"), after(delay), 60)
        check_library_opens_and_keeps(root, state)
        # Whatever the kill left, a search still answers (from the old index or a rebuilt one).
        search = paperdeck(root, "search", "treasured")
        out, err = search.communicate(timeout=120)
        assert search.returncode == 0, err
        assert len(out.splitlines()) == len(state)
    assert kills >= 2
    rerun = paperdeck(root, "reindex")
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    assert out == f"indexed {BIG + len(state)} papers\n"
    leftovers = [p.name for p in root.iterdir() if ".tmp-" in p.name or ".old-" in p.name]
    assert leftovers == []
    check_index_agrees(root, state)
    check_library_opens_and_keeps(root, state)


@pytest.mark.slow
def test_import_killed_while_its_index_is_built_beside_it_completes_when_rerun(
    tmp_path: Path,
):
    """6,000 papers (over 4 MB) into a library of 6: the index is built by a process of
    its own while the import stores (`following_build`). Killed then, the builder and its
    writers end with the import, and running it again finishes the work."""
    pristine = tmp_path / "pristine"
    state = starting_library(pristine)
    before = len(state)
    big = tmp_path / "big.jsonl"
    write_big_jsonl(big, 6000, words=80)
    assert big.stat().st_size > 4 << 20
    root = tmp_path / "lib"
    shutil.copytree(pristine, root)
    proc = paperdeck(root, "import", str(big))
    family: list[int] = []
    stored: list[int] = []

    def building() -> bool:  # the build's folder exists and a batch is stored
        family[:] = children_of(proc.pid)
        stored[:] = [count_papers(root)]
        return bool(list(root.glob("index.tmp-*"))) and stored[0] > before

    assert kill_when(proc, building, 60), "the import ended before its build was seen"
    assert family  # the builder, forked by the import...
    assert stored[0] < before + 6000  # ...building while the papers were being stored
    deadline = time.monotonic() + 10
    while any(running(pid) for pid in family) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(running(pid) for pid in family)  # ended with the import
    with writer_lock(root / "index.lock", 5.0) as locked:
        assert locked  # nobody holds the index
    check_library_opens_and_keeps(root, state)
    rerun = paperdeck(root, "import", str(big))
    out, err = rerun.communicate(timeout=180)
    assert rerun.returncode == 0, err
    assert count_papers(root) == before + 6000
    assert not list(root.glob("index.tmp-*"))  # the killed build's folder is gone
    with Library(root) as library, SearchIndex(library) as index:
        applied = index.applied_seq()
        assert applied is not None and library.changes_after(applied) == (applied, [])
        assert index.search("study OR treasured").total == library.count()
        assert index.search("s5999n").ids == [library.resolve_id("2401.05999")]
    check_library_opens_and_keeps(root, state)
