"""The test suite runs in a clone of the repository alone: nothing beside it is read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import repository_guard
from repository_guard import SiblingGuard

REPOSITORY = Path(__file__).resolve().parents[1]


@pytest.fixture
def layout(tmp_path: Path) -> tuple[Path, Path, Path]:
    parent = tmp_path / "parent"
    for folder in ("clone", "beside/seeds", "venv"):
        (parent / folder).mkdir(parents=True)
    return parent / "clone", parent / "beside", parent / "venv"


def test_a_sibling_of_the_clone_is_refused(layout: tuple[Path, Path, Path]) -> None:
    clone, beside, venv = layout
    guard = SiblingGuard(clone, machine_folders=[venv])
    assert guard.refuses(beside / "seeds" / "a.txt") == beside / "seeds" / "a.txt"
    assert guard.refuses(clone / ".." / "beside") == beside
    with pytest.raises(PermissionError, match=f"outside the repository: {beside}"):
        guard.audit("os.listdir", (str(beside),))


def test_a_temp_folder_holding_the_clone_excuses_nothing(tmp_path: Path) -> None:
    clone, beside = tmp_path / "ci" / "clone", tmp_path / "ci" / "beside"
    clone.mkdir(parents=True)
    beside.mkdir()
    guard = SiblingGuard(clone, machine_folders=[tmp_path])
    assert guard.refuses(beside / "seeds") == beside / "seeds"


def test_the_clone_the_python_and_new_temp_folders_are_allowed(
    layout: tuple[Path, Path, Path],
) -> None:
    clone, _beside, venv = layout
    guard = SiblingGuard(clone, machine_folders=[venv])
    made_later = clone.parent / "tmp1234"
    made_later.mkdir()
    for allowed in (clone / "tests" / "x.py", venv / "lib" / "site.py", made_later / "f", "/etc"):
        assert guard.refuses(allowed) is None
    guard.audit("open", (str(clone / "README.md"), "r", 0))


def test_the_guard_is_on_for_this_run() -> None:
    sibling = next((path for path in REPOSITORY.parent.iterdir() if path != REPOSITORY), None)
    guard = repository_guard.INSTALLED
    assert guard is not None
    if sibling is None or sibling.resolve() not in guard.forbidden:
        pytest.skip("nothing that the guard refuses stands beside this clone")
    with pytest.raises(PermissionError, match="outside the repository"):
        os.listdir(sibling) if sibling.is_dir() else open(sibling).close()  # noqa: SIM115
