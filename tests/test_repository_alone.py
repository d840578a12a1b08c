"""The test suite runs in a clone of the repository alone: nothing beside it is read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]


def test_a_read_beside_the_repository_fails_naming_the_path() -> None:
    sibling = REPOSITORY.parent / "shared" / "seeds"
    with pytest.raises(PermissionError, match="outside the repository"):
        os.listdir(sibling)
    with pytest.raises(PermissionError, match="outside the repository"):
        open(REPOSITORY.parent / "anything.txt")  # noqa: SIM115


def test_reads_inside_the_repository_are_allowed() -> None:
    assert (REPOSITORY / "assets" / "demo" / "daily-papers.txt").read_text(encoding="utf-8")
