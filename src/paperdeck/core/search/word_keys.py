"""The positions of a segment's words that are in many papers, as keys, for their phrases.

A phrase of words each in many papers, without pairs for them (`pairs`), was found by
reading every position of its words: `"graph attention network"` at a million papers,
its words in 450,000 abstracts and the phrase in 238, took 4 s. Here each word of a field
in more papers than `dense_above` (where a phrase is otherwise read from its rarest word's
papers) is kept once more in the segment's pair file (`pair_files`), as its positions in
keys ``document << shift | position + PAD``, ascending. A phrase then starts where the
first word's keys, the second's less 1, the third's less 2... meet: set operations of the
interpreter over arrays read with ``frombytes``, the rarest word's keys made a set and each
other word's either intersected with it or, once few starts are left, looked up in by
bisection, so that the commonest word ("network", in every abstract) costs a look-up for
each start left, not a pass over its keys. (``PAD`` keeps a key less the phrase's offset
inside its document.)
"""

from __future__ import annotations

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
    papers than `dense_above`, in byte order (deleted documents included). Raises `TooFar`
    where a position does not fit in ``shift`` bits."""
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


def phrase_counts(
    lists: Sequence[array[int]], shift: int, check: Callable[[], None]
) -> tuple[list[int], list[list[int]]]:
    """The documents where the words whose keys are ``lists`` stand one after the other
    (ascending), and how often each word occurs in each: its keys there, counted by
    bisection (a posting's weight is that count times the field's boost, so a phrase is
    scored from them as from its pairs, `ranking`)."""
    docs = sorted(phrase_docs(lists, shift, check))
    counts = []
    for keys in lists:
        column = []
        for d in docs:
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
) -> tuple[int, str, list[tuple[bytes, int, int, int]]] | None:
    """The keys of the field's words in many papers, written at the end of
    ``out``: (shift, key type, each word's (text, offset, papers, keys)); None where a
    position fits in none of the shifts tried (each try's keys cut off again)."""
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
        return shift, keycode, entries
    return None
