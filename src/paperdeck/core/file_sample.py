"""Papers read at places spread over big files before they are imported.

An index built beside an import (`search.following_build`) must choose its word-pair fields
from papers spread over the whole input before the import stores the first one (the arXiv
snapshot is in id order: its first papers are from 2007, and their collocations are not
today's), and size its slices by the papers to come. A file read a line at a time (JSON
Lines, the snapshot) can be sampled by seeking; any other is not sampled.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from paperdeck.core.models import Paper

HEAD_BYTES = 1 << 16  # enough of the start to find its first line with content
MAX_LINE = 1 << 20  # a longer line is not one paper of JSON Lines: the file is not sampled


@dataclass(frozen=True, slots=True)
class FileSample:
    """Papers from lines spread over the files, and how many the files hold by the mean
    size of the lines read and the share of them that were papers."""

    papers: list[Paper]
    expected: int


def sample_files(
    paths: Sequence[str], count: int, *, format_name: str | None = None
) -> FileSample | None:
    """``count`` lines in all, each file's share by its size (`sample_file`); None when
    any file cannot be sampled."""
    sizes = [file_size(path) for path in paths]
    total = sum(sizes)
    if not paths or not total:
        return None
    papers: list[Paper] = []
    expected = 0
    for path, size in zip(paths, sizes, strict=True):
        sample = sample_file(path, max(1, count * size // total), format_name=format_name)
        if sample is None:
            return None
        papers += sample.papers
        expected += sample.expected
    return FileSample(papers, expected)


def sample_file(
    path: Path | str, count: int, *, format_name: str | None = None
) -> FileSample | None:
    """Up to ``count`` papers from lines spread evenly over ``path``; None when it is not a
    regular file read a line at a time, or its lines are not papers (the import then says
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
            source = by_name(format_name) if format_name else line_source(first, str(path))
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
    if len(papers) * 2 < len(lines):  # a pretty-printed file's lines are not papers
        return None
    mean = sum(len(line.encode()) for line in lines) / len(lines)
    return FileSample(papers, max(1, round(info.st_size / mean * len(papers) / len(lines))))


def _spread_lines(binary: BinaryIO, size: int, count: int) -> list[str]:
    """The whole line after each of ``count`` offsets spread over the file (the first from
    its start), each once; none when a line is longer than `MAX_LINE`."""
    lines: list[str] = []
    last_end = -1
    for i in range(count):
        binary.seek(size * i // count)
        if i and not _whole(binary.readline(MAX_LINE), binary):  # the line the offset cut
            return []
        if binary.tell() < last_end:
            continue  # the line after this offset was read already
        line = binary.readline(MAX_LINE)
        if not _whole(line, binary):
            return []
        last_end = binary.tell()
        text = line.decode("utf-8", "replace")
        if text.strip("\ufeff \t\r\n"):
            lines.append(text if text.endswith("\n") else text + "\n")
    return lines


def _whole(line: bytes, binary: BinaryIO) -> bool:
    """Whether ``line`` was read to its end (its newline, or the end of the file)."""
    if len(line) < MAX_LINE or line.endswith(b"\n"):
        return True
    return not binary.read(1)


def file_size(path: str) -> int:
    """Its size in bytes; 0 when it cannot be read (the import then says why)."""
    try:
        return os.stat(path).st_size
    except OSError:
        return 0
