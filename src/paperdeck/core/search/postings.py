"""Postings read once and kept between searches, per segment, the least recently used dropped.

Reading a block of postings (zlib, then pickle) is most of what a search costs, and search
as you type asks for the same words keystroke after keystroke: "reinforcement learnin",
"reinforcement learning", then the phrase. A segment never changes once written (only its
deletions do, and they are applied on use), so what was read from it stays true.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Sized
from itertools import chain
from typing import Any, TypeVar

from whoosh.matching import FilterMatcher
from whoosh.reading import IndexReader

from paperdeck.core.search.whoosh_private import Block, posting_blocks

Sized_ = TypeVar("Sized_", bound=Sized)

BUDGET = 1_000_000  # postings, documents and scores kept in all, about 100 bytes each


class Postings:
    """Blocks of postings, documents of terms and of phrases, per segment."""

    def __init__(self, budget: int = BUDGET) -> None:
        self.budget = budget
        self._kept: OrderedDict[tuple[str, Hashable], tuple[Any, int]] = OrderedDict()
        self._size = 0

    def blocks(self, reader: IndexReader, fieldname: str, btext: bytes) -> list[Block]:
        """Every block of a term's postings in one segment, deleted documents included."""
        return self._get(
            reader, ("blocks", fieldname, btext), lambda: _read(reader, fieldname, btext)
        )

    def docs(self, reader: IndexReader, fieldname: str, btext: bytes) -> frozenset[int]:
        """The documents holding a term, deleted documents included."""

        def read() -> tuple[frozenset[int], int]:
            blocks = self.blocks(reader, fieldname, btext)
            docs = frozenset(chain.from_iterable(ids for ids, _w, _v in blocks))
            return docs, len(docs)

        return self._get(reader, ("docs", fieldname, btext), read, sized=True)

    def remember(self, reader: IndexReader, key: Hashable, compute: Callable[[], Sized_]) -> Sized_:
        """Something worked out once per segment (a phrase's documents, a term's scores),
        kept as long as the postings it came from; ``key``'s first item names its kind."""

        def sized() -> tuple[Sized_, int]:
            value = compute()
            return value, len(value)

        return self._get(reader, key, sized, sized=True)

    def forget_kind(self, kind: str, keep: Callable[[Hashable], bool]) -> None:
        """Drop the kept things of one kind whose key ``keep`` refuses."""
        for key in [k for k in self._kept if k[1][0] == kind and not keep(k[1])]:
            self._size -= self._kept.pop(key)[1]

    def forget_except(self, segment_ids: set[str]) -> None:
        """Drop what belongs to segments no longer in the index (merged away)."""
        for key in [key for key in self._kept if key[0] not in segment_ids]:
            self._size -= self._kept.pop(key)[1]

    def _get(
        self, reader: IndexReader, key: Hashable, compute: Callable[[], Any], sized: bool = False
    ) -> Any:
        segment = _segment_id(reader)
        if segment is None:  # no segment to key it on (an empty index): not kept
            return compute()[0] if sized else compute()
        full = (segment, key)
        if full in self._kept:
            self._kept.move_to_end(full)
            return self._kept[full][0]
        if sized:
            value, size = compute()
        else:
            value = compute()
            size = sum(len(ids) for ids, _w, _v in value)
        self._kept[full] = (value, size)
        self._size += size
        while self._size > self.budget and len(self._kept) > 1:
            _key, (_value, dropped) = self._kept.popitem(last=False)
            self._size -= dropped
        return value


def _segment_id(reader: IndexReader) -> str | None:
    if not reader.doc_count_all() or not hasattr(reader, "segment"):
        return None
    return reader.segment().segment_id()


def _read(reader: IndexReader, fieldname: str, btext: bytes) -> list[Block]:
    if fieldname not in reader.schema or (fieldname, btext) not in reader:
        return []
    matcher = reader.postings(fieldname, btext)
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child  # deletions are applied where the postings are used
    return list(posting_blocks(matcher))
