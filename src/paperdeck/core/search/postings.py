"""Postings read once and kept between searches, per segment, the least recently used dropped.

Reading a block of postings (zlib, then pickle) is most of what a search costs, and search
as you type asks for the same words keystroke after keystroke: "reinforcement learnin",
"reinforcement learning", then the phrase. A segment never changes once written (only its
deletions do, and they are applied on use), so what was read from it stays true.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence, Sized
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, Any, TypeVar

from whoosh.matching import FilterMatcher
from whoosh.reading import IndexReader

from paperdeck.core.cancel import Cancel, SearchCancelled
from paperdeck.core.search.whoosh_private import (
    Block,
    block_headers,
    read_block,
    read_ids,
)

if TYPE_CHECKING:  # only for the types: the cache reads no pair file itself
    from paperdeck.core.search.pair_files import PairFile

Sized_ = TypeVar("Sized_", bound=Sized)
Key = tuple[Hashable, ...]  # its first item names the kind: "blocks", "docs", "phrase", ...

# Bytes kept in all (estimated: `footprint`). Typed fresh at a million papers, 64 MB answers
# as 128 did (first results p95 280-292 ms against 281-289) and the reader's peak is ~80 MB
# lower; 32 MB re-reads a 3-word AND's words as it is typed (first results p95 331-471 ms).
BUDGET = 64 * 1024 * 1024


@dataclass(slots=True)
class Headers:
    """What a term's block headers say, one item per block, read without decoding a block:
    its last document, highest weight and shortest field length (Whoosh's length byte)."""

    max_ids: list[int]
    max_weights: list[float]
    min_lengths: bytes
    offsets: list[int]  # where each block starts in the postings file (-1: not a W3 block)
    postings: int  # in all blocks

    def __len__(self) -> int:
        return len(self.max_ids)


class Postings:
    """Blocks of postings, documents of terms and of phrases, per segment."""

    def __init__(self, budget: int = BUDGET) -> None:
        self.budget = budget
        self.cancel: Cancel | None = None  # the running search's: asked as blocks are read
        # A segment's pair file (`ranking.Ranker` sets it): phrases of words in many papers
        # are found from the words' keys there (`word_keys`), not from their positions
        self.pair_files: Callable[[IndexReader], PairFile | None] | None = None
        self._kept: OrderedDict[tuple[str | None, Key], tuple[Any, int]] = OrderedDict()
        self._size = 0

    def blocks(self, reader: IndexReader, fieldname: str, btext: bytes) -> list[Block]:
        """Every block of a term's postings in one segment, deleted documents included;
        the blocks `block` already read (top-k first) are not read again."""
        return self._get(
            reader, ("blocks", fieldname, btext), lambda: self._read(reader, fieldname, btext)
        )

    def _read(self, reader: IndexReader, fieldname: str, btext: bytes) -> list[Block]:
        headers = self.headers(reader, fieldname, btext)
        if headers is None:
            return []
        segment = _segment_id(reader)
        matcher = None
        blocks = []
        for n, offset in enumerate(headers.offsets):
            kept = self._kept.pop((segment, ("block", fieldname, btext, n)), None)
            if kept is not None:  # now kept as part of the whole term
                self._size -= kept[1]
                blocks.append(kept[0])
            else:
                matcher = matcher or _matcher(reader, fieldname, btext)
                blocks.append(read_block(matcher, offset))
            if n % 64 == 63:  # ~8,000 postings: about 2 ms
                self.check()
        return blocks

    @contextmanager
    def cancelled_by(self, cancel: Cancel | None) -> Iterator[None]:
        """``cancel`` is asked (`check`) while the block runs; none: the one set before."""
        previous = self.cancel
        if cancel is not None:
            self.cancel = cancel
        try:
            yield
        finally:
            self.cancel = previous

    def check(self) -> None:
        """Raise SearchCancelled if the running search was replaced by a newer one."""
        if self.cancel is not None and self.cancel():
            raise SearchCancelled

    def headers(self, reader: IndexReader, fieldname: str, btext: bytes) -> Headers | None:
        """The term's block headers in one segment; None when the segment lacks the term."""
        found = self.remember(
            reader, ("headers", fieldname, btext), lambda: _headers(reader, fieldname, btext)
        )
        return found if found.max_ids else None

    def matcher(self, reader: IndexReader, fieldname: str, btext: bytes) -> Any:
        """A reader of the term's postings, for `block` to decode blocks with."""
        return _matcher(reader, fieldname, btext)

    def block(
        self, reader: IndexReader, fieldname: str, btext: bytes, number: int, matcher: Any = None
    ) -> Block:
        """One block of a term's postings (the ``number``-th), decoded alone (with
        ``matcher``, from `matcher`, when given) unless the whole term is already kept."""
        segment = _segment_id(reader)
        whole = self._kept.get((segment, ("blocks", fieldname, btext))) if segment else None
        if whole is not None:
            return whole[0][number]

        def read() -> tuple[Block, int]:
            headers = self.headers(reader, fieldname, btext)
            assert headers is not None
            offset = headers.offsets[number]
            # (offset -1, another Whoosh's one block: read through a matcher to its end)
            reuse = matcher is not None and offset >= 0
            found = matcher if reuse else _matcher(reader, fieldname, btext)
            block = read_block(found, offset)
            return block, len(block[0])

        return self._get(reader, ("block", fieldname, btext, number), read, sized=True)

    def docs(self, reader: IndexReader, fieldname: str, btext: bytes) -> frozenset[int]:
        """The documents holding a term, deleted documents included (its blocks are not
        kept for them: their positions were most of what a NOT or a count kept)."""

        def read() -> tuple[frozenset[int], int]:
            blocks = self.weights(reader, fieldname, btext, keep=False)
            docs = frozenset(chain.from_iterable(ids for ids, _weights in blocks))
            return docs, len(docs)

        return self._get(reader, ("docs", fieldname, btext), read, sized=True)

    def weights(
        self, reader: IndexReader, fieldname: str, btext: bytes, keep: bool = True
    ) -> list[tuple[Sequence[int], Sequence[float]]]:
        """Every block of a term's postings as (documents, weights), deleted documents
        included: what its scores need, without its positions (kept when ``keep``)."""
        segment = _segment_id(reader)
        whole = self._kept.get((segment, ("blocks", fieldname, btext))) if segment else None
        if whole is not None:
            return [(ids, weights) for ids, weights, _values in whole[0]]
        scored = self._kept.get((segment, ("weights", fieldname, btext))) if segment else None
        if scored is not None:
            self._kept.move_to_end((segment, ("weights", fieldname, btext)))
            return list(scored[0])

        def read() -> list[tuple[Sequence[int], Sequence[float]]]:
            headers = self.headers(reader, fieldname, btext)
            if headers is None:
                return []
            matcher = _matcher(reader, fieldname, btext)
            blocks = []
            for n, offset in enumerate(headers.offsets):
                blocks.append(read_ids(matcher, offset))
                if n % 64 == 63:
                    self.check()
            return blocks

        if not keep:
            return read()
        return self._get(reader, ("weights", fieldname, btext), read)

    def holds(self, reader: IndexReader, key: Key) -> bool:
        """Whether ``key`` is kept for the segment (nothing is read)."""
        segment = _segment_id(reader)
        return segment is not None and (segment, key) in self._kept

    def remember(self, reader: IndexReader, key: Key, compute: Callable[[], Sized_]) -> Sized_:
        """Something worked out once per segment (a phrase's documents, a term's scores),
        kept as long as the postings it came from; ``key``'s first item names its kind."""

        def sized() -> tuple[Sized_, int]:
            value = compute()
            return value, len(value)

        return self._get(reader, key, sized, sized=True)

    def kept(self) -> list[Key]:
        """What is kept (each key names its kind first), least recently used first."""
        return [key for _segment, key in self._kept]

    def forget_kind(self, kind: str, keep: Callable[[Key], bool]) -> None:
        """Drop the kept things of one kind whose key ``keep`` refuses."""
        for key in [k for k in self._kept if k[1][0] == kind and not keep(k[1])]:
            self._size -= self._kept.pop(key)[1]

    def forget_except(self, segment_ids: set[str]) -> None:
        """Drop what belongs to segments no longer in the index (merged away)."""
        for key in [key for key in self._kept if key[0] not in segment_ids]:
            self._size -= self._kept.pop(key)[1]

    def _get(
        self, reader: IndexReader, key: Key, compute: Callable[[], Any], sized: bool = False
    ) -> Any:
        segment = _segment_id(reader)
        if segment is None:  # no segment to key it on (an empty index): not kept
            return compute()[0] if sized else compute()
        full = (segment, key)
        if full in self._kept:
            self._kept.move_to_end(full)
            return self._kept[full][0]
        value = compute()[0] if sized else compute()
        size = footprint(value)
        self._kept[full] = (value, size)
        self._size += size
        while self._size > self.budget and len(self._kept) > 1:
            _key, (_value, dropped) = self._kept.popitem(last=False)
            self._size -= dropped
        return value


def footprint(value: Any) -> int:
    """The bytes a kept value holds, estimated from CPython's sizes (an int or float object
    ~28 bytes, a dict entry ~70 with its float, a set entry ~40 with its int, a posting's
    value its bytes): the budget is in bytes, whatever a term's postings hold."""
    declared = getattr(value, "footprint_bytes", None)  # e.g. an impact list's arrays
    if isinstance(declared, int):
        return declared
    if isinstance(value, Headers):
        return 100 * len(value) + 200
    if isinstance(value, dict):
        return 100 * len(value) + 200
    if isinstance(value, set | frozenset):
        return 70 * len(value) + 200
    if isinstance(value, tuple) and len(value) == 3:  # one block: ids, weights, values
        ids, _weights, values = value
        try:
            held = sum(map(len, values))  # positions: bytes (a third of a search, one by one)
        except TypeError:  # a format without values
            held = sum(len(v) for v in values if isinstance(v, bytes))
        return 100 * len(ids) + held + 200
    if isinstance(value, tuple) and len(value) == 2:  # one block's ids and weights
        return 70 * len(value[0]) + 200
    if isinstance(value, list):  # a term's blocks
        return sum(footprint(block) for block in value) + 56
    return 200


def _segment_id(reader: IndexReader) -> str | None:
    if not reader.doc_count_all() or not hasattr(reader, "segment"):
        return None
    return reader.segment().segment_id()


def _matcher(reader: IndexReader, fieldname: str, btext: bytes) -> Any:
    if fieldname not in reader.schema or (fieldname, btext) not in reader:
        return None
    matcher = reader.postings(fieldname, btext)
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child  # deletions are applied where the postings are used
    return matcher


def _headers(reader: IndexReader, fieldname: str, btext: bytes) -> Headers:
    """Every block header of a term (`block_headers`); no blocks when the segment lacks it."""
    headers = Headers([], [], b"", [], 0)
    matcher = _matcher(reader, fieldname, btext)
    lengths = bytearray()
    if matcher is not None:
        for offset, max_id, max_weight, min_length, count in block_headers(matcher):
            headers.offsets.append(offset)
            headers.max_ids.append(max_id)
            headers.max_weights.append(max_weight)
            lengths.append(min_length)
            headers.postings += count
    headers.min_lengths = bytes(lengths)
    return headers
