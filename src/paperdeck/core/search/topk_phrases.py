"""Phrases in `topk`'s windows: checked from their words' positions, or already scored
from their word pairs (`pairs`).

A phrase from positions is bounded by the sum of its words (an AND of them) and checked only
in the windows scored, only for the documents there that hold every word. A phrase its word
pairs answered is a table of scores, bounded per window by the best score in it.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from paperdeck.core.search.hits import decoder
from paperdeck.core.search.topk_parts import And, Bounds, Node, Term


class Phrase(Node):
    """Words side by side: bounded by the sum of the words; positions read only for the
    documents of a window that hold every word."""

    def __init__(self, words: list[Term], fmt: Any, boost: float) -> None:
        self.words, self.boost = words, boost
        self.decode = decoder(fmt)

    def bounds(self, count: int, window: int) -> Bounds:
        return And(list(self.words), [], set()).bounds(count, window) if self.words else []

    def scores(self, lo: int, hi: int) -> dict[int, float]:
        found = [word.postings(lo, hi) for word in self.words]
        if not found:
            return {}
        smallest = min(found, key=len)
        common = [d for d in smallest if all(d in f for f in found)]
        tables = [word.scores(lo, hi) for word in self.words]
        out: dict[int, float] = {}
        decode = self.decode
        for d in common:
            starts = set(decode(found[0][d][1]))
            for shift, f in enumerate(found[1:], 1):
                starts &= {p - shift for p in decode(f[d][1])}
                if not starts:
                    break
            if starts:
                s = tables[0][d]
                for t in tables[1:]:
                    s += t[d]
                out[d] = s if self.boost == 1.0 else s * self.boost
        return out

    def estimate(self, count: int) -> float:
        return And(list(self.words), [], set()).estimate(count) if self.words else 0.0


class Table(Node):
    """Documents already scored (a phrase, from its word pairs): bounded by their scores."""

    def __init__(self, scores: dict[int, float]) -> None:
        self.table = scores
        self.docs = sorted(scores)  # mostly in order already: a linear pass

    def bounds(self, count: int, window: int) -> Bounds:
        out: Bounds = [None] * count
        docs = self.docs
        values = list(map(self.table.__getitem__, docs))
        start = 0
        while start < len(docs):  # a window at a time: its documents' best score
            w = min(docs[start] // window, count - 1)
            end = len(docs) if w == count - 1 else bisect_left(docs, (w + 1) * window, start)
            out[w] = max(values[start:end])
            start = end
        return out

    def scores(self, lo: int, hi: int) -> dict[int, float]:
        start = bisect_left(self.docs, lo)
        end = bisect_left(self.docs, hi, start)
        return {d: self.table[d] for d in self.docs[start:end]}

    def estimate(self, count: int) -> float:
        return float(len(self.docs))
