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


@pytest.mark.parametrize(
    "command",
    [["stats"], ["search", "x"], ["show", "x"], ["star", "x"], ["export", "--all"], ["trash"],
     ["reindex"], ["remove", "--source", "x"], ["import", "-"], ["demo"]],
    ids=lambda command: command[0],
)  # fmt: skip
def test_a_library_path_that_is_a_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    """It used to say "no library at …; add papers first" (or "Not a directory")."""
    file = tmp_path / "papers.bib"
    file.write_text("@misc{a, title = {T}}\n")
    code, out, err = Cli(file, capsys)(*command)
    assert (code, out, err) == (1, "", f"paperdeck: {file} is a file, not a library folder\n")
    code, out, err = Cli(file / "lib", capsys)(*command)
    assert (code, out) == (1, "")
    assert err == (
        f"paperdeck: {file} is a file, not a library folder (so {file / 'lib'} cannot be one)\n"
    )
    assert file.read_text() == "@misc{a, title = {T}}\n"


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
    code, _, err = cli("show", "a", "b")  # (search takes several words: one query)
    assert code == 2 and err.startswith("usage: paperdeck show ") and "arguments: b\n" in err
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


def test_every_scriptable_command_takes_json(cli: Cli) -> None:
    """What scripts run has a --json output (`demo` and `keys` open or describe the reader;
    `export` writes JSON with --format json)."""
    for name in COMMANDS:
        if name not in ("demo", "keys", "export"):
            assert "  --json " in cli(name, "--help")[1], name


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


def _registered() -> dict[str, str]:
    """Each command and the module that registers it, as the whole parser is built."""
    import argparse

    from paperdeck import cli as package

    found: dict[str, str] = {}
    for module in package._command_modules():

        def add(name: str, short: str = module.__name__.rsplit(".", 1)[-1], **_: object):
            found[name] = short
            return argparse.ArgumentParser()

        module.register(add)
    return found


def test_each_command_is_built_from_the_module_that_registers_it() -> None:
    from paperdeck.cli import COMMAND_MODULES

    assert _registered() == COMMAND_MODULES


@pytest.mark.parametrize("command", sorted(_registered()))
def test_a_command_alone_reads_and_helps_as_the_whole_parser_does(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from paperdeck.cli import COMMAND_MODULES, build_parser

    whole = build_parser()
    alone = build_parser(COMMAND_MODULES[command])
    sub = whole._subparsers._group_actions[0].choices[command]  # type: ignore[union-attr]
    assert main([command, "--help"]) == 0
    assert capsys.readouterr().out == sub.format_help()
    for argv in ([command, "x", "y"], ["--library", "/nowhere", command, "x"]):
        try:
            expected = vars(whole.parse_known_args(argv)[0])
        except SystemExit:
            continue  # a usage error either way, checked by the tests above
        assert _plain(vars(alone.parse_known_args(argv)[0])) == _plain(expected)


def _plain(values: dict[str, object]) -> dict[str, object]:
    """Parsed arguments, comparable: a `partial` as what it calls, the parser left out."""
    from functools import partial

    def plain(value: object) -> object:
        if isinstance(value, partial):
            return (value.func, value.args, value.keywords)
        return value

    return {k: plain(v) for k, v in values.items() if k != "parser"}


NAMED = """
import sys
from paperdeck.cli import main
code = main(["--library", sys.argv[1], "star", "nothing-such"])
print(code, sorted(m for m in sys.modules if m.startswith("paperdeck.cli.")))
"""


def test_a_command_builds_only_its_own_parser(tmp_path: Path) -> None:
    import subprocess

    argv = [sys.executable, "-c", NAMED, str(tmp_path / "library")]
    out = subprocess.run(argv, capture_output=True, text=True, check=True)
    code, loaded = out.stdout.split(" ", 1)
    assert code == "1" and "paperdeck.cli.marking" in loaded
    assert "paperdeck.cli.search" not in loaded and "paperdeck.cli.exporting" not in loaded
