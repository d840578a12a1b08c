"""Input formats, registered in one place. Each module offers the `Source` interface."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from pathlib import Path

from paperdeck.core.models import Paper
from paperdeck.core.sources import announcements, atom, bibtex, daily, jsonl, listing
from paperdeck.core.sources.base import (
    LineSource,
    ParseContext,
    ParseError,
    ParseResult,
    ParseWarning,
    Source,
)
from paperdeck.core.sources.reading import decode, read_lines, split_lines

# Order matters for sniffing: the most distinctive shapes first, the loosest (daily) last.
SOURCES: tuple[Source, ...] = (
    jsonl.SOURCE,
    announcements.SOURCE,
    atom.SOURCE,
    bibtex.SOURCE,
    listing.SOURCE,
    daily.SOURCE,
)
FORMAT_NAMES = tuple(source.name for source in SOURCES)

__all__ = [
    "FORMAT_NAMES",
    "SOURCES",
    "ParseContext",
    "ParseError",
    "ParseResult",
    "ParseStream",
    "ParseWarning",
    "decode",
    "detect",
    "parse_lines",
    "parse_text",
    "read_lines",
    "split_lines",
]


def detect(text: str, path: str = "") -> Source:
    """The source for ``text``: by file extension when it is telling, else by sniffing."""
    suffix = Path(path).suffix.lower()
    for source in SOURCES:
        if suffix in source.extensions and _sniffs(source, text):
            return source
    for source in SOURCES:
        if _sniffs(source, text):
            return source
    if not text.strip():
        raise ParseError(path or "<text>", 1, "the file is empty")
    raise ParseError(path or "<text>", 1, "unrecognised format (use --format to name it)")


def _sniffs(source: Source, text: str) -> bool:
    """``source.sniff(text)``; a sniffer that fails on odd text (a bug) says "not mine"
    rather than end the import in a traceback: the file is then read by another format, or
    refused in one line."""
    try:
        return source.sniff(text)
    except Exception:
        return False


def by_name(name: str) -> Source:
    for source in SOURCES:
        if source.name == name:
            return source
    raise ValueError(f"unknown format {name!r}; choose from {', '.join(FORMAT_NAMES)}")


def parse_text(
    text: str,
    path: str = "<text>",
    *,
    format: str | None = None,
    today: date | None = None,
    year: int | None = None,
) -> ParseResult:
    """Parse ``text``; raises ParseError only. Papers carry ``path`` in their sources."""
    source = by_name(format) if format else detect(text, path)
    context = ParseContext.for_file(path, today=today, year=year)
    try:
        result = source.parse(text, context)
    except ParseError:
        raise
    except Exception as exc:  # a parser bug must not escape as anything but a ParseError
        raise ParseError(path, 1, f"could not parse as {source.name}: {exc}") from exc
    for paper in result.papers:
        _from_file(paper, path)
    return result


def _from_file(paper: Paper, path: str) -> Paper:
    """A record that names its own sources (our JSON export) keeps them, so an export
    imports back unchanged; every other record is from this file."""
    if not paper.sources:
        paper.sources.append(path)
    return paper


@dataclass(slots=True)
class ParseStream:
    """A file's papers, parsed as they are consumed: a big file is never held whole.

    ``warnings`` and ``revisions`` are complete once ``papers`` is exhausted. Consuming
    ``papers`` raises ParseError only; a file that fails part-way must be dropped by whoever
    consumed it.
    """

    format: str
    papers: Iterator[Paper]
    warnings: list[ParseWarning] = field(default_factory=list)
    revisions: list[Paper] = field(default_factory=list)


def parse_lines(
    lines: Iterable[str],
    path: str = "<text>",
    *,
    format: str | None = None,
    today: date | None = None,
    year: int | None = None,
) -> ParseStream:
    """Parse a file given as its lines (each with its "\\n": `read_lines`, `split_lines`).

    A format that can be read a line at a time (JSON Lines) is; any other is joined and
    parsed by `parse_text`, so either way the papers and warnings are those of `parse_text`.
    Raises ParseError when the format cannot be told.
    """
    lines = iter(lines)
    head: list[str] = []  # up to the first line with content: enough to sniff a line source
    for line in lines:
        head.append(line)
        if line.strip("\ufeff \t\r\n"):
            break
    source = by_name(format) if format else line_source("".join(head), path)
    if isinstance(source, LineSource):
        stream = ParseStream(source.name, iter(()))
        context = ParseContext.for_file(path, today=today, year=year)
        stream.papers = _parsed(source, chain(head, lines), context, stream.warnings)
        return stream
    text = "".join(chain(head, lines))
    source = source or detect(text, path)
    stream = ParseStream(source.name, iter(()))
    stream.papers = _parsed_whole(text, path, source, today, year, stream)
    return stream


def line_source(head: str, path: str) -> Source | None:
    """What `detect` picks when the first line with content settles it; None when it may not.

    It does when the first source in sniffing order reads lines and claims the text (JSON:
    its sniff looks no further than the first character of content), and no other source
    claims the file's extension.
    """
    source = SOURCES[0]
    suffix = Path(path).suffix.lower()
    if any(suffix in other.extensions for other in SOURCES[1:]):
        return None
    return source if isinstance(source, LineSource) and source.sniff(head) else None


def _parsed_whole(
    text: str,
    path: str,
    source: Source,
    today: date | None,
    year: int | None,
    stream: ParseStream,
) -> Iterator[Paper]:
    result = parse_text(text, path, format=source.name, today=today, year=year)
    stream.warnings.extend(result.warnings)
    stream.revisions.extend(result.revisions)
    yield from result.papers


def _parsed(
    source: LineSource, lines: Iterable[str], context: ParseContext, warnings: list[ParseWarning]
) -> Iterator[Paper]:
    try:
        for paper in source.iter_parse(lines, context, warnings):
            yield _from_file(paper, context.path)
    except ParseError:
        raise
    except Exception as exc:  # a parser bug must not escape as anything but a ParseError
        raise ParseError(context.path, 1, f"could not parse as {source.name}: {exc}") from exc
