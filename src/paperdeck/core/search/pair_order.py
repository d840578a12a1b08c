"""A word pair's documents best first, for the best papers of a phrase without scoring them all.

A phrase's score is the sum of its words' BM25F in the field (`ranking`), and the counts of
a pair's two words are in its posting (`pairs`), so each pair's documents can be put in the
order of the two words' score: the same formula with the segment's own statistics, fixed
when the pair file is written (`pair_files`). A phrase's best papers are then read best
first from its pairs (`impact_phrases`), as a word's from its impact list (`impacts`):
`"large language model"` at a million papers, a third of them holding it, no longer scores
all 330,000 to show 40.

A 2-word phrase is its pair, so the key is its score at the build's statistics. Each pair
is also kept in the order of its second word's score alone (`later`), so that a longer
phrase's score is the sum of its first pair's key and the later pairs' second words' keys,
each word counted once: their next keys bound the papers no pair has yielded yet as
closely as a 2-word phrase's (summing whole pairs, the middle words counted twice, kept
the bound above the k-th best where a phrase's papers score alike).
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from math import log

from whoosh.reading import IndexReader
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

from paperdeck.core.search.whoosh_private import field_b


@dataclass(frozen=True, slots=True)
class FieldStats:
    """The statistics of one field of one segment that a pair file's order was made with."""

    docs: int
    k1: float
    b: float
    average: float  # the field's length per document

    def norms(self) -> list[float]:
        """BM25's length normalisation for each of the 256 length bytes."""
        k1, b, average = self.k1, self.b, self.average
        return [k1 * ((1 - b) + b * byte_to_length(n) / average) for n in range(256)]

    def weight(self, df: int) -> float:
        """idf (Whoosh's formula, the segment's counts) times (k1 + 1)."""
        return (log(self.docs / (df + 1)) + 1) * (self.k1 + 1)


def field_stats(reader: IndexReader, fieldname: str) -> FieldStats:
    bm25 = BM25F()
    docs = max(reader.doc_count_all(), 1)
    average = reader.field_length(fieldname) / docs if fieldname in reader.schema else 0.0
    return FieldStats(
        docs, float(bm25.K1), float(field_b(bm25).get(fieldname, bm25.B)), average or 1.0
    )


def best_first(
    docs: Sequence[int],
    firsts: Sequence[float],
    seconds: Sequence[float],
    weights: tuple[float, float],
    norms: list[float],
    lengths: bytes,
    boost: float,
) -> array[int]:
    """Positions into ``docs``, highest key first (`key`; equal keys in document order).
    ``weights`` (0.0, w): the order of the second word's score alone."""
    ka, kb = weights
    if boost != 1.0:
        firsts = [c * boost for c in firsts]
        seconds = [c * boost for c in seconds]
    keys = [
        ka * a / (a + norms[lengths[d]]) + kb * b / (b + norms[lengths[d]])
        for d, a, b in zip(docs, firsts, seconds, strict=True)
    ]
    return array("I", sorted(range(len(keys)), key=keys.__getitem__, reverse=True))


def key(weights: tuple[float, float], a: float, b: float, norm: float) -> float:
    """The order's key of one document (``a``, ``b``: the words' weights there; ``norm``:
    its length's), the same floats as `best_first` computes."""
    ka, kb = weights
    return ka * a / (a + norm) + kb * b / (b + norm)
