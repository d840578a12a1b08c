"""Top-k first: a query's best hits without scoring every hit, by block-max pruning.

Scoring every hit (`ranking`) costs what the most common word costs: every posting of
"learning" is read and scored to show 40 rows. Whoosh keeps, in each block of a term's
postings (up to 128), the block's highest weight and shortest field length, readable without
decoding the block. BM25F grows with the weight and shrinks with the length, so a block's
score can be no higher than that of its best weight at its shortest length.

The documents of each segment are cut into windows of `WINDOW` numbers; a query's bound for a
window follows from its terms' block bounds (a sum for OR, the same sum when every required
part has a block there for AND, nothing otherwise). Windows are scored exactly, best bound
first, until no window left can hold a score that reaches the k-th best found: those k are
then the exact top k, with the same scores and order as scoring everything (equal scores in
index order). The total is an estimate from document frequencies until counted.

Scores are summed in a fixed order of the query's parts (`order`), shared with `ranking`, so
a score is bit for bit the same whichever way it was found.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from whoosh import query as wq
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from paperdeck.core.cancel import Cancel
from paperdeck.core.search.hits import decoder, docs_of
from paperdeck.core.search.postings import Postings
from paperdeck.core.search.ranking import Ranker, _Run, size_hint
from paperdeck.core.search.spelling import PrefixQuery

WINDOW = 1024  # documents scored together; their bound is one number
DENSE = 0.5  # hits possible in more of the windows than this: every hit scored at once
EXACT_BELOW = 2048  # a term with fewer postings is read whole for its bounds
_SLACK = 1e-9  # a bound is raised by this share: rounding must never make it too low

Bounds = list[float | None]  # per window: the highest score possible there, None: no hit


@dataclass(slots=True)
class TopK:
    docs: list[int]  # the best docnums, best first
    scores: list[float]
    estimate: int  # the total: from document frequencies, at least those found; or exact
    exact: bool  # every window was scored: ``estimate`` is the count of hits
    windows: int  # windows in all
    scored: int  # windows scored
    every: dict[int, float] | None = None  # when ``exact``: every hit's score (docnum ->)
    read: int = 0  # postings read from impact lists (`threshold`)
    hits: list[int] | None = None  # every hit's docnum in index order, when asked


def top_k(
    ranker: Ranker,
    searcher: Searcher,
    q: wq.Query,
    k: int,
    cancel: Cancel | None = None,
    window: int = WINDOW,
    dense: float = DENSE,
) -> TopK:
    """The ``k`` best documents of ``q`` and their scores, scoring only the windows that may
    hold one; ``cancel`` is asked between windows and as postings are read (it raises
    SearchCancelled). When more than ``dense`` of the windows may hold a hit, none can be
    skipped for long: every hit is scored at once (`Ranker.scores`, the cheaper way, whose
    term scores are also kept for the next keystroke), with the same result."""
    with ranker.postings.cancelled_by(cancel):
        return _top_k(ranker, searcher, q, k, window, dense)


def _top_k(
    ranker: Ranker, searcher: Searcher, q: wq.Query, k: int, window: int, dense: float
) -> TopK:
    run = _Run(ranker, searcher, relax=False)
    check = ranker.postings.check
    units: list[tuple[float, int, int, _Node, frozenset[int] | set[int]]] = []
    estimate = 0.0
    total = 0
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        count = reader.doc_count_all()
        if not count:
            continue
        node = _node(run, leaf, reader, q)
        estimate += node.estimate(count)
        deleted = reader.deleted_docs_set if reader.has_deletions() else frozenset()
        bounds = node.bounds((count + window - 1) // window, window)
        for w, bound in enumerate(bounds):
            if bound is not None:
                units.append((bound, offset, w, node, deleted))
        total += len(bounds)
    if len(units) > dense * total:
        scores = ranker.scores(searcher, q)
        head = heapq.nlargest(k, sorted(scores), key=scores.__getitem__)  # as `best` does
        return TopK(head, [scores[d] for d in head], len(scores), True, total, total, scores)
    units.sort(key=lambda u: (-u[0], u[1], u[2]))
    heap: list[tuple[float, int]] = []  # (score, -docnum): the k-th best at heap[0]
    scored = 0
    every: dict[int, float] = {}  # docnum -> score of each hit in the windows scored
    for bound, offset, w, node, deleted in units:
        if k <= 0:
            break
        if len(heap) == k and bound * (1 + _SLACK) + _SLACK < heap[0][0]:
            break
        check()
        scored += 1
        window_scores = node.scores(w * window, (w + 1) * window)
        if deleted:
            window_scores = {d: s for d, s in window_scores.items() if d not in deleted}
        if offset:
            window_scores = {d + offset: s for d, s in window_scores.items()}
        every.update(window_scores)
        for d, s in window_scores.items():
            if len(heap) < k:
                heapq.heappush(heap, (s, -d))
            elif s >= heap[0][0] and (s, -d) > heap[0]:
                heapq.heapreplace(heap, (s, -d))
    best = sorted(heap, reverse=True)
    exact = scored == len(units)
    return TopK(
        [-d for _s, d in best],
        [s for s, _d in best],
        len(every) if exact else max(round(estimate), len(every)),
        exact,
        total,
        scored,
        every if exact else None,
    )


class _Node:
    """A query part in one segment: its bound per window and its exact scores in one."""

    def bounds(self, count: int, window: int) -> Bounds:
        raise NotImplementedError

    def scores(self, lo: int, hi: int) -> dict[int, float]:
        raise NotImplementedError

    def estimate(self, count: int) -> float:
        """How many documents of ``count`` it matches, roughly (independent words)."""
        raise NotImplementedError


class _Term(_Node):
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


class _Or(_Node):
    def __init__(self, children: list[_Node]) -> None:
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


class _And(_Node):
    """Every wanted part (scores summed), none of the unwanted (each adds 1, as Whoosh's)."""

    def __init__(self, wanted: list[_Node], unwanted: list[set[int]], every: set[int]) -> None:
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


class _Filtered(_Node):
    """``a`` within (``keep``) or outside (not ``keep``) a set of documents."""

    def __init__(self, a: _Node, docs: set[int], keep: bool) -> None:
        self.a, self.docs, self.keep = a, docs, keep

    def bounds(self, count: int, window: int) -> Bounds:
        return self.a.bounds(count, window)

    def scores(self, lo: int, hi: int) -> dict[int, float]:
        docs, keep = self.docs, self.keep
        return {d: s for d, s in self.a.scores(lo, hi).items() if (d in docs) == keep}

    def estimate(self, count: int) -> float:
        return self.a.estimate(count)


class _Maybe(_Node):
    def __init__(self, a: _Node, b: _Node) -> None:
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


class _Phrase(_Node):
    """Words side by side: bounded by the sum of the words; positions read only for the
    documents of a window that hold every word."""

    def __init__(self, words: list[_Term], fmt: Any, boost: float) -> None:
        self.words, self.boost = words, boost
        self.decode = decoder(fmt)

    def bounds(self, count: int, window: int) -> Bounds:
        return _And(list(self.words), [], set()).bounds(count, window) if self.words else []

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
        return _And(list(self.words), [], set()).estimate(count) if self.words else 0.0


class _Table(_Node):
    """Documents already scored (a phrase, from its word pairs): bounded by their scores."""

    def __init__(self, scores: dict[int, float]) -> None:
        self.table = scores
        self.docs = sorted(scores)

    def bounds(self, count: int, window: int) -> Bounds:
        out: Bounds = [None] * count
        for d in self.docs:
            w = min(d // window, count - 1)
            now, s = out[w], self.table[d]
            if now is None or s > now:
                out[w] = s
        return out

    def scores(self, lo: int, hi: int) -> dict[int, float]:
        start = bisect_left(self.docs, lo)
        end = bisect_left(self.docs, hi, start)
        return {d: self.table[d] for d in self.docs[start:end]}

    def estimate(self, count: int) -> float:
        return float(len(self.docs))


class _Set(_Node):
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


def _node(run: _Run, leaf: Searcher, reader: IndexReader, q: wq.Query) -> _Node:
    """The query as nodes, children in `ranking`'s order (`size_hint`), so sums agree."""
    postings: Postings = run.ranker.postings
    kind = type(q)
    if kind is wq.Term:
        return _Term(run, reader, q.fieldname, q.text, q.boost)
    if kind is wq.Or and getattr(q, "minmatch", 0) <= 1:
        subs = sorted(q.subqueries, key=lambda s: size_hint(reader, s), reverse=True)
        return _Or([_node(run, leaf, reader, sub) for sub in subs])
    if kind is wq.And:
        wanted = [sub for sub in q.subqueries if type(sub) is not wq.Not]
        wanted.sort(key=lambda s: size_hint(reader, s))
        unwanted = [
            docs_of(leaf, reader, sub.query, postings)
            for sub in q.subqueries
            if type(sub) is wq.Not
        ]
        every = set() if wanted else set(reader.all_doc_ids())
        return _And([_node(run, leaf, reader, sub) for sub in wanted], unwanted, every)
    if kind is wq.AndNot:
        return _Filtered(_node(run, leaf, reader, q.a), docs_of(leaf, reader, q.b, postings), False)
    if kind is wq.Require:
        return _Filtered(_node(run, leaf, reader, q.a), docs_of(leaf, reader, q.b, postings), True)
    if kind is wq.AndMaybe:
        return _Maybe(_node(run, leaf, reader, q.a), _node(run, leaf, reader, q.b))
    if kind is wq.Phrase and q.slop == 1:
        if q.fieldname not in reader.schema:
            return _Set(set(), 0.0)
        field = reader.schema[q.fieldname]
        if not field.format or not field.format.supports("positions"):
            return _Set(set(), 0.0)
        paired = run.phrase(reader, q)
        if paired is not None:
            return _Table(paired)
        words = [_Term(run, reader, q.fieldname, word, 1.0) for word in q.words]
        if not words or any(not word.blocks for word in words):
            return _Set(set(), 0.0)
        if len(words) == 1:
            return _Scaled(words[0], q.boost)
        return _Phrase(words, field.format, q.boost)
    boost = q.boost if isinstance(q, PrefixQuery) else getattr(q, "boost", 1.0)
    return _Set(docs_of(leaf, reader, q, postings), float(boost))


class _Scaled(_Node):
    """A one-word phrase: the word, its score times the phrase's boost."""

    def __init__(self, a: _Node, boost: float) -> None:
        self.a, self.boost = a, boost

    def bounds(self, count: int, window: int) -> Bounds:
        return [None if b is None else b * self.boost for b in self.a.bounds(count, window)]

    def scores(self, lo: int, hi: int) -> dict[int, float]:
        if self.boost == 1.0:
            return self.a.scores(lo, hi)
        return {d: s * self.boost for d, s in self.a.scores(lo, hi).items()}

    def estimate(self, count: int) -> float:
        return self.a.estimate(count)
