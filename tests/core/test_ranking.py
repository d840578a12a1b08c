"""`ranking` against Whoosh itself: the same hits and the same BM25F scores, on real listings
spread over several segments, some of their documents deleted."""

from __future__ import annotations

import heapq
import random

import pytest
from demo_index import demo_index_in_segments
from whoosh import query as wq

from paperdeck.core.search.ranking import Ranker, best, top

QUERIES = [
    "language",
    "language models",
    "reasoning OR retrieval",
    "diffusion -video",
    "agent NOT benchmark",
    "title:reasoning",
    "author:wang",
    "cat:cs.CL",
    "tag:keep",
    "note:reread",
    "year:2025 reasoning",
    "year:[2020 TO 2024] language",
    "learn* agents",
    "(vision OR speech) AND model",
    "reasoning ANDMAYBE reinforcement",
    "NOT language",
    "title:model^3 OR abstract:model",
]
PHRASES = ['"language models"', '"reinforcement learning"', '"chain of thought"', '"a b c"']


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("ranking") / "lib"
    with demo_index_in_segments(root, note_every=3) as index:
        yield index


def whoosh_scores(searcher, q) -> dict[int, float]:
    return {docnum: score for score, docnum in searcher.search(q, limit=None).top_n}


def test_the_library_is_spread_over_segments_with_deletions(index):
    reader = index._current().reader()
    leaves = [leaf for leaf, _base in reader.leaf_readers()]
    assert len(leaves) >= 3
    assert any(leaf.has_deletions() for leaf in leaves)


@pytest.mark.parametrize("text", QUERIES)
def test_scores_are_whooshs_own(index, text):
    searcher = index._current()
    q = index._parser.parse(text).query
    assert q is not None
    expected = whoosh_scores(searcher, q)
    scores = Ranker().scores(searcher, q)
    assert expected, f"{text!r} finds nothing: the test would prove nothing"
    assert scores.keys() == expected.keys()
    for docnum, score in expected.items():
        assert scores[docnum] == pytest.approx(score, rel=1e-9)


@pytest.mark.parametrize("text", PHRASES)
def test_a_phrase_scores_as_its_words_where_they_stand_together(index, text):
    searcher = index._current()
    q = index._parser.parse(text).query
    scores = Ranker().scores(searcher, q)
    assert bool(scores) == (text != '"a b c"')
    # Whoosh's own phrase matching (through spans) finds the same papers...
    assert scores.keys() == {docnum for _score, docnum in searcher.search(q, limit=None).top_n}
    # ... and each scores as Whoosh scores all its words in the fields where it stands.
    for docnum, score in scores.items():
        words = [
            wq.And([wq.Term(p.fieldname, w) for w in p.words]) if isinstance(p, wq.Phrase) else p
            for p in q.subqueries
            if docnum in {d for _s, d in searcher.search(p, limit=None).top_n}
        ]
        assert score == pytest.approx(sum(whoosh_scores(searcher, w)[docnum] for w in words))


def test_best_breaks_ties_in_index_order():
    scores = {5: 1.0, 2: 3.0, 9: 1.0, 1: 1.0, 7: 2.0}
    assert best(scores, 3) == ([2, 7, 1], [1, 2, 5, 7, 9])
    assert best(scores, None) == ([2, 7, 1, 5, 9], [1, 2, 5, 7, 9])
    assert best({}, 3) == ([], [])


def test_a_search_may_stop_at_the_best_and_say_so(index):
    quick = index.search("language", ranked=3, complete=False)
    full = index.search("language", ranked=3)
    assert full.complete and not full.estimated and full.total == len(full.ids) > 3
    assert not quick.complete and len(quick.ids) == 3
    assert quick.ids == full.ids[:3]
    few = index.search('"chain of thought"', ranked=200, complete=False)
    assert few.complete and not few.estimated  # every hit is among the best: nothing follows
    assert few.ids == index.search('"chain of thought"', ranked=200).ids


def test_postings_are_kept_between_searches_until_dropped(index):
    first = index.search('"language models" OR reasoning')
    assert index._ranker.postings._size > 0  # kept for the next keystroke
    assert index.search('"language models" OR reasoning') == first
    index.drop_caches()
    assert index._ranker.postings._size == 0
    assert index.search('"language models" OR reasoning') == first


def test_a_terms_scores_and_documents_keep_no_positions(index):
    """A NOT's documents and a word's scores in a field need no positions: their blocks are
    read as documents and weights, and the positions (most of a block's memory) not kept."""
    index.drop_caches()
    searcher = index._current()
    q = index._parser.parse("author:wang OR tag:llm OR language -reasoning").query
    scores = index._ranker.scores(searcher, q)
    kept = index._ranker.postings.kept()
    assert {key[0] for key in kept} >= {"weights", "docs"}
    assert not any(key[0] in ("blocks", "block") for key in kept)
    fresh = Ranker()  # the same scores from whole blocks, positions and all
    for leaf, _offset in searcher.leaf_searchers():
        fresh.postings.blocks(leaf.reader(), "abstract", b"languag")
    assert fresh.scores(searcher, q) == scores


def test_a_terms_documents_come_from_its_kept_weights(index, monkeypatch):
    """A word scored, then matched (a NOT, a count): its blocks are read once."""
    from paperdeck.core.search import postings as postings_module

    index.drop_caches()
    searcher = index._current()
    reads: list[int] = []
    reading = postings_module.read_ids
    monkeypatch.setattr(postings_module, "read_ids", lambda m, o: reads.append(o) or reading(m, o))
    ranker = index._ranker
    ranker.scores(searcher, index._parser.parse("abstract:language").query)
    scored = len(reads)
    assert scored > 0
    for leaf, _offset in searcher.leaf_searchers():
        ranker.postings.docs(leaf.reader(), "abstract", b"languag")
    assert len(reads) == scored


def test_the_postings_kept_are_bounded_in_bytes(index):
    from paperdeck.core.search.postings import Postings, footprint

    assert footprint(([1, 2], [1.0, 1.0], [b"abc", b"de"])) == 100 * 2 + 5 + 200
    assert footprint({1: 0.5, 2: 0.25}) == 100 * 2 + 200
    budget = 60_000
    postings = Postings(budget=budget)
    ranker = Ranker(postings)
    searcher = index._current()
    for text in ["language", "model", "reasoning", '"language models"', "agents", "language"]:
        ranker.scores(searcher, index._parser.parse(text).query)
        assert postings._size == sum(size for _value, size in postings._kept.values())
        assert postings._size <= budget or len(postings._kept) == 1
    assert len(postings._kept) >= 2  # something is kept, the least recently used dropped


@pytest.mark.parametrize("seed", range(40))
def test_the_best_few_are_those_of_a_full_sort_ties_in_index_order(seed: int) -> None:
    """`top` against the plain way it replaces: scores spread, or few distinct (ties at the
    k-th), k above and below the number of hits."""
    rng = random.Random(seed)
    values = [0.5, 1.25, 2.0] if seed % 2 else None
    scores = {
        rng.randrange(50_000): rng.choice(values) if values else rng.random()
        for _ in range(rng.randint(0, 2_000))
    }
    for k in (0, 1, 7, 200, len(scores), len(scores) + 3):
        expected = heapq.nlargest(k, sorted(scores), key=scores.__getitem__)
        assert top(scores, k) == expected
