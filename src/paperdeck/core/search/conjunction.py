"""An AND of words over their impact lists: a paper is scored only once it may still be a best.

The threshold algorithm (`threshold`) scores every paper as soon as one list yields it,
reading each list about as deep as the sum of the lists' next scores stays above the k-th
best. For words that are each in most papers that depth is thousands of papers a list, and
scoring each one (a bisection and a field sum in every list) was 80% of a search
(benchmarks/RESULTS.md). Here the lists are read to the same depth, but a paper read from
some of them is only noted, with an upper bound: the bounds of the lists it was read from
(each list's bound at the start of a run of `CHUNK` papers) plus the next score of each
list it was not yet read from (it is further down there, or not in it). As the lists are
read those bounds fall, and a paper whose bound is below the k-th best is dropped unscored;
a list read to its end rules out every paper not read from it (it lacks the word). Papers
read from every list, and while fewer than k are known the most promising, are scored at
once, so that the k-th best rises early. When nothing unread can reach the k-th best, the
noted papers are scored from the highest bound down while their bound can still reach it.

Only an AND whose every wanted part is one word in the prose fields (`And` of `Or`s served
by one `Word` each: what the parser makes of `large language model`) is read this way; the
scores are `And.exact`'s, so bit for bit those of scoring every hit.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Set

from paperdeck.core.search.impact_nodes import And, Node, Or, Word, WordField

CHUNK = 64  # papers read in a row that share one upper bound (the first one's)
DRAINED = 32  # noted papers few enough to score rather than read on
GROWTH_CAP = 256  # papers a list per round at most: reading past the stop costs as much
SLACK = 1e-9  # a bound is raised by this share: rounding must never make it too low
PRUNE_AT = 512  # noted papers below which they are not passed over before they double
DONE = -1  # a paper's mask once it is scored, deleted or left out


class Best:
    """The k best so far over every segment (the k-th at ``heap[0]``), and every paper
    scored (docnum -> score)."""

    __slots__ = ("k", "heap", "every")

    def __init__(self, k: int) -> None:
        self.k = k
        self.heap: list[tuple[float, int]] = []  # (score, -docnum): equal scores keep index order
        self.every: dict[int, float] = {}

    def add(self, docnum: int, s: float) -> None:
        self.every[docnum] = s
        heap = self.heap
        if len(heap) < self.k:
            heapq.heappush(heap, (s, -docnum))
        elif s >= heap[0][0] and (s, -docnum) > heap[0]:
            heapq.heapreplace(heap, (s, -docnum))

    def beaten(self, bound: float) -> bool:
        """Nothing scoring at most ``bound`` can enter the k best."""
        heap = self.heap
        return len(heap) == self.k and bound * (1 + SLACK) + SLACK < heap[0][0]


def words_of(node: Node) -> list[Word] | None:
    """The words of an AND read this way, in its order (None: another shape)."""
    if type(node) is not And or len(node.wanted) < 2:
        return None
    words = []
    for child in node.wanted:
        if type(child) is not Or or len(child.words) != 1:
            return None
        word = child.words[0]
        if any(type(part) is not WordField or part.word is not word for part in child.children):
            return None
        words.append(word)
    return words


def read_conjunction(
    node: And,
    words: list[Word],
    offset: int,
    deleted: Set[int],
    best: Best,
    check: Callable[[], None],
    first: int,
    most: int,
) -> bool:
    """Add to ``best`` the segment's papers (docnums + ``offset``) that may be among the k
    best. True when every hit was scored (nothing was left out by its bound). ``check`` is
    asked before each batch (``first`` papers a list, doubled each round up to ``most``)."""
    full = (1 << len(words)) - 1
    extra = float(len(node.unwanted))  # each absent unwanted part adds 1 (`And.exact`)
    # Per document of the segment (a list indexed by docnum: a dict entry and a tuple per
    # paper read were half the reading): the lists it was read from (a bit mask; DONE once
    # scored, deleted or left out) and the bounds it was read at, summed.
    size = max((w.list.docs[-1] + 1 for w in words if len(w.list.docs)), default=0)
    masks = [0] * size
    sums = [0.0] * size
    noted: list[int] = []  # the papers noted (mask > 0), and some since done: passed over
    live = 0  # how many of them are noted still
    skipped = False
    draining = 0  # once nothing unread can reach the k best: the papers noted then
    batch = first

    def score(d: int) -> None:
        masks[d] = DONE
        if d in deleted:
            return
        s = node.exact(d)
        if s is not None:
            best.add(d + offset, s)

    pruned = 0  # how many were noted after the last pass over them
    ready: list[int] = []  # noted papers read from every list since the last round
    while True:
        check()
        rest = _rest([word.bound() for word in words], extra, full)
        unseen = rest[0]
        if unseen is None:
            break
        beaten = best.beaten(unseen)
        # A pass over every noted paper drops those that can no longer be among the best. It
        # is made when the reading may stop (the count decides), else only once they have
        # doubled: made each round, it was 60% of a search at a million papers.
        if live and (beaten or live >= 2 * max(pruned, PRUNE_AT)):
            # Per set of lists read from: the bounds summed below which a paper is beaten
            # (`Best.beaten` of their sum with the rest), and whether it cannot match.
            floor = best.heap[0][0] if len(best.heap) == best.k else None
            lowest = -math.inf if floor is None else (floor - SLACK) / (1 + SLACK)
            cut = [-math.inf if r is None else lowest - r for r in rest]
            kept: list[int] = []
            for d in noted:
                mask = masks[d]
                if mask <= 0:
                    continue  # scored or dropped since it was noted
                if sums[d] < cut[mask]:
                    masks[d] = DONE
                    skipped = True
                elif rest[mask] is None:  # not in a list read to its end: no match
                    masks[d] = DONE
                else:
                    kept.append(d)
            noted = kept
            live = pruned = len(kept)
        if beaten:
            # Nothing unread can reach the k best. Reading on is still cheaper than scoring
            # while it leaves out many noted papers: a paper is read for ~1/40 of its scoring.
            skipped = True
            if live <= DRAINED or (draining and live > 0.9 * draining):
                break
            draining = live
        for i, word in enumerate(words):
            bit = 1 << i
            for bound, docs in word.read_chunks(batch, CHUNK):
                for d in docs:
                    mask = masks[d]
                    if mask > 0:
                        mask |= bit
                        masks[d] = mask
                        sums[d] += bound
                        if mask == full:
                            ready.append(d)
                    elif not mask and not draining:  # (once draining, one not noted is beaten)
                        masks[d] = bit
                        sums[d] = bound
                        noted.append(d)
                        live += 1
        # Read from every list: its bound is near its score; scored now (unless beaten already),
        # it lifts the k-th best.
        for d in ready:
            if masks[d] != full:
                continue
            live -= 1
            if best.beaten(sums[d] + extra):
                masks[d] = DONE
                skipped = True
            else:
                score(d)
        ready.clear()
        wanted = best.k - len(best.heap)
        if wanted > 0 and live:
            ranked = heapq.nlargest(
                wanted,
                (d for d in noted if masks[d] > 0),
                key=lambda d: sums[d] + (rest[masks[d]] or 0.0),
            )
            for d in ranked:
                live -= 1
                score(d)
        # (Once draining, each round passes over the noted papers: fewer, longer rounds.)
        batch = min(batch * 2, most if draining else min(most, GROWTH_CAP))
    # Nothing unread can reach the k best: the noted papers, the highest bound first.
    rest = _rest([word.bound() for word in words], extra, full)
    ranked_all = sorted(
        (
            (sums[d] + r, d)
            for d in noted
            if (mask := masks[d]) > 0 and (r := rest[mask]) is not None
        ),
        reverse=True,
    )
    for n, (bound, d) in enumerate(ranked_all):
        if best.beaten(bound):
            skipped = True
            break
        if n % 1024 == 1023:
            check()
        score(d)
    return not skipped


def _rest(fronts: list[float | None], extra: float, full: int) -> list[float | None]:
    """For each set of lists a paper was read from (a bit mask), the most the others can
    add: their next scores summed (None: one of them was read to its end, and so lacks the
    paper)."""
    out: list[float | None] = []
    for mask in range(full + 1):
        total: float | None = extra
        for i, front in enumerate(fronts):
            if not mask >> i & 1:
                if front is None:
                    total = None
                    break
                assert total is not None
                total += front
        out.append(total)
    return out
