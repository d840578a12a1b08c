"""Per-word impact lists beside the Whoosh index: each word's papers, best first.

BM25F sums a word's scores over the fields (title and abstract above all), and Whoosh keeps
its postings per field in document order: its per-block maxima come from different papers,
so no bound drawn from them prunes a common word (benchmarks/RESULTS.md). Here, for each
segment, each word of the prose fields (title, abstract, note: one analyzer, so one stemmed
text) gets one list of the papers holding it in any of them, ordered by the word's BM25F
summed over those fields as the segment's own statistics give it (`key`). A search reads a
word's best papers first (`threshold`) and stops once nothing unread can reach its k-th best.

One file per segment, `MAIN_<segment>.imp`: Whoosh deletes it with its segment (its name has
the segment's pattern), the index state records its size and checksums with Whoosh's files,
and it is derived: written after each commit for the segments that lack one
(`write_missing`), ignored when missing or of another format (searches then take the
slower way). Layout: the magic, the directory's offset, each word's arrays, the directory
(a JSON header, the sorted words, and per word where its arrays are, how many papers, which
fields and each field's document frequency). A word's arrays: its papers in document order
(uint32), the impact order as positions into them (uint32), then a float32 weight per paper
for each field it occurs in (0: not in that field; Whoosh stores weights as float32, so they
are its own to the bit).
"""

from __future__ import annotations

import heapq
import json
import os
import struct
import tempfile
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from math import log
from pathlib import Path
from typing import Any, BinaryIO

from whoosh.filedb.filestore import FileStorage
from whoosh.reading import IndexReader
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

from paperdeck.core.search import packed
from paperdeck.core.search.checksums import CheckedFile, ChecksumMismatch, ReadRounds
from paperdeck.core.search.index_workers import for_each_segment
from paperdeck.core.search.whoosh_private import (
    field_b,
    field_postings,
    length_column,
    one_segment,
)
from paperdeck.core.search.word_table import WordTable

FIELDS = ("title", "abstract", "note")  # the prose fields: one analyzer, one stemmed text
MAGIC = b"PDIMPv1\n"
SUFFIX = ".imp"


def file_name(segment_id: str) -> str:
    return f"{segment_id}{SUFFIX}"  # segment_id() is already "MAIN_..."


@dataclass(frozen=True, slots=True)
class Stats:
    """The constants a file's order was computed with (`key`)."""

    docs: int
    k1: float
    b: tuple[float, ...]  # per field of FIELDS
    average: tuple[float, ...]  # field length per document, per field

    def norms(self, f: int) -> list[float]:
        """BM25's length normalisation for each of the 256 length bytes of field ``f``."""
        k1, b, average = self.k1, self.b[f], self.average[f]
        return [k1 * ((1 - b) + b * byte_to_length(n) / average) for n in range(256)]

    def weight(self, df: int) -> float:
        """idf (Whoosh's formula, the segment's counts) times (k1 + 1)."""
        return (log(self.docs / (df + 1)) + 1) * (self.k1 + 1)


class ImpactList:
    """One word's papers in one segment."""

    __slots__ = ("docs", "order", "weights", "dfs", "nbytes")

    def __init__(
        self,
        docs: array[int],
        order: array[int],
        weights: list[array[float] | None],
        dfs: list[int],
    ) -> None:
        self.docs = docs  # segment docnums, ascending
        self.order = order  # positions into ``docs``, best first
        self.weights = weights  # per field of FIELDS, aligned with ``docs`` (None: absent)
        self.dfs = dfs  # per field: how many of ``docs`` hold the word there
        self.nbytes = 8 * len(docs) + sum(4 * len(w) for w in weights if w is not None) + 200

    def __len__(self) -> int:
        return len(self.docs)

    def find(self, docnum: int) -> int:
        """The position of ``docnum`` in ``docs``, or -1."""
        docs = self.docs
        i = bisect_left(docs, docnum)
        return i if i < len(docs) and docs[i] == docnum else -1

    @property
    def footprint_bytes(self) -> int:  # for the byte-bounded cache (`postings.footprint`)
        return self.nbytes


class ImpactFile:
    """A segment's impact lists, opened: the directory in memory, the lists read on demand."""

    def __init__(
        self, path: Path, sums: list[int] | None = None, rounds: ReadRounds | None = None
    ) -> None:
        """``sums``: the file's block checksums, verified as read (in each of ``rounds``)."""
        raw: BinaryIO = open(path, "rb")  # noqa: SIM115 - closed by `close`
        self._file: Any = CheckedFile(raw, path.name, sums, rounds) if sums is not None else raw
        try:
            head = self._read(0, 16)
            if len(head) != 16 or head[:8] != MAGIC:
                raise ValueError(f"{path.name}: not an impact file of this version")
            (where,) = struct.unpack("<Q", head[8:])
            (size,) = struct.unpack("<I", self._read(where, 4))
            header = json.loads(self._read(where + 4, size))
            self.stats = Stats(
                int(header["docs"]),
                float(header["k1"]),
                tuple(float(x) for x in header["b"]),
                tuple(float(x) for x in header["average"]),
            )
            self.segment: str = header["segment"]
            self._table = WordTable(
                self._read,
                where + 4 + size,
                int(header["terms"]),
                int(header["blob"]),
                [("offset", "Q", 1), ("count", "I", 1), ("mask", "B", 1), ("dfs", "I", 3)],
            )
            if self._table.end != os.fstat(raw.fileno()).st_size or len(FIELDS) != 3:
                raise ValueError(f"{path.name}: the directory does not add up")
        except BaseException:
            raw.close()
            raise
        self.norms = [self.stats.norms(f) for f in range(len(FIELDS))]

    def _read(self, offset: int, size: int) -> bytes:
        self._file.seek(offset)
        data: bytes = self._file.read(size)
        return data

    def find(self, btext: bytes) -> int:
        """The word's number in the directory, or -1."""
        return self._table.find(btext)

    def postings(self, n: int) -> int:
        return int(self._table.value("count", n)[0])

    def read(self, n: int) -> ImpactList:
        """The ``n``-th word's list, read whole (a common word's: ~1 MB at 100k papers)."""
        table = self._table
        count, mask = int(table.value("count", n)[0]), int(table.value("mask", n)[0])
        fields = [f for f in range(len(FIELDS)) if mask >> f & 1]
        data = self._read(int(table.value("offset", n)[0]), 4 * count * (2 + len(fields)))
        if len(data) != 4 * count * (2 + len(fields)):
            raise ValueError("an impact list ends early")
        docs, at = packed.take(data, 0, "I", count)
        order, at = packed.take(data, at, "I", count)
        weights: list[array[float] | None] = [None] * len(FIELDS)
        for f in fields:
            weights[f], at = packed.take(data, at, "f", count)
        dfs = [int(df) for df in table.value("dfs", n)]
        return ImpactList(docs, order, weights, dfs)

    def close(self) -> None:
        self._file.close()


def key(
    stats_weight: list[float], norms: list[list[float]], weights: list[float], lengths: list[int]
) -> float:
    """The order of a list: the word's BM25F over the fields with the segment's statistics
    (``stats_weight``: idf times (k1 + 1) per field; ``weights``: 0 where absent)."""
    total = 0.0
    for f, w in enumerate(weights):
        if w:
            total += stats_weight[f] * w / (w + norms[f][lengths[f]])
    return total


# -- writing ------------------------------------------------------------------------------


def segment_stats(reader: IndexReader, weighting: BM25F | None = None) -> Stats:
    bm25 = weighting or BM25F()
    docs = max(reader.doc_count_all(), 1)
    b = field_b(bm25)
    fields = [f for f in FIELDS if f in reader.schema]
    return Stats(
        docs,
        float(bm25.K1),
        tuple(float(b.get(f, bm25.B)) for f in FIELDS),
        tuple((reader.field_length(f) / docs or 1.0) if f in fields else 1.0 for f in FIELDS),
    )


def write_segment(reader: IndexReader, path: Path) -> int:
    """Write the impact lists of one segment (``reader``: its reader) to ``path``
    atomically; returns the words written."""
    stats = segment_stats(reader)
    fields = [f for f in FIELDS if f in reader.schema]
    columns = [length_column(reader, f) if f in fields else b"" for f in FIELDS]
    norms = [stats.norms(f) for f in range(len(FIELDS))]
    segment = reader.segment().segment_id()
    words: list[bytes] = []
    offsets = array("Q")
    counts = array("I")
    masks = bytearray()
    dfs = array("I")
    fd, temp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(MAGIC + bytes(8))
            for word, postings in _words(reader, fields):
                docs, weights = _merge(postings)
                n = len(docs)
                present = [w is not None for w in weights]
                df = [len(p[0]) if p is not None else 0 for p in postings]
                factor = [stats.weight(df[f]) if present[f] else 0.0 for f in range(len(FIELDS))]
                keys = _keys(docs, weights, factor, norms, columns)
                order = array("I", sorted(range(n), key=keys.__getitem__, reverse=True))
                words.append(word)
                offsets.append(out.tell())
                counts.append(n)
                masks.append(sum(1 << f for f in range(len(FIELDS)) if present[f]))
                dfs.extend(df)
                packed.write(out, array("I", docs))
                packed.write(out, order)
                for w in weights:
                    if w is not None:
                        packed.write(out, w)
            where = out.tell()
            header = {
                "segment": segment,
                "docs": stats.docs,
                "k1": stats.k1,
                "b": list(stats.b),
                "average": list(stats.average),
                "terms": len(words),
                "blob": sum(len(word) for word in words),
            }
            encoded = json.dumps(header, sort_keys=True).encode()
            out.write(struct.pack("<I", len(encoded)) + encoded)
            out.write(b"".join(words))
            starts = array("I", [0])
            for word in words:
                starts.append(starts[-1] + len(word))
            for part in (starts, offsets, counts):
                packed.write(out, part)
            out.write(bytes(masks))
            packed.write(out, dfs)
            out.seek(len(MAGIC))
            out.write(struct.pack("<Q", where))
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return len(words)


def _keys(
    docs: list[int],
    weights: list[array[float] | None],
    factor: list[float],
    norms: list[list[float]],
    columns: list[bytes],
) -> list[float]:
    """`key` of each document, a field at a time (the same sums, in the same order)."""
    keys = [0.0] * len(docs)
    for f, column in enumerate(weights):
        if column is None:
            continue
        c, norm, lengths = factor[f], norms[f], columns[f]
        keys = [
            k + c * w / (w + norm[lengths[d]]) if w else k
            for k, d, w in zip(keys, docs, column, strict=True)
        ]
    return keys


Postings = list[tuple[Sequence[int], Sequence[float], int] | None]  # per field: ids, weights, df


def _words(reader: IndexReader, fields: list[str]) -> Iterator[tuple[bytes, Postings]]:
    """Each word of the prose fields in byte order, with its postings in each field."""
    lexicons = [_tagged(field_postings(reader, name), FIELDS.index(name)) for name in fields]
    current: bytes | None = None
    found: Postings = [None] * len(FIELDS)
    for word, f, ids, weights in heapq.merge(*lexicons):
        if word != current:
            if current is not None:
                yield current, found
            current, found = word, [None] * len(FIELDS)
        if ids:
            found[f] = (ids, weights, len(ids))
    if current is not None:
        yield current, found


def _tagged(
    terms: Iterator[tuple[bytes, Sequence[int], Sequence[float]]], f: int
) -> Iterator[tuple[bytes, int, Sequence[int], Sequence[float]]]:
    for word, ids, weights in terms:  # (word, f) is unique: the lists are never compared
        yield word, f, ids, weights


def _merge(postings: Postings) -> tuple[list[int], list[array[float] | None]]:
    """The word's documents (ascending) and, per field, its weight in each (0: absent)."""
    present = [p for p in postings if p is not None]
    if len(present) == 1:
        only = present[0]
        docs = list(only[0])
        return docs, [array("f", only[1]) if p is not None else None for p in postings]
    docs = sorted(set().union(*(p[0] for p in present)))
    where = {d: i for i, d in enumerate(docs)}
    weights: list[array[float] | None] = []
    for p in postings:
        if p is None:
            weights.append(None)
            continue
        column = array("f", bytes(4 * len(docs)))
        for d, w in zip(p[0], p[1], strict=True):
            column[where[d]] = w
        weights.append(column)
    return docs, weights


# -- keeping them in step -------------------------------------------------------------------


def missing(folder: Path, reader: IndexReader) -> list[tuple[Any, Path]]:
    """The segments of ``reader`` (its leaf readers) without a readable impact file."""
    out = []
    for leaf, _base in reader.leaf_readers():
        if not leaf.doc_count_all() or not hasattr(leaf, "segment"):
            continue
        path = folder / file_name(leaf.segment().segment_id())
        if not _current(path):
            out.append((leaf, path))
    return out


def _current(path: Path) -> bool:
    try:
        with open(path, "rb") as stream:
            return stream.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def missing_segments(folder: Path) -> list[str]:
    """The segments of the index in ``folder`` without a readable impact file."""
    from paperdeck.core.search.index_files import open_index

    with open_index(folder).reader() as reader:  # file handles: cheap to open
        return [leaf.segment().segment_id() for leaf, _path in missing(folder, reader)]


def write_missing(folder: Path, procs: int = 1) -> int:
    """Write the impact lists of each segment of the index in ``folder`` that lacks them
    (call with the writer lock held, after a commit, before the state records the files),
    in up to ``procs`` processes. Returns the segments written."""
    return for_each_segment(folder, missing_segments(folder), _write_one, procs)


def _write_one(folder: Path, segment: str) -> None:
    # Mapped: the segment's files are read into memory at once (3x faster than file reads
    # for the many small reads), the segment alone (`one_segment`).
    with one_segment(FileStorage(str(folder)).open_index(), segment) as reader:
        if reader is not None and reader.doc_count_all():
            write_segment(reader, folder / file_name(segment))


class ImpactFiles:
    """The impact files of an index's segments, opened on first use and kept open."""

    def __init__(self, folder: Path, rounds: ReadRounds | None = None) -> None:
        self.folder = folder
        self.rounds = rounds
        self._open: dict[str, ImpactFile | None] = {}

    def get(self, reader: IndexReader, sums: dict[str, list[int]]) -> ImpactFile | None:
        """The segment's file (None: missing, unreadable, or of another version)."""
        if not reader.doc_count_all() or not hasattr(reader, "segment"):
            return None
        segment = reader.segment().segment_id()
        if segment not in self._open:
            name = file_name(segment)
            try:
                found = ImpactFile(self.folder / name, sums.get(name), self.rounds)
                self._open[segment] = found
            except (OSError, ValueError, KeyError, TypeError, struct.error, ChecksumMismatch):
                self._open[segment] = None
        return self._open[segment]

    def discard(self, segment: str | None = None) -> None:
        """Forget one segment's file (found damaged), or all (``segment`` None)."""
        for name in [segment] if segment is not None else list(self._open):
            found = self._open.pop(name, None)
            if found is not None:
                found.close()

    def forget_except(self, segments: set[str]) -> None:
        for name in [n for n in self._open if n not in segments]:
            self.discard(name)
