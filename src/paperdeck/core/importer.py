"""Importing files into a library: parse each file, then add it in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from paperdeck.core.sources import ParseError, ParseWarning, detect, parse_text
from paperdeck.core.sources import decode as decode_bytes
from paperdeck.core.store import Library


@dataclass(slots=True)
class FileReport:
    """What one file's import did; `error` set means nothing from the file was added."""

    path: str
    format: str = ""
    added: int = 0
    merged: int = 0
    unchanged: int = 0
    warnings: list[ParseWarning] = field(default_factory=list)
    error: ParseError | None = None
    ids: list[str] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return len(self.warnings)

    @property
    def summary(self) -> str:
        if self.error:
            return f"{self.error}"
        return (
            f"{self.path}: {self.format}: {self.added} added, {self.merged} merged, "
            f"{self.unchanged} unchanged, {self.skipped} skipped"
        )


def import_file(
    library: Library,
    path: Path | str,
    *,
    format: str | None = None,
    year: int | None = None,
    today: date | None = None,
    text: str | None = None,
) -> FileReport:
    """Import one file. A file that fails to parse adds nothing; the library is untouched."""
    name = str(path)
    report = FileReport(name)
    try:
        if text is None:
            try:
                data = Path(path).read_bytes()
            except OSError as exc:
                raise ParseError(name, 0, exc.strerror or str(exc)) from None
            text = decode_bytes(data, name)
        report.format = format or detect(text, name).name
        result = parse_text(text, name, format=report.format, today=today, year=year)
    except ParseError as exc:
        report.error = exc
        return report
    report.warnings = result.warnings
    counts = library.add_papers(result.papers)
    report.added, report.merged, report.unchanged = counts.added, counts.merged, counts.unchanged
    report.ids = counts.ids
    return report


def import_files(
    library: Library,
    paths: Iterable[Path | str],
    *,
    format: str | None = None,
    year: int | None = None,
    today: date | None = None,
) -> list[FileReport]:
    """Import each file on its own: one bad file does not stop the others."""
    return [import_file(library, path, format=format, year=year, today=today) for path in paths]
