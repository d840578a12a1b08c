"""Building blocks for the argument parsers that every command module shares.

Every command's parser is built on each run, `paperdeck star` included, so nothing here (nor in
any `register`) may import more than argparse needs.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Protocol

Run = Callable[[argparse.Namespace], int]


class AddCommand(Protocol):
    """Adds one sub-command with a summary, a description and examples for its ``--help``."""

    def __call__(
        self, name: str, *, summary: str, description: str, examples: Sequence[str] = ()
    ) -> argparse.ArgumentParser: ...


class LazyChoices:
    """Choices computed on first use, so building the parser imports nothing heavy.

    argparse only consults ``choices`` when the option is given or help is printed.
    """

    def __init__(self, load: Callable[[], Sequence[str]]) -> None:
        self._load = load
        self._values: Sequence[str] | None = None

    def _get(self) -> Sequence[str]:
        if self._values is None:
            self._values = tuple(self._load())
        return self._values

    def __contains__(self, value: object) -> bool:
        return value in self._get()

    def __iter__(self) -> Iterator[str]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())


class CommandParser(argparse.ArgumentParser):
    """A sub-command's parser: options may come between its positionals.

    argparse fills positionals in runs, so in ``note ID --edit TEXT`` the optional TEXT is
    settled (empty) before ``--edit`` is read and TEXT is left over; intermixed parsing reads
    the options first, then the positionals.
    """

    _parsing = False

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        if self._parsing:  # the intermixed parse calls back here, twice
            return super().parse_known_args(args, namespace)
        self._parsing = True
        try:
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._parsing = False


class HelpFormatter(argparse.HelpFormatter):
    """Wraps prose paragraphs to the terminal; keeps indented blocks (examples) as written.

    Every parser makes formatters while it is built, long before any help is printed, and
    argparse's own would import `shutil` (with zlib, bz2 and lzma: 3 ms) to measure the
    terminal; this one measures it as `shutil.get_terminal_size` does.
    """

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        if width is None:
            width = terminal_columns() - 2  # argparse's margin
        super().__init__(prog, indent_increment, max_help_position, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        import textwrap  # only when help is printed

        paragraphs = []
        for paragraph in text.split("\n\n"):
            lines = paragraph.splitlines()
            if any(line.startswith(" ") or line.endswith(":") for line in lines):
                paragraphs.append("\n".join(indent + line for line in lines))
            else:
                paragraphs.append(
                    textwrap.fill(
                        " ".join(lines), width, initial_indent=indent, subsequent_indent=indent
                    )
                )
        return "\n\n".join(paragraphs)


def terminal_columns() -> int:
    """`shutil.get_terminal_size().columns`: $COLUMNS, else standard output's width, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {text!r}")
    return value


def year(text: str) -> int:
    if not (text.isdigit() and len(text) == 4 and text[0] != "0"):
        raise argparse.ArgumentTypeError(f"not a four-digit year: {text!r}")
    return int(text)


# paperset.Sort's values, written out so that building the parser need not import the paper
# set (and dataclasses with it); a test checks the two agree.
SORT_NAMES = ("relevance", "newest", "oldest", "title", "starred", "upvotes")
SORT_HELP = (
    "order: newest (the default without a query, or with one of filters alone such as "
    "author:NAME), oldest, title, relevance (the default with a query of words), starred "
    "(recently starred first) or upvotes (most upvoted on Hugging Face first)"
)
