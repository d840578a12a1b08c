"""What every source format provides, and the errors and warnings a parse reports."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol, runtime_checkable

from paperdeck.core.models import Paper


class ParseError(Exception):
    """A file that cannot be read or parsed at all. str() is one line naming file and line."""

    def __init__(self, path: str, line: int, message: str) -> None:
        # Line 0: the file as a whole (it could not be opened), so no line is named.
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")
        self.path = path
        self.line = line
        self.message = message


@dataclass(frozen=True, slots=True)
class ParseWarning:
    """One entry skipped; the rest of the file still imports."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(slots=True)
class ParseResult:
    papers: list[Paper] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    # Newer versions of papers (arXiv's replacements): each revises the paper a library
    # holds, and is never added as a new one (`Library.add_papers`).
    revisions: list[Paper] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ParseContext:
    """What a parser may need beyond the text: where it came from and when it was imported."""

    path: str
    today: date
    year: int | None = None  # --year: the year of a listing date that has none

    @classmethod
    def for_file(
        cls, path: Path | str, *, today: date | None = None, year: int | None = None
    ) -> ParseContext:
        return cls(str(path), today or date.today(), year)

    def warn(self, line: int, message: str) -> ParseWarning:
        return ParseWarning(self.path, line, message)

    def error(self, line: int, message: str) -> ParseError:
        return ParseError(self.path, line, message)


class Source(Protocol):
    """One input format. `sniff` must be cheap; `parse` raises only ParseError."""

    name: str
    extensions: tuple[str, ...]

    def sniff(self, text: str) -> bool: ...

    def parse(self, text: str, context: ParseContext) -> ParseResult: ...


@runtime_checkable
class LineSource(Source, Protocol):
    """A source that can also parse a file a line at a time, so a big file is never held.

    `iter_parse` yields the papers `parse` returns, in order, and once they are all consumed
    ``warnings`` holds the warnings `parse` reports. Its `sniff` must decide from the first
    character of content, so a file's format is known before the rest is read.
    """

    def iter_parse(
        self, lines: Iterable[str], context: ParseContext, warnings: list[ParseWarning]
    ) -> Iterator[Paper]: ...
