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

This module drives the windows and turns a query into parts; the parts (their bounds and
scores) are `topk_parts`, the phrases `topk_phrases`.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

from whoosh import query as wq
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from paperdeck.core.cancel import Cancel
from paperdeck.core.search.hits import docs_of
from paperdeck.core.search.postings import Postings
from paperdeck.core.search.ranking import Ranker, _Run, size_hint, top
from paperdeck.core.search.spelling import PrefixQuery
from paperdeck.core.search.topk_parts import (
    And,
    Filtered,
    Maybe,
    Node,
    Or,
    Scaled,
    Set,
    Term,
)
from paperdeck.core.search.topk_phrases import Phrase, Table

WINDOW = 1024  # documents scored together; their bound is one number
DENSE = 0.5  # hits possible in more of the windows than this: every hit scored at once
SURELY_DENSE = 4  # hits guessed per window above which it is dense without a look (98%)
_SLACK = 1e-9  # a bound is raised by this share: rounding must never make it too low


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
    hits: Sequence[int] | None = None  # every hit's docnum in index order, when asked


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
    if dense < 1.0:
        windows, hits = _rough_size(searcher, q, window)
        if hits > SURELY_DENSE * windows:
            return _every_hit(ranker, searcher, q, k, windows)
    run = _Run(ranker, searcher, relax=False)
    check = ranker.postings.check
    units: list[tuple[float, int, int, Node, frozenset[int] | set[int]]] = []
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
        return _every_hit(ranker, searcher, q, k, total)
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


def _every_hit(ranker: Ranker, searcher: Searcher, q: wq.Query, k: int, windows: int) -> TopK:
    scores = ranker.scores(searcher, q)
    head = top(scores, k)  # as `best` does
    return TopK(head, [scores[d] for d in head], len(scores), True, windows, windows, scores)


def _rough_size(searcher: Searcher, q: wq.Query, window: int) -> tuple[int, int]:
    """(windows, hits as `size_hint` guesses them, from document frequencies alone): with
    many more hits than windows, nearly every window holds one and the windows' bounds,
    dear to work out (block headers read, a phrase's pairs all scored), would skip none."""
    windows = hits = 0
    for leaf, _offset in searcher.leaf_searchers():
        reader = leaf.reader()
        count = reader.doc_count_all()
        windows += (count + window - 1) // window
        hits += min(size_hint(reader, q), count)
    return windows, hits


def _node(run: _Run, leaf: Searcher, reader: IndexReader, q: wq.Query) -> Node:
    """The query as nodes, children in `ranking`'s order (`size_hint`), so sums agree."""
    postings: Postings = run.ranker.postings
    kind = type(q)
    if kind is wq.Term:
        return Term(run, reader, q.fieldname, q.text, q.boost)
    if kind is wq.Or and getattr(q, "minmatch", 0) <= 1:
        subs = sorted(q.subqueries, key=lambda s: size_hint(reader, s), reverse=True)
        return Or([_node(run, leaf, reader, sub) for sub in subs])
    if kind is wq.And:
        wanted = [sub for sub in q.subqueries if type(sub) is not wq.Not]
        wanted.sort(key=lambda s: size_hint(reader, s))
        unwanted = [
            docs_of(leaf, reader, sub.query, postings)
            for sub in q.subqueries
            if type(sub) is wq.Not
        ]
        every = set() if wanted else set(reader.all_doc_ids())
        return And([_node(run, leaf, reader, sub) for sub in wanted], unwanted, every)
    if kind is wq.AndNot:
        return Filtered(_node(run, leaf, reader, q.a), docs_of(leaf, reader, q.b, postings), False)
    if kind is wq.Require:
        return Filtered(_node(run, leaf, reader, q.a), docs_of(leaf, reader, q.b, postings), True)
    if kind is wq.AndMaybe:
        return Maybe(_node(run, leaf, reader, q.a), _node(run, leaf, reader, q.b))
    if kind is wq.Phrase and q.slop == 1:
        if q.fieldname not in reader.schema:
            return Set(set(), 0.0)
        field = reader.schema[q.fieldname]
        if not field.format or not field.format.supports("positions"):
            return Set(set(), 0.0)
        paired = run.phrase(reader, q)
        if paired is not None:
            return Table(paired)
        words = [Term(run, reader, q.fieldname, word, 1.0) for word in q.words]
        if not words or any(not word.blocks for word in words):
            return Set(set(), 0.0)
        if len(words) == 1:
            return Scaled(words[0], q.boost)
        return Phrase(words, field.format, q.boost)
    boost = q.boost if isinstance(q, PrefixQuery) else getattr(q, "boost", 1.0)
    return Set(docs_of(leaf, reader, q, postings), float(boost))
