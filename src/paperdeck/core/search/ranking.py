"""Relevance without Whoosh's matchers: BM25F scores for every hit, a block of postings at a time.

Whoosh scores one posting at a time through a tree of matcher objects and fetches each
document's field length with a few method calls: ranking a word found in all 100,000 papers
took 0.45 s even for the top 200. Here each term's postings are read a block at a time and
scored against the segment's field-length column, read once, with Whoosh's own BM25F
formula and statistics (idf, average field length, B, K1), so the order is Whoosh's. Boolean
queries combine per-document score tables, as Whoosh's matchers add scores up; a phrase
scores as the sum of its words, a prefix as its boost, anything else as a filter.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence, Set
from typing import TYPE_CHECKING, Any

from whoosh import query as wq
from whoosh.reading import IndexReader
from whoosh.scoring import BM25F
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from paperdeck.core.cancel import Cancel
from paperdeck.core.search.hits import docs_of, keyed_counts, phrase_btexts, phrase_docs
from paperdeck.core.search.pairs import PhraseCounts, phrase_counts
from paperdeck.core.search.postings import Postings
from paperdeck.core.search.spelling import PrefixQuery
from paperdeck.core.search.whoosh_private import field_b, length_column

if TYPE_CHECKING:
    from paperdeck.core.search.pair_files import PairFile

Scores = dict[int, float]  # docnum -> score
PairFiles = Callable[[IndexReader], "PairFile | None"]


class Ranker:
    """Scores queries against one searcher's segments; keeps each segment's length columns
    (they never change: a segment is written once) for the searchers that follow."""

    def __init__(
        self, postings: Postings | None = None, pair_files: PairFiles | None = None
    ) -> None:
        self.postings = postings or Postings()
        self.pair_files = pair_files  # a segment's pair file (`pair_files`), if any
        if pair_files is not None:
            self.postings.pair_files = pair_files
        self.generation = 0  # of the searcher the kept scores belong to
        self._lengths: dict[tuple[str, str], bytes | None] = {}

    def scores(
        self,
        searcher: Searcher,
        q: wq.Query,
        *,
        relax: bool = False,
        among: set[int] | None = None,
        cancel: Cancel | None = None,
    ) -> Scores:
        """Every document matching ``q``, with its score (docnums of the whole index).

        ``relax``: phrases match wherever all their words are, with the same score: an
        upper bound for every document, as a phrase is the only part whose check is dear.
        ``among``: phrases are checked in these documents only. ``cancel`` is asked as
        postings are read and scored (it raises SearchCancelled).
        """
        with self.postings.cancelled_by(cancel):
            return self._scores(searcher, q, relax, among)

    def _scores(
        self, searcher: Searcher, q: wq.Query, relax: bool, among: set[int] | None
    ) -> Scores:
        run = _Run(self, searcher, relax)
        found: Scores = {}
        for leaf, offset in searcher.leaf_searchers():
            reader = leaf.reader()
            if among is not None:
                end = offset + reader.doc_count_all()
                run.among = {d - offset for d in among if offset <= d < end}
            scores = run.node(leaf, reader, q)
            if reader.has_deletions():
                deleted = reader.deleted_docs_set
                scores = {d: s for d, s in scores.items() if d not in deleted}
            if offset:
                found.update({d + offset: s for d, s in scores.items()})
            else:
                found.update(scores)
        return found

    def forget_except(self, segment_ids: set[str]) -> None:
        """A new searcher: drop what belongs to segments no longer in the index (merged
        away), and every score (their idf and average lengths are the whole index's)."""
        self._lengths = {k: v for k, v in self._lengths.items() if k[0] in segment_ids}
        self.postings.forget_except(segment_ids)
        self.generation += 1
        self.postings.forget_kind("scores", lambda key: key[-1] == self.generation)

    def lengths(self, reader: IndexReader, fieldname: str) -> bytes | None:
        """One byte per document: Whoosh's lossy encoding of the field's length."""
        if not reader.doc_count_all():
            return None
        key = (reader.segment().segment_id(), fieldname)
        if key not in self._lengths:
            self._lengths[key] = length_column(reader, fieldname)
        return self._lengths[key]


def best(scores: Scores, count: int | None) -> tuple[list[int], list[int]]:
    """(the ``count`` best docnums, best first; every docnum in index order). Equal scores
    keep index order, as Whoosh's collector does. ``count=None``: all, best first."""
    order = sorted(scores)
    if count is None:
        return sorted(order, key=scores.__getitem__, reverse=True), order
    return top(scores, count), order


def top(scores: Scores, count: int) -> list[int]:
    """The ``count`` best docnums, best first, equal scores in index order: what
    ``heapq.nlargest(count, sorted(scores), key=scores.__getitem__)`` gives, in a third of
    its time (the k-th best score found among the bare floats, then only the docnums that
    reach it sorted): 130 -> 35 ms for the 332,000 hits of a phrase at a million papers."""
    if count <= 0 or not scores:
        return []
    if count >= len(scores):
        return sorted(sorted(scores), key=scores.__getitem__, reverse=True)
    kth = heapq.nlargest(count, scores.values())[-1]
    head = [d for d, s in scores.items() if s >= kth]
    head.sort()
    head.sort(key=scores.__getitem__, reverse=True)  # stable: ties stay in index order
    return head[:count]


class _Run:
    """One query's scoring: global statistics from the searcher, postings per segment."""

    def __init__(
        self,
        ranker: Ranker,
        searcher: Searcher,
        relax: bool,
    ) -> None:
        self.ranker = ranker
        self.searcher = searcher
        self.relax = relax
        self.among: set[int] | None = None  # this segment's docnums to check phrases in
        weighting = searcher.weighting
        bm25 = weighting if isinstance(weighting, BM25F) else BM25F()
        self.k1 = bm25.K1
        self.b = bm25.B
        self.field_b: dict[str, float] = field_b(bm25)
        self._norms: dict[str, list[float]] = {}

    def node(self, leaf: Searcher, reader: IndexReader, q: wq.Query) -> Scores:
        self.ranker.postings.check()
        kind = type(q)
        if kind is wq.Term:
            return self.term(reader, q.fieldname, q.text, q.boost)
        if kind is wq.Or and getattr(q, "minmatch", 0) <= 1:
            subs = sorted(q.subqueries, key=lambda sub: size_hint(reader, sub), reverse=True)
            return _sum_union([self.node(leaf, reader, sub) for sub in subs])
        if kind is wq.And:
            wanted = [sub for sub in q.subqueries if type(sub) is not wq.Not]
            wanted.sort(key=lambda sub: size_hint(reader, sub))
            unwanted = [sub.query for sub in q.subqueries if type(sub) is wq.Not]
            if wanted:
                scores = _sum_intersection([self.node(leaf, reader, sub) for sub in wanted])
            else:
                scores = dict.fromkeys(reader.all_doc_ids(), 0.0)
            scores = self._without(leaf, reader, scores, unwanted)
            if unwanted:  # Whoosh's inverse matcher scores 1 where the excluded is absent
                scores = {d: s + len(unwanted) for d, s in scores.items()}
            return scores
        if kind is wq.AndNot:
            return self._without(leaf, reader, self.node(leaf, reader, q.a), [q.b])
        if kind is wq.Require:
            scores = self.node(leaf, reader, q.a)
            needed = self._docs(leaf, reader, q.b)
            return {d: s for d, s in scores.items() if d in needed}
        if kind is wq.AndMaybe:
            scores = self.node(leaf, reader, q.a)
            extra = self.node(leaf, reader, q.b)
            return {d: s + extra.get(d, 0.0) for d, s in scores.items()}
        if kind is wq.Phrase and q.slop == 1:
            postings = self.ranker.postings
            docs: Set[int]
            paired = None if self.relax else self.phrase(reader, q)
            if paired is not None:
                if self.among is None:
                    return paired
                return {d: s for d, s in paired.items() if d in self.among}
            if self.relax:
                docs = phrase_docs(postings, reader, q, check=False)
            elif self.among is not None:
                docs = phrase_docs(postings, reader, q, among=self.among)
            else:
                docs = self._docs(leaf, reader, q)  # where the words are side by side
            if not docs:
                return {}
            first, *others = [self.term(reader, q.fieldname, word, 1.0) for word in q.words]
            scores = {d: first[d] for d in docs}
            for table in others:
                scores = {d: s + table[d] for d, s in scores.items()}
            return scores if q.boost == 1.0 else {d: s * q.boost for d, s in scores.items()}
        # Prefixes, and anything else (ranges, a lone NOT): matched, equally scored.
        boost = q.boost if isinstance(q, PrefixQuery) else getattr(q, "boost", 1.0)
        return dict.fromkeys(sorted(self._docs(leaf, reader, q)), float(boost))

    def phrase(self, reader: IndexReader, q: wq.Phrase) -> Scores | None:
        """A phrase's scores from its word pairs (`pairs`): each word's BM25F from the counts
        the pairs carry, summed in the phrase's order as `node` sums its words' tables, so
        the scores are the same bit for bit. None: no pairs here (positions are read)."""
        name = q.fieldname
        files = self.ranker.pair_files(reader) if self.ranker.pair_files is not None else None
        counts = phrase_counts(self.ranker.postings, reader, name, q.words, files)
        if counts is None and len(q.words) > 1:
            btexts = phrase_btexts(reader, q)
            if btexts is None:
                return None
            counts = keyed_counts(self.ranker.postings, reader, name, btexts)
        if counts is None:
            return None
        field = reader.schema[name]
        lengths = self.ranker.lengths(reader, name) if field.scorable else None
        if lengths is None:
            return None
        key = ("scores", name, tuple(q.words), q.boost, self.ranker.generation)
        return self.ranker.postings.remember(
            reader, key, lambda: self._phrase_scores(field, name, q, counts, lengths)
        )

    def _phrase_scores(
        self, field: Any, name: str, q: wq.Phrase, counts: PhraseCounts, lengths: bytes
    ) -> Scores:
        """Each word's BM25F a column at a time, the columns summed in the phrase's order."""
        boost = field.format.field_boost  # a posting's weight: the word's count times it
        norm = self._norm(name)
        idf = self.searcher.idf
        ks = [idf(name, field.to_bytes(word)) * (self.k1 + 1) * 1.0 for word in q.words]
        first_k, *other_ks = ks
        docs = counts.docs
        ns = [norm[lengths[d]] for d in docs]

        def weights(column: Sequence[int]) -> Sequence[float]:
            # A count as it stands where the boost is 1: the same floats below, bit for bit
            return column if boost == 1 else [c * boost for c in column]

        columns = [weights(column) for column in counts.counts]
        if len(ks) == 2:  # the usual phrases in one pass (a quarter less time than per word)
            (k1, k2), (c1, c2) = ks, columns
            total = [
                k1 * a / (a + n) + k2 * b / (b + n) for a, b, n in zip(c1, c2, ns, strict=True)
            ]
        elif len(ks) == 3:
            (k1, k2, k3), (c1, c2, c3) = ks, columns
            total = [
                k1 * a / (a + n) + k2 * b / (b + n) + k3 * c / (c + n)
                for a, b, c, n in zip(c1, c2, c3, ns, strict=True)
            ]
        else:
            total = [first_k * w / (w + n) for w, n in zip(columns[0], ns, strict=True)]
            for k, column in zip(other_ks, columns[1:], strict=True):
                total = [s + k * w / (w + n) for s, w, n in zip(total, column, ns, strict=True)]
        if q.boost != 1.0:
            total = [s * q.boost for s in total]
        return dict(zip(docs, total, strict=True))

    def term(self, reader: IndexReader, fieldname: str, text: str | bytes, boost: float) -> Scores:
        """BM25F of one term in one segment (a field without lengths: its weight)."""
        key = ("scores", fieldname, text, boost, self.ranker.generation)
        return self.ranker.postings.remember(
            reader, key, lambda: self._term(reader, fieldname, text, boost)
        )

    def _term(self, reader: IndexReader, fieldname: str, text: str | bytes, boost: float) -> Scores:
        schema = reader.schema
        if fieldname not in schema:
            return {}
        field = schema[fieldname]
        try:
            btext = text if isinstance(text, bytes) else field.to_bytes(text)
        except ValueError:
            return {}
        blocks = self.ranker.postings.weights(reader, fieldname, btext)  # deleted ones too
        lengths = self.ranker.lengths(reader, fieldname) if field.scorable else None
        scores: Scores = {}
        if lengths is None:
            for ids, weights in blocks:
                scores.update({d: w * boost for d, w in zip(ids, weights, strict=True)})
            return scores
        norm = self._norm(fieldname)
        k = self.searcher.idf(fieldname, btext) * (self.k1 + 1) * boost
        check = self.ranker.postings.check
        for n, (ids, weights) in enumerate(blocks):
            pairs = zip(ids, weights, strict=True)
            scores.update({d: k * w / (w + norm[lengths[d]]) for d, w in pairs})
            if n % 64 == 63:
                check()
        return scores

    def _norm(self, fieldname: str) -> list[float]:
        """BM25's length normalisation for each of the 256 length bytes of a field."""
        if fieldname not in self._norms:
            b = self.field_b.get(fieldname, self.b)
            average = self.searcher.avg_field_length(fieldname) or 1
            self._norms[fieldname] = [
                self.k1 * ((1 - b) + b * byte_to_length(n) / average) for n in range(256)
            ]
        return self._norms[fieldname]

    def _docs(self, leaf: Searcher, reader: IndexReader, q: wq.Query) -> set[int]:
        return docs_of(leaf, reader, q, self.ranker.postings)

    def _without(
        self, leaf: Searcher, reader: IndexReader, scores: Scores, unwanted: list[wq.Query]
    ) -> Scores:
        for sub in unwanted:
            if not scores:
                break
            excluded = self._docs(leaf, reader, sub)
            scores = {d: s for d, s in scores.items() if d not in excluded}
        return scores


def size_hint(reader: IndexReader, q: wq.Query) -> int:
    """Roughly how many documents of the segment ``q`` matches, from its terms' postings
    counts alone. Scores are summed in this order of a query's parts (the largest table
    first for OR, the smallest for AND: the cheapest), here and in `topk`, so that a
    document's score is bit for bit the same however it was found."""
    kind = type(q)
    if kind is wq.Term:
        try:
            return int(reader.doc_frequency(q.fieldname, q.text))
        except Exception:  # a field or text the schema cannot take: no postings
            return 0
    if kind is wq.Or:
        return sum(size_hint(reader, sub) for sub in q.subqueries)
    if kind is wq.And:
        wanted = [sub for sub in q.subqueries if type(sub) is not wq.Not]
        if not wanted:
            return int(reader.doc_count_all())
        return min(size_hint(reader, sub) for sub in wanted)
    if kind is wq.Phrase:
        return min((size_hint(reader, wq.Term(q.fieldname, w)) for w in q.words), default=0)
    if kind in (wq.AndNot, wq.Require, wq.AndMaybe):
        return size_hint(reader, q.a)
    if kind is wq.Not:
        return 0
    return int(reader.doc_count_all())


def _sum_union(tables: list[Scores]) -> Scores:
    """Tables in the order given (`size_hint`'s: largest first), each score added in turn."""
    if not tables:
        return {}
    total = dict(tables[0])
    get = total.get
    for table in tables[1:]:
        for d, s in table.items():
            total[d] = get(d, 0.0) + s
    return total


def _sum_intersection(tables: list[Scores]) -> Scores:
    """Tables in the order given (`size_hint`'s: smallest first), each score added in turn."""
    if not tables:
        return {}
    total = tables[0]
    for table in tables[1:]:
        total = {d: s + table[d] for d, s in total.items() if d in table}
    return total
