"""The index kept in step with its library: built, synced, rebuilt after damage or a crash,
and shared by several writers at once."""

from __future__ import annotations

import multiprocessing
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from index_papers import ATTENTION, GNN, RL, RLHF, ROBOTS, ids_by_title, make_library

from paperdeck.core.models import Paper
from paperdeck.core.search import index_writing
from paperdeck.core.search.index import SearchIndex
from paperdeck.core.search.index_files import STATE_FILE
from paperdeck.core.search.search_result import IndexBusy, IndexCorrupt, SearchResult
from paperdeck.core.store import Library


@pytest.fixture
def library(tmp_path):
    with make_library(tmp_path / "lib") as library:
        yield library


@pytest.fixture
def index(library):
    with SearchIndex(library) as index:
        index.ensure()
        yield index


def test_ensure_builds_once_reporting_progress(library):
    calls: list[tuple[str, int, int]] = []
    with SearchIndex(library) as index:
        assert index.ensure(lambda *call: calls.append(call)) is True
        assert calls == [("Rebuilding search index", 0, 8), ("Rebuilding search index", 8, 8)]
        assert index.ensure() is False
        assert index.applied_seq() == 8
        assert library.last_change() == 0  # the log was pruned
    with SearchIndex(library) as other:
        assert other.ensure() is False


def test_empty_library(tmp_path):
    with Library(tmp_path / "lib") as library, SearchIndex(library) as index:
        assert index.ensure() is True
        assert index.ensure() is False
        assert index.search("anything") == SearchResult(ids=[], total=0, terms=["anything"])
        assert index.search("any*").total == 0
        library.add_papers([Paper(title="First Paper")])
        assert index.sync() == 1
        assert index.search("first").total == 1


def test_importing_the_seed_files(tmp_path):
    from paperdeck.core.importer import import_file

    seeds = sorted((Path(__file__).parents[2] / "assets" / "demo").glob("*.txt"))
    assert len(seeds) == 2
    with Library(tmp_path / "lib") as library, SearchIndex(library) as index:
        for path in seeds:
            import_file(library, path)
        index.ensure()
        assert library.count() > 0
        result = index.search("language models")
        assert result.total > 0
        assert all(library.get(i) is not None for i in result.ids)
        assert index.search("hypothesis").total >= 1


def test_sync_makes_user_state_searchable(library, index):
    ids = ids_by_title(library)
    library.add_tags(ids[GNN], ["To Read", "#gnn"])
    library.set_note(ids[ATTENTION], "Reread the positional encoding section.")
    library.toggle_star(ids[RL])
    assert index.search("tag:gnn").ids == []  # not yet synced
    assert index.sync() == 2  # the star is not indexed: nothing to apply for it
    assert index.search("tag:gnn").ids == [ids[GNN]]
    assert index.search("tag:to-read").ids == [ids[GNN]]
    assert index.search("note:positional").ids == [ids[ATTENTION]]
    assert index.search("encoding").ids == [ids[ATTENTION]]
    assert index.search("note:encod*").ids == [ids[ATTENTION]]
    assert index.sync() == 0
    assert library.changes_after(0) == (0, [])  # applied, then pruned
    library.remove_tags(ids[GNN], ["gnn"])
    assert index.sync() == 1
    assert index.search("tag:gnn").ids == []


def test_a_paper_indexed_again_and_again_is_found_once(library, index):
    # The catalog lists a search's hits as they come (no second pass to make them unique).
    ids = ids_by_title(library)
    for n in range(4):
        library.set_note(ids[ATTENTION], f"Reread the attention maps, pass {n}.")
        assert index.sync() == 1
    for query in ("attention", "note:reread", "attention OR reread", "attent*"):
        for complete in (True, False):
            found = index.search(query, complete=complete).ids
            assert found.count(ids[ATTENTION]) == 1, (query, complete)
            assert len(found) == len(set(found)), (query, complete)


def test_sync_adds_new_papers_and_their_words(library, index):
    library.add_papers([Paper(title="Quantum Annealing Tricks", date="2019-01-01")])
    assert index.search("quantum").ids == []
    assert index.sync() == 1
    assert len(index.search("quantum").ids) == 1
    assert index.search("quantm").suggestion == "quantum"
    assert len(index.search("quant*").ids) == 1


def test_a_backlog_that_outgrows_the_index_rebuilds_it_with_its_words_studied(tmp_path):
    """Importing many papers into a library of few: rebuilt rather than synced, so that the
    words and collocations it pairs are the new papers' (`pairs.study`), not the few's."""
    from paperdeck.core.search.index_files import read_state

    def papers(start: int, count: int, abstract: str) -> list[Paper]:
        own = [" ".join(f"w{n}x{m}" for m in range(10)) for n in range(start, start + count)]
        return [
            Paper(title=f"Paper {n}", abstract=f"{abstract} {words}")
            for n, words in enumerate(own, start)
        ]

    with Library(tmp_path / "lib") as library, SearchIndex(library) as index:
        library.add_papers(papers(0, 4, "Qubits decohere."))
        assert index.ensure() is True
        build = read_state(index.path)[0].build
        fmt = index._current().schema["abstract_pairs"].format
        assert not fmt.answers(["mont", "carlo", "chain"])
        library.add_papers(papers(4, 3, "Monte Carlo chains.") + papers(7, 10, "Qubits."))
        assert index.sync() == 17  # 13 changes for 4 papers: every paper indexed afresh
        assert read_state(index.path)[0].build != build
        fmt = index._current().schema["abstract_pairs"].format
        assert fmt.answers(["mont", "carlo", "chain"])  # studied from the 17 papers
        assert index.search('"monte carlo chains"').total == 3
        build = read_state(index.path)[0].build
        library.add_papers(papers(17, 51, "Qubits decohere."))  # 3 times 17: synced
        assert index.sync() == 51
        assert read_state(index.path)[0].build == build
        assert index.search("qubits").total == 65
        added = library.add_papers(papers(68, 300, "Qubits.")).ids
        library.remove_papers(added)  # 300 changes, but no more papers than the index holds
        assert index.sync() == 300
        assert read_state(index.path)[0].build == build
        assert index.search("qubits").total == 65


def test_a_rebuild_for_a_grown_library_says_so_as_a_rebuild_for_damage_does_not(tmp_path):
    from paperdeck.core.search.index_writing import GROWN_LABEL

    with Library(tmp_path / "lib") as library, SearchIndex(library) as index:
        library.add_papers([Paper(title="First")])
        index.ensure()
        library.add_papers([Paper(title=f"Paper {n}") for n in range(4)])
        calls: list[tuple[str, int, int]] = []
        assert index.sync(lambda *call: calls.append(call)) == 5
        assert calls == [(GROWN_LABEL, 0, 5), (GROWN_LABEL, 5, 5)]


def test_sync_deletes_papers_gone_from_the_library(library, index):
    gone = ids_by_title(library)[GNN]
    with sqlite3.connect(library.db_path) as db:
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("DELETE FROM papers WHERE id = ?", (gone,))
        db.execute("INSERT INTO changes (paper_id) VALUES (?)", (gone,))
    assert index.sync() == 1
    assert gone not in index.search("graph").ids
    assert index.ensure() is False


def test_sync_reports_progress(library, index):
    ids = list(ids_by_title(library).values())
    for paper_id in ids[:3]:
        library.add_tags(paper_id, ["seen"])
    calls: list[tuple[str, int, int]] = []
    assert index.sync(lambda *call: calls.append(call)) == 3
    assert calls == [("Updating search index", 3, 3)]


def test_failed_commit_keeps_the_change_for_next_time(library, index, monkeypatch):
    paper_id = ids_by_title(library)[RLHF]
    library.add_tags(paper_id, ["alignment"])
    seq = index.applied_seq()

    def broken_merge(writer, segments):
        raise OSError("disk full")

    monkeypatch.setattr(index_writing, "merge_small_segments", broken_merge)
    with pytest.raises(OSError):
        index.sync()
    assert index.applied_seq() == seq
    assert library.changes_after(seq)[1] == [paper_id]
    monkeypatch.undo()
    assert index.sync() == 1
    assert index.search("tag:alignment").ids == [paper_id]


def test_busy_lock_skips_the_sync_without_losing_it(library, index):
    paper_id = ids_by_title(library)[ROBOTS]
    library.add_tags(paper_id, ["later"])
    index.lock_timeout = 0.05
    with index_writing.writer_lock(index._lock_path, 1.0) as locked:
        assert locked
        assert index.sync() == 0
        assert index.search("robots").total == 2  # searching still works
    assert index.sync() == 1
    assert index.search("tag:later").ids == [paper_id]


def test_a_foreign_whoosh_writer_makes_sync_skip(library, index):
    from whoosh import index as windex

    paper_id = ids_by_title(library)[GNN]
    library.add_tags(paper_id, ["held"])
    index.lock_timeout = 0.05
    foreign = windex.open_dir(str(library.index_dir)).writer()
    try:
        assert index.sync() == 0
    finally:
        foreign.cancel()
    assert index.sync() == 1
    assert index.search("tag:held").ids == [paper_id]


@pytest.mark.slow
def test_many_single_paper_syncs_keep_few_segments(library, index):
    ids = list(ids_by_title(library).values())
    for n in range(200):
        library.set_note(ids[n % len(ids)], f"note number {n}")
        assert index.sync() == 1
        assert index.segment_count() <= 10
    assert index.search("note:199").total == 1
    assert index.search("note:number").total == len(ids)


def damage_segment(folder: Path, at: float = 0.0) -> None:
    """Overwrite 256 bytes of each segment file, at a fraction ``at`` of its length."""
    for segment in folder.glob("*.seg"):
        data = bytearray(segment.read_bytes())
        start = int(len(data) * at)
        data[start : start + 256] = (b"\x93garbage" * 32)[: len(data[start : start + 256])]
        segment.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda d: [f.unlink() for f in d.glob("*.seg")], id="segments deleted"),
        pytest.param(lambda d: [f.unlink() for f in d.glob("*")], id="all files deleted"),
        pytest.param(shutil.rmtree, id="folder deleted"),
        pytest.param(damage_segment, id="garbage at the start of a segment"),
        pytest.param(lambda d: damage_segment(d, 0.5), id="garbage in the middle of a segment"),
        pytest.param(lambda d: [f.write_bytes(b"\x00" * 7) for f in d.glob("*.toc")], id="toc"),
        pytest.param(lambda d: (d / STATE_FILE).write_text("{nope"), id="state garbage"),
        pytest.param(lambda d: [f.write_bytes(b"") for f in d.glob("*.seg")], id="truncated"),
    ],
)
def test_damaged_index_is_rebuilt(library, index, damage):
    expected = index.search("reinforcement").ids
    damage(library.index_dir)
    with SearchIndex(library) as fresh:
        assert fresh.ensure() is True
        assert fresh.search("reinforcement").ids == expected
    assert index.ensure() is False  # the first object follows the swapped-in folder
    assert index.search("reinforcement").ids == expected


def test_search_on_a_damaged_index_raises_then_ensure_mends_it(library, index):
    damage_segment(library.index_dir)
    index.close()
    with pytest.raises(IndexCorrupt):
        index.search("graph")
    assert index.ensure() is True
    assert len(index.search("graph").ids) == 2


def test_index_out_of_step_with_the_library_is_rebuilt(library, index, tmp_path):
    # Another library's database put in place: its papers are not in the change log.
    with Library(tmp_path / "other") as other:
        other.add_papers([Paper(title="Only In The Other Library")])
    library.close()
    for suffix in ("", "-wal", "-shm"):
        target = library.db_path.with_name(f"library.sqlite3{suffix}")
        target.unlink(missing_ok=True)
        source = tmp_path / "other" / target.name
        if source.exists():
            target.write_bytes(source.read_bytes())
    with Library(library.root) as reopened, SearchIndex(reopened) as fresh:
        assert fresh.ensure() is True
        assert fresh.search("other").total == 1
        assert fresh.search("graph").total == 0


def test_rebuild_swaps_the_folder_and_open_searchers_follow(library, index):
    with SearchIndex(library) as other:
        other.ensure()
        assert other.search("graph").total == 2
        library.add_papers([Paper(title="Graph Kernels")])
        assert index.rebuild() == 9
        assert other.search("graph").total == 3
    leftovers = [p.name for p in library.root.iterdir() if ".tmp-" in p.name or ".old-" in p.name]
    assert leftovers == []


def test_rebuild_removes_what_a_crashed_rebuild_left(library, index):
    (library.root / "index.tmp-crashed").mkdir()
    (library.root / "index.tmp-crashed" / "MAIN_x.seg").write_bytes(b"half")
    (library.root / "index.old-deadbeef").mkdir()
    index.rebuild()
    assert sorted(p.name for p in library.root.iterdir() if p.name.startswith("index")) == [
        "index",
        "index.lock",
    ]


def test_rebuild_waits_for_a_busy_writer_then_gives_up(library, index):
    index.rebuild_timeout = 0.05
    with index_writing.writer_lock(index._lock_path, 1.0), pytest.raises(IndexBusy):
        index.rebuild()


def test_ensure_does_not_rebuild_what_another_process_just_rebuilt(library, index):
    """While one index waits for the lock, another rebuilds: the first then just opens it."""
    damage_segment(library.index_dir)
    started, finished = threading.Event(), threading.Event()

    def other_process() -> None:
        with Library(library.root) as lib2:
            other = SearchIndex(lib2)
            with index_writing.writer_lock(other._lock_path, 5.0):
                started.set()
                time.sleep(0.3)
                other._rebuild_locked(None)
            other.close()
        finished.set()

    thread = threading.Thread(target=other_process)
    thread.start()
    started.wait(5)
    assert index.ensure() is False
    thread.join(10)
    assert finished.is_set()
    assert index.search("reinforcement").total == 4


@pytest.mark.slow
def test_bulk_paths_use_two_processes(library, index):
    index.bulk_threshold = 4
    library.add_papers([Paper(title=f"Bulk paper {n} about lattices") for n in range(12)])
    library.add_tags(ids_by_title(library)[GNN], ["bulk"])
    assert index.sync() == 13
    assert index.search("lattices").total == 12
    assert index.search("tag:bulk").total == 1
    assert index.search("graph").total == 2  # updated, not duplicated
    assert index.rebuild() == 20
    assert index.search("lattices").total == 12


@pytest.mark.slow
def test_cancelled_bulk_rebuild_leaves_the_old_index_and_no_workers(library, index):
    library.add_papers([Paper(title=f"Paper {n} on lattices") for n in range(1200)])
    index.bulk_threshold = 100

    def cancel(label: str, done: int, total: int) -> None:
        if done >= 1000:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        index.rebuild(cancel)
    assert multiprocessing.active_children() == []
    assert [p.name for p in library.root.iterdir() if ".tmp-" in p.name] == []
    assert index.search("graph").total == 2  # the old index, untouched
    assert index.ensure() is False  # its changes are still in the log: applied now
    assert index.search("lattices").total == 1200  # by a rebuild: 1,200 for 8 indexed
    assert index.search("lattices").total == 1200


def test_two_indexes_interleaving_syncs_converge(library, index):
    """Two SearchIndex objects on their own connections stand for two processes."""
    with Library(library.root) as library2, SearchIndex(library2) as index2:
        index2.ensure()
        ids = list(ids_by_title(library).values())
        for n, paper_id in enumerate(ids):
            writer, idx = (library, index) if n % 2 else (library2, index2)
            writer.add_tags(paper_id, [f"t{n}"])
            writer.set_note(paper_id, f"memo{n}")
            if n % 3 == 0:
                (index2 if n % 2 else index).sync()  # the other one syncs
            else:
                idx.sync()
        index.sync()
        for n, paper_id in enumerate(ids):
            for searcher in (index, index2):
                assert searcher.search(f"tag:t{n}").ids == [paper_id]
                assert searcher.search(f"note:memo{n}").ids == [paper_id]
        assert library.changes_after(0)[1] == []
        assert index.search("robot").ids == index2.search("robot").ids


CHILD = """
import sys
from paperdeck.core.search.index import SearchIndex
from paperdeck.core.store import Library
with Library(sys.argv[1]) as library, SearchIndex(library) as index:
    index.ensure()
    for n, paper_id in enumerate(sys.argv[2:]):
        library.add_tags(paper_id, [f"child{n}"])
        index.sync()
"""


@pytest.mark.slow
def test_two_processes_syncing_at_once_converge(library, index):
    ids = list(ids_by_title(library).values())
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(library.root), *ids])
    for n, paper_id in enumerate(ids):
        library.set_note(paper_id, f"parent{n}")
        index.sync()
    assert child.wait(60) == 0
    index.sync()
    for n, paper_id in enumerate(ids):
        assert index.search(f"tag:child{n}").ids == [paper_id]
        assert index.search(f"note:parent{n}").ids == [paper_id]
    assert library.changes_after(0)[1] == []


def test_the_state_is_parsed_once_until_a_commit_replaces_it(index, library, monkeypatch):
    """At a million papers the state file took 15 ms to parse; an unchanged one is not
    parsed again, and each commit's new one is."""
    from paperdeck.core.search import index_files

    parsed: list[str] = []
    loads = index_files.json.loads

    def counted(text: str) -> object:
        parsed.append(text)
        return loads(text)

    monkeypatch.setattr(index_files.json, "loads", counted)
    # Just written: parsed again at each read, as a replace in the same tick of a coarse
    # clock could reuse the inode with the same size.
    racy, _stat = index_files.read_state(index.path)
    assert racy is not None and index_files.read_state(index.path)[0] is not racy
    assert len(parsed) == 2
    monkeypatch.setattr(index_files, "RACY_NS", 0)  # as if written seconds ago
    first, _stat = index_files.read_state(index.path)
    again, _stat = index_files.read_state(index.path)
    assert first is not None and again is first and len(parsed) == 3
    seq = first.seq
    library.add_papers([Paper(title="Stateful quokkas", abstract="Quokkas keep state.")])
    assert index.sync() == 1  # a commit: the state file replaced
    fresh, _stat = index_files.read_state(index.path)
    assert fresh is not None and fresh.seq > seq
    assert index_files.read_state(index.path)[0] is fresh
    assert index.search("quokkas").total == 1
