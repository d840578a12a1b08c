"""The directory of an index file of ours (impact lists, pair postings), left on disk.

Each directory is a sorted table of words (their bytes one after the other, and where each
starts) and, per word, a few numbers in columns (where its list is, how long it is...).
Held in memory, the directories of a million papers' 17 segments took 49 MB of the
reader's ~380, for the handful of words a search looks up. Here only every `STRIDE`-th
word is kept (a fence): a word is found by bisecting the fences, then reading its group's
starts and bytes from the file, and a number is read when asked. A lookup costs a few
small reads of blocks the page cache holds (`checksums`: each verified once).
"""

from __future__ import annotations

import struct
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence

from paperdeck.core.search import packed

STRIDE = 64  # words a fence stands for

Read = Callable[[int, int], bytes]  # (offset in the file, size) -> the bytes there


class WordTable:
    """A directory's words and columns: the words' bytes (``blob`` of them) at ``at`` in the
    file, then their starts (uint32, one more than ``count``), then each column of
    ``columns`` (name, array type code, numbers per word). Only the words and their starts
    are read here (a third of the directory); ``end``: where the columns end in the file."""

    def __init__(
        self,
        read: Read,
        at: int,
        count: int,
        blob: int,
        columns: Sequence[tuple[str, str, int]],
    ) -> None:
        self._read = read
        self.count = count
        self._words_at, self._starts_at = at, at + blob
        starts = self._take(self._starts_at, "I", count + 1)
        if starts[0] != 0 or starts[-1] != blob:
            raise ValueError("the directory's words do not add up")
        words = read(at, blob)
        if len(words) != blob:
            raise ValueError("the directory ends early")
        self._fences = [words[starts[n] : starts[n + 1]] for n in range(0, count, STRIDE)]
        position = self._starts_at + 4 * (count + 1)
        self._columns: dict[str, tuple[int, struct.Struct]] = {}
        for name, code, per in columns:
            shape = struct.Struct(f"<{per}{code}")
            self._columns[name] = (position, shape)
            position += shape.size * count
        self.end = position

    def find(self, btext: bytes, lo: int = 0, hi: int | None = None) -> int:
        """The word's number, or -1; among the words ``lo`` to ``hi`` only (sorted among
        themselves: a pair file's table is sorted field by field)."""
        hi = self.count if hi is None else hi
        if lo >= hi:
            return -1
        first, last = lo // STRIDE, (hi - 1) // STRIDE
        group = max(first, bisect_right(self._fences, btext, first + 1, last + 1) - 1)
        start, stop = max(lo, group * STRIDE), min(hi, (group + 1) * STRIDE)
        starts = self._take(self._starts_at + 4 * start, "I", stop - start + 1)
        data = self._read(self._words_at + starts[0], starts[-1] - starts[0])
        if len(data) != starts[-1] - starts[0]:
            raise ValueError("the directory ends early")
        base = starts[0]
        words = [data[a - base : b - base] for a, b in zip(starts, starts[1:], strict=False)]
        n = bisect_left(words, btext)
        return start + n if n < len(words) and words[n] == btext else -1

    def value(self, column: str, n: int) -> tuple[int | float, ...]:
        """The word's numbers in ``column``."""
        at, shape = self._columns[column]
        data = self._read(at + shape.size * n, shape.size)
        if len(data) != shape.size:
            raise ValueError("the directory ends early")
        return shape.unpack(data)

    def _take(self, at: int, code: str, count: int) -> array[int]:
        size = array(code).itemsize * count
        data = self._read(at, size)
        if len(data) != size:
            raise ValueError("the directory ends early")
        return packed.take(data, 0, code, count)[0]
