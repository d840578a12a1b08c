"""A Whoosh query as impact-list nodes (`impact_nodes`) for one segment.

The parts are put in `ranking`'s order (`size_hint`) so that the scores the nodes sum are
bit for bit those of scoring every hit. Terms of one word in two or more prose fields (the
parser's expansion of a bare word) are served by the word's impact list; a phrase of
common words by its pairs' orders (`impact_phrases`); a phrase of common words without
pairs in a prose field by its words' lists, its positions checked only where it may be
among the best (`impact_positions`), and in another field, if one of its words is in few
papers, by a table of those papers; other parts (an author, a tag, a year, a prefix, a
range, a phrase of few papers) by `ranking`'s score tables. A lone NOT, or a phrase of
words each in many papers outside the prose fields, raises `Unsupported`: `topk` answers
those.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from whoosh import query as wq
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from paperdeck.core.search.doc_marks import DocMarks
from paperdeck.core.search.hits import docs_of, keyed_cost, keyed_phrase_docs
from paperdeck.core.search.impact_nodes import (
    And,
    Filtered,
    Maybe,
    Node,
    Or,
    Table,
    Tally,
    Word,
    WordField,
)
from paperdeck.core.search.impact_phrases import phrase_field
from paperdeck.core.search.impact_positions import (
    PositionPhrase,
    Positions,
    rare_phrase_scores,
)
from paperdeck.core.search.impacts import FIELDS, ImpactFile, ImpactList
from paperdeck.core.search.ranking import _Run, size_hint
from paperdeck.core.search.spelling import PrefixQuery
from paperdeck.core.search.word_keys import FEW  # a phrase's word in at most FEW: scored whole

POSTINGS_A_BLOCK = 128  # in Whoosh's blocks of postings
# Keys a paper of the segment, at most, that a phrase's first results are found from
# (`word_keys`, ~60 ns a key: 240 ms at a million papers)
KEYS_A_PAPER = 4


def dense(reader: IndexReader, q: wq.Phrase) -> bool:
    """Whether a phrase has a word in too many papers to score it whole (a table of every
    paper holding each word)."""
    most = few(reader)
    return any(size_hint(reader, wq.Term(q.fieldname, word)) > most for word in q.words)


def ranked_whole(reader: IndexReader, rarest: int, listed: int) -> bool:
    """Whether a phrase whose rarest word is in ``rarest`` papers of the field (and
    ``listed`` of its list: every prose field) is read in the order of its upper bounds,
    each worked out (`PositionPhrase.rank_whole`): where they are few, and either very few
    or a minority of its list, whose order is then mostly the other fields' ("radiance"
    in 300 titles of a segment and 14,000 abstracts). A word of the field's is read best
    first from its list (at 100,000 papers, 1,400 abstracts of 1,430: working out every
    bound was a third of the search)."""
    return rarest <= few(reader) and (rarest <= FEW // 8 or 2 * rarest <= listed)


def few(reader: IndexReader) -> int:
    """Papers of a segment few enough to score each one (`FEW`, or a 64th of a large one)."""
    return max(FEW, reader.doc_count_all() // 64)


class Unsupported(Exception):
    """The query has a part the impact lists do not handle."""


class Builder:
    """The query as nodes for one segment, its parts in `ranking`'s order."""

    def __init__(
        self, run: _Run, leaf: Searcher, reader: IndexReader, source: ImpactFile, tally: Tally
    ) -> None:
        self.run, self.leaf, self.reader, self.source, self.tally = run, leaf, reader, source, tally
        self._lengths: list[bytes] | None = None
        self.lazy = False  # a part is checked only where it may be among the best
        self.listing = False  # every hit is listed too (`threshold`'s count)
        self._phrase_words: dict[Any, Word] = {}

    def node(self, q: wq.Query) -> Node:
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
            unwanted = [self._docs(sub.query) for sub in q.subqueries if type(sub) is wq.Not]
            return And([self.node(sub) for sub in wanted], unwanted)
        if kind is wq.AndNot:
            return Filtered(self.node(q.a), self._docs(q.b), False)
        if kind is wq.Require:
            return Filtered(self.node(q.a), self._docs(q.b), True)
        if kind is wq.AndMaybe:
            return Maybe(self.node(q.a), self.node(q.b))
        if kind is wq.Phrase:
            return self._phrase(q)
        # Prefixes, and anything else (ranges): matched, equally scored, as `ranking` does.
        if isinstance(q, PrefixQuery):  # sorted only if read best first (`Table.read`)
            scores = dict.fromkeys(self._prefix_docs(q), float(q.boost))
            return Table(scores, self.tally, same=True)
        docs = docs_of(self.leaf, reader, q, postings)
        boost = float(getattr(q, "boost", 1.0))
        return Table(dict.fromkeys(sorted(docs), boost), self.tally, same=True)

    def _docs(self, q: wq.Query) -> DocMarks:
        """The documents of a part only matched, never scored (a NOT, a filter), marked a
        byte each: every segment's are held at once. A word in the prose fields is read
        from its impact list (`_terms_docs`)."""
        return DocMarks(self.reader.doc_count_all(), self._matched(q))

    def _matched(self, q: wq.Query) -> set[int]:
        plain = type(q) is wq.Or and getattr(q, "minmatch", 0) <= 1
        if plain and all(type(sub) is wq.Term for sub in q.subqueries):
            schema = self.reader.schema
            terms = []
            for sub in q.subqueries:
                if sub.fieldname in schema:
                    with suppress(ValueError):  # a text the field cannot hold: no documents
                        terms.append((sub.fieldname, schema[sub.fieldname].to_bytes(sub.text)))
            return self._terms_docs(terms)
        return docs_of(self.leaf, self.reader, q, self.run.ranker.postings)

    def _phrase(self, q: wq.Phrase) -> Node:
        """A phrase of common words from its pairs' orders (`impact_phrases`); another
        scored whole where each of its words is in few papers (a name in the authors),
        else left to `topk` (its positions checked only in the windows it scores)."""
        if q.slop == 1:
            found = phrase_field(self.run, self.reader, q, self.tally)
            if found is not None:
                return found
        # Scored whole, each word's scores are a table of every paper holding it
        if dense(self.reader, q):
            found = self._keyed(q) or self._positions(q) or self._rare_word(q)
            if found is None:
                raise Unsupported("a phrase of words without pairs")
            return found
        return Table(self.run.node(self.leaf, self.reader, q), self.tally)

    def _keyed(self, q: wq.Phrase) -> Node | None:
        """A phrase of words kept as keys (`word_keys`), its papers found from them: scored
        at once where they are few, from their counts in the keys; else None, and read
        best first (`_positions`), each paper checked by a look-up in them. Unless every
        hit is listed, a phrase whose words have too many keys (`"attention network"`:
        "network" 7 times in every abstract) is read best first and checked from positions:
        its best papers come sooner than all of its hits from the keys."""
        if q.slop != 1:
            return None
        postings = self.run.ranker.postings
        if not self.listing:
            cost = keyed_cost(postings, self.reader, q)
            if cost is None or cost > KEYS_A_PAPER * self.reader.doc_count_all():
                return None
        docs = keyed_phrase_docs(postings, self.reader, q)
        if docs is None or len(docs) > few(self.reader):
            return None
        scores = self.run.phrase(self.reader, q)  # from the words' counts in the keys
        return None if scores is None else Table(scores, self.tally)

    def _positions(self, q: wq.Phrase) -> Node | None:
        """A phrase in a prose field read best first by its words' impact lists, its
        positions checked only where it may be among the best (`impact_positions`)."""
        reader, run, name = self.reader, self.run, q.fieldname
        if q.slop != 1 or q.boost <= 0 or name not in FIELDS or name not in reader.schema:
            return None
        field = reader.schema[name]
        if not field.scorable or not field.format or not field.format.supports("positions"):
            return None
        f = FIELDS.index(name)
        lengths = self.lengths()[f]
        if not lengths:
            return None
        texts = list(dict.fromkeys(q.words))
        # One list a word for every phrase of the query (the parser's phrase in the title
        # and in the abstract): a paper's place in it is then found once for both
        words = [self._phrase_words.get(text) or self._word(text) for text in texts]
        self._phrase_words.update(
            {text: word for text, word in zip(texts, words, strict=True) if word is not None}
        )
        found = [word for word in words if word is not None and word.list.weights[f] is not None]
        if len(found) < len(texts):  # a word in no paper's field here: nor the phrase
            return Table({}, self.tally)
        norm = run._norm(name)
        k_of = {t: run.searcher.idf(name, field.to_bytes(t)) * (run.k1 + 1) * 1.0 for t in texts}
        for text, word in zip(texts, found, strict=True):
            word.widen(f, k_of[text], norm)
        self.lazy = True
        slots = [texts.index(word) for word in q.words]
        # Checking a paper decodes a block of postings a word; every hit's positions, each
        # block of each word once (`hits.phrase_docs`)
        blocks = sum(found[slot].list.dfs[f] for slot in slots) / POSTINGS_A_BLOCK
        self.tally.check_budget += blocks / len(slots)
        ks = [k_of[word] for word in q.words]
        positions = Positions(run.ranker.postings, reader, name)
        node = PositionPhrase(q, f, found, slots, ks, norm, lengths, positions, self.tally)
        rarest = min(found, key=lambda word: word.list.dfs[f])
        if ranked_whole(reader, rarest.list.dfs[f], len(rarest.list)):
            node.rank_whole()
        else:
            held, stood = node.sample()
            self.tally.sampled += held
            self.tally.sampled_stood += stood
        return node

    def _rare_word(self, q: wq.Phrase) -> Node | None:
        """A phrase with a word in few papers, in any field, scored from those papers
        alone (`rare_phrase_scores`); None where every word is in many."""
        reader, name = self.reader, q.fieldname
        if q.slop != 1 or name not in reader.schema:
            return None
        field = reader.schema[name]
        if not field.format or not field.format.supports("positions"):
            return None
        try:
            btexts = [field.to_bytes(word) for word in q.words]
        except ValueError:
            return None
        sizes = [size_hint(reader, wq.Term(name, b)) for b in btexts]
        if not sizes or min(sizes) > few(reader):
            return None
        rare = btexts[sizes.index(min(sizes))]
        candidates = sorted(self.run.ranker.postings.docs(reader, name, rare))
        return Table(rare_phrase_scores(self.run, reader, q, candidates), self.tally)

    def _prefix_docs(self, q: PrefixQuery) -> set[int]:
        """The documents of a prefix's words (`_terms_docs`: `transf*` is a few dozen common
        words)."""
        return self._terms_docs(q.expanded(self.reader, self.run.ranker.postings.check))

    def _terms_docs(self, expanded: list[tuple[str, bytes]]) -> set[int]:
        """The undeleted documents of any of the terms (field, word). A word searched in
        every prose field it occurs in is read from its impact list (its papers as one
        array) rather than from Whoosh's postings of each field, positions and all."""
        reader, postings = self.reader, self.run.ranker.postings
        searched: dict[bytes, set[str]] = {}
        for fieldname, btext in expanded:
            if fieldname in FIELDS:
                searched.setdefault(btext, set()).add(fieldname)
        docs: set[int] = set()
        listed: set[bytes] = set()
        for btext, fieldnames in searched.items():
            found = self._impact_list(btext)
            if found is not None and fieldnames.issuperset(
                name for f, name in enumerate(FIELDS) if found.weights[f] is not None
            ):
                docs.update(found.docs)
                listed.add(btext)
        for fieldname, btext in expanded:
            if not (fieldname in FIELDS and btext in listed):
                docs |= postings.docs(reader, fieldname, btext)
        if reader.has_deletions():
            docs -= reader.deleted_docs_set
        return docs

    def _table(self, q: wq.Term) -> Table:
        return Table(self.run.term(self.reader, q.fieldname, q.text, q.boost), self.tally)

    def _or(self, subs: list[wq.Query]) -> Or:
        """The children; the terms of one word in two or more prose fields are served by
        the word's impact list."""
        texts: dict[Any, int] = {}
        for sub in subs:
            if type(sub) is wq.Term and sub.fieldname in FIELDS:
                texts[sub.text] = texts.get(sub.text, 0) + 1
        words: dict[Any, Word] = {}
        children: list[Node] = []
        for sub in subs:
            if type(sub) is wq.Term and sub.fieldname in FIELDS and texts[sub.text] >= 2:
                word = words.get(sub.text) or self._word(sub.text)
                if word is not None:
                    words[sub.text] = word
                    children.append(self._field(word, sub))
                    continue
            child = self.node(sub)
            if not (isinstance(child, Table) and not child.scores):  # adds nothing to a sum
                children.append(child)
        return Or(children, list(words.values()))

    def _word(self, text: Any) -> Word | None:
        field = self.reader.schema[FIELDS[0]]
        try:
            btext = text if isinstance(text, bytes) else field.to_bytes(text)
        except ValueError:
            return None
        found = self._impact_list(btext)
        return None if found is None else Word(self.source, found, self.lengths(), self.tally)

    def _impact_list(self, btext: bytes) -> ImpactList | None:
        source = self.source
        n = source.find(btext)
        if n < 0:
            return None
        return self.run.ranker.postings.remember(
            self.reader, ("impact", btext), lambda: source.read(n)
        )

    def lengths(self) -> list[bytes]:
        if self._lengths is None:
            self._lengths = [
                self.run.ranker.lengths(self.reader, f) or b"" if f in self.reader.schema else b""
                for f in FIELDS
            ]
        return self._lengths

    def _field(self, word: Word, q: wq.Term) -> Node:
        f = FIELDS.index(q.fieldname)
        run = self.run
        field = self.reader.schema[q.fieldname]
        btext = q.text if isinstance(q.text, bytes) else field.to_bytes(q.text)
        k = run.searcher.idf(q.fieldname, btext) * (run.k1 + 1) * q.boost
        norm = run._norm(q.fieldname)
        word.widen(f, k, norm)
        return WordField(word, f, k, norm, self.lengths()[f])
