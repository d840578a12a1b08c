"""Fixtures shared by every test folder."""

from __future__ import annotations

import asyncio
import inspect
import os
import sys
import tempfile
from pathlib import Path

import pytest

# Tests must pass in a clone of the repository alone, so a test that reads a sibling of the
# clone (such as ../shared, which only the developers' machines have) fails at once, naming it.
REPOSITORY = Path(__file__).resolve().parents[1]
# The Python running the tests (a virtualenv may sit beside the clone) and the temp folder are
# the machine's, not the repository's neighbours.
_ALLOWED_SIBLING_ROOTS = tuple(
    Path(folder).resolve()
    for folder in (REPOSITORY, tempfile.gettempdir(), sys.prefix, sys.base_prefix, sys.exec_prefix)
)


def _outside_the_repository(path: object) -> Path | None:
    if not isinstance(path, str | bytes | os.PathLike):
        return None
    try:
        resolved = Path(os.fsdecode(path)).resolve()
    except (OSError, ValueError):
        return None
    if not resolved.is_relative_to(REPOSITORY.parent):
        return None
    if any(resolved.is_relative_to(root) for root in _ALLOWED_SIBLING_ROOTS):
        return None
    return resolved


def _refuse_reads_beside_the_repository(event: str, args: tuple[object, ...]) -> None:
    if event in {"open", "os.listdir", "os.scandir"} and args:
        outside = _outside_the_repository(args[0])
        if outside is not None:
            raise PermissionError(f"a test read outside the repository: {outside}")


sys.addaudithook(_refuse_reads_beside_the_repository)


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
