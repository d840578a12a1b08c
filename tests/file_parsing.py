"""A file parsed as `paperdeck import` reads it, for the parser tests.

The product never parses a file whole from its path: `import_file` streams its lines
(`read_lines`, which settles the encoding) into `parse_lines`. The tests read fixtures and
hostile files through that same path, gathered into one `ParseResult`.
"""

from __future__ import annotations

from contextlib import closing
from datetime import date
from pathlib import Path

from paperdeck.core.sources import ParseResult, parse_lines, read_lines


def parse_as_imported(
    path: Path | str,
    *,
    format: str | None = None,
    today: date | None = None,
    year: int | None = None,
) -> ParseResult:
    name = str(path)
    with closing(read_lines(path, name)) as lines:
        stream = parse_lines(lines, name, format=format, today=today, year=year)
        papers = list(stream.papers)
    return ParseResult(papers=papers, warnings=stream.warnings, revisions=stream.revisions)
