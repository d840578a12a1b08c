"""Which documents a query matches, without scoring them: sets of document numbers.

Whoosh finds every hit by walking its matchers one posting at a time in Python (0.4 s for
a word in all 100,000 papers), and checks a phrase through span objects (2-3 s for two
common words). Here a term's postings are read a block at a time into a set, boolean
queries become set operations, and a phrase is checked only where all its words occur,
with the positions of each word read once per block. Scoring is left to Whoosh, for the
few hits a screen shows (`index.SearchIndex.search`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import accumulate
from pickle import loads
from typing import Any

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.formats import Positions
from whoosh.matching import (
    FilterMatcher,
    IntersectionMatcher,
    ListMatcher,
    NullMatcher,
    WrappingMatcher,
)
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from paperdeck.core.spelling import PrefixQuery

_SMALL_GAPS = b"\x80\x02]q\x00("  # pickle protocol 2: a list, memoised, then a mark
_GAPS_AT = 4 + len(_SMALL_GAPS)
_ONE_GAP = b"\x80\x02]q\x00K"  # ... an empty list, memoised, then one small int appended
_ONE_AT = 4 + len(_ONE_GAP)

# Per segment reader (by id, for the searcher that computed it): the documents of a phrase.
PhraseDocs = dict[tuple[int, wq.Phrase], set[int]]


def matching_docs(searcher: Searcher, q: wq.Query, phrases: PhraseDocs) -> list[int]:
    """Every document matching ``q``, in docnum order; fills ``phrases`` on the way."""
    found: list[int] = []
    for leaf, offset in searcher.leaf_searchers():
        docs = _docs(leaf, leaf.reader(), q, phrases)
        found.extend(sorted(d + offset for d in docs))
    return found


def term_docs(reader: IndexReader, fieldname: str, btext: bytes) -> set[int]:
    """The (undeleted) documents of one term of a segment, read a block at a time."""
    if fieldname not in reader.schema or (fieldname, btext) not in reader:
        return set()
    matcher = reader.postings(fieldname, btext)
    raw = matcher.child if isinstance(matcher, FilterMatcher) else matcher
    docs: set[int] = set()
    for ids, _values in _blocks(raw, values=False):
        docs.update(ids)
    if isinstance(matcher, FilterMatcher):
        docs -= reader.deleted_docs_set
    return docs


def _blocks(matcher: Any, *, values: bool) -> Iterator[tuple[Iterable[int], Any]]:
    """(ids, values or None) per block of postings. Whoosh has no public block API: this
    reads its own format's blocks, and falls back to one posting at a time for others."""
    if type(matcher) is not W3LeafMatcher:
        if values:
            for docnum, value in matcher.all_items():
                yield (docnum,), (value,)
        else:
            yield matcher.all_ids(), None
        return
    while matcher.is_active():
        matcher.id()  # loads the block's ids
        ids = matcher._ids
        if values:
            matcher.value()  # loads the block's values
            yield ids, matcher._values
        else:
            yield ids, None
        matcher._next_block()


def _docs(searcher: Searcher, reader: IndexReader, q: wq.Query, phrases: PhraseDocs) -> set[int]:
    kind = type(q)
    if q is wq.NullQuery or isinstance(q, wq.NullQuery.__class__):
        return set()
    if kind is wq.Term:
        return _term(reader, q.fieldname, q.text)
    if kind in (wq.Or, wq.DisjunctionMax) and getattr(q, "minmatch", 0) <= 1:
        docs: set[int] = set()
        for sub in q.subqueries:
            docs |= _docs(searcher, reader, sub, phrases)
        return docs
    if kind in (wq.And, wq.Require):
        subs = q.subqueries if kind is wq.And else [q.a, q.b]
        wanted = [s for s in subs if type(s) is not wq.Not]
        unwanted = [s.query for s in subs if type(s) is wq.Not]
        if wanted:
            sets = sorted((_docs(searcher, reader, s, phrases) for s in wanted), key=len)
            docs = sets[0].intersection(*sets[1:])
        else:
            docs = _every(reader)
        for sub in unwanted:
            if docs:
                docs -= _docs(searcher, reader, sub, phrases)
        return docs
    if kind is wq.Not:
        return _every(reader) - _docs(searcher, reader, q.query, phrases)
    if kind is wq.AndNot:
        return _docs(searcher, reader, q.a, phrases) - _docs(searcher, reader, q.b, phrases)
    if kind is wq.AndMaybe:
        return _docs(searcher, reader, q.a, phrases)
    if kind is wq.Phrase and q.slop == 1:
        key = (id(reader), q)
        if key not in phrases:
            phrases[key] = _phrase(reader, q)
        return set(phrases[key])
    if isinstance(q, PrefixQuery):
        docs = set()
        for fieldname, btext in q.expanded(reader):
            docs |= term_docs(reader, fieldname, btext)
        return docs
    return set(q.docs(searcher))  # anything else: Whoosh's own way


def _term(reader: IndexReader, fieldname: str, text: str | bytes) -> set[int]:
    if fieldname not in reader.schema:
        return set()
    try:
        btext = text if isinstance(text, bytes) else reader.schema[fieldname].to_bytes(text)
    except ValueError:
        return set()
    return term_docs(reader, fieldname, btext)


def _every(reader: IndexReader) -> set[int]:
    return set(reader.all_doc_ids())


def _phrase(reader: IndexReader, q: wq.Phrase) -> set[int]:
    """Documents holding the words of ``q`` one after the other: the documents of all the
    words first, then positions, word by word, only where the phrase can still start."""
    name = q.fieldname
    if name not in reader.schema:
        return set()
    field = reader.schema[name]
    if not field.format or not field.format.supports("positions"):
        return set()
    try:
        btexts = [field.to_bytes(word) for word in q.words]
    except ValueError:
        return set()
    if not btexts or any((name, b) not in reader for b in btexts):
        return set()
    docs = [term_docs(reader, name, b) for b in btexts]
    candidates = set.intersection(*sorted(docs, key=len))
    if len(btexts) == 1 or not candidates:
        return candidates
    # Rarest word first: each word's postings are walked once, and the later words only
    # decode positions where the phrase can still start. `starts`: doc -> phrase starts.
    order = sorted(range(len(btexts)), key=lambda k: len(docs[k]))
    starts: dict[int, set[int]] = {}
    for n, k in enumerate(order):
        shift = (-k).__add__
        if n == 0:
            found = _positions(reader, name, btexts[k], candidates)
            starts = {d: set(map(shift, ps)) for d, ps in found.items()}
        else:
            found = _positions(reader, name, btexts[k], starts)
            starts = {
                d: common
                for d, ps in found.items()
                if (common := starts[d].intersection(map(shift, ps)))
            }
        if not starts:
            return set()
    return set(starts)


def _positions(
    reader: IndexReader, name: str, btext: bytes, docs: set[int] | dict[int, set[int]]
) -> dict[int, Iterable[int]]:
    """The positions of one term in ``docs``."""
    matcher = reader.postings(name, btext)
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child  # deleted documents are not among those wanted
    fmt = reader.schema[name].format
    decode = _decode_positions if type(fmt) is Positions else fmt.decode_positions
    found: dict[int, Iterable[int]] = {}
    for ids, values in _blocks(matcher, values=True):
        for i, docnum in enumerate(ids):
            if docnum in docs:
                found[docnum] = decode(values[i])
    return found


def _decode_positions(value: bytes) -> Iterable[int]:
    """`Positions.decode_positions`, faster (it is most of a phrase's cost). The value is a
    4-byte frequency, then the gaps between positions pickled as a list; a list of several
    gaps under 256 is `\\x80\\x02]q\\x00(` + `K<byte>` per gap + `e.`, whose bytes are read
    straight (3x faster); anything else is unpickled. The running sum is done in C."""
    if value.startswith(_SMALL_GAPS, 4) and value.endswith(b"e."):
        body = value[_GAPS_AT:-2]
        if len(body) % 2 == 0 and not body[::2].strip(b"K"):
            return accumulate(body[1::2])
    elif len(value) == _ONE_AT + 3 and value.startswith(_ONE_GAP, 4) and value.endswith(b"a."):
        return (value[_ONE_AT],)  # a list of one position under 256: `K<byte>` + `a.`
    return accumulate(loads(value[4:] if value.endswith(b".") else value[4:] + b"."))


class VerifiedPhrase(wq.Query):
    """A phrase scored as Whoosh scores it (the sum of its words' scores) but matched from
    the documents `matching_docs` found for it, so its positions are not read twice."""

    def __init__(self, phrase: wq.Phrase, phrases: PhraseDocs) -> None:
        self.phrase = phrase
        self.phrases = phrases
        self.boost = phrase.boost
        self._words = wq.And([wq.Term(phrase.fieldname, w) for w in phrase.words])

    def __repr__(self) -> str:
        return f"VerifiedPhrase({self.phrase!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, VerifiedPhrase) and other.phrase == self.phrase

    def __hash__(self) -> int:
        return hash(("verified", self.phrase))

    def field(self) -> str | None:
        return self.phrase.fieldname

    def _leaf_docs(self, reader: IndexReader) -> set[int]:
        key = (id(reader), self.phrase)
        if key not in self.phrases:
            self.phrases[key] = _phrase(reader, self.phrase)
        return self.phrases[key]

    def estimate_size(self, ixreader: IndexReader) -> int:
        return sum(len(self._leaf_docs(leaf)) for leaf, _base in ixreader.leaf_readers())

    estimate_min_size = estimate_size

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        docs = self._leaf_docs(searcher.reader())
        if not docs:
            return NullMatcher()
        words = self._words.matcher(searcher, context)
        if not words.is_active():
            return NullMatcher()
        # The phrase's few documents lead, the words' postings follow by skipping; the list
        # adds nothing to the score.
        m = IntersectionMatcher(ListMatcher(sorted(docs), all_weights=0.0), words)
        return m if self.boost == 1.0 else WrappingMatcher(m, boost=self.boost)


def verified(q: wq.Query, phrases: PhraseDocs) -> wq.Query:
    """``q`` with its phrases matched from ``phrases`` (see `VerifiedPhrase`)."""
    if type(q) is wq.Phrase and q.slop == 1 and len(q.words) > 1:
        return VerifiedPhrase(q, phrases)
    if q.is_leaf():
        return q
    return q.apply(lambda sub: verified(sub, phrases))


def only_words(q: wq.Query) -> bool:
    """Whether ``q`` is built of words and phrases alone (with and, or, not)."""
    if isinstance(q, wq.Term | VerifiedPhrase):
        return True
    if type(q) in (wq.And, wq.Or, wq.Not, wq.AndNot, wq.AndMaybe, wq.Require):
        return all(only_words(sub) for sub in q.children())
    return False
