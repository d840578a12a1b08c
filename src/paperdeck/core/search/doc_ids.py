"""Paper ids by Whoosh document number, decoded only when asked for.

A search ends by turning document numbers into paper ids. Decoding every id of the index
when it is opened cost a CLI search 40-60 ms at 100,000 papers (ten times that at a
million) to print 50 of them. Each segment's id column is kept as the bytes read in one
go, and an id is decoded where it is asked for; a request for many (a complete list of
hits) decodes the index's ids once and keeps them, which is what the reader needs (it has
them decoded as soon as the index is open, `flat`: before its first search with many hits).
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections.abc import Callable, Sequence
from itertools import accumulate

from whoosh.reading import IndexReader

from paperdeck.core.search.whoosh_private import column_parts

# A request for at least 1/MANY_SHARE of the index decodes all of it (kept for the next).
MANY_SHARE = 16


class SegmentIds:
    """One segment's ids: its column's bytes, where each document's id starts in them
    and how long it is (the arrays Whoosh's column reader made).

    Read by searches while the reader decodes every id in the background (`DocIds.flat`),
    and shared by the searchers of one index: the bytes and the decoded list are each one
    attribute, read once per call, and the list is set before the bytes are let go."""

    __slots__ = ("_raw", "_decode", "_utf8", "_decoded")

    def __init__(
        self,
        data: bytes,
        starts: Sequence[int],
        lengths: Sequence[int],
        decode: Callable[[bytes], str] | None = None,
    ) -> None:
        """``decode``: the field's own decoding of a value; None: UTF-8 text."""
        if len(starts) != len(lengths):
            raise ValueError("the id column is damaged")
        self._raw: tuple[bytes, Sequence[int], Sequence[int]] | None = (data, starts, lengths)
        self._decode = decode or bytes.decode
        self._utf8 = decode is None
        self._decoded: list[str] | None = None

    @classmethod
    def of(cls, ids: list[str]) -> SegmentIds:
        """Ids already decoded (Whoosh's public way)."""
        segment = cls(b"", (), (), str)
        segment._decoded, segment._raw = ids, None
        return segment

    def __len__(self) -> int:
        raw = self._raw
        if raw is None:
            return len(self._decoded or ())
        return len(raw[2])

    def __getitem__(self, docnum: int) -> str:
        raw = self._raw
        if raw is None:
            assert self._decoded is not None  # set before the bytes are let go
            return self._decoded[docnum]
        data, starts, lengths = raw
        start = starts[docnum]
        return self._decode(data[start : start + lengths[docnum]])

    def decoded(self) -> list[str]:
        """Every id, decoded once; the bytes are then let go."""
        raw = self._raw
        if raw is None:
            assert self._decoded is not None
            return self._decoded
        data, starts, lengths = raw
        pairs = zip(starts, lengths, strict=True)
        text = data.decode() if self._utf8 else ""
        if len(text) == len(data):  # ASCII (ids are): slices of one string, 4x faster
            ids = [text[start : start + length] for start, length in pairs]
        else:
            decode = self._decode
            ids = [decode(data[start : start + length]) for start, length in pairs]
        if self._raw is not None:  # another thread may have decoded it meanwhile
            self._decoded = ids
            self._raw = None  # after the list is in place: see `__getitem__`
        assert self._decoded is not None
        return self._decoded


class DocIds:
    """docnum -> paper id over the segments of one searcher, in their order."""

    def __init__(self, segments: Sequence[SegmentIds] = ()) -> None:
        self._segments = list(segments)
        self._bases = list(accumulate((len(s) for s in self._segments), initial=0))
        self._flat: list[str] | None = None
        self._flattening = threading.Lock()  # one thread decodes; another waits for it

    def __len__(self) -> int:
        return self._bases[-1]

    def __getitem__(self, docnum: int) -> str:
        if self._flat is not None:
            return self._flat[docnum]
        if not 0 <= docnum < len(self):
            raise IndexError(docnum)
        at = bisect_right(self._bases, docnum) - 1
        return self._segments[at][docnum - self._bases[at]]

    def many(self, docnums: Sequence[int]) -> list[str]:
        """The ids of ``docnums``, in their order."""
        if self._flat is not None or len(docnums) * MANY_SHARE >= len(self):
            flat = self.flat()
            return [flat[docnum] for docnum in docnums]
        return [self[docnum] for docnum in docnums]

    def flat(self) -> list[str]:
        """Every id, by docnum: decoded once (14 ms at 100,000 papers) and kept."""
        if self._flat is None:
            with self._flattening:
                if self._flat is None:
                    self._flat = [i for segment in self._segments for i in segment.decoded()]
        return self._flat


def segment_ids(reader: IndexReader) -> SegmentIds:
    """A segment's id column, read in one go where Whoosh allows it."""
    parts = column_parts(reader, "id")
    if parts is None:
        return SegmentIds.of(list(reader.column_reader("id")))
    return SegmentIds(*parts)
