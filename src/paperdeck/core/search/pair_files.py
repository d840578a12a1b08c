"""The word pairs' postings copied beside each segment as arrays, for phrases of common words.

Whoosh keeps a pair's postings (`pairs`) in blocks whose values are pickled lists: a first
search of `"large language model"` at 100k papers spent most of its time unpickling them
block by block and decoding positions one document at a time (benchmarks/RESULTS.md). Here
each segment's pair postings are written once more, as arrays read with ``frombytes`` (as
the impact lists are), in `MAIN_<segment>.pairs`: for each pair of each pair field, its
documents in document order (uint32), how often each of its two words occurs in each (the
smallest unsigned type that holds them), and its positions as keys ``document << shift |
position + PAD`` (``shift``: the field's, from its highest position; uint32 where they fit,
else uint64), then its documents best first (`pair_order`: positions into the first array,
uint32), by both words' score and by the second word's alone. A 3-word phrase then starts
wherever the first pair's key is among the second pair's keys less 1: set operations of
the interpreter, not a loop per document. (``PAD`` keeps a key less a phrase's offset
within its document; longer phrases take Whoosh's way.)
A phrase's best papers are read from the orders (`impact_phrases`). After each field's
pairs come the keys of its words in many papers (`word_keys`, read by `keyed_words`), for
phrases without pairs.

The file is derived: written after each commit for the segments without one (beside the
impact lists, `write_missing`), deleted by Whoosh with its segment (its name has the
segment's pattern), recorded with its block checksums in the index state and verified as
read; when missing, damaged or of another version (`MAGIC`), phrases read Whoosh's pair
postings as before, with the same results. Layout: the magic, the directory's offset, each
pair's arrays and each keyed word's keys, the directory (a JSON header naming the fields,
each with its shift, key type, range of pairs and the statistics its orders were made
with, and the keyed fields with their range of words, shift and key type; the pairs' and
words' texts in order; per entry where its arrays are, how many documents and keys, and
the byte size of a pair's counts, 0 for a word).
"""

from __future__ import annotations

import json
import os
import struct
import tempfile
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import rshift, sub
from pathlib import Path
from typing import Any, BinaryIO, TypeAlias

from whoosh.filedb.filestore import FileStorage
from whoosh.matching import FilterMatcher
from whoosh.reading import IndexReader

from paperdeck.core.search import packed
from paperdeck.core.search.checksums import CheckedFile, ChecksumMismatch, ReadRounds
from paperdeck.core.search.documents import PAIR_SUFFIX
from paperdeck.core.search.index_workers import for_each_segment
from paperdeck.core.search.keyed_words import KeyedField, KeyedWords
from paperdeck.core.search.pair_order import FieldStats, best_first, field_stats
from paperdeck.core.search.pairs import PAD, PhraseCounts, decode
from paperdeck.core.search.whoosh_private import length_column, one_segment, posting_blocks
from paperdeck.core.search.word_keys import write_words
from paperdeck.core.search.word_table import WordTable

MAGIC = b"PDPRSv6\n"  # a new version: files of the old one are written again (6: words)
SUFFIX = ".pairs"
EVERY_PAIR = ("note",)  # fields whose every pair of adjacent words is kept, not only common
_COUNT_CODES = {1: "B", 2: "H", 4: "I"}


def file_name(segment_id: str) -> str:
    return f"{segment_id}{SUFFIX}"  # segment_id() is already "MAIN_..."


@dataclass(slots=True)
class PairList:
    """One pair's postings in one segment (deleted documents included)."""

    docs: array[int]  # ascending
    firsts: array[int]  # the first word's count in each document
    seconds: array[int]  # the second word's count
    keys: array[int]  # document << shift | position, ascending
    shift: int
    order: array[int]  # positions into ``docs``, best first (`pair_order`)
    later: array[int]  # the same, by the second word's score alone

    def __len__(self) -> int:
        return len(self.docs)

    @property
    def footprint_bytes(self) -> int:  # for the byte-bounded cache (`postings.footprint`)
        parts = (self.docs, self.firsts, self.seconds, self.keys, self.order, self.later)
        return sum(a.itemsize * len(a) for a in parts)


@dataclass(frozen=True, slots=True)
class _Field:
    first: int  # its pairs: numbers first .. first + count - 1 of the directory
    count: int
    shift: int
    keycode: str
    every: bool  # every pair of adjacent words, not only of the field's common words
    stats: FieldStats  # of the field paired, as the pairs' orders were made with


class PairFile:
    """A segment's pair postings, opened: the directory in memory, the pairs read on demand."""

    READ_ERRORS = (OSError, ValueError, KeyError, struct.error, ChecksumMismatch)

    def __init__(
        self, path: Path, sums: list[int] | None = None, rounds: ReadRounds | None = None
    ) -> None:
        """``sums``: the file's block checksums, verified as read (in each of ``rounds``)."""
        raw: BinaryIO = open(path, "rb")  # noqa: SIM115 - closed by `close`
        self._file: Any = CheckedFile(raw, path.name, sums, rounds) if sums is not None else raw
        self.broken = False  # a read failed: set aside for the rest of its life
        try:
            head = self._read(0, 16)
            if len(head) != 16 or head[:8] != MAGIC:
                raise ValueError(f"{path.name}: not a pair file of this version")
            (where,) = struct.unpack("<Q", head[8:])
            (size,) = struct.unpack("<I", self._read(where, 4))
            header = json.loads(self._read(where + 4, size))
            self.segment: str = header["segment"]
            docs, k1 = int(header["docs"]), float(header["k1"])
            self.fields = {
                str(name): _Field(
                    int(f[0]),
                    int(f[1]),
                    int(f[2]),
                    str(f[3]),
                    bool(f[4]),
                    FieldStats(docs, k1, float(f[5]), float(f[6])),
                )
                for name, f in header["fields"].items()
            }
            self.words = {
                str(name): KeyedField(int(f[0]), int(f[1]), int(f[2]), str(f[3]), int(f[4]))
                for name, f in header["words"].items()
            }
            self._table = WordTable(
                self._read,
                where + 4 + size,
                int(header["terms"]),
                int(header["blob"]),
                [("offset", "Q", 1), ("docs", "I", 1), ("keys", "I", 1), ("size", "B", 1)],
            )
            self.keyed = KeyedWords(self._table, self._read, self.words)
            end = self._table.end
            size_now = os.fstat(raw.fileno()).st_size
            codes = [f.keycode for f in self.fields.values()]
            codes += [w.keycode for w in self.words.values()]
            if end != size_now or any(code not in ("I", "Q") for code in codes):
                raise ValueError(f"{path.name}: the directory does not add up")
        except BaseException:
            raw.close()
            raise

    def _read(self, offset: int, size: int) -> bytes:
        self._file.seek(offset)
        data: bytes = self._file.read(size)
        return data

    def every_pair(self, name: str) -> bool:
        """Whether the pair field ``name`` holds every pair of adjacent words here."""
        field = self.fields.get(name)
        return field is not None and field.every

    def find(self, fieldname: str, btext: bytes) -> int:
        """The pair's number in the directory, or -1 (the field is a pair field's name)."""
        field = self.fields.get(fieldname)
        if field is None:
            return -1
        return self._table.find(btext, field.first, field.first + field.count)

    def postings(self, n: int) -> int:
        """How many documents the ``n``-th pair's list holds (from the directory)."""
        return int(self._table.value("docs", n)[0])

    def read(self, fieldname: str, n: int) -> PairList:
        """The ``n``-th pair's postings (of ``fieldname``, a pair field), read whole."""
        field = self.fields[fieldname]
        table = self._table
        docs, keys = int(table.value("docs", n)[0]), int(table.value("keys", n)[0])
        size = int(table.value("size", n)[0])
        code = _COUNT_CODES[size]
        keysize = array(field.keycode).itemsize
        length = 12 * docs + 2 * size * docs + keysize * keys
        data = self._read(int(table.value("offset", n)[0]), length)
        if len(data) != length:
            raise ValueError("a pair list ends early")
        found_docs, at = packed.take(data, 0, "I", docs)
        firsts, at = packed.take(data, at, code, docs)
        seconds, at = packed.take(data, at, code, docs)
        found_keys, at = packed.take(data, at, field.keycode, keys)
        order, at = packed.take(data, at, "I", docs)
        later, at = packed.take(data, at, "I", docs)
        return PairList(found_docs, firsts, seconds, found_keys, field.shift, order, later)

    def keyed_phrase(
        self, source: str, btexts: Sequence[bytes], check: Callable[[], None]
    ) -> PhraseCounts | None:
        """Where the words ``btexts`` of the field ``source`` stand one after the other,
        from their keys (`keyed_words`); None where one is not kept as keys here."""
        found = self.keyed.phrase(source, btexts, check)
        return None if found is None else PhraseCounts(found[0], list(found[1]))

    def keyed_cost(self, source: str, btexts: Sequence[bytes]) -> int | None:
        """About what `keyed_phrase` costs (`KeyedWords.cost`)."""
        return self.keyed.cost(source, btexts)

    def stats(self, name: str) -> FieldStats:
        """The statistics the orders of the pair field ``name`` were made with."""
        return self.fields[name].stats

    def phrase(self, name: str, terms: list[bytes], check: Callable[[], None]) -> PhraseCounts:
        """Where the pairs ``terms`` (of the pair field ``name``, each in this file) stand
        one after the other: the first pair's keys that each next pair holds one further
        on. The words' counts: both of the first pair's, then each next pair's second."""
        lists = []
        for term in terms:
            n = self.find(name, term)
            if n < 0:
                return PhraseCounts([], [[] for _word in range(len(terms) + 1)])
            lists.append(self.read(name, n))
            check()
        first = lists[0]
        if len(lists) == 1:  # a 2-word phrase: its pair is the phrase
            return PhraseCounts(first.docs, [first.firsts, first.seconds])
        found = phrase_docs(lists, check)
        if not found:
            return PhraseCounts([], [[] for _word in range(len(terms) + 1)])
        mask = list(map(found.__contains__, first.docs))
        docs = list(compress(first.docs, mask))
        counts: list[Sequence[int]] = [
            list(compress(first.firsts, mask)),
            list(compress(first.seconds, mask)),
        ]
        for later in lists[1:]:
            counts.append(list(compress(later.seconds, map(found.__contains__, later.docs))))
        return PhraseCounts(docs, counts)

    def close(self) -> None:
        self._file.close()


def phrase_docs(lists: Sequence[PairList], check: Callable[[], None]) -> set[int]:
    """The documents where the pairs ``lists`` stand one after the other: the first pair's
    keys that each next pair holds one further on."""
    first = lists[0]
    if len(lists) == 1:
        return set(first.docs)
    starts = set(first.keys)
    for offset, later in enumerate(lists[1:], 1):
        starts.intersection_update(map(sub, later.keys, repeat(offset)))
        check()
        if not starts:
            return set()
    return set(map(rshift, starts, repeat(first.shift)))


# -- writing ------------------------------------------------------------------------------


def write_segment(reader: IndexReader, path: Path) -> int:
    """Write the pair postings of one segment (``reader``: its reader) to ``path``
    atomically; returns the pairs written."""
    fields: dict[str, list[Any]] = {}
    words: dict[str, list[Any]] = {}  # field -> [first, count, shift, keycode, next words]
    texts: list[bytes] = []
    offsets = array("Q")
    doc_counts = array("I")
    key_counts = array("I")
    sizes = bytearray()
    docbits = max(reader.doc_count_all() - 1, 1).bit_length()
    k1 = 0.0
    fd, temp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w+b") as out:  # (read too: `word_keys.write_next`)
            out.write(MAGIC + bytes(8))
            for name in sorted(n for n in reader.schema.names() if n.endswith(PAIR_SUFFIX)):
                source = name.removesuffix(PAIR_SUFFIX)
                every = source in EVERY_PAIR and _positional(reader, source)
                pairs = list(_every_pair(reader, source) if every else _pairs(reader, name))
                highest = max((max(p[3], default=0) for _t, p in pairs), default=0)
                shift = (highest + PAD).bit_length()
                keycode = "I" if docbits + shift <= 32 else "Q"
                stats = field_stats(reader, source)
                k1 = stats.k1
                fields[name] = [len(texts), len(pairs), shift, keycode, every]
                fields[name] += [stats.b, stats.average]
                ordering = _Ordering(reader, source, stats)
                for text, (docs, firsts, seconds, positions, counts) in pairs:
                    size = _size(max(max(firsts), max(seconds)))
                    keys = array(keycode, _keys(docs, positions, counts, shift))
                    order, later = ordering.orders(text, docs, firsts, seconds)
                    texts.append(text)
                    offsets.append(out.tell())
                    doc_counts.append(len(docs))
                    key_counts.append(len(keys))
                    sizes.append(size)
                    code = _COUNT_CODES[size]
                    both = (array(code, firsts), array(code, seconds))
                    for part in (docs, *both, keys, order, later):
                        packed.write(out, part)
                if not every and _positional(reader, source):  # (every pair: no need)
                    keyed = write_words(reader, source, docbits, out)
                    if keyed is not None and keyed[2]:
                        shift, keycode, entries, nexts = keyed
                        words[source] = [len(texts), len(entries), shift, keycode, nexts]
                        for text, at, docs_held, keys_held in entries:
                            texts.append(text)
                            offsets.append(at)
                            doc_counts.append(docs_held)
                            key_counts.append(keys_held)
                            sizes.append(0)
            where = out.tell()
            header = {
                "segment": reader.segment().segment_id(),
                "docs": max(reader.doc_count_all(), 1),
                "k1": k1,
                "fields": fields,
                "words": words,
                "terms": len(texts),
                "blob": sum(len(text) for text in texts),
            }
            encoded = json.dumps(header, sort_keys=True).encode()
            out.write(struct.pack("<I", len(encoded)) + encoded)
            out.write(b"".join(texts))
            starts = array("I", [0])
            for text in texts:
                starts.append(starts[-1] + len(text))
            for part in (starts, offsets, doc_counts, key_counts):
                packed.write(out, part)
            out.write(bytes(sizes))
            out.seek(len(MAGIC))
            out.write(struct.pack("<Q", where))
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return len(texts)


class _Ordering:
    """Each pair's documents best first (`pair_order`), its words' idf looked up once."""

    def __init__(self, reader: IndexReader, source: str, stats: FieldStats) -> None:
        self.reader, self.source, self.stats = reader, source, stats
        self.norms = stats.norms()
        field = reader.schema[source] if source in reader.schema else None  # noqa: SIM401
        scorable = field is not None and field.scorable
        self.lengths = length_column(reader, source) if scorable else None
        self.boost = float(field.format.field_boost) if field is not None else 1.0
        self._weights: dict[bytes, float] = {}

    def orders(
        self, text: bytes, docs: array[int], firsts: list[int], seconds: list[int]
    ) -> tuple[array[int], array[int]]:
        """(by both words' score, by the second word's alone)."""
        if self.lengths is None:  # never ranked (`impact_phrases` asks for lengths)
            return array("I", range(len(docs))), array("I", range(len(docs)))
        first, second = text.split(b" ", 1)
        both = (self._weight(first), self._weight(second))
        norms, lengths, boost = self.norms, self.lengths, self.boost
        return (
            best_first(docs, firsts, seconds, both, norms, lengths, boost),
            best_first(docs, firsts, seconds, (0.0, both[1]), norms, lengths, boost),
        )

    def _weight(self, word: bytes) -> float:
        found = self._weights.get(word)
        if found is None:
            df = self.reader.doc_frequency(self.source, word)
            found = self._weights[word] = self.stats.weight(df)
        return found


PairPostings: TypeAlias = "tuple[array[int], list[int], list[int], array[int], list[int]]"


def _pairs(reader: IndexReader, name: str) -> Iterator[tuple[bytes, PairPostings]]:
    """Each pair of a pair field in byte order: its documents, both words' counts, its
    positions in document order and how many each document holds."""
    for text in reader.lexicon(name):
        matcher = reader.postings(name, text)
        if isinstance(matcher, FilterMatcher):  # deletions: kept, applied where used
            matcher = matcher.child
        docs: array[int] = array("I")
        firsts: list[int] = []
        seconds: list[int] = []
        positions: array[int] = array("I")
        counts: list[int] = []
        for ids, _weights, values in posting_blocks(matcher):
            docs.extend(ids)
            for value in values:
                first, second, at = decode(value)
                firsts.append(first)
                seconds.append(second)
                before = len(positions)
                positions.extend(at)
                counts.append(len(positions) - before)
        if docs:
            yield text, (docs, firsts, seconds, positions, counts)


def _positional(reader: IndexReader, name: str) -> bool:
    fmt = reader.schema[name].format if name in reader.schema else None
    return fmt is not None and fmt.supports("positions")


def _every_pair(reader: IndexReader, name: str) -> Iterator[tuple[bytes, PairPostings]]:
    """Each pair of adjacent words of a field (`pairs.pair_text`) in byte order, from the
    field's own positions, as `_pairs` gives a pair field's: for a field of few papers (the
    notes), whose words are too rare to be common and whose phrases would read positions."""
    from paperdeck.core.search.hits import decoder  # hits -> index_files -> here: not at import

    decode = decoder(reader.schema[name].format)
    words: dict[int, dict[int, list[bytes]]] = {}  # document -> position -> words there
    counts: dict[int, dict[bytes, int]] = {}  # document -> word -> occurrences
    for text in reader.lexicon(name):
        matcher = reader.postings(name, text)
        if isinstance(matcher, FilterMatcher):
            matcher = matcher.child
        for ids, _weights, values in posting_blocks(matcher):
            for doc, value in zip(ids, values, strict=True):
                at = list(decode(value))
                counts.setdefault(doc, {})[text] = len(at)
                here = words.setdefault(doc, {})
                for pos in at:
                    here.setdefault(pos, []).append(text)
    found: dict[bytes, dict[int, list[int]]] = {}  # pair -> document -> positions
    for doc in sorted(words):
        here = words[doc]
        for pos in sorted(here):
            for first in here[pos]:
                for second in here.get(pos + 1, ()):
                    found.setdefault(first + b" " + second, {}).setdefault(doc, []).append(pos)
    for text in sorted(found):
        first, second = text.split(b" ", 1)
        by_doc = found[text]
        docs = array("I", by_doc)
        positions: array[int] = array("I")
        for doc in docs:
            positions.extend(by_doc[doc])
        yield (
            text,
            (
                docs,
                [counts[d][first] for d in docs],
                [counts[d][second] for d in docs],
                positions,
                [len(by_doc[d]) for d in docs],
            ),
        )


def _keys(docs: array[int], positions: array[int], counts: list[int], shift: int) -> list[int]:
    keys: list[int] = []
    at = 0
    for doc, count in zip(docs, counts, strict=True):
        base = doc << shift
        keys.extend(base | p + PAD for p in positions[at : at + count])
        at += count
    return keys


def _size(highest: int) -> int:
    return 1 if highest < 0x100 else 2 if highest < 0x10000 else 4


# -- keeping them in step -------------------------------------------------------------------


def missing_segments(folder: Path) -> list[str]:
    """The segments of the index in ``folder`` without a readable pair file."""
    from paperdeck.core.search.index_files import open_index

    with open_index(folder).reader() as reader:  # file handles: cheap to open
        return missing(folder, reader)


def missing(folder: Path, reader: IndexReader) -> list[str]:
    """The segments of ``reader`` (an open index's) without a readable pair file."""
    return [
        leaf.segment().segment_id()
        for leaf, _base in reader.leaf_readers()
        if leaf.doc_count_all()
        and hasattr(leaf, "segment")
        and not _current(folder / file_name(leaf.segment().segment_id()))
    ]


def _current(path: Path) -> bool:
    try:
        with open(path, "rb") as stream:
            return stream.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def write_missing(folder: Path, procs: int = 1) -> int:
    """Write the pair file of each segment of the index in ``folder`` that lacks one (call
    with the writer lock held, after a commit, before the state records the files), in up
    to ``procs`` processes. Returns the segments written."""
    return for_each_segment(folder, missing_segments(folder), _write_one, procs)


def _write_one(folder: Path, segment: str) -> None:
    with one_segment(FileStorage(str(folder)).open_index(), segment) as reader:  # it alone
        if reader is not None and reader.doc_count_all():
            write_segment(reader, folder / file_name(segment))


class PairFiles:
    """The pair files of an index's segments, opened on first use and kept open."""

    def __init__(self, folder: Path, rounds: ReadRounds | None = None) -> None:
        self.folder = folder
        self.rounds = rounds
        self._open: dict[str, PairFile | None] = {}

    def get(self, reader: IndexReader, sums: dict[str, list[int]]) -> PairFile | None:
        """The segment's file (None: missing, unreadable, or of another version)."""
        if not reader.doc_count_all() or not hasattr(reader, "segment"):
            return None
        segment = reader.segment().segment_id()
        if segment not in self._open:
            name = file_name(segment)
            try:
                found = PairFile(self.folder / name, sums.get(name), self.rounds)
                if found.segment != segment:
                    found.close()
                    raise ValueError(f"{name}: written for another segment")
                self._open[segment] = found
            except (OSError, ValueError, LookupError, TypeError, struct.error, ChecksumMismatch):
                self._open[segment] = None
        kept = self._open[segment]
        return None if kept is None or kept.broken else kept

    def discard(self, segment: str | None = None) -> None:
        """Forget one segment's file (found damaged), or all (``segment`` None)."""
        for name in [segment] if segment is not None else list(self._open):
            found = self._open.pop(name, None)
            if found is not None:
                found.close()

    def forget_except(self, segments: set[str]) -> None:
        for name in [n for n in self._open if n not in segments]:
            self.discard(name)
