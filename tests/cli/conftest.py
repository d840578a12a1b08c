"""CLI fixtures: an empty or a seeded library per test, and never the user's library or config."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_kit import DAILY, LISTING, Cli

from paperdeck.cli import main


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One library holding both seeds (and its index), copied for each test that needs it."""
    root = tmp_path_factory.mktemp("template") / "lib"
    assert main(["--library", str(root), "import", str(LISTING), str(DAILY)]) == 0
    return root


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(tmp_path / "lib", capsys)


@pytest.fixture
def seeded(seeded_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    root = tmp_path / "seeded"
    shutil.copytree(seeded_template, root)
    return Cli(root, capsys)


@pytest.fixture(autouse=True)
def no_user_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Never the user's library or config, whatever the environment says."""
    monkeypatch.setenv("PAPERDECK_HOME", str(tmp_path / "home-library"))
    monkeypatch.setenv("PAPERDECK_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
