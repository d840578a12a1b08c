"""`topk` against scoring every hit: the same k best documents, the same scores bit for bit,
in the same order (equal scores in index order), on real listings spread over segments with
deletions and on generated text whose common words and phrases have many hits."""

from __future__ import annotations

import json
import random

import pytest
from demo_index import demo_index_in_segments

from paperdeck.core.cancel import SearchCancelled
from paperdeck.core.importer import import_file
from paperdeck.core.search import topk_parts
from paperdeck.core.search.index import SearchIndex
from paperdeck.core.search.ranking import Ranker, best
from paperdeck.core.search.topk import top_k
from paperdeck.core.store import Library

REAL_QUERIES = [
    "language",
    "language models",
    "large language models",
    '"language models"',
    '"large language models"',
    '"reinforcement learning"',
    "reasoning OR retrieval",
    "diffusion -video",
    "agent NOT benchmark",
    "title:reasoning",
    "author:wang",
    "cat:cs.CL",
    "tag:keep",
    "year:2025 reasoning",
    "learn* agents",
    "(vision OR speech) AND model",
    "reasoning ANDMAYBE reinforcement",
    "NOT language",
    "title:model^3 OR abstract:model",
]
GENERATED_QUERIES = [
    "learning",
    "model",
    "large language model",
    '"large language model"',
    '"state of the art"',
    '"neural network"',
    "neural OR network",
    "reward -policy",
    "graph AND learning AND model",
    "title:learning",
    "zzzz",
]
COMMON = ["learning", "model", "language", "large", "neural", "network", "graph", "policy"]
PHRASES = ["large language model", "state of the art", "neural network", "reward model"]


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    with demo_index_in_segments(tmp_path_factory.mktemp("topk-real") / "lib") as index:
        yield index


def _abstract(rng: random.Random, words: list[str]) -> str:
    out = []
    for _ in range(rng.randint(20, 120)):
        out.append(rng.choice(PHRASES) if rng.random() < 0.08 else rng.choice(words))
    return " ".join(out)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """1,500 papers: a few very common words, a long tail, collocations as phrases, and one
    rare word ("zebra", in 30 papers)."""
    rng = random.Random(17)
    tail = [f"w{n}x" for n in range(400)]
    words = COMMON * 30 + tail
    folder = tmp_path_factory.mktemp("topk-generated")
    path = folder / "papers.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for n in range(1500):
            title = " ".join(rng.choice(words) for _ in range(rng.randint(3, 9)))
            paper = {
                "title": f"{title} {n}",
                "authors": [f"Author{n % 13} Person"],
                "abstract": _abstract(rng, words) + (" zebra" if n % 50 == 7 else ""),
                "date": f"2024-01-{1 + n % 28:02d}",
            }
            out.write(json.dumps(paper) + "\n")
    with Library(folder / "lib") as library, SearchIndex(library) as index:
        assert import_file(library, path).added == 1500
        index.ensure()
        yield index


@pytest.fixture(params=["headers", "read"])
def bounds(request, monkeypatch) -> None:
    """Bounds from block headers alone (every term), or from postings read (rare terms)."""
    if request.param == "headers":
        monkeypatch.setattr(topk_parts, "EXACT_BELOW", 0)


def _check(index: SearchIndex, text: str, k: int, window: int) -> None:
    searcher = index._current()
    q = index._parser.parse(text).query
    assert q is not None
    scores = Ranker().scores(searcher, q)
    head, _order = best(scores, k)
    found = top_k(Ranker(), searcher, q, k, window=window, dense=2.0)  # windows, always
    assert found.docs == head
    assert found.scores == [scores[d] for d in head]  # bit for bit
    if found.exact:
        assert found.estimate == len(scores)


@pytest.mark.parametrize("text", REAL_QUERIES)
@pytest.mark.parametrize(("k", "window"), [(1, 8), (10, 16), (200, 64), (5, 4096)])
def test_real_listings(real: SearchIndex, text: str, k: int, window: int, bounds) -> None:
    _check(real, text, k, window)


@pytest.mark.parametrize("text", GENERATED_QUERIES)
@pytest.mark.parametrize(("k", "window"), [(1, 16), (20, 32), (200, 128)])
def test_generated_text(generated: SearchIndex, text: str, k: int, window: int, bounds) -> None:
    _check(generated, text, k, window)


def test_equal_scores_keep_index_order(generated: SearchIndex) -> None:
    searcher = generated._current()
    q = generated._parser.parse("author:author3").query  # the same score for each of them
    scores = Ranker().scores(searcher, q)
    assert len(set(scores.values())) == 1 and len(scores) > 20
    found = top_k(Ranker(), searcher, q, 20, window=16, dense=2.0)
    assert found.docs == sorted(scores)[:20]
    assert top_k(Ranker(), searcher, q, 20, window=16).docs == found.docs  # scored at once


def test_a_common_word_with_a_rare_one_costs_what_the_rare_one_costs(
    generated: SearchIndex,
) -> None:
    """What makes it fast, as counts: with every word required, only the windows where the
    rarest word has postings are ever scored, however common the others are."""
    searcher = generated._current()
    q = generated._parser.parse("learning zebra").query
    rare = generated._parser.parse("zebra").query
    window = 16
    hits = Ranker().scores(searcher, rare)
    assert 0 < len(hits) < searcher.doc_count() / 20
    found = top_k(Ranker(), searcher, q, 10, window=window)  # windows: few may hold a hit
    assert found.scored <= len({d // window for d in hits})
    assert found.scored < found.windows / 4
    assert found.docs == best(Ranker().scores(searcher, q), 10)[0]


def test_cancelled_between_windows(generated: SearchIndex) -> None:
    searcher = generated._current()
    q = generated._parser.parse("learning").query
    asked: list[int] = []

    def cancel() -> bool:
        asked.append(1)
        return len(asked) > 2

    with pytest.raises(SearchCancelled):
        top_k(Ranker(), searcher, q, 10_000, cancel=cancel, window=16, dense=2.0)
    assert len(asked) == 3


@pytest.mark.parametrize("complete", [True, False])
def test_a_search_stops_while_it_scores_once_cancelled(generated: SearchIndex, complete) -> None:
    """The cancel check is asked inside the scoring, not only before it: a search replaced
    part-way raises SearchCancelled, and the next search is whole."""
    generated.drop_caches()
    asked: list[int] = []

    def cancel() -> bool:
        asked.append(1)
        return len(asked) > 1  # the search has started: now a newer key arrives

    with pytest.raises(SearchCancelled):
        generated.search('"large language model" OR graph', complete=complete, cancel=cancel)
    assert len(asked) == 2
    result = generated.search('"large language model" OR graph', complete=complete)
    full = generated.search('"large language model" OR graph')
    assert result.ids[:200] == full.ids[:200]
    assert result.total == full.total or result.estimated


def test_a_query_with_hits_in_most_windows_is_scored_at_once(generated: SearchIndex) -> None:
    searcher = generated._current()
    q = generated._parser.parse("learning").query
    scores = Ranker().scores(searcher, q)
    found = top_k(Ranker(), searcher, q, 10, window=16)
    assert found.exact and found.every == scores and found.estimate == len(scores)
    assert (found.docs, found.scores) == (best(scores, 10)[0], [scores[d] for d in found.docs])
