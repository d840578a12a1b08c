"""Importing files into a library: each file parsed as it is added, in one transaction."""

from __future__ import annotations

import os
import re
import sqlite3
import stat
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from paperdeck.core.field_limits import capped
from paperdeck.core.models import Paper
from paperdeck.core.sources import ParseError, ParseWarning, parse_lines, read_lines, split_lines
from paperdeck.core.sources.reading import Lines
from paperdeck.core.store import ImportCounts, Library


@dataclass(slots=True)
class FileReport:
    """What one file's import did; `error` set means nothing from the file was added."""

    path: str
    format: str = ""
    added: int = 0
    merged: int = 0
    unchanged: int = 0
    held: int = 0  # left out: papers the user removed (in the trash)
    revised: int = 0  # arXiv replacements that updated a paper the library holds
    not_held: int = 0  # replacements of papers the library does not hold: not added
    warnings: list[ParseWarning] = field(default_factory=list)
    error: ParseError | None = None
    cut: list[ParseWarning] = field(default_factory=list)  # entries kept with fields cut
    ids: list[str] = field(default_factory=list)  # every paper added or merged
    new_ids: list[str] = field(default_factory=list)  # the papers added

    @property
    def skipped(self) -> int:
        return len(self.warnings)

    @property
    def kept(self) -> str:
        """After an error part-way: what the batches committed before it hold."""
        return (
            f"{self.path}: kept from before the error: {self.added} added, {self.merged} merged,"
            f" {self.unchanged} unchanged; import it again to complete it"
        )

    @property
    def summary(self) -> str:
        if self.error:
            return f"{self.error}"
        held = f", {self.held} left in the trash" if self.held else ""
        revised = (
            f"; {self.revised} revised, {self.not_held} replacements not in the library"
            if self.revised or self.not_held
            else ""
        )
        return (
            f"{self.path}: {self.format}: {self.added} added, {self.merged} merged, "
            f"{self.unchanged} unchanged, {self.skipped} skipped{held}"
            + (f", {len(self.cut)} cut to size" if self.cut else "")
            + revised
        )

    def to_json(self) -> dict[str, Any]:
        """The report as `import --json` prints it (one object per file); the counts that
        `fetch --json` reports too are named alike."""
        return {
            "file": self.path,
            "format": self.format,
            "ok": self.error is None,
            "error": _problem(self.error) if self.error is not None else None,
            "added": self.added,
            "updated": self.merged,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "left_in_trash": self.held,
            "revised": self.revised,
            "replacements_not_in_library": self.not_held,
            "new_ids": list(self.new_ids),
            "warnings": [_problem(warning) for warning in self.warnings],
            "cut_to_size": [_problem(warning) for warning in self.cut],
        }


def _problem(found: ParseError | ParseWarning) -> dict[str, Any]:
    return {"file": found.path, "line": found.line or None, "message": found.message}


def import_file(
    library: Library,
    path: Path | str,
    *,
    format: str | None = None,
    year: int | None = None,
    today: date | None = None,
    text: str | None = None,
    stream: BinaryIO | None = None,
    limit: int | None = None,
    limit_hint: str = "",
    progress: Progress | None = None,
    now: datetime | None = None,
) -> FileReport:
    """Import one file, in batches (`Library.add_papers`).

    A file that cannot be read or parsed from the start adds nothing. JSON Lines are parsed
    as they are added, so a big file is never held whole; an error part-way keeps the whole
    batches written before it, and the report's counts say what they hold (importing the
    fixed file again completes it). A library that cannot be written (a full disk) is an
    error too, with the same counts. ``progress`` hears ("importing NAME (MB)", MB read, MB
    in all) as the file is read.

    The input is opened once (a FIFO or ``<(command)`` works); ``stream`` is read instead
    of opening ``path`` (standard input), at most ``limit`` bytes of it (see `LineReader`).
    Papers list ``path`` as their source, unless it names no file of the user's (standard
    input, the ``/dev/fd/63`` of ``<(command)``): that name says nothing and the next pipe
    has it too, so those papers list a name of their own (`stream_source`, with the import
    time ``now``), unless it is the same input as an earlier pipe (`_same_stream`).
    """
    name = str(path)
    report = FileReport(name)
    lines: Iterator[str]
    try:
        if text is None:
            lines = read_lines(path, name, stream=stream, limit=limit, limit_hint=limit_hint)
            size = None if stream is not None else _regular_size(path)
        else:
            size, lines = len(text), split_lines(text)
    except ParseError as exc:
        report.error = exc
        return report
    if progress is not None:
        lines = _reported(lines, f"importing {name} (MB)", size or 0, progress)
    cut: list[ParseWarning] = []  # fields too big for the library (`field_limits`)
    counts = ImportCounts()  # filled batch by batch: what was kept, even after an error
    with closing(lines):
        try:
            parsed = parse_lines(lines, name, format=format, today=today, year=year)
            report.format = parsed.format
            papers: Iterator[Paper] = parsed.papers
            revisions: Iterator[Paper] = iter(parsed.revisions)
            source = None
            if text is None and _unnamed(path, stream):
                when = now or datetime.now()
                source = stream_source(parsed.format, when, library.source_names())
                papers = _listed_as(papers, name, source)
                revisions = _listed_as(revisions, name, source)
            library.add_papers(
                capped(papers, name, cut),
                counts,
                # Read once the papers are: a replacement revises a paper, never adds one.
                revisions=capped(revisions, name, cut),
            )
            if source is not None:
                _same_stream(library, source, parsed.format, counts)
        except ParseError as exc:
            report.error = exc
        except (sqlite3.Error, OSError) as exc:  # the disk is full, the library read-only
            report.error = ParseError(name, 0, f"the library could not be written: {exc}")
    if report.error is None:
        report.warnings, report.cut = parsed.warnings, cut
    report.added, report.merged, report.unchanged = counts.added, counts.merged, counts.unchanged
    report.held = counts.held
    report.revised, report.not_held = counts.revised, counts.not_held
    report.ids, report.new_ids = counts.ids, counts.new_ids
    return report


_STREAM_TIME = r" [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}(?: \([0-9]+\))?"


def stream_source(format: str, when: datetime, taken: Collection[str]) -> str:
    """The source that papers read from a pipe or standard input list: their format and
    the import time, as "bibtex 2026-12-05 07:52"; another import of the same minute is
    "... (2)", so that each can be told apart and removed alone (`remove --source`)."""
    base = f"{format} {when:%Y-%m-%d %H:%M}"  # as `_STREAM_TIME` reads it
    name, number = base, 1
    while name in taken:
        number += 1
        name = f"{base} ({number})"
    return name


def _same_stream(library: Library, source: str, format: str, counts: ImportCounts) -> None:
    """The rule that keeps a pipe read again from adding a source each time: input whose
    papers are exactly the papers an earlier pipe of its format lists is that input again.
    Its papers list that pipe's name, not ``source``, and those it changed only by listing
    ``source`` count as unchanged. Input with a paper more or one less is other input, and
    keeps its name; a file's papers are never taken for a pipe's (a file keeps its path)."""
    pattern = re.compile(re.escape(format) + _STREAM_TIME)
    kept = library.fold_repeated_source(source, lambda other: bool(pattern.fullmatch(other)))
    if kept != source:
        relisted = counts.relisted.pop(source, 0)
        counts.merged -= relisted
        counts.unchanged += relisted


def _unnamed(path: Path | str, stream: BinaryIO | None) -> bool:
    """True for standard input, and for a pipe or device the system named (/dev/fd/63,
    /proc/self/fd/63, /dev/stdin); a FIFO the user made and named keeps its name."""
    if stream is not None:
        return True
    if _regular_size(path) is not None:
        return False
    parts = Path(os.path.abspath(path)).parts
    return len(parts) > 1 and parts[1] in ("dev", "proc")


def _listed_as(papers: Iterable[Paper], name: str, source: str) -> Iterator[Paper]:
    """``papers``, those that list only the file ``name`` as their source listing ``source``
    instead (a record that names its own sources, as our JSON export does, keeps them)."""
    for paper in papers:
        if paper.sources == [name]:
            paper.sources = [source]
        yield paper


Progress = Callable[[str, int, int], None]  # (what, done, total)
_EVERY = 1 << 20  # characters between reports


def _reported(lines: Iterator[str], label: str, size: int, progress: Progress) -> Lines:
    """``lines``, telling ``progress`` how much of ``size`` (characters, which is bytes for
    ASCII text: close enough for a progress bar) was read, once a megabyte or so."""
    total = max(1, round(size / 1e6))
    read = reported = 0
    try:
        for line in lines:
            read += len(line)
            if read - reported >= _EVERY:
                reported = read
                progress(label, min(round(read / 1e6), total), total)
            yield line
    finally:
        close = getattr(lines, "close", None)
        if close is not None:
            close()
    progress(label, total, total)


def _regular_size(path: Path | str) -> int | None:
    """A regular file's size; a FIFO or ``<(command)`` has none until it is read."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None
