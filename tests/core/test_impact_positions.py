"""Phrases without word pairs over the impact lists (`impact_positions`): read best first by
their words, positions checked only where a paper may be among the best. Against scoring
every hit (`ranking`): the same k best, the same scores bit for bit, the same hits; and,
as counts, few papers checked."""

from __future__ import annotations

import json
import random

import pytest

from paperdeck.core.cancel import SearchCancelled
from paperdeck.core.importer import import_file
from paperdeck.core.search import impact_positions, impact_query, pairs, threshold
from paperdeck.core.search.impact_nodes import Node
from paperdeck.core.search.impact_positions import PositionPhrase
from paperdeck.core.search.index import SearchIndex
from paperdeck.core.search.ranking import Ranker, best
from paperdeck.core.search.threshold import Tally, top_k_by_impacts
from paperdeck.core.store import Library

COMMON = ["neural", "field", "state", "art", "graph", "network", "model", "learning"]
# Phrases of the common words, and the same words out of order: most papers hold every
# word of a phrase, fewer hold the phrase.
PHRASES = [
    "neural radiance field",
    "state of the art",
    "graph neural network",
    "art state",
    "network of network",
]
TAIL = [f"w{n}x" for n in range(200)]
AFFILIATIONS = ["University of the Arts", "State University", "Institute of Art History"]


def _text(rng: random.Random, low: int, high: int) -> str:
    words = COMMON * 12 + TAIL + ["radiance", "of", "the"]
    out = []
    for _ in range(rng.randint(low, high)):
        out.append(rng.choice(PHRASES) if rng.random() < 0.05 else rng.choice(words))
    return " ".join(out)


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    """1,600 papers written by two processes, then 30 re-indexed in three syncs (more
    segments, deleted copies in the old ones); notes and affiliations on some."""
    rng = random.Random(2026)
    folder = tmp_path_factory.mktemp("positions")
    path = folder / "papers.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for n in range(1600):
            paper = {
                "title": f"{_text(rng, 2, 8)} {n}",
                "authors": [f"Author{n % 11} Person"],
                "abstract": _text(rng, 10, 90),
                "date": f"{2020 + n % 5}-02-{1 + n % 27:02d}",
                "affiliations": [AFFILIATIONS[n % 3]] if n % 4 else [],
            }
            out.write(json.dumps(paper) + "\n")
    with Library(folder / "lib") as lib, SearchIndex(lib) as index:
        index.bulk_threshold = 500
        report = import_file(lib, path)
        assert report.added == 1600
        index.ensure()
        for n, paper_id in enumerate(report.ids[:30]):
            lib.set_note(paper_id, _text(rng, 3, 20))
            if n % 10 == 9:
                index.sync()
        yield index


@pytest.fixture
def word_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    """No pairs; every phrase read best first by its words' lists (not ranked whole)."""
    monkeypatch.setattr(pairs, "ENABLED", False)
    monkeypatch.setattr(impact_query, "dense", lambda reader, q: True)
    monkeypatch.setattr(impact_query, "ranked_whole", lambda reader, rarest, listed: False)


@pytest.fixture(params=["word lists", "ranked whole"])
def positions(request, monkeypatch: pytest.MonkeyPatch) -> None:
    """No pairs; every phrase read with its positions checked: best first by its words'
    lists, or (its rarest word in few papers) by its own upper bounds worked out whole."""
    monkeypatch.setattr(pairs, "ENABLED", False)
    monkeypatch.setattr(impact_query, "dense", lambda reader, q: True)
    whole = request.param == "ranked whole"
    monkeypatch.setattr(threshold, "CHECKS_FLOOR", 10**9)  # (a small library's k = 200)
    monkeypatch.setattr(impact_query, "ranked_whole", lambda reader, rarest, listed: whole)


QUERIES = [
    '"neural radiance field"',
    '"state of the art"',
    '"graph neural network"',
    '"art state"',
    '"neural radiance field"^2.5',
    'title:"state of the art"',
    'abstract:"graph neural network" OR title:neural',
    '"state of the art" learning',
    '"neural radiance field" -graph',
    '"graph neural network" OR "state of the art"',
    '"state of the art" ANDMAYBE model',
    'note:"neural radiance field"',
    '"network of network"',
    'year:2022 "state of the art"',
]


def _files(index: SearchIndex):
    state = index._state
    return lambda reader: index._impacts.get(reader, state.sums)


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("k", [1, 10, 200])
def test_the_same_best_and_hits_as_scoring_every_hit(
    library: SearchIndex, text: str, k: int, positions: None
) -> None:
    searcher = library._current()
    q = library._parser.parse(text).query
    scores = Ranker().scores(searcher, q)
    head, _order = best(scores, k)
    tally = Tally()
    found = top_k_by_impacts(Ranker(), searcher, q, k, _files(library), tally=tally)
    assert found is not None, text
    assert found.docs == head, text
    assert found.scores == [scores[d] for d in head], text  # bit for bit
    if found.exact:
        assert found.estimate == len(scores) and found.every == scores
    counted = top_k_by_impacts(Ranker(), searcher, q, k, _files(library), count=True)
    assert counted is not None and counted.docs == head
    assert counted.hits is not None and list(counted.hits) == sorted(scores), text


@pytest.mark.parametrize("text", QUERIES)
def test_no_paper_unread_can_pass_the_bound(library: SearchIndex, text: str, positions: None):
    """What makes the k best exact: after each batch read from a node's lists, every
    paper not read yet scores at most the node's bound (its upper bound, which a phrase's
    score never passes), and none can match once the bound is None."""
    from paperdeck.core.search.impact_query import Builder
    from paperdeck.core.search.ranking import _Run

    searcher = library._current()
    q = library._parser.parse(text).query
    run = _Run(Ranker(), searcher, relax=False)
    files = _files(library)
    for leaf, _offset in searcher.leaf_searchers():
        reader = leaf.reader()
        if not reader.doc_count_all():
            continue

        def built() -> Node:  # (anew for each node tested: their lists are read as tested)
            return Builder(run, leaf, reader, files(reader), Tally()).node(q)  # noqa: B023

        count = len(_phrases(built()))
        assert count or "note:" in text or "title:" in text, text  # (some segments: none)
        _bound_holds(built(), reader.doc_count_all(), text)
        for n in range(count):  # the query's bound is a sum: each phrase's alone too
            _bound_holds(_phrases(built())[n], reader.doc_count_all(), text)


def _phrases(node: object) -> list[PositionPhrase]:
    """The phrases checked from positions in a node's tree."""
    if isinstance(node, PositionPhrase):
        return [node]
    parts = [getattr(node, name, None) for name in ("a", "b")]
    parts += [*getattr(node, "children", []), *getattr(node, "wanted", [])]
    return [found for part in parts if part is not None for found in _phrases(part)]


def _bound_holds(node: Node, documents: int, text: str) -> None:
    exact = {d: node.exact(d) for d in range(documents)}
    uppers = {d: node.upper(d) for d in exact}
    assert all(s is None or s <= uppers[d] for d, s in exact.items())  # type: ignore[operator]
    read: set[int] = set()
    batch = 8
    while True:
        bound = node.bound()
        unread = [u for d, u in uppers.items() if u is not None and d not in read]
        if bound is None:
            assert not unread, text
            return
        assert max(unread, default=0.0) <= bound * (1 + 1e-9) + 1e-9, text
        got = [d for stream in node.streams() for d in stream.read(batch)]
        if not got:
            return
        read.update(got)
        batch *= 2


@pytest.mark.parametrize("budget", [1, 10**5, 10**9])
def test_another_whoosh_reads_positions_alike_whatever_is_kept(
    library: SearchIndex, positions: None, monkeypatch: pytest.MonkeyPatch, budget: int
) -> None:
    """With another Whoosh a word's postings are one block read through a matcher to its
    end: a block dropped from the cache is read again through a new matcher, not the
    spent one (which gave no postings: hits were lost)."""
    from paperdeck.core.search import whoosh_private

    monkeypatch.setattr(whoosh_private, "PRIVATE_OK", False)
    searcher = library._current()
    for text in ['"state of the art"', '"neural radiance field"']:
        q = library._parser.parse(text).query
        scores = Ranker().scores(searcher, q)
        ranker = Ranker()
        ranker.postings.budget = budget
        found = top_k_by_impacts(ranker, searcher, q, 10, _files(library))
        assert found is not None and found.docs == best(scores, 10)[0], (text, budget)


def test_the_first_search_finds_a_screenful_and_the_complete_one_ranks_the_rest(
    library: SearchIndex, positions: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where papers are checked from positions, the first search finds only the best
    `FIRST_SCREEN` (each check is dear); the complete search ranks its `RANKED` best
    anew, not from that screenful."""
    from paperdeck.core.search import index as index_module

    monkeypatch.setattr(index_module, "FIRST_SCREEN", 7)
    searcher = library._current()
    for text in ['"state of the art"', '"graph neural network" OR "state of the art"']:
        library.drop_caches()
        q = library._parser.parse(text).query
        scores = Ranker().scores(searcher, q)
        first = library.search(text, complete=False)
        assert not first.complete and len(first.ids) == 7
        whole = library.search(text)  # (as many ranked as the first search was asked)
        assert list(whole.ids[:200]) == list(library._ids.many(best(scores, 200)[0])), text
        assert list(first.ids) == list(whole.ids[:7]) and whole.total == len(scores)


def test_listing_every_hit_first_makes_checks_look_ups(
    library: SearchIndex, positions: None
) -> None:
    """The complete search lists a phrase's hits before it reads its best: each paper is
    then checked against them, no positions read."""
    searcher = library._current()
    q = library._parser.parse('"state of the art"').query
    tally = Tally()
    ranker = Ranker()
    found = top_k_by_impacts(ranker, searcher, q, 50, _files(library), tally=tally, count=True)
    assert found is not None and found.docs == best(Ranker().scores(searcher, q), 50)[0]
    assert tally.checked == 0 and tally.read > 50


def test_the_phrases_have_hits_among_many_papers_holding_their_words(library: SearchIndex):
    searcher = library._current()
    for text, words in [('"state of the art"', "state art"), ('"art state"', "art state")]:
        phrase = Ranker().scores(searcher, library._parser.parse(text).query)
        anywhere = Ranker().scores(searcher, library._parser.parse(words).query)
        assert 20 < len(phrase) < len(anywhere) * 0.6, (text, len(phrase), len(anywhere))


@pytest.mark.parametrize("text", ['"state of the art"', '"neural radiance field"'])
def test_few_papers_are_checked(library: SearchIndex, text: str, positions: None) -> None:
    """What makes it fast, as counts: positions are read for about the k best, not for
    every paper holding the words."""
    searcher = library._current()
    q = library._parser.parse(text).query
    tally = Tally()
    found = top_k_by_impacts(Ranker(), searcher, q, 10, _files(library), tally=tally)
    hits = Ranker().scores(searcher, q)
    assert found is not None and len(hits) > 100
    assert 10 <= tally.checked < len(hits) / 3, (tally.checked, len(hits))


def test_a_phrase_checked_too_often_is_left_to_scoring_every_hit(
    library: SearchIndex, positions: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the words stand side by side in few of the papers holding them all, nearly
    each would be checked: past the budget, `top_k_by_impacts` answers None (`topk`)."""
    monkeypatch.setattr(threshold, "RATE_AFTER", 10**9)  # (the rate: the tests below)
    monkeypatch.setattr(threshold, "CHECKS_FLOOR", 0)
    monkeypatch.setattr(threshold, "CHECK_EVERY", 1)
    searcher = library._current()
    q = library._parser.parse('"art state"').query
    tally = Tally()
    monkeypatch.setattr(impact_query, "POSTINGS_A_BLOCK", 10**6)  # (a budget of nothing)
    assert top_k_by_impacts(Ranker(), searcher, q, 200, _files(library), tally=tally) is None
    assert tally.checked >= 1
    found = library.search('"art state"', complete=False)
    assert list(found.ids) == list(library.search('"art state"').ids[: len(found.ids)])


def test_a_phrase_rare_among_the_papers_holding_its_words_is_left_to_topk_unchecked(
    library: SearchIndex, word_lists: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its sample (`PositionPhrase.sample`) says the budget would find fewer than k:
    `top_k_by_impacts` answers None before any paper is read or checked."""
    monkeypatch.setattr(threshold, "CHECKS_FLOOR", 0)
    monkeypatch.setattr(threshold, "RATE_AFTER", 16)
    monkeypatch.setattr(impact_query, "POSTINGS_A_BLOCK", 10**6)  # (a budget of nothing)
    searcher = library._current()
    q = library._parser.parse('"art state"').query
    tally = Tally()
    assert top_k_by_impacts(Ranker(), searcher, q, 10, _files(library), tally=tally) is None
    assert tally.sampled >= 16 and tally.sampled_stood > 0
    assert tally.checked == 0 and tally.read == 0
    found = library.search('"art state"', complete=False)
    assert list(found.ids) == list(library.search('"art state"').ids[: len(found.ids)])


def test_a_phrase_standing_often_enough_is_read_lazily_after_its_sample(
    library: SearchIndex, word_lists: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(threshold, "CHECKS_FLOOR", 0)
    monkeypatch.setattr(threshold, "RATE_AFTER", 16)
    searcher = library._current()
    q = library._parser.parse('"neural radiance field"').query
    tally = Tally()
    found = top_k_by_impacts(Ranker(), searcher, q, 1, _files(library), tally=tally)
    assert found is not None and found.docs == best(Ranker().scores(searcher, q), 1)[0]
    # about nine in ten of the papers holding its three words hold the phrase
    assert tally.sampled >= 16 and tally.sampled_stood * 10 > tally.sampled * 8
    assert tally.checked > 0


def test_a_phrase_found_rare_while_checked_is_left_to_topk(
    library: SearchIndex, word_lists: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a sample (each segment's too small, say), the rate is asked as papers are
    checked: past `RATE_AFTER`, with a budget that would find fewer than k, it gives up
    long before the budget is spent."""
    monkeypatch.setattr(impact_positions.PositionPhrase, "sample", lambda self: (0, 0))
    monkeypatch.setattr(threshold, "CHECKS_FLOOR", 0)
    monkeypatch.setattr(threshold, "CHECK_EVERY", 1)
    monkeypatch.setattr(threshold, "RATE_AFTER", 16)
    monkeypatch.setattr(impact_query, "POSTINGS_A_BLOCK", 16)  # a budget of ~100 checks
    searcher = library._current()
    q = library._parser.parse('"art state"').query
    tally = Tally()
    assert top_k_by_impacts(Ranker(), searcher, q, 200, _files(library), tally=tally) is None
    assert tally.check_budget > 60  # (at 7 in 10: 70 of 200 in ~100 checks)
    assert 16 <= tally.checked <= 17
    assert tally.sampled == 0


def test_checking_stops_once_cancelled(
    library: SearchIndex, positions: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(threshold, "CHECK_EVERY", 1)
    searcher = library._current()
    q = library._parser.parse('"state of the art"').query
    tally = Tally()
    asked: list[int] = []

    def cancel() -> bool:
        asked.append(tally.checked)
        return tally.checked >= 5

    with pytest.raises(SearchCancelled):
        top_k_by_impacts(Ranker(), searcher, q, 200, _files(library), cancel, tally)
    assert 5 <= tally.checked <= 6


def test_the_reader_search_agrees_with_the_complete_one(library: SearchIndex) -> None:
    """With the index as it is (pairs and all), through `SearchIndex.search`."""
    for text in QUERIES:
        first = library.search(text, complete=False)
        whole = library.search(text)
        assert list(first.ids) == list(whole.ids[: len(first.ids)]), text
