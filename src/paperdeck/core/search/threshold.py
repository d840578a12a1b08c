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
order. A phrase of common words is read best first from its word pairs (`impact_phrases`),
or without pairs by its words' lists, a paper's positions checked only once it may be
among the best (`_Segment.lazy`, `impact_positions`); a lone NOT, a phrase of words each
in many papers outside the prose fields, phrases alone in few papers (`WHOLE`: scored
at once, their count exact), a phrase whose pairs were read too deep (`DEEP`) or whose
positions were checked too often is not handled here (`top_k_by_impacts` returns None):
`topk` answers them. The nodes
read and scored are in `impact_nodes`, built from the query by `impact_query`; this module
is the algorithm that drives them. An AND of plain words is read by `conjunction` instead,
which scores a paper only once it may still be among the k best (for words each in most
papers, a fraction of those read).
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Callable, Iterator, Set

from whoosh import query as wq
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from paperdeck.core.cancel import Cancel
from paperdeck.core.search.conjunction import Best, read_conjunction, words_of
from paperdeck.core.search.impact_nodes import And, Node, Table, Tally
from paperdeck.core.search.impact_phrases import paired_postings, phrases_alone
from paperdeck.core.search.impact_query import Builder, Unsupported, dense
from paperdeck.core.search.impacts import ImpactFile
from paperdeck.core.search.ranking import Ranker, _Run
from paperdeck.core.search.topk import TopK

__all__ = ["FIRST_BATCH", "MAX_BATCH", "Files", "Tally", "top_k_by_impacts"]

FIRST_BATCH = 32  # papers read from each list in the first round; doubled each round
DEEP = 1 / 10  # of its pairs' postings read best first, past which a phrase is scored whole
SHALLOW = 4096  # postings of pairs read before that is asked (~30 ms)
WHOLE = 250_000  # postings of pairs at most, for phrases alone, that are scored whole (~150 ms)
MAX_BATCH = 1024  # between two cancel checks: ~5 ms of scoring per list
# Papers a list per round at most where papers wait to be checked: reading past the stop
# costs ~3 us a paper, and a round twice as long reads up to twice as far
LAZY_BATCH = 256
CHECK_EVERY = 16  # papers scored by a phrase's positions between two cancel checks (~8 ms)
HITS_PIECE = 1 << 13  # hits listed at a time (one call each): ~0.5 ms of the interpreter
CHECKS_FLOOR = 64  # papers whose positions are checked before the budget is asked
RATE_AFTER = 96  # papers checked before the rate the phrase stands at in them is asked

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
    first: int | None = None,
) -> TopK | None:
    """The ``k`` best documents of ``q`` with their scores, or None when a segment has no
    impact lists or the query a part not handled here. ``cancel`` is asked before each
    batch of postings is read (it raises SearchCancelled); ``tally`` counts what was read
    (also when cancelled). ``count``: every hit's docnum is listed too (`TopK.hits`), from
    the lists' documents as sets, without scoring them. ``first``: where papers are
    checked only as they may be among the best (a phrase's positions, `_Segment.lazy`),
    each check ~0.5 ms, only the ``first`` best are found (a screenful, fast; not exact)."""
    with ranker.postings.cancelled_by(cancel):
        try:
            return _top_k(ranker, searcher, q, k, files, tally or Tally(), count, first)
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
    first: int | None = None,
) -> TopK:
    run = _Run(ranker, searcher, relax=False)
    check = ranker.postings.check
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
    phrases = phrases_alone(q)
    if phrases:
        paired = 0
        positions = False  # a phrase whose every hit would be checked from positions
        for _leaf, reader, _offset, _documents, _found in segments:
            for phrase in phrases:
                postings = paired_postings(run, reader, phrase)
                paired += postings
                positions = positions or (not postings and dense(reader, phrase))
        if 0 < paired <= WHOLE and not positions:
            # Phrases alone, in few papers: scored at once, the count exact with the best
            raise Unsupported("phrases cheaper to score whole")
    # Every segment's query is built first: a part that is not handled is found before
    # any postings are read. Building reads the words' impact lists whole (three common
    # words at a million papers: ~100 ms), so a newer key is looked for between segments.
    built = []
    lazy: list[bool] = []  # per segment: a part is checked only where it may be a best
    for leaf, reader, offset, documents, found in segments:
        check()
        builder = Builder(run, leaf, reader, found, tally)
        builder.listing = count
        built.append((reader, offset, builder.node(q), documents))
        lazy.append(builder.lazy)
    if first is not None and any(lazy):
        k = min(k, first)
    if any(lazy) and not count and _rare_as_a_phrase(tally.sampled, tally.sampled_stood, tally, k):
        raise Unsupported("a phrase in few of the papers holding its words (sampled)")
    best = Best(k)
    # Every hit listed too, and papers checked lazily: the hits first, so that a phrase's
    # papers are known before its best are read, and checking one is a look-up
    # (`PositionPhrase.stands`): the first search may have found only a screenful.
    listed = [
        node.sorted_docs() if count and k > 0 and checked else None
        for (_reader, _offset, node, _documents), checked in zip(built, lazy, strict=True)
    ]
    others: list[_Segment] = []
    for (reader, offset, node, documents), checked in zip(built, lazy, strict=True):
        estimate += node.estimate(documents)
        deleted = reader.deleted_docs_set if reader.has_deletions() else frozenset()
        words = words_of(node) if k > 0 else None
        if words is not None:
            assert isinstance(node, And)
            read = read_conjunction(
                node, words, offset, deleted, best, check, FIRST_BATCH, MAX_BATCH
            )
            exact = exact and read
        else:
            others.append(_Segment(node, offset, deleted, checked))
    exact = _read(others, best, check, k, tally) and exact
    every = best.every
    ranked = sorted(best.heap, reverse=True)
    hits: array[int] | None = None
    if count and exact:
        hits = array("I", sorted(every))
    elif count:
        hits = array("I")  # 4 bytes a hit: a list held an int object each (36 MB at 1M)
        for (reader, offset, node, _documents), known in zip(built, listed, strict=True):
            check()
            matched = known if known is not None else node.sorted_docs()
            if reader.has_deletions():
                deleted = reader.deleted_docs_set
                matched = [d for d in matched if d not in deleted]
            for at in range(0, len(matched), HITS_PIECE):  # other threads run between
                # pieces (a segment of a million papers in one call would hold the
                # interpreter; 65,536 hits a piece held it 3-5 ms, and a key typed waited)
                piece = matched[at : at + HITS_PIECE]
                hits.extend(map(offset.__add__, piece) if offset else piece)
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


class _Segment:
    """One segment's part of the reading: its node, what it has yielded, how it ended.

    ``lazy``: finding a paper's exact score is dear (a phrase's positions): a paper read
    waits with its upper bound (`Node.upper`) until no unread paper can have a higher one,
    and is scored only if that bound can still reach the k-th best, so that the papers
    scored are about those whose bound reaches the k-th best in the end."""

    __slots__ = (
        "node",
        "offset",
        "deleted",
        "streams",
        "seen",
        "ties_after",
        "whole",
        "lazy",
        "waiting",
        "passed",
    )

    def __init__(self, node: Node, offset: int, deleted: Set[int], lazy: bool = False) -> None:
        self.node, self.offset, self.deleted = node, offset, deleted
        self.streams = list({id(s): s for s in node.streams()}.values())  # each once
        self.seen: set[int] = set()
        # A part scored whole, alone (a prefix, a year): read in score order, equal scores
        # in index order, so an unread paper that only ties the k-th best comes after it.
        self.ties_after = isinstance(node, Table)
        self.whole: bool | None = None  # once done: whether every hit was scored
        self.lazy = lazy
        self.waiting: list[tuple[float, int]] = []  # (-upper bound, docnum): a heap
        self.passed = False  # a paper that may match was left unscored (by its bound)

    def done(self, best: Best, k: int) -> bool:
        bound = self.node.bound()
        if bound is None:
            self.whole = True  # nothing unread can match (lazy: unless one is passed over)
        elif k <= 0 or best.beaten(bound) or self._tied(best, k, bound):
            self.whole = False
        return self.whole is not None

    def _tied(self, best: Best, k: int, bound: float) -> bool:
        """Whether a part scored whole can at best tie the k-th best with papers that come
        after it (its equal scores are in index order, its segments read in turn)."""
        return self.ties_after and len(best.heap) == k and bound <= best.heap[0][0]

    def read(self, batch: int, best: Best) -> None:
        node, offset, waiting = self.node, self.offset, self.waiting
        if not self.lazy:
            for d in self._unseen(batch):
                s = node.exact(d)
                if s is not None:
                    best.add(d + offset, s)
            return
        for d in self._unseen(batch):
            upper = node.upper(d)
            if upper is None:
                continue
            if best.beaten(upper):
                self.passed = True
            else:
                heapq.heappush(waiting, (-upper, d))

    def _unseen(self, batch: int) -> Iterator[int]:
        """The next ``batch`` papers of each stream not read before, deleted ones left out."""
        seen, deleted = self.seen, self.deleted
        for stream in self.streams:
            for d in stream.read(batch):
                if d in seen:
                    continue
                seen.add(d)
                if d not in deleted:
                    yield d


def _settle(
    segments: list[_Segment],
    best: Best,
    unseen: float | None,
    check: Callable[[], None],
    tally: Tally,
) -> None:
    """Score the waiting papers (`_Segment.lazy`) of every segment, the highest upper bound
    first, while it is at least ``unseen`` (the highest any unread paper can have; None:
    every one is read) and can still reach the k-th best: so in the end the papers
    scored are about those whose bound reaches the k-th best, wherever they are.

    Where a phrase's words are side by side in few of the papers holding them all, the
    k-th best stays low and nearly every such paper would be checked: past as many
    blocks decoded as reading every position takes (`Tally.check_budget`), or once the
    rate at which it stands says the budget would be spent (`_rare_as_a_phrase`), the
    search is left to `topk`."""
    waiting = [segment for segment in segments if segment.waiting]
    scored = 0
    while waiting:
        first = max(waiting, key=lambda segment: -segment.waiting[0][0])
        upper = -first.waiting[0][0]
        if unseen is not None and upper < unseen:
            return
        if best.beaten(upper):  # and so is every paper still waiting
            for segment in waiting:
                segment.passed = True
                segment.waiting.clear()
            return
        d = heapq.heappop(first.waiting)[1]
        scored += 1
        if scored % CHECK_EVERY == 0:
            check()
            if tally.checked > max(CHECKS_FLOOR, tally.check_budget):
                raise Unsupported("a phrase checked too often")
            if _rare_as_a_phrase(tally.checked, tally.stood, tally, best.k):
                raise Unsupported("a phrase in few of the papers holding its words")
        s = first.node.exact(d)
        if s is not None:
            best.add(d + first.offset, s)
        if not first.waiting:
            waiting.remove(first)


def _rare_as_a_phrase(checked: int, stood: int, tally: Tally, k: int) -> bool:
    """Whether, at the rate a phrase's words stood side by side in the ``checked`` papers
    (``stood`` of them), the budget's checks would find fewer than k papers: then nearly
    every paper holding the words is checked, one at a time, or the budget gives up, where
    listing every hit (`topk`) reads their positions in bulk, ~15 times cheaper a paper."""
    budget = max(CHECKS_FLOOR, tally.check_budget)
    return checked >= RATE_AFTER and stood * budget < k * checked


def _read(
    segments: list[_Segment], best: Best, check: Callable[[], None], k: int, tally: Tally
) -> bool:
    """The threshold algorithm over the segments at once, a batch of each stream of each
    segment a round (a paper is in one segment: each stops once its own bound is beaten),
    so that the k-th best rises with the best of every segment: the papers holding a
    phrase in their title, a few in each segment, outrank thousands holding it in the
    abstract alone. A part scored whole (its equal scores in index order) is read a segment
    after another: the first segment's papers come first. True when every hit was scored."""
    if len(segments) > 1 and any(segment.ties_after for segment in segments):
        return all([_read([segment], best, check, k, tally) for segment in segments])
    batch = FIRST_BATCH
    reading = segments
    lazy = any(segment.lazy for segment in segments)
    while reading:
        for segment in reading:
            if segment.done(best, k):  # (beaten, maybe by a segment read this round)
                continue
            check()
            segment.read(batch, best)
            if tally.pairs > max(DEEP * tally.paired, SHALLOW):
                # Where a phrase's papers score alike (in a third of the abstracts) its
                # bound falls slowly, and a paper read best first costs ~10x one scored
                # at once: every hit is scored from here.
                raise Unsupported("a phrase read too deep")
        reading = [segment for segment in reading if segment.whole is None]
        if lazy:
            bounds = [segment.node.bound() for segment in reading]
            unseen = max((b for b in bounds if b is not None), default=None)
            _settle(segments, best, unseen, check, tally)
        batch = min(batch * 2, LAZY_BATCH if lazy else MAX_BATCH)
    return all(segment.whole and not segment.passed for segment in segments)
