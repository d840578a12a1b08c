"""Reader test fixtures: temporary libraries, a temporary config, recorders for the outside.

Every app is built by `make_app`, pointed at a temporary library and config, with the read
mark delay off (tests that want it pass one), the cursor blink off, a clipboard whose
pyperclip is a recorder, and a browser that only records.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ui_helpers import FIXED_TODAY, Recorder, sample_papers

from paperdeck.core.demo import import_demo
from paperdeck.core.store import Library
from paperdeck.ui.app import PaperdeckApp
from paperdeck.ui.clipboard import Clipboard


@pytest.fixture(autouse=True)
def _isolated(isolated_env: Path) -> Path:
    """Every reader test runs with $HOME, $PAPERDECK_HOME and $PAPERDECK_CONFIG in tmp."""
    return isolated_env


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "config.toml"


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


@pytest.fixture
def pyperclip() -> Recorder:
    return Recorder()


@pytest.fixture
def browser() -> Recorder:
    return Recorder()


@pytest.fixture
def make_app(
    config_path: Path, pyperclip: Recorder, browser: Recorder
) -> Callable[..., PaperdeckApp]:
    def factory(root: Path, **options: Any) -> PaperdeckApp:
        options.setdefault("config_path", config_path)
        options.setdefault(
            "clipboard",
            Clipboard(copy_function=pyperclip, environ={"DISPLAY": ":0"}, platform="linux"),
        )
        options.setdefault("open_url", browser)
        options.setdefault("read_delay", None)
        options.setdefault("cursor_blink", False)
        options.setdefault("today", FIXED_TODAY)
        return PaperdeckApp(root, **options)

    return factory
