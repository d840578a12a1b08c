"""Top-k first over the impact lists: a query's best hits after reading its words' best papers.

Fagin's threshold algorithm. Each word of a query is read best first from its impact list
(`impacts`: its BM25F summed over title, abstract and note); every other part of the query
(an author, a tag, a year) from its scores in descending order. Each paper seen is scored
exactly at once (random access: a word's weights by bisection in its list, the other parts
from their score tables) and kept among the k best. The papers not yet seen can score no
more than the bound the lists' read positions give (for OR the sum of its parts' bounds;
for AND the same sum, or nothing once a required part has been read to its end: the rare
word of "learning zebra" ends the search). Reading stops once that bound is below the k-th
best score: those k are then the exact top k.

Scores are summed in `ranking`'s order of a query's parts (`size_hint`) with its formula,
so each is bit for bit the score that scoring every hit gives, and equal scores keep index
order. Phrases and a lone NOT are not handled here (`top_k_by_impacts` returns None): the
block-max way of `topk` answers them. The nodes read and scored are in `impact_nodes`, built
from the query by `impact_query`; this module is the algorithm that drives them. An AND
of plain words is read by `conjunction` instead, which scores a paper only once it may
still be among the k best (for words each in most papers, a fraction of those read).
"""

from __future__ import annotations

from collections.abc import Callable, Set

from whoosh import query as wq
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from paperdeck.core.cancel import Cancel
from paperdeck.core.search.conjunction import Best, read_conjunction, words_of
from paperdeck.core.search.impact_nodes import And, Node, Table, Tally
from paperdeck.core.search.impact_query import Builder, Unsupported
from paperdeck.core.search.impacts import ImpactFile
from paperdeck.core.search.ranking import Ranker, _Run
from paperdeck.core.search.topk import TopK

__all__ = ["FIRST_BATCH", "MAX_BATCH", "Files", "Tally", "top_k_by_impacts"]

FIRST_BATCH = 32  # papers read from each list in the first round; doubled each round
MAX_BATCH = 1024  # between two cancel checks: ~5 ms of scoring per list

Files = Callable[[IndexReader], ImpactFile | None]  # a segment's impact lists, if any


def top_k_by_impacts(
    ranker: Ranker,
    searcher: Searcher,
    q: wq.Query,
    k: int,
    files: Files,
    cancel: Cancel | None = None,
    tally: Tally | None = None,
    *,
    count: bool = False,
) -> TopK | None:
    """The ``k`` best documents of ``q`` with their scores, or None when a segment has no
    impact lists or the query a part not handled here. ``cancel`` is asked before each
    batch of postings is read (it raises SearchCancelled); ``tally`` counts what was read
    (also when cancelled). ``count``: every hit's docnum is listed too (`TopK.hits`), from
    the lists' documents as sets, without scoring them."""
    with ranker.postings.cancelled_by(cancel):
        try:
            return _top_k(ranker, searcher, q, k, files, tally or Tally(), count)
        except Unsupported:
            return None


def _top_k(
    ranker: Ranker,
    searcher: Searcher,
    q: wq.Query,
    k: int,
    files: Files,
    tally: Tally,
    count: bool,
) -> TopK:
    run = _Run(ranker, searcher, relax=False)
    check = ranker.postings.check
    best = Best(k)
    exact = True
    estimate = 0.0
    segments = []
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        documents = reader.doc_count_all()
        if not documents:
            continue
        found = files(reader)
        if found is None:
            raise Unsupported("a segment without impact lists")
        segments.append((leaf, reader, offset, documents, found))
    # Every segment's query is built first: a part that is not handled is found before
    # any postings are read.
    built = [
        (reader, offset, Builder(run, leaf, reader, found, tally).node(q), documents)
        for leaf, reader, offset, documents, found in segments
    ]
    for reader, offset, node, documents in built:
        estimate += node.estimate(documents)
        deleted = reader.deleted_docs_set if reader.has_deletions() else frozenset()
        words = words_of(node) if k > 0 else None
        if words is not None:
            assert isinstance(node, And)
            read = read_conjunction(
                node, words, offset, deleted, best, check, FIRST_BATCH, MAX_BATCH
            )
        else:
            read = _read(node, offset, deleted, best, check, k)
        exact = exact and read
    every = best.every
    ranked = sorted(best.heap, reverse=True)
    hits: list[int] | None = None
    if count and exact:
        hits = sorted(every)
    elif count:
        hits = []
        for reader, offset, node, _documents in built:
            check()
            matched = node.docs()
            if reader.has_deletions():
                matched -= reader.deleted_docs_set
            hits.extend(sorted(d + offset for d in matched) if offset else sorted(matched))
    return TopK(
        [-d for _s, d in ranked],
        [s for s, _d in ranked],
        len(every) if exact else max(round(estimate), len(every)),
        exact,
        0,
        0,
        every if exact else None,
        tally.read,
        hits,
    )


def _read(
    node: Node, offset: int, deleted: Set[int], best: Best, check: Callable[[], None], k: int
) -> bool:
    """The threshold algorithm over one segment: each paper scored as soon as one of the
    node's streams yields it. True when every hit was scored."""
    streams = node.streams()
    # A part scored whole, alone (a prefix, a year): read in score order, equal scores in
    # index order, so an unread paper that only ties the k-th best comes after it.
    ties_after = isinstance(node, Table)
    seen: set[int] = set()
    batch = FIRST_BATCH
    while True:
        check()
        bound = node.bound()
        if bound is None:
            return True  # nothing unread can match
        if k <= 0 or best.beaten(bound):
            return False
        if ties_after and len(best.heap) == k and bound <= best.heap[0][0]:
            return False
        for stream in streams:
            for d in stream.read(batch):
                if d in seen:
                    continue
                seen.add(d)
                if d in deleted:
                    continue
                s = node.exact(d)
                if s is not None:
                    best.add(d + offset, s)
        batch = min(batch * 2, MAX_BATCH)
