"""A build's segment writer that keeps each word's postings together as they are added.

Whoosh's `SegmentWriter` puts every posting in one pool as a tuple (field, word, document,
weight, value), sorts them all when the segment is written, and past its memory limit
pickles them one by one to run files it merges back: at 1M papers each slice of a build
spills ~5 GB that way, and adding the sorted postings back one call at a time is a fifth
of a build's CPU (benchmarks/RESULTS.md). Here each word's postings are appended to its
own arrays as they come (a writer numbers its documents in order, and a field yields a
word once per document), so nothing is sorted but the words, nothing spills, and each
block of 128 postings goes to Whoosh's own postings writer whole. The files written are
Whoosh's, byte for byte (tests compare them).

Memory is that of the segment's postings, ~20 bytes each plus ~300 a word, bounded by the
slice a build gives each writer (`slice_build.slice_size`). Used only by a build's writer
processes (`tied_writer`), only with Whoosh 2.7.5 (`whoosh_private.PRIVATE_OK`) and a
schema without separately spelled fields (whose postings come out of order) or vectors
(`usable`).
"""

from __future__ import annotations

from array import array
from typing import Any

from whoosh.fields import FieldType, Schema
from whoosh.writing import SegmentWriter

from paperdeck.core.search.whoosh_private import PRIVATE_OK


class WordPostings:
    """One word's postings in one field, in document order."""

    __slots__ = ("docs", "weights", "values", "ends")

    def __init__(self) -> None:
        self.docs = array("I")
        self.weights = array("d")  # as given: Whoosh compares the unrounded weight
        self.values = bytearray()  # every value, one after the other
        self.ends = array("I")  # where each posting's value ends in `values`

    def add(self, docnum: int, weight: float, value: bytes | None) -> None:
        self.docs.append(docnum)
        self.weights.append(weight)
        if value:
            self.values += value
        self.ends.append(len(self.values))


class GroupedPool:
    """What `SegmentWriter` asks of its pool (`add`, `fieldnames`, `cleanup`), keeping
    postings by field and word instead of in one list to sort."""

    def __init__(self) -> None:
        self.fields: dict[str, dict[bytes, WordPostings]] = {}

    @property
    def fieldnames(self) -> set[str]:
        return {name for name, words in self.fields.items() if words}

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        fieldname, btext, docnum, weight, value = item
        words = self.fields.get(fieldname)
        if words is None:
            words = self.fields[fieldname] = {}
        postings = words.get(btext)
        if postings is None:
            postings = words[btext] = WordPostings()
        postings.add(docnum, weight, value)

    def add_words(self, fieldname: str, field: FieldType, value: Any, docnum: int) -> int:
        """A document's words in one field (what `FieldType.index` gives `add`, each
        word's text encoded here); returns the length Whoosh records for it."""
        if not isinstance(value, (str, list, tuple)):
            raise ValueError(f"{value!r} is not unicode or sequence")  # as Whoosh says it
        words = self.fields.get(fieldname)
        if words is None:
            words = self.fields[fieldname] = {}
        length = 0
        for text, freq, weight, value_bytes in field.format.word_values(
            value, field.analyzer, mode="index"
        ):
            btext = text.encode("utf-8")
            postings = words.get(btext)
            if postings is None:
                postings = words[btext] = WordPostings()
            postings.add(docnum, weight, value_bytes)
            length += freq
        return length if field.scorable else 0

    def iter_postings(self) -> Any:  # noqa: ANN401 (never asked: `_flush_segment` is ours)
        raise NotImplementedError("a grouped pool is written by GroupedSegmentWriter")

    def cleanup(self) -> None:
        self.fields.clear()


def usable(schema: Schema) -> bool:
    """Whether `GroupedSegmentWriter` writes this schema's segments as Whoosh would."""
    return PRIVATE_OK and not any(
        field.separate_spelling() or field.vector for _n, field in schema.items()
    )


class GroupedSegmentWriter(SegmentWriter):
    """Whoosh's segment writer with a `GroupedPool` (see the module's docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pool = GroupedPool()

    def add_document(self, **fields: Any) -> None:
        """Whoosh's `add_document` for a document without boosts, each text field's words
        put in the pool by `GroupedPool.add_words` (not a tuple per posting through two
        generators); anything else (a boost, a field with its own `index`) goes Whoosh's way."""
        if any(name.startswith("_") for name in fields):
            super().add_document(**fields)
            return
        self._check_state()
        schema, docnum, perdoc, pool = self.schema, self.docnum, self.perdocwriter, self.pool
        names = sorted(fields)
        self._check_fields(schema, names)
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    if type(field).index is FieldType.index:
                        length = pool.add_words(name, field, value, docnum)
                    else:  # (a number's terms: its own `index`)
                        for btext, freq, weight, value_bytes in field.index(value):
                            pool.add((name, btext, docnum, weight * 1.0, value_bytes))
                            length += freq if field.scorable else 0
                perdoc.add_field(name, field, value if field.stored else None, length)
                if field.column_type:
                    column_value = field.to_column_value(value)
                    perdoc.add_column_value(name, field.column_type, column_value)
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        write_postings(self.fieldwriter, self.schema, lengths, self.pool, self.docnum)
        self.fieldwriter.close()
        if lengths is not None:
            lengths.close()


def write_postings(
    fieldwriter: Any, schema: Schema, lengths: Any, pool: GroupedPool, doc_count: int
) -> None:
    """Every field's words in byte order, each word's postings a block at a time: what
    Whoosh's `FieldWriter.add_postings` writes from the sorted pool."""
    for fieldname in sorted(pool.fields):
        words = pool.fields.pop(fieldname)  # its memory back once written
        if not words:  # (a field with no words: Whoosh's pool never names it)
            continue
        fieldwriter.start_field(fieldname, schema[fieldname])
        field_lengths = _lengths(lengths, fieldname, doc_count)
        for btext in sorted(words):
            fieldwriter.start_term(btext)
            _write_word(fieldwriter._postwriter, words[btext], field_lengths)
            fieldwriter.finish_term()
        fieldwriter.finish_field()


def _lengths(lengths: Any, fieldname: str, doc_count: int) -> list[int | None]:
    """Each document's length in a field as Whoosh's writer takes it (None or 0: none)."""
    if lengths is None:
        return [0] * doc_count
    length = lengths.doc_field_length
    return [length(docnum, fieldname) for docnum in range(doc_count)]


def _write_word(postwriter: Any, postings: WordPostings, lengths: list[int | None]) -> None:
    """A word's postings, a block at a time, as Whoosh's postings writer holds them when
    given one posting at a time (`add_posting`); the last block is left to `finish_term`."""
    docs, weights, values, ends = postings.docs, postings.weights, postings.values, postings.ends
    view = memoryview(values)
    count = len(docs)
    block = postwriter._blocklimit  # 128 by Whoosh's default codec
    for start in range(0, count, block):
        stop = min(start + block, count)
        ids = docs[start:stop]
        block_weights = weights[start:stop]
        heaviest = max(block_weights)
        known = [n for n in (lengths[d] for d in ids) if n]
        begin = ends[start - 1] if start else 0
        held = []
        for end in ends[start:stop]:
            if end > begin:
                held.append(bytes(view[begin:end]))
            begin = end
        postwriter._ids = ids
        postwriter._weights = array("f", block_weights)
        postwriter._values = held
        postwriter._maxweight = heaviest if heaviest > 0 else 0
        postwriter._minlength = min(known) if known else None
        postwriter._maxlength = max(known) if known else 0
        if stop < count:
            postwriter._write_block()
