"""Opening the reader (plain `paperdeck`), `paperdeck demo` and `paperdeck keys`."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from paperdeck.cli.errors import CommandError
from paperdeck.cli.library import library_root
from paperdeck.cli.parsing import AddCommand
from paperdeck.core.paths import library_dir
from paperdeck.core.store import Library


def register(add: AddCommand) -> None:
    command = add(
        "keys",
        summary="print the reader's keys",
        description=(
            "Print every key of the reader with what it does and its command id, after the "
            "remaps in your config.toml. Remap a key by its id in the [keys] table, e.g. "
            'star = "8".'
        ),
        examples=["paperdeck keys"],
    )
    command.set_defaults(run=run_keys)

    command = add(
        "demo",
        summary="try the reader on bundled sample papers",
        description=(
            "Import the sample listings shipped with paperdeck into a throwaway library and "
            "open the reader on it; the library is deleted when the reader closes (or the "
            "terminal goes away). Your own library and settings are not touched, unless you "
            "name a folder with --library: then the demo papers are imported there and kept."
        ),
        examples=["paperdeck demo", "paperdeck --library /tmp/demo-lib demo"],
    )
    command.set_defaults(run=run_demo)


def is_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def launch(root: Path, *, demo: bool = False) -> int:
    """Run the reader; a reader that cannot start is one line, not a traceback."""
    if not is_terminal():
        raise CommandError(
            "the reader needs a terminal; in scripts use paperdeck search, show or export"
        )
    try:
        from paperdeck.ui.app import run_reader
    except ImportError as exc:
        raise CommandError(f"the reader is not available ({exc})") from None
    return run_reader(root, demo=demo)


def run_open(args: argparse.Namespace) -> int:
    return launch(library_root(args))


def import_demo(library: Library) -> int:
    """The reader's demo import (also behind its welcome screen); the papers then held."""
    from paperdeck.core.demo import import_demo as import_demo_files

    _added, problems = import_demo_files(library)
    if problems:
        raise CommandError(f"demo: {problems[0]}")
    return library.count()


def run_demo(args: argparse.Namespace) -> int:
    import shutil
    import tempfile

    keep = getattr(args, "library", None) is not None  # $PAPERDECK_HOME is not a request
    root = library_dir(args.library) if keep else Path(tempfile.mkdtemp(prefix="paperdeck-demo-"))
    try:
        with removed_when_killed(None if keep else root):
            with Library(root) as library:
                count = import_demo(library)
            where = str(root) if keep else "a temporary library"
            print(f"demo: {count} papers in {where}", file=sys.stderr)
            return launch(root, demo=True)
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def removed_when_killed(root: Path | None) -> Iterator[None]:
    """A lost SSH connection (SIGHUP) or a plain kill (SIGTERM) ends the process without
    running ``finally``: the throwaway library is removed first, then the process ends by
    that signal as it would have."""
    import shutil
    import signal

    if root is None:
        yield
        return

    def remove_and_end(signum: int, frame: object) -> None:
        shutil.rmtree(root, ignore_errors=True)
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    names = ("SIGHUP", "SIGTERM")
    signals = [getattr(signal, name) for name in names if hasattr(signal, name)]
    previous = {signum: signal.signal(signum, remove_and_end) for signum in signals}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def run_keys(args: argparse.Namespace) -> int:
    try:
        from paperdeck.ui.commands import GROUPS
        from paperdeck.ui.config import load_config
        from paperdeck.ui.keys import key_table
    except ImportError as exc:
        raise CommandError(f"the reader's key table is not available ({exc})") from None
    config = load_config()
    for problem in config.problems:
        print(f"paperdeck: {problem}", file=sys.stderr)
    rows = key_table(config.keys)
    key_width = max(len(keys) for _, keys, _, _ in rows)
    text_width = max(len(text) for _, _, text, _ in rows)
    for group in GROUPS:
        print(group)
        for row_group, keys, text, command_id in rows:
            if row_group == group:
                print(f"  {keys:<{key_width}}  {text:<{text_width}}  {command_id}")
        print()
    print(f'Remap keys by id in {config.path}, e.g. [keys] star = "8".')
    return 0
