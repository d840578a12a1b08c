"""A segment's documents that are only matched, never scored (a NOT, a filter), one byte a
document.

A query is built for every segment before any is read (`threshold`), so what it excludes
was held for all segments at once: as sets of ints, `policy -reward` at a million papers
held 49 MB of them at the reader's peak. Marked in a byte each, a segment of 60,000 papers
takes 60 KB, and looking a document up is an index into bytes.
"""

from __future__ import annotations

from collections.abc import Iterable


class DocMarks:
    """Which of a segment's ``size`` documents are among ``docs`` (``marks[d]`` is 1)."""

    __slots__ = ("marks", "count")

    def __init__(self, size: int, docs: Iterable[int]) -> None:
        marks = bytearray(size)
        for docnum in docs:  # (faster than `map` over `marks.__setitem__`)
            marks[docnum] = 1
        self.marks = marks  # indexed by the segment's docnums: all are below ``size``
        self.count = marks.count(1)

    def __len__(self) -> int:
        return self.count

    def __contains__(self, docnum: object) -> bool:
        return (
            isinstance(docnum, int) and 0 <= docnum < len(self.marks) and bool(self.marks[docnum])
        )

    def kept(self, docs: Iterable[int]) -> set[int]:
        """Those of ``docs`` marked."""
        marks = self.marks
        return {d for d in docs if marks[d]}

    def left(self, docs: Iterable[int]) -> set[int]:
        """Those of ``docs`` not marked."""
        marks = self.marks
        return {d for d in docs if not marks[d]}
