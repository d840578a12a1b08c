"""A prefix (`transf*`, what the reader searches as a word is typed) over the impact lists:
the same best and the same hits as scoring every hit, its words read from their impact
lists rather than from Whoosh's postings of each field, and only its best k read."""

from __future__ import annotations

import pytest
from test_impacts import (
    _check,
    _files,
    generated,  # noqa: F401 (the fixture, taken by name below)
)
from whoosh.reading import SegmentReader

from paperdeck.core.cancel import SearchCancelled
from paperdeck.core.models import Paper
from paperdeck.core.search import spelling
from paperdeck.core.search.impacts import FIELDS
from paperdeck.core.search.index import SearchIndex
from paperdeck.core.search.postings import Postings
from paperdeck.core.search.ranking import Ranker
from paperdeck.core.search.threshold import FIRST_BATCH, top_k_by_impacts
from paperdeck.core.store import Library

PREFIXES = ["w1*", "lang*", "learn*", "w2* OR zebra", "title:gra*", "netw* -graph", "lang* model"]


@pytest.mark.parametrize("text", PREFIXES)
@pytest.mark.parametrize("k", [1, 10, 200])
def test_a_prefix_finds_the_same_as_scoring_every_hit(request, text: str, k: int) -> None:
    _check(request.getfixturevalue("generated"), text, k)


def test_a_lone_prefix_reads_only_its_first_k(request) -> None:
    """Every hit of a prefix scores the same, and equal scores keep index order: its best 10
    are its first 10, and nothing after them is read."""
    index = request.getfixturevalue("generated")
    searcher = index._current()
    q = index._parser.parse("lang*").query
    hits = Ranker().scores(searcher, q)
    assert len(hits) > 1000
    found = top_k_by_impacts(Ranker(), searcher, q, 10, _files(index))
    assert found is not None and found.docs == sorted(hits)[:10]
    assert found.read <= FIRST_BATCH


def test_a_prefix_reads_its_prose_words_from_their_impact_lists(request, monkeypatch) -> None:
    """Title, abstract and note share one list per word: the prefix's words are not read
    from Whoosh's postings of those fields (only the other fields are)."""
    index = request.getfixturevalue("generated")
    asked: list[str] = []
    whoosh_docs = Postings.docs

    def docs(self, reader, fieldname, btext):
        asked.append(fieldname)
        return whoosh_docs(self, reader, fieldname, btext)

    monkeypatch.setattr(Postings, "docs", docs)
    index.drop_caches()
    result = index.search("learn*")  # also an author: "Graph0 Learning"
    assert result.total > 1000
    assert asked and not [name for name in asked if name in FIELDS]


def test_a_prefix_is_cancelled_while_its_words_are_looked_up(tmp_path, monkeypatch) -> None:
    """A short prefix looks up thousands of words in each segment (`tra*`: ~1 s at 100k
    papers); a newer keystroke stops it within `CHECK_EVERY` lookups, not after them all."""
    words = [f"qxz{n:03d}" for n in range(300)]  # 300 words that start with qxz
    papers = [
        Paper(title=f"Paper {n}", abstract=" ".join(words[n::10]), authors=["Ann Lee"])
        for n in range(10)
    ]
    with Library(tmp_path / "lib") as library, SearchIndex(library) as index:
        library.add_papers(papers)
        index.ensure()
        looked_up: list[bytes] = []
        whoosh_doc_frequency = SegmentReader.doc_frequency

        def doc_frequency(self, fieldname, text):
            looked_up.append(text)
            return whoosh_doc_frequency(self, fieldname, text)

        monkeypatch.setattr(SegmentReader, "doc_frequency", doc_frequency)
        assert index.search("qxz*", complete=False).total == 10
        expansions = [t for t in looked_up if t.startswith(b"qx")]
        assert len(expansions) >= 300  # each word at least once

        index.drop_caches()
        looked_up.clear()
        with pytest.raises(SearchCancelled):
            index.search("qxz*", complete=False, cancel=lambda: bool(looked_up))
        assert 0 < len([t for t in looked_up if t.startswith(b"qx")]) <= spelling.CHECK_EVERY
