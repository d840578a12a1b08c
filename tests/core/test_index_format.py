"""An index of an older format is rebuilt when opened; its pickled class paths still load."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from paperdeck.core.search import index_files
from paperdeck.core.search.index import SearchIndex
from paperdeck.core.search.index_files import INDEX_FORMAT, STATE_FILE
from paperdeck.core.search.pairs import pair_field
from paperdeck.core.store import Library

OLD_LIBRARY = Path(__file__).parents[1] / "fixtures" / "index-format-1"


def _old_library(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    shutil.copytree(OLD_LIBRARY, root, ignore=shutil.ignore_patterns("ORIGIN.md"))
    state = json.loads((root / "index" / STATE_FILE).read_text())
    # A checkout does not keep modification times; the manifest records them (as a copy
    # of the user's folder would keep them).
    for name, (_size, mtime_ns) in state["files"].items():
        os.utime(root / "index" / name, ns=(mtime_ns, mtime_ns))
    return root


def test_an_index_pickled_with_the_old_class_paths_still_loads(tmp_path: Path) -> None:
    root = _old_library(tmp_path)
    assert b"paperdeck.core.analysis" in (root / "index" / "_MAIN_1.toc").read_bytes()
    with index_files.open_index(root / "index").searcher() as searcher:
        assert searcher.doc_count() > 0
        assert pair_field("title") not in searcher.schema.names()


def test_an_index_without_word_pairs_is_rebuilt_with_them(tmp_path: Path) -> None:
    root = _old_library(tmp_path)
    state_file = root / "index" / STATE_FILE
    old = json.loads(state_file.read_text())
    assert old["format"] == 1 < INDEX_FORMAT

    with Library(root) as library, SearchIndex(library) as index:
        assert index.ensure() is True  # rebuilt
        assert pair_field("abstract") in index._current().schema.names()
        assert index.search("attention").ids == ["p-0001"]
        phrase = index.search('"attention is all"')  # stop words inside: "attent all"
    new = json.loads(state_file.read_text())
    assert (new["format"], new["build"] != old["build"]) == (INDEX_FORMAT, True)
    assert phrase.total >= 1
