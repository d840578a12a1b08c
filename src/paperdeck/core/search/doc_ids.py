"""Paper ids by Whoosh document number, decoded only when asked for.

A search ends by turning document numbers into paper ids. Decoding every id of the index
when it is opened cost a CLI search 40-60 ms at 100,000 papers (ten times that at a
million) to print 50 of them. Each segment's id column is kept as the bytes read in one
go, and an id is decoded where it is asked for; a request for many (a complete list of
hits) decodes the index's ids once and keeps them, which is what the reader needs (it has
them decoded as soon as the index is open, `flat`: before its first search with many hits).
They are kept joined in one string (`IdRun`), and many hits are handed on as their document
numbers (`PickedIds`): a million ids as strings held 74 MB of the reader's memory.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from itertools import accumulate, count

from whoosh.reading import IndexReader

from paperdeck.core.search.whoosh_private import column_parts
from paperdeck.core.store.id_run import IdRun, PickedIds, RunPart

# A request for at least 1/MANY_SHARE of the index decodes all of it (kept for the next).
MANY_SHARE = 16
PICKED_FROM = 1024  # ids asked for at once that come back as a `PickedIds`, not a list
PIECE = 1 << 13  # ids decoded at a time (their starts found in one call: ~1 ms)
_SERIALS = count()


class SegmentIds:
    """One segment's ids: its column's bytes, where each document's id starts in them
    and how long it is (the arrays Whoosh's column reader made), until decoded.

    Read by searches while the reader decodes every id in the background (`DocIds.flat`),
    and shared by the searchers of one index: the bytes and the decoded ids are each one
    attribute, read once per call, and the ids are set before the bytes are let go."""

    __slots__ = ("_raw", "_decode", "_utf8", "_decoded", "_read_from")

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
        self._decoded: Sequence[str] | None = None
        self._read_from = -1  # the serial of the `DocIds` whose joined run it reads, if any

    @classmethod
    def of(cls, ids: list[str]) -> SegmentIds:
        """Ids already decoded (Whoosh's public way)."""
        segment = cls(b"", (), (), str)
        run = IdRun.of_pieces([ids])
        segment._decoded, segment._raw = (ids if run is None else run), None
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

    def decoded(self) -> Sequence[str]:
        """Every id, decoded once and joined in an `IdRun` (a list where an id holds its
        separator); the bytes are then let go."""
        raw = self._raw
        if raw is None:
            assert self._decoded is not None
            return self._decoded
        ids = IdRun.of_pieces(self._pieces(*raw))
        decoded: Sequence[str] = ids if ids is not None else self._as_list(*raw)
        if self._raw is not None:  # another thread may have decoded it meanwhile
            self._decoded = decoded
            self._raw = None  # after the ids are in place: see `__getitem__`
        assert self._decoded is not None
        return self._decoded

    def read_in(self, joined: IdRun, first: int, serial: int = 0) -> None:
        """From now on read the ids from ``joined``, which holds them from ``first`` on (the
        index's run, `DocIds.flat`, of the ``serial``-th `DocIds`): its own run is let go.
        A run of an older `DocIds` than the one read from is refused: a searcher's ids
        decoded while a newer searcher's were would pin the old run (15 MB at 1M)."""
        if self._raw is None and len(self) and serial >= self._read_from:
            self._decoded = RunPart(joined, first, len(self))
            self._read_from = serial

    def _pieces(
        self, data: bytes, starts: Sequence[int], lengths: Sequence[int]
    ) -> Iterator[list[str]]:
        """The ids a `PIECE` at a time: a list of them all would hold a string each."""
        text = data.decode() if self._utf8 else ""
        ascii = len(text) == len(data)  # ids are: slices of one string, 4x faster
        decode = self._decode
        for at in range(0, len(lengths), PIECE):
            pairs = zip(starts[at : at + PIECE], lengths[at : at + PIECE], strict=True)
            if ascii:
                yield [text[start : start + length] for start, length in pairs]
            else:
                yield [decode(data[start : start + length]) for start, length in pairs]

    def _as_list(self, data: bytes, starts: Sequence[int], lengths: Sequence[int]) -> list[str]:
        return [i for piece in self._pieces(data, starts, lengths) for i in piece]


class DocIds:
    """docnum -> paper id over the segments of one searcher, in their order."""

    def __init__(self, segments: Sequence[SegmentIds] = ()) -> None:
        self._segments = list(segments)
        self._bases = list(accumulate((len(s) for s in self._segments), initial=0))
        self._flat: Sequence[str] | None = None
        self._flattening = threading.Lock()  # one thread decodes; another waits for it
        self._serial = next(_SERIALS)  # a newer searcher's are made later

    def __len__(self) -> int:
        return self._bases[-1]

    def __getitem__(self, docnum: int) -> str:
        if self._flat is not None:
            return self._flat[docnum]
        if not 0 <= docnum < len(self):
            raise IndexError(docnum)
        at = bisect_right(self._bases, docnum) - 1
        return self._segments[at][docnum - self._bases[at]]

    def many(self, docnums: Sequence[int]) -> Sequence[str]:
        """The ids of ``docnums``, in their order: a list, or for many a `PickedIds`."""
        if self._flat is None and len(docnums) * MANY_SHARE < len(self):
            return [self[docnum] for docnum in docnums]
        flat = self.flat()
        if not isinstance(flat, IdRun):
            return [flat[docnum] for docnum in docnums]
        if len(docnums) >= PICKED_FROM:
            return PickedIds(docnums, flat)
        return flat.take(docnums)

    def decoded_run(self) -> IdRun | None:
        """Every id joined in one `IdRun` if they are decoded so (`flat`), else None."""
        flat = self._flat
        return flat if isinstance(flat, IdRun) else None

    def flat(self) -> Sequence[str]:
        """Every id, by docnum: decoded once (0.25 s at a million papers) and kept, joined
        in an `IdRun` (15 MB at a million, and as much in the segments' own runs, against
        74 as a list of strings)."""
        if self._flat is None:
            with self._flattening:
                if self._flat is None:
                    every = [segment.decoded() for segment in self._segments]
                    runs = [_as_run(ids) for ids in every]
                    if all(run is not None for run in runs):
                        joined = IdRun.joined([run for run in runs if run is not None])
                        self._flat = joined if runs else []
                        for segment, first in zip(self._segments, self._bases, strict=False):
                            segment.read_in(joined, first, self._serial)  # kept once
                    else:
                        self._flat = [i for ids in every for i in ids]
        return self._flat


def _as_run(ids: Sequence[str]) -> IdRun | None:
    """A segment's ids as a run to join: its own, or a copy of its stretch of the last
    joined run (a segment the searcher before this one held too)."""
    if isinstance(ids, RunPart):
        return ids.as_run()
    return ids if isinstance(ids, IdRun) else None


def segment_ids(reader: IndexReader) -> SegmentIds:
    """A segment's id column, read in one go where Whoosh allows it."""
    parts = column_parts(reader, "id")
    if parts is None:
        return SegmentIds.of(list(reader.column_reader("id")))
    return SegmentIds(*parts)
