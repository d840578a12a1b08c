"""A library written by a newer paperdeck is refused in one line, exit 1, and not touched: not
by the commands, not by the reader, whatever journal mode the newer version left it in."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from paperdeck.cli import main, reader
from paperdeck.core.models import Paper
from paperdeck.core.schema import SCHEMA_VERSION
from paperdeck.core.store import DB_NAME, Library

COMMANDS = [
    ["search", "x"],
    ["search"],
    ["star", "x"],
    ["note", "x", "text"],
    ["tag", "x", "t"],
    ["export", "--all"],
    ["stats"],
    ["reindex"],
    ["import", "FILE"],
    [],  # the reader
]


def files_of(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.iterdir()) if p.is_file()}


@pytest.fixture(params=["wal", "delete"])
def newer(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    with Library(root) as library:
        library.add_papers([Paper(title="Kept as it was")])
    db = sqlite3.connect(root / DB_NAME)
    db.execute(f"PRAGMA journal_mode = {request.param}")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    return root


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "reader")
def test_every_command_refuses_a_newer_library_in_one_line(
    newer, command, tmp_path, capsys, monkeypatch
):
    listing = tmp_path / "listing.jsonl"
    listing.write_text('{"title": "New"}\n', encoding="utf-8")
    args = [str(listing) if a == "FILE" else a for a in command]
    monkeypatch.setattr(reader, "is_terminal", lambda: True)  # the reader really starts
    before = files_of(newer)
    code = main(["--library", str(newer), *args])
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err.startswith("paperdeck: the library was written by a newer paperdeck")
    assert "upgrade paperdeck" in err and err.count("\n") == 1
    assert files_of(newer) == before
    assert not (newer / "index").exists()
