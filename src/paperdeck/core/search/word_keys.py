"""The positions of a segment's words that are in many papers, as keys, for their phrases.

A phrase of words each in many papers, without pairs for them (`pairs`), was found by
reading every position of its words: `"graph attention network"` at a million papers,
its words in 450,000 abstracts and the phrase in 238, took 4 s. Here each word of a field
in more papers than `dense_above` (where a phrase is otherwise read from its rarest word's
papers) is kept once more in the segment's pair file (`pair_files`), as its positions in
keys ``document << shift | position + PAD``, ascending, and for each key the number of
the keyed word standing one further (`write_next`). A phrase then starts at the first
word's keys whose next word is the second: a scan of bytes, not a loop in the
interpreter; each start is kept where the second word's next word is the third, and so
on, by bisection. Where the next words are not written (two words share a place), the
first word's keys, the second's less 1, the third's less 2... meet by set operations:
the rarest word's keys made a set and each other word's either intersected with it or,
once few starts are left, looked up in by bisection. The words' counts, for scoring, are
their keys in each document found. (``PAD`` keeps a key less the phrase's offset inside
its document.)
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from itertools import repeat
from operator import rshift, sub
from typing import BinaryIO

from whoosh.matching import FilterMatcher
from whoosh.reading import IndexReader

from paperdeck.core.search import packed
from paperdeck.core.search.pairs import PAD
from paperdeck.core.search.whoosh_private import posting_blocks

FEW = 2048  # papers a word of a phrase is in, at most, for the phrase to be read from them
LOOK_UP = 16  # a word's keys per start left, past which each start is looked up instead
TABLE = 1 << 24  # keys of a range of documents whose next words are worked out at once
READ = 1 << 14  # keys of a word read at a time as its next words are worked out
CHECK_EVERY = 4096  # starts or documents between two checks for a newer search (~2 ms)
_SWAP = sys.byteorder != "little"


def dense_above(docs: int) -> int:
    """Papers of a segment of ``docs`` few enough to check a phrase in each (`FEW`, or a
    64th of a large segment): a word in more is kept as keys."""
    return max(FEW, docs // 64)


def key_shifts(reader: IndexReader, name: str) -> list[int]:
    """Bits a document's positions may take in a key, to be tried in turn (`TooFar`: the
    next): from the field's longest text, with room for as much again (a word kept after
    stop words keeps its place, so the first position can be past 0), then 16 and 24
    bits; a field whose positions fit in none is not keyed."""
    try:
        longest = int(reader.max_field_length(name) or 0)
    except Exception:  # Whoosh's lengths of a field no document of the segment holds
        longest = 0
    first = (2 * longest + 64 + PAD).bit_length()
    return [first] + [shift for shift in (16, 24) if shift > first]


class TooFar(Exception):
    """A position past what the field's shift holds: the field is not kept as keys."""


def keyed_words(
    reader: IndexReader, name: str, shift: int, code: str
) -> Iterator[tuple[bytes, int, array[int]]]:
    """(word, papers holding it, its keys) for each word of the field ``name`` in more
    papers than `dense_above`, in byte order (deleted documents included, but for any
    Whoosh skipped before the first block: never shown). Raises `TooFar` where a
    position does not fit in ``shift`` bits."""
    from paperdeck.core.search.hits import decoder  # hits -> pair_files -> here: not at import

    decode = decoder(reader.schema[name].format)
    least = dense_above(reader.doc_count_all())
    room = (1 << shift) - PAD
    for text in reader.lexicon(name):
        if reader.doc_frequency(name, text) <= least:
            continue
        matcher = reader.postings(name, text)
        if isinstance(matcher, FilterMatcher):  # deletions: kept, applied where used
            matcher = matcher.child
        keys: array[int] = array(code)
        docs = 0
        for ids, _weights, values in posting_blocks(matcher):
            docs += len(ids)
            for doc, value in zip(ids, values, strict=True):
                at = list(decode(value))
                if at and at[-1] >= room:  # ascending: the last is the furthest
                    raise TooFar(f"{name}: a position past {room}")
                base = doc << shift
                keys.extend([base | p + PAD for p in at])
        if docs:
            yield text, docs, keys


def next_phrase_counts(
    lists: Sequence[array[int]],
    nexts: Sequence[bytes],
    ids: Sequence[int],
    shift: int,
    check: Callable[[], None],
) -> tuple[list[int], list[list[int]]]:
    """`phrase_counts` from the words' next words (``nexts``: each word's but the last,
    `write_next`; ``ids``: each word's number): the first word's keys whose next word is
    the second are where the phrase may start, found by a scan of bytes; each start is
    then kept if the next word of each later word is the one after it (by bisection).
    The last word's keys are only counted."""
    starts = [lists[0][i] for i in _places(nexts[0], ids[1])]
    for at in range(1, len(lists) - 1):
        check()
        keys, following, wanted = lists[at], nexts[at], ids[at + 1]
        size, kept = len(keys), []
        for n, start in enumerate(starts):
            if n % CHECK_EVERY == CHECK_EVERY - 1:
                check()
            i = bisect_left(keys, start + at)
            if i < size and keys[i] == start + at and _number(following, i) == wanted:
                kept.append(start)
        starts = kept
    return _counted(lists, sorted(set(map(rshift, starts, repeat(shift)))), shift, check)


def _places(nexts: bytes, number: int) -> list[int]:
    """Where ``number`` is among the uint16 ``nexts`` (little-endian)."""
    pattern = number.to_bytes(2, "little")
    found = []
    at = nexts.find(pattern)
    while at >= 0:
        if at & 1:  # across two numbers: look again from the next byte
            at = nexts.find(pattern, at + 1)
            continue
        found.append(at >> 1)
        at = nexts.find(pattern, at + 2)
    return found


def _number(nexts: bytes, i: int) -> int:
    return nexts[2 * i] | nexts[2 * i + 1] << 8


def phrase_counts(
    lists: Sequence[array[int]], shift: int, check: Callable[[], None]
) -> tuple[list[int], list[list[int]]]:
    """The documents where the words whose keys are ``lists`` stand one after the other
    (ascending), and how often each word occurs in each: its keys there, counted by
    bisection (a posting's weight is that count times the field's boost, so a phrase is
    scored from them as from its pairs, `ranking`)."""
    return _counted(lists, sorted(phrase_docs(lists, shift, check)), shift, check)


def _counted(
    lists: Sequence[array[int]], docs: list[int], shift: int, check: Callable[[], None]
) -> tuple[list[int], list[list[int]]]:
    counts = []
    for keys in lists:
        column = []
        for n, d in enumerate(docs):
            if n % CHECK_EVERY == CHECK_EVERY - 1:
                check()
            low = bisect_left(keys, d << shift)
            column.append(bisect_left(keys, (d + 1) << shift, low) - low)
        counts.append(column)
        check()
    return docs, counts


def phrase_docs(lists: Sequence[array[int]], shift: int, check: Callable[[], None]) -> set[int]:
    """The documents where the words whose keys are ``lists`` (in the phrase's order) stand
    one after the other."""
    order = sorted(range(len(lists)), key=lambda at: len(lists[at]))
    first = order[0]
    starts = set(map(sub, lists[first], repeat(first)) if first else lists[first])
    for at in order[1:]:
        check()
        keys = lists[at]
        if len(keys) > LOOK_UP * len(starts):
            size = len(keys)
            found = set()
            for start in starts:
                wanted = start + at
                i = bisect_left(keys, wanted)
                if i < size and keys[i] == wanted:
                    found.add(start)
            starts = found
        else:
            starts.intersection_update(map(sub, keys, repeat(at)))
        if not starts:
            return set()
    return set(map(rshift, starts, repeat(shift)))


def write_words(
    reader: IndexReader, source: str, docbits: int, out: BinaryIO
) -> tuple[int, str, list[tuple[bytes, int, int, int]], int] | None:
    """The keys of the field's words in many papers, written at the end of ``out`` (a
    file open for reading too), then their next words (`write_next`): (shift, key type,
    each word's (text, offset, papers, keys), where the next words start or -1); None
    where a position fits in none of the shifts tried (each try's keys cut off again)."""
    start = out.tell()
    for shift in key_shifts(reader, source):
        keycode = "I" if docbits + shift <= 32 else "Q"
        entries = []
        try:
            for text, docs, keys in keyed_words(reader, source, shift, keycode):
                entries.append((text, out.tell(), docs, len(keys)))
                packed.write(out, keys)
        except TooFar:
            out.seek(start)
            out.truncate()
            continue
        placed = [(at, count) for _text, at, _docs, count in entries]
        found = write_next(out, placed, shift, keycode, reader.doc_count_all())
        return shift, keycode, entries, found
    return None


def write_next(
    out: BinaryIO, placed: Sequence[tuple[int, int]], shift: int, keycode: str, docs: int
) -> int:
    """After the keys (each word's (offset, count) in ``out``), each word's next words:
    for each of its keys, the number (1-based, in the field's byte order) of the keyed
    word standing one further, 0 if none (uint16). Written a range of documents at a time
    into a table of every key of the range, each word's keys read once, in order. Returns
    where they start, or -1 with nothing written where two keyed words share a place (a
    field of several values) or there are more words than the type holds: a phrase is
    then found by set operations alone."""
    if not placed or len(placed) > 0xFFFF or shift > TABLE.bit_length():
        return -1  # (a shift past the table: positions past millions, never seen)
    base = out.tell()
    starts = [0]
    for _at, count in placed:
        starts.append(starts[-1] + count)
    out.truncate(base + 2 * starts[-1])
    per_range = max(1, TABLE >> shift)  # documents a range
    size = (per_range << shift) + 1  # (+1: the place after a range's last key)
    table = array("H", bytes(2 * size))
    readers = [_KeyReader(out, at, count, keycode) for at, count in placed]
    for first_doc in range(0, docs, per_range):
        low, high = first_doc << shift, (first_doc + per_range) << shift
        pieces = []
        filled = 0
        for number, reader in enumerate(readers, 1):
            a, piece = reader.done, reader.below(high)
            for key in piece:
                table[key - low] = number
            filled += len(piece)
            pieces.append((a, piece))
        if size - table.count(0) != filled:  # a place held by two words
            out.seek(base)
            out.truncate()
            return -1
        for n, (a, piece) in enumerate(pieces):
            nexts = array("H", map(table.__getitem__, map(sub, piece, repeat(low - 1))))
            out.seek(base + 2 * (starts[n] + a))
            packed.write(out, nexts)
        for _a, piece in pieces:  # the table blank again for the next range
            for key in piece:
                table[key - low] = 0
    out.seek(base + 2 * starts[-1])
    return base


class _KeyReader:
    """A word's keys read back from ``out`` in order, `READ` at a time."""

    def __init__(self, out: BinaryIO, at: int, count: int, keycode: str) -> None:
        self.out, self.at, self.left, self.keycode = out, at, count, keycode
        self.buffer: array[int] = array(keycode)
        self.done = 0  # keys handed out

    def below(self, high: int) -> array[int]:
        """The keys from where the last call ended up to ``high`` (excluded)."""
        found: array[int] = array(self.keycode)
        while True:
            end = bisect_left(self.buffer, high)
            found.extend(self.buffer[:end])
            if end < len(self.buffer) or not self.left:
                del self.buffer[:end]
                self.done += len(found)
                return found
            self.buffer = self._read()

    def _read(self) -> array[int]:
        count = min(READ, self.left)
        keys: array[int] = array(self.keycode)
        self.out.seek(self.at)
        keys.frombytes(self.out.read(keys.itemsize * count))
        if _SWAP:
            keys.byteswap()
        self.at += keys.itemsize * count
        self.left -= count
        return keys
