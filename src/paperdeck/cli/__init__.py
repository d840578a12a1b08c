"""The `paperdeck` command line: thin commands over the same core API the reader uses.

Each command module registers its sub-commands; this module builds the parser and turns
every expected failure into one line on stderr. A run builds the parser of the command it
names (`COMMAND_MODULES`), or of every command for the top-level help; so each command
module imports at its top only what its parser needs, and the rest (paper records, Whoosh,
Textual) when a command runs: `paperdeck star` stays instant, and a test watches what it
imports.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sqlite3
import sys
from collections.abc import Sequence
from types import ModuleType

from paperdeck import __version__
from paperdeck.cli.errors import CommandError, UsageError
from paperdeck.cli.output import terminal_safe_output
from paperdeck.cli.parsing import CommandParser, HelpFormatter
from paperdeck.core.schema import NewerSchemaError
from paperdeck.core.store import LibraryError

__all__ = ["build_parser", "main"]

DESCRIPTION = """\
A keyboard-only reader for research-paper listings. Run without a command to open the
reader on your library; the commands below do the same work from scripts."""

EPILOG = """\
examples:
  paperdeck import listing.txt daily.txt    add papers
  paperdeck fetch                           refresh the feeds listed in config.toml
  paperdeck                                 open the reader
  paperdeck search "test-time scaling"      search from the shell
  paperdeck star 2504.16084                 star a paper
  paperdeck export -o reading-list.md       write the starred papers as Markdown
  paperdeck demo                            try the reader on sample papers

The library lives in --library DIR, else $PAPERDECK_HOME, else the user data folder.
Run `paperdeck COMMAND --help` for a command's options."""

_LIBRARY_HELP = "the library folder (default: $PAPERDECK_HOME, else the user data folder)"


# The module that registers each command: `paperdeck star ID` builds that module's parser
# alone rather than every command's (their modules and 18 sub-parsers: ~4 ms). A test
# checks this table against what each module registers.
COMMAND_MODULES = {
    "import": "importing",
    "reindex": "importing",
    "fetch": "fetching",
    "search": "search",
    "show": "search",
    "star": "marking",
    "unstar": "marking",
    "tag": "marking",
    "untag": "marking",
    "read": "marking",
    "note": "notes",
    "remove": "trash",
    "restore": "trash",
    "trash": "trash",
    "export": "exporting",
    "stats": "stats",
    "keys": "reader",
    "demo": "reader",
}


def _command_modules(only: str | None = None) -> tuple[ModuleType, ...]:
    """Each command's module, imported to build the parser (not by plain `paperdeck`);
    ``only``: the one module named (`COMMAND_MODULES`)."""
    if only is not None:
        import importlib

        return (importlib.import_module(f"paperdeck.cli.{only}"),)
    from paperdeck.cli import (
        exporting,
        fetching,
        importing,
        marking,
        notes,
        reader,
        search,
        stats,
        trash,
    )

    return (importing, fetching, search, marking, notes, trash, exporting, stats, reader)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; ``only``: with the commands of that module alone."""
    parser = argparse.ArgumentParser(
        prog="paperdeck",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--library", metavar="DIR", help=_LIBRARY_HELP)
    parser.add_argument("--version", action="version", version=f"paperdeck {__version__}")
    parser.set_defaults(run=_open_reader, parser=parser)
    # --library is accepted after the command too; SUPPRESS keeps the sub-parser from
    # overwriting a value given before the command with its own default.
    shared = argparse.ArgumentParser(add_help=False, formatter_class=HelpFormatter)
    shared.add_argument("--library", metavar="DIR", default=argparse.SUPPRESS, help=_LIBRARY_HELP)
    commands = parser.add_subparsers(
        title="commands", metavar="COMMAND", parser_class=CommandParser
    )

    def add(
        name: str, *, summary: str, description: str, examples: Sequence[str] = ()
    ) -> argparse.ArgumentParser:
        epilog = "examples:\n" + "\n".join(f"  {line}" for line in examples) if examples else None
        command = commands.add_parser(
            name,
            help=summary,
            description=description,
            epilog=epilog,
            parents=[shared],  # type: ignore[list-item]  # typeshed: a list of its own type
            formatter_class=HelpFormatter,
        )
        command.set_defaults(parser=command)
        return command

    for module in _command_modules(only):
        module.register(add)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status (0 ok, 1 error, 2 usage, 130 interrupted).

    Whatever the command (or argparse, or an error) prints is made safe for the terminal
    on its way out (`terminal_safe_output`)."""
    with terminal_safe_output():
        try:
            return _run(argv)
        except Exception:
            # A bug: its traceback is shown, but through the safe stream (the interpreter
            # would print it raw after `main`, with whatever hostile text its message holds).
            import traceback

            traceback.print_exc()
            return 1


def _dashed_words(args: argparse.Namespace, extra: list[str]) -> list[str]:
    """`paperdeck search learning -robot`: argparse takes `-robot` for an option it does not
    know; a command whose positionals are query words (`dashed_words_in`) takes it as one
    of them. What is left over is an error."""
    into = getattr(args, "dashed_words_in", None)
    if into is None:
        return extra
    words = [w for w in extra if w.startswith("-") and not w.startswith("--") and len(w) > 1]
    getattr(args, into).extend(words)
    return [w for w in extra if w not in words]


def _run(argv: Sequence[str] | None) -> int:
    given = sys.argv[1:] if argv is None else list(argv)
    args = _reader_only(given)
    if args is None:
        parser = build_parser(COMMAND_MODULES.get(_command_word(given) or ""))
        try:
            args, extra = parser.parse_known_args(argv)
            extra = _dashed_words(args, extra)
            if extra:  # told with the usage of the command they were given to, not the top's
                args.parser.error(f"unrecognized arguments: {' '.join(extra)}")
        except SystemExit as exc:  # --help, --version and usage errors
            return 0 if exc.code is None else exc.code if isinstance(exc.code, int) else 2
    try:
        code: int = args.run(args)
        sys.stdout.flush()  # a closed pipe is reported here, not at interpreter exit
        return code
    except UsageError as exc:
        args.parser.print_usage(sys.stderr)
        print(f"{args.parser.prog}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`paperdeck search | head`): stop quietly.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except (CommandError, LibraryError, NewerSchemaError) as exc:
        return _fail(str(exc))
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        return _fail(f"{where}{exc.strerror or exc}")
    except sqlite3.DatabaseError as exc:
        if "readonly" in str(exc):
            return _fail("the library is read-only; nothing was changed")
        return _fail(f"library database error: {exc}")
    except Exception as exc:
        if _is_lazy_expected(exc):
            return _fail(str(exc))
        raise


def _reader_only(argv: list[str]) -> argparse.Namespace | None:
    """Plain `paperdeck` (maybe `--library DIR`): the reader, opened without building the
    parser of every command (their modules and 18 sub-parsers: ~4 ms in process, 4-8 ms of
    the measured start).
    None for anything else, which the full parser reads."""
    library, at = _leading_library(argv)
    if at != len(argv):
        return None
    return argparse.Namespace(library=library, run=_open_reader, parser=None)


def _open_reader(args: argparse.Namespace) -> int:
    """Plain `paperdeck`: the reader's module is imported only when it is opened."""
    from paperdeck.cli import reader

    return reader.run_open(args)


def _command_word(argv: list[str]) -> str | None:
    """The command named in ``argv`` (after a leading `--library DIR`), if any."""
    _library, at = _leading_library(argv)
    return argv[at] if at < len(argv) and not argv[at].startswith("-") else None


def _leading_library(argv: list[str]) -> tuple[str | None, int]:
    """A leading `--library DIR` or `--library=DIR`: (DIR, where the rest begins); else
    (None, 0)."""
    if argv[:1] == ["--library"] and len(argv) > 1 and not argv[1].startswith("-"):
        return argv[1], 2
    if argv and argv[0].startswith("--library=") and len(argv[0]) > len("--library="):
        return argv[0].removeprefix("--library="), 1
    return None, 0


def _fail(message: str) -> int:
    sys.stdout.flush()
    print(f"paperdeck: {message}", file=sys.stderr)
    return 1


# Expected errors of modules that only some commands import (the parsers, Whoosh's index).
# If one of them was raised, its module is loaded; checking sys.modules imports nothing.
_LAZY_ERRORS = (
    ("paperdeck.core.sources.base", "ParseError"),
    ("paperdeck.core.search.index", "SearchIndexError"),
)


def _is_lazy_expected(exc: Exception) -> bool:
    for module_name, class_name in _LAZY_ERRORS:
        error_class = getattr(sys.modules.get(module_name), class_name, None)
        if isinstance(error_class, type) and isinstance(exc, error_class):
            return True
    return False
