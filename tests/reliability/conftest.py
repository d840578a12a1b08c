"""Reliability fixtures (`make_app` and the recorders come from testkit, as for the reader)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated(isolated_env: Path) -> Path:
    """$HOME, $PAPERDECK_HOME and $PAPERDECK_CONFIG in tmp: never the user's data."""
    return isolated_env
