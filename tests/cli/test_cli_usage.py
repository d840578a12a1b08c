"""Errors and help: a failure is one line with the right exit status, and the parser offers
every command (with examples), export format and sort."""

from __future__ import annotations

import io
import re
import sqlite3
import sys
from pathlib import Path

import pytest
from cli_kit import Cli

from paperdeck import __version__
from paperdeck.cli import main


def test_no_library_is_one_line(cli: Cli) -> None:
    code, out, err = cli("search")
    assert (code, out) == (1, "")
    assert err == f"paperdeck: no library at {cli.root}; add papers first: paperdeck import FILE\n"
    assert not cli.root.exists()


def test_newer_schema_is_one_line(seeded: Cli) -> None:
    with sqlite3.connect(seeded.root / "library.sqlite3") as db:
        db.execute("PRAGMA user_version = 99")
    code, out, err = seeded("star", "x")
    assert (code, out) == (1, "")
    assert err.startswith("paperdeck: the library was written by a newer paperdeck")
    assert err.count("\n") == 1


def test_interrupt_exits_130(seeded: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> list[str]:
        raise KeyboardInterrupt

    monkeypatch.setattr("paperdeck.cli.search.select", interrupted)
    assert seeded("search", "anything")[0] == 130


def test_a_closed_pipe_ends_quietly(seeded: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    class ClosedPipe(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    seeded.capsys.readouterr()
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(["--library", str(seeded.root), "search"]) == 1
    assert seeded.capsys.readouterr().err == ""


def test_output_file_errors_are_one_line(seeded: Cli, tmp_path: Path) -> None:
    target = tmp_path / "no-such-dir" / "out.md"
    code, _, err = seeded("export", "--all", "-o", str(target))
    assert code == 1
    assert err == f"paperdeck: {target}: No such file or directory\n"


def test_usage_errors_exit_2(cli: Cli) -> None:
    assert cli("search", "--limit", "0")[0] == 2
    assert cli("frobnicate")[0] == 2
    assert cli("star")[0] == 2
    assert cli("export", "--format", "docx")[0] == 2


def test_argument_errors_show_the_command_usage(cli: Cli) -> None:
    code, out, err = cli("star", "--foo", "x")
    assert (code, out) == (2, "")
    assert err.startswith("usage: paperdeck star ")
    assert err.endswith("paperdeck star: error: unrecognized arguments: --foo\n")
    code, _, err = cli("search", "a", "b")
    assert code == 2 and err.startswith("usage: paperdeck search ") and "arguments: b\n" in err
    code, _, err = cli("--foo")
    assert code == 2 and err.startswith("usage: paperdeck [-h]")


def test_version(cli: Cli) -> None:
    assert cli("--version") == (0, f"paperdeck {__version__}\n", "")


COMMANDS = [
    "import", "reindex", "fetch", "search", "show", "star", "unstar", "tag", "untag", "read",
    "note", "remove", "restore", "trash", "export", "stats", "keys", "demo",
]  # fmt: skip


def test_every_command_has_help_with_examples(cli: Cli) -> None:
    code, out, _ = cli("--help")
    assert code == 0
    assert re.findall(r"^    (\w+) +\S", out, re.MULTILINE) == COMMANDS
    for name in COMMANDS:
        code, out, _ = cli(name, "--help")
        assert code == 0
        assert f"usage: paperdeck {name}" in out and "examples:\n  paperdeck" in out


def test_library_option_after_the_command(seeded: Cli, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["search", "--library", str(seeded.root), "--limit", "1"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1


def test_the_parser_offers_every_export_format() -> None:
    from paperdeck.cli.exporting import EXPORT_FORMATS as offered
    from paperdeck.core.export import EXPORT_FORMATS

    assert offered == EXPORT_FORMATS


def test_the_parser_offers_every_sort() -> None:
    from paperdeck.cli.parsing import SORT_NAMES as offered
    from paperdeck.core.paperset import Sort

    assert offered == tuple(sort.value for sort in Sort)
