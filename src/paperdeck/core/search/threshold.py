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
block-max way of `topk` answers them.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from whoosh import query as wq
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from paperdeck.core.cancel import Cancel
from paperdeck.core.search.hits import docs_of
from paperdeck.core.search.impacts import FIELDS, ImpactFile, ImpactList, key
from paperdeck.core.search.ranking import Ranker, _Run, size_hint
from paperdeck.core.search.spelling import PrefixQuery
from paperdeck.core.search.topk import TopK

FIRST_BATCH = 32  # papers read from each list in the first round; doubled each round
MAX_BATCH = 1024  # between two cancel checks: ~5 ms of scoring per list
_SLACK = 1e-9  # a bound is raised by this share: rounding must never make it too low

Files = Callable[[IndexReader], ImpactFile | None]  # a segment's impact lists, if any


class Unsupported(Exception):
    """The query has a part this module does not handle."""


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


@dataclass(slots=True)
class Tally:
    read: int = 0  # postings read from the lists, best first


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
    heap: list[tuple[float, int]] = []  # (score, -docnum): the k-th best at heap[0]
    every: dict[int, float] = {}
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
        (reader, offset, _Builder(run, leaf, reader, found, tally).node(q), documents)
        for leaf, reader, offset, documents, found in segments
    ]
    for reader, offset, node, documents in built:
        estimate += node.estimate(documents)
        deleted = reader.deleted_docs_set if reader.has_deletions() else frozenset()
        streams = node.streams()
        seen: set[int] = set()
        batch = FIRST_BATCH
        while True:
            check()
            bound = node.bound()
            if bound is None:
                break  # nothing unread can match
            if k <= 0 or (len(heap) == k and bound * (1 + _SLACK) + _SLACK < heap[0][0]):
                exact = False
                break
            for stream in streams:
                for d in stream.read(batch):
                    if d in seen:
                        continue
                    seen.add(d)
                    if d in deleted:
                        continue
                    s = node.exact(d)
                    if s is None:
                        continue
                    docnum = d + offset
                    every[docnum] = s
                    if len(heap) < k:
                        heapq.heappush(heap, (s, -docnum))
                    elif s >= heap[0][0] and (s, -docnum) > heap[0]:
                        heapq.heapreplace(heap, (s, -docnum))
            batch = min(batch * 2, MAX_BATCH)
    best = sorted(heap, reverse=True)
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
        [-d for _s, d in best],
        [s for s, _d in best],
        len(every) if exact else max(round(estimate), len(every)),
        exact,
        0,
        0,
        every if exact else None,
        tally.read,
        hits,
    )


class _Stream:
    """Sorted access: a query part's documents, best first."""

    def read(self, n: int) -> list[int]:
        raise NotImplementedError

    def bound(self) -> float | None:
        """The highest score an unread document can have here (None: all read)."""
        raise NotImplementedError


class _Node:
    def exact(self, d: int) -> float | None:
        """The document's score, as `ranking` sums it (None: it does not match)."""
        raise NotImplementedError

    def bound(self) -> float | None:
        """The highest score of a document not yet read from any of its streams (None:
        no such document can match)."""
        raise NotImplementedError

    def streams(self) -> list[_Stream]:
        raise NotImplementedError

    def estimate(self, count: int) -> float:
        raise NotImplementedError

    def docs(self) -> set[int]:
        """Every document it matches (deleted ones too): sets, no scores."""
        raise NotImplementedError


class _Table(_Node, _Stream):
    """A part scored whole (`ranking`'s table): an author, a tag, a year, a prefix."""

    def __init__(self, scores: dict[int, float], tally: Tally) -> None:
        self.scores = scores
        self.tally = tally
        self._order: list[int] | None = None
        self._at = 0

    def exact(self, d: int) -> float | None:
        return self.scores.get(d)

    def read(self, n: int) -> list[int]:
        if self._order is None:
            scores = self.scores
            self._order = sorted(scores, key=scores.__getitem__, reverse=True)
        out = self._order[self._at : self._at + n]
        self._at += len(out)
        self.tally.read += len(out)
        return out

    def bound(self) -> float | None:
        if self._order is None:
            return max(self.scores.values(), default=None)
        if self._at >= len(self._order):
            return None
        return self.scores[self._order[self._at]]

    def streams(self) -> list[_Stream]:
        return [self]

    def estimate(self, count: int) -> float:
        return float(len(self.scores))

    def docs(self) -> set[int]:
        return set(self.scores)


class _Word(_Stream):
    """A word's impact list in one segment, read best first, its bound the build-time
    order's key (`impacts.key`) times `factor`: how much more today's statistics
    (idf, average lengths, boost) can make a field's score than the build's did."""

    def __init__(
        self, source: ImpactFile, found: ImpactList, lengths: list[bytes], tally: Tally
    ) -> None:
        self.list = found
        self.tally = tally
        self.lengths = lengths  # per field of FIELDS (b"" where absent)
        stats = source.stats
        self.norms = source.norms
        self.weights = [
            stats.weight(found.dfs[f]) if found.weights[f] is not None else 0.0
            for f in range(len(FIELDS))
        ]
        self.factor = 0.0
        self._at = 0
        self._last = (-1, -1)

    def widen(self, f: int, k: float, norm: list[float]) -> None:
        """Field ``f`` is scored as ``k * w / (w + norm[length])`` today."""
        if self.list.weights[f] is None:
            return
        built = self.weights[f]
        pairs = zip(self.norms[f], norm, strict=True)
        worst = max(1.0, *(b / n if n > 0 else float("inf") for b, n in pairs))
        self.factor = max(self.factor, k / built * worst)

    def position(self, d: int) -> int:
        last = self._last
        if last[0] == d:
            return last[1]
        i = self.list.find(d)
        self._last = (d, i)
        return i

    def read(self, n: int) -> list[int]:
        found = self.list
        docs, order = found.docs, found.order
        end = min(self._at + n, len(order))
        out = [docs[order[p]] for p in range(self._at, end)]
        self.tally.read += len(out)
        self._at = end
        return out

    def bound(self) -> float | None:
        found = self.list
        if self._at >= len(found.order):
            return None
        i = found.order[self._at]
        d = found.docs[i]
        weights = [w[i] if w is not None else 0.0 for w in found.weights]
        lengths = [column[d] if column else 0 for column in self.lengths]
        return key(self.weights, self.norms, weights, lengths) * self.factor


class _WordField(_Node):
    """One field's term of a word served by its impact list (`ranking._Run._term`'s formula
    on the same float32 weight)."""

    def __init__(self, word: _Word, f: int, k: float, norm: list[float], lengths: bytes):
        self.word, self.f, self.k, self.norm, self.lengths = word, f, k, norm, lengths
        self.column = word.list.weights[f]

    def exact(self, d: int) -> float | None:
        column = self.column
        if column is None:
            return None
        i = self.word.position(d)
        if i < 0:
            return None
        w = column[i]
        if not w:
            return None
        return self.k * w / (w + self.norm[self.lengths[d]])

    def bound(self) -> float | None:  # its word's stream bounds it (see `_Or`)
        return None

    def streams(self) -> list[_Stream]:
        return []

    def estimate(self, count: int) -> float:
        return float(self.word.list.dfs[self.f])

    def docs(self) -> set[int]:
        found = self.word.list
        if self.column is None:
            return set()
        if found.dfs[self.f] == len(found):  # in this field wherever it is
            return set(found.docs)
        return {d for d, w in zip(found.docs, self.column, strict=True) if w}


class _Or(_Node):
    def __init__(self, children: list[_Node], words: list[_Word]) -> None:
        self.children = children  # in `ranking`'s order
        self.words = words  # the impact lists some of the children are served by

    def exact(self, d: int) -> float | None:
        # `_WordField.exact` inlined (each word's position found once): most of a search's
        # time is spent here.
        total: float | None = None
        places: dict[int, int] = {}
        for child in self.children:
            if type(child) is _WordField:
                column = child.column
                if column is None:
                    continue
                word = id(child.word)
                i = places.get(word)
                if i is None:
                    i = places[word] = child.word.list.find(d)
                if i < 0:
                    continue
                w = column[i]
                if not w:
                    continue
                s = child.k * w / (w + child.norm[child.lengths[d]])
            else:
                found = child.exact(d)
                if found is None:
                    continue
                s = found
            total = s if total is None else total + s
        return total

    def bound(self) -> float | None:
        total: float | None = None
        parts: list[_Node | _Stream] = [*self.words, *self.children]
        for part in parts:
            b = part.bound()
            if b is not None:
                total = b if total is None else total + b
        return total

    def streams(self) -> list[_Stream]:
        out: list[_Stream] = list(self.words)
        for child in self.children:
            out.extend(child.streams())
        return out

    def docs(self) -> set[int]:
        found: set[int] = set()
        for child in self.children:
            found |= child.docs()
        return found

    def estimate(self, count: int) -> float:
        sizes = [float(len(word.list)) for word in self.words]
        sizes += [c.estimate(count) for c in self.children if not isinstance(c, _WordField)]
        missing = 1.0
        for size in sizes:
            missing *= 1 - min(size, count) / count
        return count * (1 - missing)


class _And(_Node):
    """Every wanted part (scores summed), none of the unwanted (each adds 1, as Whoosh's)."""

    def __init__(self, wanted: list[_Node], unwanted: list[set[int]]) -> None:
        self.wanted, self.unwanted = wanted, unwanted

    def exact(self, d: int) -> float | None:
        total: float | None = None
        for child in self.wanted:
            s = child.exact(d)
            if s is None:
                return None
            total = s if total is None else total + s
        if total is None:
            return None
        for excluded in self.unwanted:
            if d in excluded:
                return None
        return total + len(self.unwanted) if self.unwanted else total

    def bound(self) -> float | None:
        total = 0.0
        for child in self.wanted:
            b = child.bound()
            if b is None:
                return None
            total += b
        return total + len(self.unwanted)

    def streams(self) -> list[_Stream]:
        return [s for child in self.wanted for s in child.streams()]

    def docs(self) -> set[int]:
        parts = sorted((child.docs() for child in self.wanted), key=len)
        found = parts[0].intersection(*parts[1:]) if parts else set()
        for excluded in self.unwanted:
            found -= excluded
        return found

    def estimate(self, count: int) -> float:
        share = 1.0
        for child in self.wanted:
            share *= min(child.estimate(count), count) / count
        for excluded in self.unwanted:
            share *= 1 - min(len(excluded), count) / count
        return count * share


class _Filtered(_Node):
    """``a`` within (``keep``) or outside (not ``keep``) a set of documents."""

    def __init__(self, a: _Node, docs: set[int], keep: bool) -> None:
        self.a, self.within, self.keep = a, docs, keep

    def exact(self, d: int) -> float | None:
        return self.a.exact(d) if (d in self.within) == self.keep else None

    def bound(self) -> float | None:
        return self.a.bound()

    def streams(self) -> list[_Stream]:
        return self.a.streams()

    def docs(self) -> set[int]:
        found = self.a.docs()
        return found & self.within if self.keep else found - self.within

    def estimate(self, count: int) -> float:
        return self.a.estimate(count)


class _Maybe(_Node):
    def __init__(self, a: _Node, b: _Node) -> None:
        self.a, self.b = a, b

    def exact(self, d: int) -> float | None:
        s = self.a.exact(d)
        if s is None:
            return None
        extra = self.b.exact(d)
        return s + (extra if extra is not None else 0.0)

    def bound(self) -> float | None:
        a = self.a.bound()
        if a is None:
            return None
        return a + (self.b.bound() or 0.0)

    def streams(self) -> list[_Stream]:
        return [*self.a.streams(), *self.b.streams()]

    def docs(self) -> set[int]:
        return self.a.docs()

    def estimate(self, count: int) -> float:
        return self.a.estimate(count)


class _Builder:
    """The query as nodes for one segment, its parts in `ranking`'s order."""

    def __init__(
        self, run: _Run, leaf: Searcher, reader: IndexReader, source: ImpactFile, tally: Tally
    ) -> None:
        self.run, self.leaf, self.reader, self.source, self.tally = run, leaf, reader, source, tally
        self._lengths: list[bytes] | None = None

    def node(self, q: wq.Query) -> _Node:
        reader, postings = self.reader, self.run.ranker.postings
        kind = type(q)
        if kind is wq.Term:
            return self._table(q)
        if kind is wq.Or and getattr(q, "minmatch", 0) <= 1:
            subs = sorted(q.subqueries, key=lambda s: size_hint(reader, s), reverse=True)
            return self._or(subs)
        if kind is wq.And:
            wanted = [sub for sub in q.subqueries if type(sub) is not wq.Not]
            if not wanted:
                raise Unsupported("a lone NOT")
            wanted.sort(key=lambda s: size_hint(reader, s))
            unwanted = [
                docs_of(self.leaf, reader, sub.query, postings)
                for sub in q.subqueries
                if type(sub) is wq.Not
            ]
            return _And([self.node(sub) for sub in wanted], unwanted)
        if kind is wq.AndNot:
            return _Filtered(self.node(q.a), docs_of(self.leaf, reader, q.b, postings), False)
        if kind is wq.Require:
            return _Filtered(self.node(q.a), docs_of(self.leaf, reader, q.b, postings), True)
        if kind is wq.AndMaybe:
            return _Maybe(self.node(q.a), self.node(q.b))
        if kind is wq.Phrase:
            raise Unsupported("a phrase")
        # Prefixes, and anything else (ranges): matched, equally scored, as `ranking` does.
        boost = q.boost if isinstance(q, PrefixQuery) else getattr(q, "boost", 1.0)
        docs = docs_of(self.leaf, reader, q, postings)
        return _Table(dict.fromkeys(sorted(docs), float(boost)), self.tally)

    def _table(self, q: wq.Term) -> _Table:
        return _Table(self.run.term(self.reader, q.fieldname, q.text, q.boost), self.tally)

    def _or(self, subs: list[wq.Query]) -> _Or:
        """The children; the terms of one word in two or more prose fields are served by
        the word's impact list."""
        texts: dict[Any, int] = {}
        for sub in subs:
            if type(sub) is wq.Term and sub.fieldname in FIELDS:
                texts[sub.text] = texts.get(sub.text, 0) + 1
        words: dict[Any, _Word] = {}
        children: list[_Node] = []
        for sub in subs:
            if type(sub) is wq.Term and sub.fieldname in FIELDS and texts[sub.text] >= 2:
                word = words.get(sub.text) or self._word(sub.text)
                if word is not None:
                    words[sub.text] = word
                    children.append(self._field(word, sub))
                    continue
            child = self.node(sub)
            if not (isinstance(child, _Table) and not child.scores):  # adds nothing to a sum
                children.append(child)
        return _Or(children, list(words.values()))

    def _word(self, text: Any) -> _Word | None:
        field = self.reader.schema[FIELDS[0]]
        try:
            btext = text if isinstance(text, bytes) else field.to_bytes(text)
        except ValueError:
            return None
        source = self.source
        n = source.find(btext)
        if n < 0:
            return None
        found = self.run.ranker.postings.remember(
            self.reader, ("impact", btext), lambda: source.read(n)
        )
        return _Word(source, found, self.lengths(), self.tally)

    def lengths(self) -> list[bytes]:
        if self._lengths is None:
            self._lengths = [
                self.run.ranker.lengths(self.reader, f) or b"" if f in self.reader.schema else b""
                for f in FIELDS
            ]
        return self._lengths

    def _field(self, word: _Word, q: wq.Term) -> _Node:
        f = FIELDS.index(q.fieldname)
        run = self.run
        field = self.reader.schema[q.fieldname]
        btext = q.text if isinstance(q.text, bytes) else field.to_bytes(q.text)
        k = run.searcher.idf(q.fieldname, btext) * (run.k1 + 1) * q.boost
        norm = run._norm(q.fieldname)
        word.widen(f, k, norm)
        return _WordField(word, f, k, norm, self.lengths()[f])
