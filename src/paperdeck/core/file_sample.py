"""Papers read at places spread over a big file before it is imported.

An index built beside an import (`search.following_build`) must choose its word-pair fields
from papers spread over the whole input before the import stores the first one (the arXiv
snapshot is in id order: its first papers are from 2007, and their collocations are not
today's), and size its slices by the papers to come. A file read a line at a time (JSON
Lines, the snapshot) can be sampled by seeking; any other is not sampled.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from paperdeck.core.models import Paper

HEAD_BYTES = 1 << 16  # enough of the start to find its first line with content


@dataclass(frozen=True, slots=True)
class FileSample:
    papers: list[Paper]
    expected: int  # papers the file holds, by the mean size of the lines read


def sample_file(path: Path | str, count: int, *, format: str | None = None) -> FileSample | None:
    """Up to ``count`` papers from lines spread evenly over ``path``; None when it is not a
    regular file read a line at a time, or its lines cannot be read (the import then says
    why: this is only a head start)."""
    from paperdeck.core.sources import ParseError, by_name, line_source, parse_lines
    from paperdeck.core.sources.base import LineSource

    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or not info.st_size or count < 1:
            return None
        with open(path, "rb") as stream:
            head = stream.read(HEAD_BYTES).decode("utf-8", "replace")
            first = next((line for line in head.splitlines() if line.strip("\ufeff \t\r")), "")
            source = by_name(format) if format else line_source(first, str(path))
            if not isinstance(source, LineSource):
                return None
            lines = _spread_lines(stream, info.st_size, count)
    except (OSError, ParseError):
        return None
    if not lines:
        return None
    try:
        papers = list(parse_lines(lines, str(path), format=source.name).papers)
    except ParseError:
        return None
    mean = sum(len(line.encode()) for line in lines) / len(lines)
    return FileSample(papers, max(1, round(info.st_size / mean)))


def _spread_lines(binary: BinaryIO, size: int, count: int) -> list[str]:
    """The whole line after each of ``count`` offsets spread over the file (the first from
    its start), each once."""
    lines: list[str] = []
    last_end = -1
    for i in range(count):
        binary.seek(size * i // count)
        if i:
            binary.readline()  # the rest of the line the offset fell in
        if binary.tell() < last_end:
            continue  # the line after this offset was read already
        line = binary.readline()
        last_end = binary.tell()
        text = line.decode("utf-8", "replace")
        if text.strip("\ufeff \t\r\n"):
            lines.append(text if text.endswith("\n") else text + "\n")
    return lines
