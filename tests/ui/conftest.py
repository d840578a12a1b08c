"""Reader test fixtures: temporary libraries (`make_app` and the recorders come from testkit)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

from paperdeck.core.demo import import_demo
from paperdeck.core.store import Library
from testkit import FIXED_TODAY, sample_papers


@pytest.fixture(autouse=True)
def _isolated(isolated_env: Path) -> Path:
    """Every reader test runs with $HOME, $PAPERDECK_HOME and $PAPERDECK_CONFIG in tmp."""
    return isolated_env


@pytest.fixture
def sample_root(tmp_path: Path) -> Path:
    root = tmp_path / "sample-library"
    with Library(root) as library:
        library.add_papers(sample_papers())
    return root


@pytest.fixture
def demo_root(tmp_path: Path) -> Path:
    """The two bundled demo listings, imported as of FIXED_TODAY (snapshots stay stable)."""
    root = tmp_path / "demo-library"
    with Library(root) as library:
        added, problems = import_demo(library, today=FIXED_TODAY)
    assert added and not problems
    return root


@pytest.fixture
def empty_root(tmp_path: Path) -> Path:
    return tmp_path / "empty-library"


@pytest.fixture
def fixed_root() -> Any:
    """A library folder at a fixed path, for snapshots that show the path."""
    root = Path(tempfile.gettempdir()) / "paperdeck-snapshot-library"
    shutil.rmtree(root, ignore_errors=True)
    yield root
    shutil.rmtree(root, ignore_errors=True)
