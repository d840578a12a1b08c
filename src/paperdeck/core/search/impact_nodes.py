"""A query as nodes over the impact lists: what the threshold algorithm reads and scores.

Each node answers, for one segment, four questions `threshold` asks: its documents best
first (its streams: sorted access), a document's exact score as `ranking` sums it (random
access: a word's weight by bisection in its list, other parts from score tables), the
highest score a document not yet read can still have (the bound that stops the reading),
and every document it matches as a set (the count, without scoring). Kept apart from the
algorithm that drives them (`threshold`) and from the query they are built from
(`impact_query`), so each can be read alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from paperdeck.core.search.doc_marks import DocMarks
from paperdeck.core.search.impacts import FIELDS, ImpactFile, ImpactList, key
from paperdeck.core.search.ranking import top


@dataclass(slots=True)
class Tally:
    read: int = 0  # postings read from the lists, best first
    pairs: int = 0  # of them, from phrases' word pairs (`impact_phrases`)
    paired: int = 0  # postings in the word pairs of the query's phrases
    checked: int = 0  # papers whose positions a phrase read (`impact_positions`)
    stood: int = 0  # of them, those where the phrase stands
    sampled: int = 0  # papers holding a phrase's words checked first (`PositionPhrase.sample`)
    sampled_stood: int = 0  # of them, those where it stands
    check_budget: float = 0.0  # checks that decode as many blocks as every position


def in_order(docs: Sequence[int], order: Sequence[int], start: int, n: int) -> list[int]:
    """The documents at ``start`` .. ``start + n`` of a best-first ``order`` (positions
    into ``docs``)."""
    return [docs[order[p]] for p in range(start, min(start + n, len(order)))]


class Stream:
    """Sorted access: a query part's documents, best first."""

    def read(self, n: int) -> list[int]:
        raise NotImplementedError

    def bound(self) -> float | None:
        """The highest score an unread document can have here (None: all read)."""
        raise NotImplementedError


class Node:
    def exact(self, d: int) -> float | None:
        """The document's score, as `ranking` sums it (None: it does not match)."""
        raise NotImplementedError

    def upper(self, d: int) -> float | None:
        """At least the document's score, where finding it exactly is dear (a phrase's
        positions, `impact_positions`); None: it cannot match. Elsewhere `exact`."""
        return self.exact(d)

    def bound(self) -> float | None:
        """The highest score of a document not yet read from any of its streams (None:
        no such document can match)."""
        raise NotImplementedError

    def streams(self) -> list[Stream]:
        raise NotImplementedError

    def estimate(self, count: int) -> float:
        raise NotImplementedError

    def docs(self) -> set[int]:
        """Every document it matches (deleted ones too): sets, no scores."""
        raise NotImplementedError

    def sorted_docs(self) -> Sequence[int]:
        """`docs` in ascending order."""
        return sorted(self.docs())


class Table(Node, Stream):
    """A part scored whole (`ranking`'s table): an author, a tag, a year, a prefix, a
    phrase of words in few papers without pairs."""

    def __init__(self, scores: dict[int, float], tally: Tally, same: bool = False) -> None:
        self.scores = scores  # (``same``: every score is the same, a prefix's or a range's)
        self.tally = tally
        self.same = same
        self._order: list[int] | None = None
        self._at = 0

    def exact(self, d: int) -> float | None:
        return self.scores.get(d)

    def _extend(self, wanted: int) -> None:
        """The order made at least ``wanted`` long (or whole): best first, equal scores in
        index order (`threshold` stops at a tie on it), twice as far each time more is
        wanted (an author in 150,000 papers at a million: sorting them all was a quarter
        of its search)."""
        order = self._order
        if order is None and self.same:
            self._order = sorted(self.scores)
        elif order is None or (len(order) < wanted and len(order) < len(self.scores)):
            self._order = top(self.scores, max(wanted, 2 * len(order or ()), 256))

    def read(self, n: int) -> list[int]:
        self._extend(self._at + n)
        assert self._order is not None
        out = self._order[self._at : self._at + n]
        self._at += len(out)
        self.tally.read += len(out)
        return out

    def upcoming(self) -> int | None:
        """The next document ``read`` gives (None: all read)."""
        self._extend(self._at + 1)
        assert self._order is not None
        return self._order[self._at] if self._at < len(self._order) else None

    def bound(self) -> float | None:
        if self._order is None:
            return max(self.scores.values(), default=None)
        found = self.upcoming()
        return None if found is None else self.scores[found]

    def streams(self) -> list[Stream]:
        return [self]

    def estimate(self, count: int) -> float:
        return float(len(self.scores))

    def docs(self) -> set[int]:
        return set(self.scores)


class Word(Stream):
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
        out = in_order(self.list.docs, self.list.order, self._at, n)
        self.tally.read += len(out)
        self._at += len(out)
        return out

    def read_chunks(self, n: int, size: int) -> list[tuple[float, list[int]]]:
        """The next ``n`` documents in runs of ``size``, each run with the bound at its
        first document (so above every score in it): bounds for a fraction of the cost."""
        found = self.list
        docs, order = found.docs, found.order
        end = min(self._at + n, len(order))
        out = []
        for start in range(self._at, end, size):
            stop = min(start + size, end)
            out.append((self.bound_at(start), [docs[order[p]] for p in range(start, stop)]))
        self.tally.read += end - self._at
        self._at = end
        return out

    def bound(self) -> float | None:
        if self._at >= len(self.list.order):
            return None
        return self.bound_at(self._at)

    def bound_at(self, at: int) -> float:
        """The highest score of the documents from position ``at`` of the best-first order."""
        found = self.list
        i = found.order[at]
        d = found.docs[i]
        weights = [w[i] if w is not None else 0.0 for w in found.weights]
        lengths = [column[d] if column else 0 for column in self.lengths]
        return key(self.weights, self.norms, weights, lengths) * self.factor


class WordField(Node):
    """One field's term of a word served by its impact list (`ranking._Run._term`'s formula
    on the same float32 weight)."""

    def __init__(self, word: Word, f: int, k: float, norm: list[float], lengths: bytes):
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

    def bound(self) -> float | None:  # its word's stream bounds it (see `Or`)
        return None

    def streams(self) -> list[Stream]:
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


class Or(Node):
    def __init__(self, children: list[Node], words: list[Word]) -> None:
        self.children = children  # in `ranking`'s order
        self.words = words  # the impact lists some of the children are served by

    def exact(self, d: int) -> float | None:
        # `WordField.exact` inlined (each word's position found once): most of a search's
        # time is spent here.
        total: float | None = None
        places: dict[int, int] = {}
        for child in self.children:
            if type(child) is WordField:
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

    def upper(self, d: int) -> float | None:
        total: float | None = None
        for child in self.children:
            kind = type(child)
            if kind is Table:  # (inlined: a paper's bound is found for every paper read)
                s = child.scores.get(d)  # type: ignore[attr-defined]
            elif kind is WordField:
                s = child.exact(d)
            else:
                s = child.upper(d)
            if s is not None:
                total = s if total is None else total + s
        return total

    def bound(self) -> float | None:
        total: float | None = None
        parts: list[Node | Stream] = [*self.words, *self.children]
        for part in parts:
            b = part.bound()
            if b is not None:
                total = b if total is None else total + b
        return total

    def streams(self) -> list[Stream]:
        out: list[Stream] = list(self.words)
        for child in self.children:
            out.extend(child.streams())
        return out

    def _whole(self) -> set[int]:
        """The words (by id) whose every field is a child here: each listed document holds
        the word in some field, so its whole list matches, no per-field filtering."""
        fields: dict[int, set[int]] = {}
        for child in self.children:
            if type(child) is WordField and child.column is not None:
                fields.setdefault(id(child.word), set()).add(child.f)
        return {
            id(word)
            for word in self.words
            if fields.get(id(word)) == {f for f, w in enumerate(word.list.weights) if w is not None}
        }

    def sorted_docs(self) -> Sequence[int]:
        # One word in every field it is in (a plain word's search): its list as it is, in
        # document order. At a million papers a set of it held ~60 MB.
        if len(self.words) == 1 and self._whole() == {id(self.words[0])}:
            word = self.words[0]
            if all(type(c) is WordField and c.word is word for c in self.children):
                return word.list.docs
        return sorted(self.docs())

    def docs(self) -> set[int]:
        # A word's whole list where it can (`_whole`): at a million papers, three common
        # words' sets took 0.67 s field by field.
        whole = self._whole()
        found: set[int] = set()
        for word in self.words:
            if id(word) in whole:
                found.update(word.list.docs)
        for child in self.children:
            if not (type(child) is WordField and id(child.word) in whole):
                found |= child.docs()
        return found

    def estimate(self, count: int) -> float:
        sizes = [float(len(word.list)) for word in self.words]
        sizes += [c.estimate(count) for c in self.children if not isinstance(c, WordField)]
        missing = 1.0
        for size in sizes:
            missing *= 1 - min(size, count) / count
        return count * (1 - missing)


class And(Node):
    """Every wanted part (scores summed), none of the unwanted (each adds 1, as Whoosh's)."""

    def __init__(self, wanted: list[Node], unwanted: list[DocMarks]) -> None:
        self.wanted, self.unwanted = wanted, unwanted

    def exact(self, d: int) -> float | None:
        return self._sum(d, False)

    def upper(self, d: int) -> float | None:
        return self._sum(d, True)

    def _sum(self, d: int, upper: bool) -> float | None:
        total: float | None = None
        for child in self.wanted:
            s = child.upper(d) if upper else child.exact(d)
            if s is None:
                return None
            total = s if total is None else total + s
        if total is None:
            return None
        for excluded in self.unwanted:
            if excluded.marks[d]:
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

    def streams(self) -> list[Stream]:
        return [s for child in self.wanted for s in child.streams()]

    def docs(self) -> set[int]:
        parts = sorted((child.docs() for child in self.wanted), key=len)
        found = parts[0].intersection(*parts[1:]) if parts else set()
        for excluded in self.unwanted:
            found = excluded.left(found)
        return found

    def estimate(self, count: int) -> float:
        share = 1.0
        for child in self.wanted:
            share *= min(child.estimate(count), count) / count
        for excluded in self.unwanted:
            share *= 1 - min(len(excluded), count) / count
        return count * share


class Filtered(Node):
    """``a`` within (``keep``) or outside (not ``keep``) a set of documents."""

    def __init__(self, a: Node, docs: DocMarks, keep: bool) -> None:
        self.a, self.within, self.keep = a, docs, keep

    def exact(self, d: int) -> float | None:
        return self.a.exact(d) if bool(self.within.marks[d]) == self.keep else None

    def upper(self, d: int) -> float | None:
        return self.a.upper(d) if bool(self.within.marks[d]) == self.keep else None

    def bound(self) -> float | None:
        return self.a.bound()

    def streams(self) -> list[Stream]:
        return self.a.streams()

    def docs(self) -> set[int]:
        found = self.a.docs()
        return self.within.kept(found) if self.keep else self.within.left(found)

    def estimate(self, count: int) -> float:
        return self.a.estimate(count)


class Maybe(Node):
    def __init__(self, a: Node, b: Node) -> None:
        self.a, self.b = a, b

    def exact(self, d: int) -> float | None:
        s = self.a.exact(d)
        if s is None:
            return None
        extra = self.b.exact(d)
        return s + (extra if extra is not None else 0.0)

    def upper(self, d: int) -> float | None:
        s = self.a.upper(d)
        if s is None:
            return None
        extra = self.b.upper(d)
        return s + (extra if extra is not None else 0.0)

    def bound(self) -> float | None:
        a = self.a.bound()
        if a is None:
            return None
        return a + (self.b.bound() or 0.0)

    def streams(self) -> list[Stream]:
        return [*self.a.streams(), *self.b.streams()]

    def docs(self) -> set[int]:
        return self.a.docs()

    def estimate(self, count: int) -> float:
        return self.a.estimate(count)
