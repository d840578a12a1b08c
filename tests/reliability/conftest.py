"""Reliability fixtures: temporary libraries and configs, recorders for the outside world, and
a reader factory (the same shape as the reader tests' own, so these tests run on their own)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from reliability_helpers import FIXED_TODAY, Recorder

from paperdeck.ui.app import PaperdeckApp
from paperdeck.ui.clipboard import Clipboard


@pytest.fixture(autouse=True)
def _isolated(isolated_env: Path) -> Path:
    """$HOME, $PAPERDECK_HOME and $PAPERDECK_CONFIG in tmp: never the user's data."""
    return isolated_env


@pytest.fixture
def pyperclip() -> Recorder:
    return Recorder()


@pytest.fixture
def browser() -> Recorder:
    return Recorder()


@pytest.fixture
def make_app(tmp_path: Path, pyperclip: Recorder, browser: Recorder) -> Callable[..., PaperdeckApp]:
    def factory(root: Path, **options: Any) -> PaperdeckApp:
        options.setdefault("config_path", tmp_path / "config" / "config.toml")
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
