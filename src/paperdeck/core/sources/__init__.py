"""Input formats, registered in one place. Each module offers the `Source` interface."""

from __future__ import annotations

import codecs
from datetime import date
from pathlib import Path

from paperdeck.core.sources import atom, bibtex, daily, jsonl, listing
from paperdeck.core.sources.base import (
    ParseContext,
    ParseError,
    ParseResult,
    ParseWarning,
    Source,
)

# Order matters for sniffing: the most distinctive shapes first, the loosest (daily) last.
SOURCES: tuple[Source, ...] = (
    jsonl.SOURCE,
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
    "ParseWarning",
    "decode",
    "detect",
    "parse_file",
    "parse_text",
]


def decode(data: bytes, path: str) -> str:
    """Bytes to text: BOMs honoured, UTF-8 preferred, Latin-1 as the last resort."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise ParseError(path, _line_of(data, exc.start), f"not valid {encoding}") from None
    if b"\x00" in data[:4096]:
        raise ParseError(path, _line_of(data, data.index(b"\x00")), "binary file, not a listing")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def detect(text: str, path: str = "") -> Source:
    """The source for ``text``: by file extension when it is telling, else by sniffing."""
    suffix = Path(path).suffix.lower()
    for source in SOURCES:
        if suffix in source.extensions and source.sniff(text):
            return source
    for source in SOURCES:
        if source.sniff(text):
            return source
    if not text.strip():
        raise ParseError(path or "<text>", 1, "the file is empty")
    raise ParseError(path or "<text>", 1, "unrecognised format (use --format to name it)")


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
        # A record that names its own sources (our JSON export) keeps them, so an export
        # imports back unchanged; every other record is from this file.
        if not paper.sources:
            paper.sources.append(path)
    return result


def parse_file(
    path: Path | str,
    *,
    format: str | None = None,
    today: date | None = None,
    year: int | None = None,
) -> ParseResult:
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ParseError(name, 0, exc.strerror or str(exc)) from None
    return parse_text(decode(data, name), name, format=format, today=today, year=year)
