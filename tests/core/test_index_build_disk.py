"""A build's temporary files stay within twice the size of the index it makes.

Whoosh sorts a segment's postings through run files, several times the size the postings
take in the index. The build commits in slices (`slice_build.SLICES`), so only one slice's
run files exist at a time. Here the writers are given 1 MB for postings, so that a small
library spills as a big one does, and the build folder is measured while it is written.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import threading
from pathlib import Path

import pytest

from paperdeck.core.importer import import_file
from paperdeck.core.search import impacts, index_workers, pair_files, slice_build
from paperdeck.core.search.index import SearchIndex
from paperdeck.core.store import Library

WORDS = [f"w{n}" for n in range(60)]  # few words: postings, not the term lists, fill the index


def _folder_bytes(root: Path, pattern: str) -> int:
    """Bytes of the files under the folders ``pattern`` names (files may vanish meanwhile)."""
    total = 0
    for folder in root.glob(pattern):
        for where, _dirs, names in os.walk(folder):
            for name in names:
                with contextlib.suppress(OSError):  # removed while we looked
                    total += os.lstat(os.path.join(where, name)).st_size
    return total


class DiskWatch:
    """The largest size the build folders beside an index reached, looked at every 2 ms."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._stop.wait(0.002):
            self.peak = max(self.peak, _folder_bytes(self.root, "index.tmp-*"))

    def __enter__(self) -> DiskWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@pytest.fixture
def library(tmp_path: Path):
    rng = random.Random(5)
    path = tmp_path / "papers.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for n in range(600):
            abstract = " ".join(rng.choice(WORDS) for _ in range(rng.randint(80, 160)))
            paper = {"title": f"paper {n} {rng.choice(WORDS)}", "abstract": abstract}
            out.write(json.dumps({**paper, "authors": ["A. Person"], "date": "2024-05-01"}))
            out.write("\n")
    with Library(tmp_path / "lib") as library:
        assert import_file(library, path).added == 600
        yield library


@pytest.mark.parametrize("processes", [1, 2])
def test_temporary_files_stay_within_twice_the_index(library, processes, monkeypatch) -> None:
    monkeypatch.setattr(slice_build, "SYNC_MB", 1)
    monkeypatch.setattr(slice_build, "BUILD_MB", 1)
    monkeypatch.setattr(slice_build, "MIN_SLICE", 50)
    # The watcher's thread only reads file sizes, holding no lock a fork could copy: the
    # two-process build is allowed beside it (`may_fork` would refuse any other thread).
    monkeypatch.setattr(slice_build, "may_fork", lambda: True)
    monkeypatch.setattr(index_workers, "may_fork", lambda: True)
    with SearchIndex(library) as index:
        index.bulk_threshold = 10_000 if processes == 1 else 0
        with DiskWatch(library.index_dir.parent) as watch:
            assert index.rebuild() == 600
        final = _folder_bytes(library.index_dir.parent, "index")
        assert index.search("paper").total == 600
        assert index.segment_count() >= slice_build.SLICES  # a slice: a segment or two
    assert watch.peak > 0  # it saw the build folder
    assert watch.peak - final <= 2 * final


def test_a_slices_lists_and_pairs_are_written_while_the_next_slice_is_indexed(
    library, monkeypatch
) -> None:
    monkeypatch.setattr(slice_build, "BUILD_MB", 1)
    monkeypatch.setattr(slice_build, "MIN_SLICE", 50)
    left: list[int] = []
    write_missing = impacts.write_missing

    def after_the_build(folder, procs=1):
        left.append(len(impacts.missing_segments(folder)))
        left.append(len(pair_files.missing_segments(folder)))
        return write_missing(folder, procs)

    monkeypatch.setattr(impacts, "write_missing", after_the_build)
    with SearchIndex(library) as index:
        index.bulk_threshold = 0
        assert index.rebuild() == 600
        segments = index.segment_count()
        assert segments >= slice_build.SLICES
        assert left and max(left) < segments  # some were written while the build ran
        assert not impacts.missing_segments(index.path)
        assert not pair_files.missing_segments(index.path)
        assert index.search("paper").total == 600
