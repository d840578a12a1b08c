"""Whoosh's indexing workers end with the process that started them."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from paperdeck.core.search.index_workers import end_with_parent
from testkit import running

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="forks")


def test_a_worker_whose_parent_is_already_gone_exits() -> None:
    child = os.fork()
    if child == 0:  # pragma: no cover - the child
        try:
            end_with_parent(os.getppid() + 1_000_000)
        finally:
            os._exit(7)  # reached only if end_with_parent returned
    _pid, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 1


@pytest.mark.parametrize("platform", ["linux", "other"])
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_an_orphaned_worker_exits(platform: str) -> None:
    """The parent forks a worker and dies; the worker (Linux's death signal, or elsewhere
    the watch on its parent id) ends within a second or two instead of waiting forever."""
    script = textwrap.dedent(
        f"""
        import os, sys, time
        from paperdeck.core.search import index_workers
        if {platform!r} != "linux":
            index_workers.sys = type("FakeSys", (), {{"platform": "darwin"}})
        parent = os.getpid()
        worker = os.fork()
        if worker == 0:
            index_workers.end_with_parent(parent)
            time.sleep(60)
            os._exit(0)
        print(worker, flush=True)
        time.sleep(0.3)
        os._exit(0)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=30, check=True
    )
    worker = int(out.stdout)
    deadline = time.monotonic() + 5
    while running(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not running(worker)


@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_workers_index_everything_whichever_way_they_are_started(method: str, tmp_path: Path):
    """Through a fork server or spawned, a worker's parent process is not the writer's: it
    must not take that for its writer having died (an empty index, or a build that hangs
    once the job queue fills)."""
    script = textwrap.dedent(
        f"""
        import multiprocessing, sys
        from whoosh import index
        from paperdeck.core.search.index_files import make_schema
        from paperdeck.core.search.tied_writer import TiedMpWriter

        if __name__ == "__main__":
            multiprocessing.set_start_method({method!r})
            ix = index.create_in(sys.argv[1], make_schema())
            writer = TiedMpWriter(ix, procs=2, multisegment=True)
            for n in range(1500):  # 15 job files: more than the job queue holds
                writer.add_document(id=f"p{{n}}", title=f"paper number {{n}}")
            writer.commit()
            print(index.open_dir(sys.argv[1]).doc_count())
        """
    )
    path = tmp_path / "build.py"
    path.write_text(script, encoding="utf-8")
    (tmp_path / "ix").mkdir()
    out = subprocess.run(
        [sys.executable, str(path), str(tmp_path / "ix")],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert out.stdout.split() == ["1500"]


def test_no_worker_is_forked_while_other_threads_run(tmp_path: Path, monkeypatch) -> None:
    """The reader indexes from a worker thread: a fork there would copy locks other
    threads hold. Its rebuild (writer and impact lists) stays in its own process."""
    import json
    import threading

    from paperdeck.core.importer import import_file
    from paperdeck.core.search import impacts
    from paperdeck.core.search.index import SearchIndex
    from paperdeck.core.store import Library

    path = tmp_path / "papers.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for n in range(300):
            paper = {"title": f"paper {n} graph", "abstract": f"words {n} learning model"}
            out.write(json.dumps({**paper, "authors": ["A. Person"], "date": "2024-05-01"}))
            out.write("\n")
    forks: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        forks.append(1)
        return real_fork()

    monkeypatch.setattr(os, "fork", fork)
    with Library(tmp_path / "lib") as library, SearchIndex(library) as index:
        assert import_file(library, path).added == 300
        index.bulk_threshold = 0  # two processes, were it allowed
        done: list[int] = []
        thread = threading.Thread(target=lambda: done.append(index.rebuild()))
        thread.start()
        thread.join(120)
        assert done == [300]
        assert forks == []
        assert not impacts.missing_segments(index.path)
        assert index.search("graph").total == 300
        # From this, the only thread, workers are forked; the writer's queue threads are
        # stopped with its commit, so forking is still allowed for the impact lists.
        threads_then: list[int] = []
        write_missing = impacts.write_missing

        def counting(folder, procs=1):
            threads_then.append(threading.active_count())
            return write_missing(folder, procs)

        monkeypatch.setattr(impacts, "write_missing", counting)
        index.rebuild()
        assert forks
        assert threads_then == [1]
