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

from paperdeck.core.search.impacts import FIELDS
from paperdeck.core.search.postings import Postings
from paperdeck.core.search.ranking import Ranker
from paperdeck.core.search.threshold import FIRST_BATCH, top_k_by_impacts

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
