"""A phrase of common words as an impact node (`impact_nodes`): its pairs read best first.

Each pair of the phrase is a stream (sorted access) in an order its pair file keeps
(`pair_order`): the first pair by both its words' score, each later pair by its second
word's alone, so that the keys sum to the phrase's score, each word once. A stream's bound
is the order's key of its next document, times how much more today's statistics (idf,
average length, the phrase's boost) can make a score than the build's did, as a word's
impact list is bounded (`impact_nodes.Word`). A document matches only if every pair holds
it, so once one pair is read to its end nothing unread can match; until then the phrase's
bound is the sum of its streams'. A document read is checked and
scored at once (random access): found by bisection in each pair's documents, its positions
compared, each word's BM25F summed from the counts in the order `ranking` sums them, so
the score is bit for bit the one scoring every hit gives.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Callable, Sequence

from whoosh import query as wq
from whoosh.fields import FieldType
from whoosh.reading import IndexReader

from paperdeck.core.search.impact_nodes import Node, Stream, Tally, in_order
from paperdeck.core.search.impacts import FIELDS
from paperdeck.core.search.pair_files import PairFile, PairList, phrase_docs
from paperdeck.core.search.pair_order import FieldStats, key
from paperdeck.core.search.pairs import PAD, phrase_pairs
from paperdeck.core.search.ranking import _Run


class PairStream(Stream):
    """One pair's documents, best first, bounded by the order's key."""

    def __init__(
        self,
        found: PairList,
        order: array[int],
        weights: tuple[float, float],
        norms: list[float],
        lengths: bytes,
        boost: float,
        factor: float,
        tally: Tally,
    ) -> None:
        self.list, self.order = found, order
        self.weights, self.norms, self.lengths = weights, norms, lengths
        self.boost, self.factor, self.tally = boost, factor, tally
        self._at = 0

    def read(self, n: int) -> list[int]:
        out = in_order(self.list.docs, self.order, self._at, n)
        self.tally.read += len(out)
        self.tally.pairs += len(out)
        self._at += len(out)
        return out

    def bound(self) -> float | None:
        found = self.list
        if self._at >= len(self.order):
            return None
        i = self.order[self._at]
        a: float = found.firsts[i]
        b: float = found.seconds[i]
        if self.boost != 1.0:
            a, b = a * self.boost, b * self.boost
        return key(self.weights, a, b, self.norms[self.lengths[found.docs[i]]]) * self.factor


class PhraseField(Node):
    """A phrase in one paired field of one segment, served by its pairs' orders."""

    def __init__(
        self,
        streams: list[PairStream],
        ks: list[float],
        norm: list[float],
        lengths: bytes,
        boost: float,
        q: wq.Phrase,
        check: Callable[[], None],
    ) -> None:
        self.pairs = streams
        self.lists = [stream.list for stream in streams]
        self.ks, self.norm, self.lengths, self.boost = ks, norm, lengths, boost
        self.q = q
        self.check = check

    def exact(self, d: int) -> float | None:
        lists = self.lists
        places = []
        for found in lists:
            docs = found.docs
            i = bisect_left(docs, d)
            if i >= len(docs) or docs[i] != d:
                return None
            places.append(i)
        first = lists[0]
        counts: list[float] = [first.firsts[places[0]], first.seconds[places[0]]]
        if len(lists) > 1:
            if not _side_by_side(lists, d):
                return None
            counts.extend(found.seconds[i] for found, i in zip(lists[1:], places[1:], strict=True))
        if self.boost != 1.0:  # a posting's weight: the word's count times the field's boost
            counts = [c * self.boost for c in counts]
        n = self.norm[self.lengths[d]]
        ks = self.ks
        total = ks[0] * counts[0] / (counts[0] + n)  # `ranking._phrase_scores`'s order
        for k, w in zip(ks[1:], counts[1:], strict=True):
            total = total + k * w / (w + n)
        return total if self.q.boost == 1.0 else total * self.q.boost

    def bound(self) -> float | None:
        total = 0.0
        for stream in self.pairs:
            b = stream.bound()
            if b is None:  # every document of this pair read: nothing unread can match
                return None
            total += b
        return total

    def streams(self) -> list[Stream]:
        return list(self.pairs)

    def estimate(self, count: int) -> float:
        return float(min(len(found) for found in self.lists))

    def docs(self) -> set[int]:
        return phrase_docs(self.lists, self.check)


def _side_by_side(lists: Sequence[PairList], d: int) -> bool:
    """Whether the pairs stand one after the other somewhere in document ``d``."""
    shift = lists[0].shift
    lo, hi = d << shift, (d + 1) << shift
    first = lists[0].keys
    starts = set(first[bisect_left(first, lo) : bisect_left(first, hi)])
    for offset, later in enumerate(lists[1:], 1):
        keys = later.keys
        here = keys[bisect_left(keys, lo) : bisect_left(keys, hi)]
        starts.intersection_update(k - offset for k in here)
        if not starts:
            return False
    return True


def phrases_alone(q: wq.Query) -> list[wq.Phrase] | None:
    """The phrases of a query of phrases alone (beside terms of the fields without impact
    lists: a phrase's tag and category); None where it holds a word, a prefix or a range."""
    kind = type(q)
    if kind is wq.Phrase:
        return [q]
    if kind is wq.Term:
        return [] if q.fieldname not in FIELDS else None
    if (kind is wq.Or and getattr(q, "minmatch", 0) <= 1) or kind is wq.And:
        found: list[wq.Phrase] = []
        for sub in q.subqueries:
            part = phrases_alone(sub.query if type(sub) is wq.Not else sub)
            if part is None:
                return None
            found += part
        return found
    return None


def paired_postings(run: _Run, reader: IndexReader, q: wq.Phrase) -> int:
    """The postings of the phrase's pairs in one segment, from the pair file's directory
    (nothing read); 0 where its pairs do not serve it."""
    ranker = run.ranker
    files = ranker.pair_files(reader) if ranker.pair_files is not None else None
    if files is None:
        return 0
    pairs = phrase_pairs(reader, q.fieldname, q.words, files)
    if pairs is None:
        return 0
    pair_name, terms = pairs
    try:
        return sum(files.postings(n) for term in terms if (n := files.find(pair_name, term)) >= 0)
    except files.READ_ERRORS:  # damaged (its directory is read as asked): set aside
        files.broken = True
        return 0


def phrase_field(run: _Run, reader: IndexReader, q: wq.Phrase, tally: Tally) -> Node | None:
    """The phrase as a node served by its pairs' orders; None where its pairs cannot serve
    it this way (no pair file, a word that is not common, an unscored field): `ranking`
    then answers it."""
    ranker = run.ranker
    files = ranker.pair_files(reader) if ranker.pair_files is not None else None
    name = q.fieldname
    if files is None or name not in reader.schema or q.boost <= 0:
        return None
    field = reader.schema[name]
    lengths = ranker.lengths(reader, name) if field.scorable else None
    pairs = phrase_pairs(reader, name, q.words, files)
    if pairs is None or lengths is None or len(pairs[1]) > PAD:
        return None
    pair_name, terms = pairs
    postings = ranker.postings
    lists: list[PairList] = []
    for term in terms:
        try:
            n = files.find(pair_name, term)
            if n < 0:  # a pair no document of this segment holds: nor the phrase
                return _Nothing()
            read = _reading(files, pair_name, n)
            found = postings.remember(reader, ("pair list", name, term), read)
        except files.READ_ERRORS:  # damaged: set aside (`ranking` reads Whoosh's postings)
            files.broken = True
            return None
        lists.append(found)
        postings.check()
    stats = files.stats(pair_name)
    built = stats.norms()
    norm = run._norm(name)
    worst = max(1.0, *(b / t if t > 0 else float("inf") for b, t in zip(built, norm, strict=True)))
    idf = run.searcher.idf
    ks = [idf(name, field.to_bytes(word)) * (run.k1 + 1) * 1.0 for word in q.words]
    weights = [_built_weight(reader, name, word, field, stats) for word in q.words]
    boost = float(field.format.field_boost)
    tally.paired += sum(len(found) for found in lists)
    streams = []
    for w, found in enumerate(lists):
        # The first pair bounds its two words, each later one its second word alone
        if w == 0:
            pair, order = (weights[0], weights[1]), found.order
            grown = max(ks[0] / pair[0], ks[1] / pair[1])
        else:
            pair, order = (0.0, weights[w + 1]), found.later
            grown = ks[w + 1] / pair[1]
        factor = grown * worst * q.boost
        streams.append(PairStream(found, order, pair, built, lengths, boost, factor, tally))
    return PhraseField(streams, ks, norm, lengths, boost, q, postings.check)


def _reading(files: PairFile, pair_name: str, n: int) -> Callable[[], PairList]:
    return lambda: files.read(pair_name, n)


def _built_weight(
    reader: IndexReader, name: str, word: str, field: FieldType, stats: FieldStats
) -> float:
    """A word's idf times (k1 + 1) as the pair file's order was made with."""
    return stats.weight(reader.doc_frequency(name, field.to_bytes(word)))


class _Nothing(Node):
    """A phrase that no document of the segment holds."""

    def exact(self, d: int) -> float | None:
        return None

    def bound(self) -> float | None:
        return None

    def streams(self) -> list[Stream]:
        return []

    def estimate(self, count: int) -> float:
        return 0.0

    def docs(self) -> set[int]:
        return set()
