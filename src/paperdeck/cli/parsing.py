"""Building blocks for the argument parsers that every command module shares."""

from __future__ import annotations

import argparse
import textwrap
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


class HelpFormatter(argparse.HelpFormatter):
    """Wraps prose paragraphs to the terminal; keeps indented blocks (examples) as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
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


SORT_HELP = (
    "order: newest, oldest, title, relevance (the default with a query) or starred "
    "(recently starred first)"
)
