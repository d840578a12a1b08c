"""Opening the reader (`paperdeck`, `paperdeck demo`) and printing its key table (`keys`)."""

from __future__ import annotations

import re
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_kit import Cli

from paperdeck.cli import main


def test_keys_prints_the_registry(cli: Cli) -> None:
    from paperdeck.ui.commands import COMMANDS

    code, out, _ = cli("keys")
    assert code == 0
    assert re.search(r"^  s +Star or unstar the paper +star$", out, re.MULTILINE)
    for command in COMMANDS:
        assert re.search(rf" {command.id}$", out, re.MULTILINE)


def test_keys_warns_of_a_remap_that_collides(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[keys]\nstar = "j"\n')
    code, out, err = cli("keys")
    assert code == 0 and re.search(r"^  j +Star or unstar the paper +star$", out, re.MULTILINE)
    assert err == (
        f"paperdeck: {tmp_path / 'config.toml'}: keys.star = 'j' is also the key of "
        "“Move down” (cursor_down); one of them cannot be used\n"
    )


def test_keys_without_the_reader(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "paperdeck.ui.commands", None)
    code, out, err = cli("keys")
    assert (code, out) == (1, "")
    assert err.startswith("paperdeck: the reader's key table is not available (")
    assert len(err.splitlines()) == 1


@pytest.fixture
def fake_reader(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[Path, bool, int]]]:
    """A stand-in `paperdeck.ui.app` recording each call (root, demo, papers at that time)."""
    calls: list[tuple[Path, bool, int]] = []

    def run_reader(library_root: Path, demo: bool = False) -> int:
        from paperdeck.core.store import Library

        with Library(library_root) as library:
            calls.append((Path(library_root), demo, library.count()))
        return 0

    module = types.ModuleType("paperdeck.ui.app")
    module.run_reader = run_reader  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "paperdeck.ui.app", module)
    monkeypatch.setattr("paperdeck.cli.reader.is_terminal", lambda: True)
    yield calls


def test_plain_paperdeck_opens_the_reader(cli: Cli, fake_reader: list) -> None:
    assert cli()[0] == 0
    assert fake_reader == [(cli.root, False, 0)]


def test_the_reader_opens_on_every_spelling_of_its_library(
    fake_reader: list, tmp_path: Path
) -> None:
    # Read without the parser of every command (plain `paperdeck` starts faster), and
    # the same as the parser reads them.
    for argv in (["--library", str(tmp_path / "a")], [f"--library={tmp_path / 'b'}"]):
        assert main(argv) == 0
    assert [call[0] for call in fake_reader] == [tmp_path / "a", tmp_path / "b"]
    assert main(["--library", str(tmp_path / "c"), "--version"]) == 0  # the parser's way
    assert len(fake_reader) == 2


PLAIN = """
import sys
from paperdeck.cli import main
code = main(["--library", sys.argv[1]])  # no terminal: one line, status 1
print(code, sorted(m for m in sys.modules if m.startswith("paperdeck.cli.")))
"""


def test_plain_paperdeck_builds_no_command_parser(tmp_path: Path) -> None:
    import subprocess

    argv = [sys.executable, "-c", PLAIN, str(tmp_path / "library")]
    out = subprocess.run(argv, capture_output=True, text=True, check=True)
    assert out.stdout.split(" ", 1)[0] == "1"
    assert "paperdeck.cli.search" not in out.stdout and "paperdeck.cli.exporting" not in out.stdout
    assert "needs a terminal" in out.stderr


def test_the_default_library_comes_from_the_environment(
    fake_reader: list, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([]) == 0
    assert fake_reader[0][0] == tmp_path / "home-library"


def test_reader_not_available(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("paperdeck.cli.reader.is_terminal", lambda: True)
    monkeypatch.setitem(sys.modules, "paperdeck.ui.app", None)
    code, out, err = cli()
    assert (code, out) == (1, "")
    assert err.startswith("paperdeck: the reader is not available (") and err.count("\n") == 1


def test_reader_needs_a_terminal(cli: Cli) -> None:
    code, _, err = cli()
    assert code == 1 and err.startswith("paperdeck: the reader needs a terminal")


def test_demo_keeps_a_named_library(cli: Cli, fake_reader: list) -> None:
    code, _, err = cli("demo")
    assert code == 0
    assert err == f"demo: 123 papers in {cli.root}\n"
    assert fake_reader == [(cli.root, True, 123)]
    assert len(cli.json()) == 123


def test_demo_uses_a_throwaway_library(
    fake_reader: list, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["demo"]) == 0
    root, demo, count = fake_reader[0]
    assert demo and count == 123
    assert not root.exists()  # deleted when the reader closed
    assert not (tmp_path / "home-library").exists()  # $PAPERDECK_HOME untouched
