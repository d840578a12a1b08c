"""A phrase of words without pairs as an impact node: read best first by its words, its
positions checked only for the papers that may still be among the best.

A phrase's score is the sum of its words' scores in its field (`ranking`), so a paper
holding every word scores at most that sum whether or not they stand side by side: an
upper bound known from the words' impact lists alone (`upper`). The words' lists are read
best first as an AND (`threshold`), and a paper read is checked from its words' positions
only once no paper unread can have a higher upper bound and it can still reach the k-th
best (`threshold._Segment.settle`). For a phrase whose words are in most papers and whose
hits are as many (`"neural radiance fields"` in a fifth of a million abstracts), the k best
are checked after a few hundred papers, where every hit's positions took seconds.

The check reads, for each word, the one block of postings that holds the paper (found by
its block headers, `postings.Headers`), rarest word first, and stops at the first word
that does not stand where the phrase needs it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable
from typing import Any

from whoosh import query as wq
from whoosh.reading import IndexReader

from paperdeck.core.search.hits import decoder, phrase_docs
from paperdeck.core.search.impact_nodes import Node, Stream, Tally, Word
from paperdeck.core.search.postings import Postings
from paperdeck.core.search.ranking import _Run

RATE_SAMPLE = 128  # papers holding every word of a phrase, checked before it is read
RATE_SCAN = 4096  # papers of its rarest word's list looked at for them at most


class Positions:
    """Where each word of a phrase stands in one document, a block of postings at a time."""

    def __init__(self, postings: Postings, reader: IndexReader, fieldname: str) -> None:
        self.postings, self.reader, self.fieldname = postings, reader, fieldname
        self.decode: Callable[[bytes], Iterable[int]] = decoder(reader.schema[fieldname].format)
        self._matchers: dict[bytes, Any] = {}

    def of(self, btext: bytes, d: int) -> Iterable[int] | None:
        """The positions of the word in document ``d`` (None: not there)."""
        found = self.posting(btext, d)
        return None if found is None else found[1]

    def posting(self, btext: bytes, d: int) -> tuple[float, Iterable[int]] | None:
        """The word's weight and positions in document ``d`` (None: not there)."""
        postings, reader, name = self.postings, self.reader, self.fieldname
        headers = postings.headers(reader, name, btext)
        if headers is None:
            return None
        n = bisect_left(headers.max_ids, d)
        if n >= len(headers):
            return None
        matcher = self._matchers.get(btext)
        if matcher is None:
            matcher = self._matchers[btext] = postings.matcher(reader, name, btext)
        ids, weights, values = postings.block(reader, name, btext, n, matcher)
        i = bisect_left(ids, d)
        if i >= len(ids) or ids[i] != d:
            return None
        return weights[i], self.decode(values[i])


class Uppers(Stream):
    """Papers in the order of their upper bounds (highest first, then index order)."""

    def __init__(self, ranked: list[tuple[float, int]], tally: Tally) -> None:
        self.ranked, self.tally = ranked, tally  # (-upper bound, docnum), sorted
        self._at = 0

    def read(self, n: int) -> list[int]:
        out = [d for _u, d in self.ranked[self._at : self._at + n]]
        self._at += len(out)
        self.tally.read += len(out)
        return out

    def bound(self) -> float | None:
        return -self.ranked[self._at][0] if self._at < len(self.ranked) else None


class PositionPhrase(Node):
    """A phrase in one prose field of one segment, its words served by their impact lists.

    ``words``: each distinct word's list (a stream); ``slots``: for each word of the
    phrase, in order, which of them; ``ks``: each word's idf times (k1 + 1) in the field.
    """

    def __init__(
        self,
        q: wq.Phrase,
        f: int,
        words: list[Word],
        slots: list[int],
        ks: list[float],
        norm: list[float],
        lengths: bytes,
        positions: Positions,
        tally: Tally,
    ) -> None:
        self.q, self.words, self.slots, self.ks = q, words, slots, ks
        self.norm, self.lengths, self.positions, self.tally = norm, lengths, positions, tally
        self.columns: list[Any] = [word.list.weights[f] for word in words]  # none is None
        self.f = f
        field = positions.reader.schema[q.fieldname]
        self.btexts = [field.to_bytes(word) for word in q.words]
        # Rarest first: a paper without them is known at the first word missing (its
        # bound) or out of place (its check)
        self.rarest_first = sorted(range(len(words)), key=lambda n: words[n].list.dfs[f])
        self.check_order = sorted(range(len(slots)), key=lambda at: words[slots[at]].list.dfs[f])
        self.ranked: Uppers | None = None
        self._key = ("phrase", q.fieldname, tuple(q.words))  # `hits.phrase_docs`'s

    def rank_whole(self) -> None:
        """Read in the order of the upper bounds themselves, worked out for every paper
        holding the phrase's rarest word in the field (few: `impact_query.FEW`): the
        bound is then exact for the field, where a word's list is ordered by all the
        prose fields ("radiance" in 300 titles, each of its 14,000 abstracts read
        before the title phrase is known to be done)."""
        rare = self.rarest_first[0]
        docs, column = self.words[rare].list.docs, self.columns[rare]
        ranked = []
        for i, w in enumerate(column):
            if w and (u := self.upper(docs[i])) is not None:
                ranked.append((-u, docs[i]))
        ranked.sort()
        self.ranked = Uppers(ranked, self.tally)

    def upper(self, d: int) -> float | None:
        """The score ``d`` has if its words stand side by side (they are all in the field),
        summed as `ranking` sums a phrase: each word's BM25F in the phrase's order."""
        places = [0] * len(self.words)
        for n in self.rarest_first:
            word = self.words[n]
            last = word._last  # `Word.position`, inlined: it is asked of every paper read
            if last[0] == d:
                i = last[1]
            else:
                i = word.list.find(d)
                word._last = (d, i)
            if i < 0 or not self.columns[n][i]:
                return None
            places[n] = i
        norm = self.norm[self.lengths[d]]
        columns = self.columns
        total = 0.0
        for at, (slot, k) in enumerate(zip(self.slots, self.ks, strict=True)):
            w = columns[slot][places[slot]]
            s = k * w / (w + norm)
            total = s if at == 0 else total + s
        boost = self.q.boost
        return total if boost == 1.0 else total * boost

    def exact(self, d: int) -> float | None:
        s = self.upper(d)
        if s is None or not self.stands(d):
            return None
        return s

    def known(self) -> bool:
        """Whether the phrase's papers are known (kept from listing every hit, or found
        from its words' keys, `word_keys`): checking one is then a look-up."""
        return self.positions.postings.holds(self.positions.reader, self._key)

    def stands(self, d: int) -> bool:
        """Whether the words stand one after the other somewhere in ``d``: from the
        phrase's papers where they are known, else from the positions."""
        positions = self.positions
        if self.known():
            return d in phrase_docs(positions.postings, positions.reader, self.q)
        self.tally.checked += 1
        if not self._stands(d):
            return False
        self.tally.stood += 1
        return True

    def _stands(self, d: int) -> bool:
        starts: set[int] | None = None
        for at in self.check_order:
            found = self.positions.of(self.btexts[at], d)
            if found is None:
                return False
            shifted = {p - at for p in found}
            starts = shifted if starts is None else starts & shifted
            if not starts:
                return False
        return True

    def sample(self) -> tuple[int, int]:
        """(papers holding every word, of them those where the phrase stands) among the
        first `RATE_SAMPLE` holding its rarest word, in index order: how often its words
        stand side by side, known before any is read best first (`threshold`). In index
        order each word's blocks serve one paper after another: a few blocks a word."""
        rare = self.rarest_first[0]
        docs, column = self.words[rare].list.docs, self.columns[rare]
        held = stood = 0
        if self.known():  # (found from its words' keys: a look-up each)
            known = phrase_docs(self.positions.postings, self.positions.reader, self.q)
            stands: Callable[[int], bool] = known.__contains__
        else:
            stands = self._stands
        for i in range(min(len(column), RATE_SCAN)):
            if column[i] and self.upper(docs[i]) is not None:
                held += 1
                stood += stands(docs[i])
                if held == RATE_SAMPLE:
                    break
        return held, stood

    def bound(self) -> float | None:
        # A word's list is in the order of its score over every prose field (its title
        # score, above all), and its score in this field alone is below its k (BM25's
        # w / (w + norm) < 1): "neural", in a fifth of the titles and nearly every
        # abstract, adds at most 2.2 to the abstract's phrase, not its title score too.
        if self.ranked is not None:
            return self.ranked.bound()
        total = 0.0
        for slot, k in zip(self.slots, self.ks, strict=True):
            b = self.words[slot].bound()
            if b is None:  # a word read to its end: nothing unread holds it
                return None
            total += min(b, k)
        return total * self.q.boost

    def streams(self) -> list[Stream]:
        return [self.ranked] if self.ranked is not None else list(self.words)

    def estimate(self, count: int) -> float:
        return float(min(word.list.dfs[self.f] for word in self.words))

    def docs(self) -> set[int]:
        positions = self.positions
        return set(phrase_docs(positions.postings, positions.reader, self.q))


def rare_phrase_scores(
    run: _Run, reader: IndexReader, q: wq.Phrase, candidates: Iterable[int]
) -> dict[int, float]:
    """A phrase's scores where one of its words is in few papers (``candidates``: those
    papers): each word's weight and positions read from the one block that holds the
    paper, where scoring it whole reads every posting of every word ("state of the art"
    in the affiliations: "of" in most of them). Summed as `ranking` sums a phrase."""
    name = q.fieldname
    field = reader.schema[name]
    btexts = [field.to_bytes(word) for word in q.words]
    lengths = run.ranker.lengths(reader, name) if field.scorable else None
    norm = run._norm(name) if lengths is not None else None
    ks = [run.searcher.idf(name, b) * (run.k1 + 1) * 1.0 for b in btexts]
    positions = Positions(run.ranker.postings, reader, name)
    order = sorted(range(len(btexts)), key=lambda at: reader.doc_frequency(name, btexts[at]))
    scores: dict[int, float] = {}
    for n, d in enumerate(candidates):
        if n % 256 == 255:
            run.ranker.postings.check()
        weights = [0.0] * len(btexts)
        starts: set[int] | None = None
        for at in order:
            found = positions.posting(btexts[at], d)
            if found is None:
                break
            weights[at] = found[0]
            shifted = {p - at for p in found[1]}
            starts = shifted if starts is None else starts & shifted
            if not starts:
                break
        else:
            if norm is None or lengths is None:  # `ranking._Run._term`: a weight alone
                parts = list(weights)
            else:
                length = norm[lengths[d]]
                parts = [k * w / (w + length) for k, w in zip(ks, weights, strict=True)]
            total = parts[0]
            for part in parts[1:]:
                total = total + part
            scores[d] = total if q.boost == 1.0 else total * q.boost
    return scores
