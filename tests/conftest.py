"""Fixtures shared by every test folder."""

from __future__ import annotations

import asyncio
import inspect
from pathlib import Path

import pytest

import repository_guard

# The reader and reliability tests' shared fixtures (make_app, the recorders, config_path).
pytest_plugins = ["testkit"]

REPOSITORY = Path(__file__).resolve().parents[1]
repository_guard.install(REPOSITORY)


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


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests in a fresh event loop (no asyncio plugin needed)."""
    function = pyfuncitem.obj
    if not inspect.iscoroutinefunction(function):
        return None
    names = inspect.signature(function).parameters
    asyncio.run(function(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True
