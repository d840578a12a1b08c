"""Every use of Whoosh's private internals, in one place, for the version it was written for.

Whoosh has no public API for what makes search and indexing fast here: reading a term's
postings a block at a time (`posting_blocks`), its blocks' headers alone (`block_headers`,
`read_block`: the bounds of top-k pruning), a segment's field-length column in one read
(`length_column`), a segment's id column in one read (`column_parts`), BM25F's
per-field B values (`field_b`); and, apart because only a build imports them,
`tied_writer` starts the multi-process writer's workers itself and `grouped_writer` writes
their segments. Each reads private names of Whoosh 2.7.5 (whoosh-reloaded); with any other
version (`PRIVATE_OK` is False, checked at import) each takes Whoosh's public, slower way,
with the same results.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pickle import UnpicklingError, loads
from typing import Any

import whoosh
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, W3TermsReader, _lenfield
from whoosh.columns import VarBytesColumn
from whoosh.fields import FieldType
from whoosh.index import FileIndex
from whoosh.matching import FilterMatcher
from whoosh.reading import IndexReader, SegmentReader
from whoosh.scoring import BM25F
from whoosh.system import _INT_SIZE, unpack_int
from whoosh.util.numeric import length_to_byte

WRITTEN_FOR = (2, 7, 5)
PRIVATE_OK = tuple(whoosh.__version__[:3]) == WRITTEN_FOR

_HEAD_BYTES = 64  # a block's length and header (~30 bytes) are within its first 64
_WINDOW = 16384  # bytes of a term's postings read at once for their block headers

Block = tuple[Sequence[int], Sequence[float], Sequence[Any]]  # ids, weights, values


def posting_blocks(matcher: Any) -> Iterator[Block]:
    """A term's postings a block at a time: Whoosh's own format's blocks read whole, any
    other format (or another Whoosh) one posting at a time."""
    if not PRIVATE_OK or type(matcher) is not W3LeafMatcher:
        while matcher.is_active():
            yield (matcher.id(),), (matcher.weight(),), (matcher.value(),)
            matcher.next()
        return
    while matcher.is_active():
        matcher.id()  # loads the block: ids,
        matcher.weight()  # weights
        matcher.value()  # and values (positions, in a text field)
        yield matcher._ids, matcher._weights, matcher._values
        matcher._next_block()


def ids_and_weights(
    reader: IndexReader, fieldname: str, btext: bytes
) -> tuple[list[int], list[float]]:
    """Every posting of a term in one segment (deleted documents included) as its
    documents and weights, without decoding its values (positions)."""
    matcher = reader.postings(fieldname, btext)
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    ids: list[int] = []
    weights: list[float] = []
    if not PRIVATE_OK or type(matcher) is not W3LeafMatcher:
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        return ids, weights
    while matcher.is_active():
        matcher.id()  # loads the block's ids
        matcher.weight()  # and weights
        ids.extend(matcher._ids)
        weights.extend(matcher._weights)
        matcher._next_block()
    return ids, weights


def field_postings(
    reader: IndexReader, fieldname: str
) -> Iterator[tuple[bytes, Sequence[int], Sequence[float]]]:
    """Every term of a field in byte order with its documents and weights (deleted
    documents included), read in one pass over the segment's term table: no lookup by
    term, which costs more than reading a rare term's one posting (impact lists read
    every term of a segment). Another codec or Whoosh: a lookup per term (`lexicon`)."""
    terms: Any = getattr(reader, "_terms", None)
    if not PRIVATE_OK or type(terms) is not W3TermsReader or fieldname not in reader.schema:
        for btext in reader.lexicon(fieldname) if fieldname in reader.schema else ():
            ids, weights = ids_and_weights(reader, fieldname, btext)
            yield btext, ids, weights
        return
    fmt = reader.schema[fieldname].format
    for (name, btext), info in terms.items_from(fieldname, b""):
        if name != fieldname:
            return
        if info.is_inlined():
            ids, weights, _values = info.inlined_postings()
            yield btext, ids, weights
            continue
        offset, length = info.extent()
        matcher = W3LeafMatcher(terms._postfile, offset, length, fmt, term=(name, btext))
        found: list[int] = []
        found_weights: list[float] = []
        while matcher.is_active():
            matcher.id()  # loads the block's ids
            matcher.weight()  # and weights
            found.extend(matcher._ids)
            found_weights.extend(matcher._weights)
            matcher._next_block()
        yield btext, found, found_weights


BlockHeader = tuple[int, int, float, int, int]  # offset, last id, top weight, min length, count


def block_headers(matcher: Any) -> Iterator[BlockHeader]:
    """What each block of a term's postings says of itself, read without decoding it: where
    it starts, its last document, its highest weight, its shortest field length (Whoosh's
    length byte) and its postings. Another format (or Whoosh): all postings read as one
    block at offset -1, its length byte 0 (the shortest: a bound that always holds)."""
    if not PRIVATE_OK or type(matcher) is not W3LeafMatcher:
        ids, weights, _values = read_block(matcher, -1)
        if ids:
            yield -1, ids[-1], max(weights), 0, len(ids)
        return
    # Each block starts with its length (a 4-byte signed int, negative for the last block)
    # and its header, a small pickle: read here from the term's bytes a window at a time,
    # ~1.5 us a block, where the matcher's own `_goto` took 20-30 (a word in every paper
    # of a million has 7,800 blocks).
    postfile = matcher._postfile
    position = matcher._baseoffset
    extent = matcher._length
    end = matcher._startoffset + (extent[0] if isinstance(extent, tuple) else extent)
    window, base = memoryview(b""), position
    while True:
        at = position - base
        if at + _HEAD_BYTES > len(window):
            size = max(_HEAD_BYTES, min(_WINDOW, end - position))
            window, base, at = memoryview(postfile.get(position, size)), position, 0
        length = unpack_int(window[at : at + _INT_SIZE])[0]
        try:
            info = loads(window[at + _INT_SIZE : at + _HEAD_BYTES])
        except (UnpicklingError, EOFError):  # a longer header than usual: the whole block
            info = loads(postfile.get(position + _INT_SIZE, abs(length)))
        count, max_id, max_weight, _compression, min_length, _max_length = info
        yield position, max_id, max_weight, min_length, count
        if length < 0:
            return
        position += _INT_SIZE + length


def read_block(matcher: Any, offset: int) -> Block:
    """The block of a term's postings at ``offset`` (from `block_headers`); offset -1: all
    of them, one posting at a time (the public way)."""
    if offset < 0 or not PRIVATE_OK or type(matcher) is not W3LeafMatcher:
        ids: list[int] = []
        weights: list[float] = []
        values: list[Any] = []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            values.append(matcher.value())
            matcher.next()
        return ids, weights, values
    matcher._goto(offset)
    matcher.id()  # loads the block: ids,
    matcher.weight()  # weights
    matcher.value()  # and values
    return matcher._ids, matcher._weights, matcher._values


def read_ids(matcher: Any, offset: int) -> tuple[Sequence[int], Sequence[float]]:
    """The documents and weights of the block at ``offset``: what a term's score or its
    documents need. Whoosh unpickles the block whole, positions too; they are only not
    kept."""
    if offset < 0 or not PRIVATE_OK or type(matcher) is not W3LeafMatcher:
        ids, weights, _values = read_block(matcher, offset)
        return ids, weights
    matcher._goto(offset)
    matcher.id()  # loads the block's ids
    matcher.weight()  # and weights
    return matcher._ids, matcher._weights


def length_column(reader: IndexReader, fieldname: str) -> bytes:
    """The segment's length column for a field as bytes (one per document, Whoosh's lossy
    encoding), read in one go where the format allows it (Whoosh reads it a document at a
    time)."""
    count = reader.doc_count_all()
    perdoc = getattr(reader, "_perdoc", None) if PRIVATE_OK else None
    if perdoc is not None and hasattr(perdoc, "_cached_reader"):
        column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None:  # Whoosh's scorer then takes every length as 1
            return bytes([length_to_byte(1)]) * count
        if getattr(column, "_fixedlen", None) == 1 and hasattr(column, "_dbfile"):
            data = bytes(column._dbfile.get(column._basepos, column._count))
            return data + bytes(max(0, count - len(data)))  # missing at the end: 0
    lengths = bytearray(count)  # another codec or Whoosh: its public, slow way
    for docnum in range(count):  # 1 where unknown, as Whoosh's BM25F scorer takes it
        lengths[docnum] = length_to_byte(reader.doc_field_length(docnum, fieldname, 1))
    return bytes(lengths)


def column_parts(
    reader: IndexReader, fieldname: str
) -> tuple[bytes, Sequence[int], Sequence[int], Callable[[bytes], Any] | None] | None:
    """A segment's column of byte strings (an id) as read in one go: its bytes, where each
    document's value starts in them, its length, and the field's decoding (None: UTF-8
    text, as an ID field's). Whoosh reads such a column a document at a time: 100,000
    small reads at 100k papers. None where the column is of another kind or Whoosh of
    another version: read it the public way."""
    raw: Any = reader.column_reader(fieldname, translate=False) if PRIVATE_OK else None
    if raw is None or type(raw) is not VarBytesColumn.Reader:
        return None
    if not (hasattr(raw, "_lengths") and hasattr(raw, "_offsets")):
        return None
    lengths = raw._lengths
    data = bytes(raw._dbfile.get(raw._basepos, sum(lengths)))
    field = reader.schema[fieldname]
    kind = type(field)
    plain = kind.from_column_value is FieldType.from_column_value
    plain = plain and kind.from_bytes is FieldType.from_bytes
    return data, raw._offsets, lengths, None if plain else field.from_column_value


@contextmanager
def one_segment(ix: FileIndex, segment_id: str) -> Iterator[IndexReader | None]:
    """A reader of one segment of ``ix`` alone (None: no such segment). Whoosh's own
    `reader()` opens every segment, and a mapped storage copies each one's files into
    memory as it opens them: writing one small segment's impact lists held a copy of the
    whole index (+76 MB at 10,000 papers, most of a 100,000-paper import's peak memory)."""
    if PRIVATE_OK and hasattr(ix, "_segments"):
        for segment in ix._segments():
            if segment.segment_id() == segment_id:
                reader = SegmentReader(ix.storage, ix.schema, segment)
                try:
                    yield reader
                finally:
                    reader.close()
                return
        yield None
        return
    with ix.reader() as whole:  # another Whoosh: the public way
        for leaf, _base in whole.leaf_readers():
            if leaf.doc_count_all() and leaf.segment().segment_id() == segment_id:
                yield leaf
                return
        yield None


def field_b(bm25: BM25F) -> dict[str, float]:
    """BM25F's B for the fields given their own (``title_B=...``); others use ``bm25.B``."""
    found: dict[str, float] = getattr(bm25, "_field_B", {}) if PRIVATE_OK else {}
    return found
