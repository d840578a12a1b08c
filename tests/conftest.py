"""Fixtures shared by every test folder."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point $PAPERDECK_HOME, $PAPERDECK_CONFIG and $HOME into ``tmp_path``: never user data."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("PAPERDECK_HOME", str(tmp_path / "library"))
    monkeypatch.setenv("PAPERDECK_CONFIG", str(tmp_path / "config" / "config.toml"))
    monkeypatch.delenv("SSH_TTY", raising=False)
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    return tmp_path
