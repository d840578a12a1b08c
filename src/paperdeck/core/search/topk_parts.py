"""The parts of a query in one segment, for `topk`: each part's bound per window of
documents and its exact scores in one window.

A part's bound comes from Whoosh's block headers (each block's highest weight and shortest
field length, read without decoding the block), or, for a rare term, from its postings
read whole; scores are decoded only for the windows `topk` decides to score. Boolean parts
combine their children's bounds and scores in `ranking`'s order of a query's parts, so a
document's score is bit for bit what `ranking` gives it. Phrases are in `topk_phrases`.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Sequence
from typing import Any

from whoosh.reading import IndexReader

from paperdeck.core.search.ranking import _Run

EXACT_BELOW = 2048  # a term with fewer postings is read whole for its bounds

Bounds = list[float | None]  # per window: the highest score possible there, None: no hit


class Node:
    """A query part in one segment: its bound per window and its exact scores in one."""

    def bounds(self, count: int, window: int) -> Bounds:
        raise NotImplementedError

    def scores(self, lo: int, hi: int) -> dict[int, float]:
        raise NotImplementedError

    def estimate(self, count: int) -> float:
        """How many documents of ``count`` it matches, roughly (independent words)."""
        raise NotImplementedError


class Term(Node):
    """One term: its block headers give bounds; blocks are decoded only where scored."""

    def __init__(self, run: _Run, reader: IndexReader, fieldname: str, text: Any, boost: float):
        self.run, self.reader, self.fieldname = run, reader, fieldname
        self.blocks: Sequence[Any] = ()
        self.df = 0
        schema = reader.schema
        if fieldname not in schema:
            return
        field = schema[fieldname]
        try:
            self.btext = text if isinstance(text, bytes) else field.to_bytes(text)
        except ValueError:
            return
        self.cache = run.ranker.postings
        headers = self.cache.headers(reader, fieldname, self.btext)
        if headers is None:
            return
        self.matcher = self.cache.matcher(reader, fieldname, self.btext)
        self.headers = headers
        self.df = headers.postings
        lengths = run.ranker.lengths(reader, fieldname) if field.scorable else None
        self.lengths = lengths
        if lengths is None:
            self.k = boost
            self.norm: list[float] | None = None
            self.bound = [w * boost for w in headers.max_weights]
        else:
            norm = run._norm(fieldname)
            k = run.searcher.idf(fieldname, self.btext) * (run.k1 + 1) * boost
            self.k, self.norm = k, norm
            self.bound = [
                k * w / (w + norm[m])
                for w, m in zip(headers.max_weights, headers.min_lengths, strict=True)
            ]
        self.blocks = headers.max_ids

    def bounds(self, count: int, window: int) -> Bounds:
        out: Bounds = [None] * count
        if self.blocks and self.df <= EXACT_BELOW:
            # Few postings: a block spans many windows; reading them is cheap, and their
            # scores bound each window exactly (a rare word then limits every AND).
            for d, s in self.scores(0, self.blocks[-1] + 1).items():
                w = min(d // window, count - 1)
                now = out[w]
                if now is None or s > now:
                    out[w] = s
            return out
        low = 0
        for b, high in enumerate(self.blocks):
            ub = self.bound[b]
            for w in range(low // window, min(high // window, count - 1) + 1):
                now = out[w]
                if now is None or ub > now:
                    out[w] = ub
            low = high + 1
        return out

    def _blocks(self, lo: int, hi: int) -> Iterator[tuple[Any, int, int]]:
        """(block, start, end): the blocks holding postings in [lo, hi), and where."""
        blocks = self.blocks
        b = bisect_left(blocks, lo)
        while b < len(blocks):
            block = self.cache.block(self.reader, self.fieldname, self.btext, b, self.matcher)
            ids = block[0]
            start = bisect_left(ids, lo) if ids[0] < lo else 0
            end = bisect_left(ids, hi, start) if blocks[b] >= hi else len(ids)
            yield block, start, end
            if blocks[b] >= hi - 1:
                return
            b += 1

    def postings(self, lo: int, hi: int) -> dict[int, tuple[float, Any]]:
        """docnum -> (weight, value) of the postings in [lo, hi)."""
        found: dict[int, tuple[float, Any]] = {}
        for (ids, weights, values), start, end in self._blocks(lo, hi):
            found.update(
                zip(
                    ids[start:end],
                    zip(weights[start:end], values[start:end], strict=True),
                    strict=True,
                )
            )
        return found

    def scores(self, lo: int, hi: int) -> dict[int, float]:
        scores: dict[int, float] = {}
        if not self.blocks:
            return scores
        k, norm, lengths = self.k, self.norm, self.lengths
        for (ids, weights, _values), start, end in self._blocks(lo, hi):
            pairs = zip(ids[start:end], weights[start:end], strict=True)
            if norm is None or lengths is None:
                scores.update({d: w * k for d, w in pairs})
            else:
                scores.update({d: k * w / (w + norm[lengths[d]]) for d, w in pairs})
        return scores

    def estimate(self, count: int) -> float:
        return float(self.df)


class Or(Node):
    """Any of the parts: the scores of those present summed, as Whoosh's union adds them."""

    def __init__(self, children: list[Node]) -> None:
        self.children = children

    def bounds(self, count: int, window: int) -> Bounds:
        out: Bounds = [None] * count
        for child in self.children:
            for w, b in enumerate(child.bounds(count, window)):
                if b is not None:
                    now = out[w]
                    out[w] = b if now is None else now + b
        return out

    def scores(self, lo: int, hi: int) -> dict[int, float]:
        if not self.children:
            return {}
        total = dict(self.children[0].scores(lo, hi))  # the largest: copied, not added to 0
        get = total.get
        for child in self.children[1:]:
            for d, s in child.scores(lo, hi).items():
                total[d] = get(d, 0.0) + s
        return total

    def estimate(self, count: int) -> float:
        missing = 1.0
        for child in self.children:
            missing *= 1 - min(child.estimate(count), count) / count
        return count * (1 - missing)


class And(Node):
    """Every wanted part (scores summed), none of the unwanted (each adds 1, as Whoosh's)."""

    def __init__(self, wanted: list[Node], unwanted: list[set[int]], every: set[int]) -> None:
        self.wanted, self.unwanted, self.every = wanted, unwanted, every

    def bounds(self, count: int, window: int) -> Bounds:
        if not self.wanted:
            return [float(len(self.unwanted))] * count
        out: Bounds = [0.0] * count
        for child in self.wanted:
            for w, b in enumerate(child.bounds(count, window)):
                now = out[w]
                out[w] = None if b is None or now is None else now + b
        extra = len(self.unwanted)
        return [None if b is None else b + extra for b in out]

    def scores(self, lo: int, hi: int) -> dict[int, float]:
        if self.wanted:
            tables = [child.scores(lo, hi) for child in self.wanted]
            smallest = min(tables, key=len)
            common = [d for d in smallest if all(d in t for t in tables)]
            scores = {}
            for d in common:
                s = tables[0][d]
                for t in tables[1:]:
                    s += t[d]
                scores[d] = s
        else:
            scores = {d: 0.0 for d in self.every if lo <= d < hi}
        for excluded in self.unwanted:
            scores = {d: s for d, s in scores.items() if d not in excluded}
        if self.unwanted:
            scores = {d: s + len(self.unwanted) for d, s in scores.items()}
        return scores

    def estimate(self, count: int) -> float:
        share = 1.0
        for child in self.wanted:
            share *= min(child.estimate(count), count) / count
        return count * share


class Filtered(Node):
    """``a`` within (``keep``) or outside (not ``keep``) a set of documents."""

    def __init__(self, a: Node, docs: set[int], keep: bool) -> None:
        self.a, self.docs, self.keep = a, docs, keep

    def bounds(self, count: int, window: int) -> Bounds:
        return self.a.bounds(count, window)

    def scores(self, lo: int, hi: int) -> dict[int, float]:
        docs, keep = self.docs, self.keep
        return {d: s for d, s in self.a.scores(lo, hi).items() if (d in docs) == keep}

    def estimate(self, count: int) -> float:
        return self.a.estimate(count)


class Maybe(Node):
    """``a``, plus ``b``'s score where ``b`` matches too (ANDMAYBE)."""

    def __init__(self, a: Node, b: Node) -> None:
        self.a, self.b = a, b

    def bounds(self, count: int, window: int) -> Bounds:
        extra = self.b.bounds(count, window)
        return [
            None if x is None else x + (y or 0.0)
            for x, y in zip(self.a.bounds(count, window), extra, strict=True)
        ]

    def scores(self, lo: int, hi: int) -> dict[int, float]:
        extra = self.b.scores(lo, hi)
        return {d: s + extra.get(d, 0.0) for d, s in self.a.scores(lo, hi).items()}

    def estimate(self, count: int) -> float:
        return self.a.estimate(count)


class Set(Node):
    """Anything else (prefixes, ranges, a lone NOT): its documents, all with one score."""

    def __init__(self, docs: set[int], score: float) -> None:
        self.docs = sorted(docs)
        self.score = score

    def bounds(self, count: int, window: int) -> Bounds:
        out: Bounds = [None] * count
        for d in self.docs:
            out[min(d // window, count - 1)] = self.score
        return out

    def scores(self, lo: int, hi: int) -> dict[int, float]:
        start = bisect_left(self.docs, lo)
        end = bisect_left(self.docs, hi, start)
        return dict.fromkeys(self.docs[start:end], self.score)

    def estimate(self, count: int) -> float:
        return float(len(self.docs))


class Scaled(Node):
    """A one-word phrase: the word, its score times the phrase's boost."""

    def __init__(self, a: Node, boost: float) -> None:
        self.a, self.boost = a, boost

    def bounds(self, count: int, window: int) -> Bounds:
        return [None if b is None else b * self.boost for b in self.a.bounds(count, window)]

    def scores(self, lo: int, hi: int) -> dict[int, float]:
        if self.boost == 1.0:
            return self.a.scores(lo, hi)
        return {d: s * self.boost for d, s in self.a.scores(lo, hi).items()}

    def estimate(self, count: int) -> float:
        return self.a.estimate(count)
