"""An index written before the search modules moved still opens, unrebuilt."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from paperdeck.core.search.index import SearchIndex
from paperdeck.core.search.index_files import STATE_FILE
from paperdeck.core.store import Library

OLD_LIBRARY = Path(__file__).parents[1] / "fixtures" / "index-format-1"


def test_an_index_pickled_with_the_old_class_paths_opens_without_a_rebuild(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    shutil.copytree(OLD_LIBRARY, root, ignore=shutil.ignore_patterns("ORIGIN.md"))
    state_file = root / "index" / STATE_FILE
    state = json.loads(state_file.read_text())
    # A checkout does not keep modification times; the manifest records them (as a copy
    # of the user's folder would keep them).
    for name, (_size, mtime_ns) in state["files"].items():
        os.utime(root / "index" / name, ns=(mtime_ns, mtime_ns))
    assert b"paperdeck.core.analysis" in (root / "index" / "_MAIN_1.toc").read_bytes()

    with Library(root) as library, SearchIndex(library) as index:
        assert index.ensure() is False  # not rebuilt
        found = index.search("attention")
    assert found.ids == ["p-0001"]
    assert json.loads(state_file.read_text())["build"] == state["build"]
