"""A query asked again while the index is unchanged is answered from the result kept for
it (search as you type asks again after a key is deleted and typed again); a commit drops
what was kept, and what is kept is bounded by bytes."""

from __future__ import annotations

import pytest
from demo_index import demo_index_in_segments

from paperdeck.core.search.index import SearchIndex

QUERIES = ["learning", "model OR graph", '"language model"', "robot AND planning", "lang*"]


@pytest.fixture
def index(tmp_path):
    with demo_index_in_segments(tmp_path / "lib") as index:
        yield index


def _answer(index: SearchIndex, text: str, **options):
    found = index.search(text, **options)
    return found.ids, found.total, found.complete, found.estimated


def _counting(index: SearchIndex, monkeypatch) -> list[str]:
    calls: list[str] = []
    best, top_k = index._best, index._top_k

    def counted_best(searcher, q, want, cancel):
        calls.append("best")
        return best(searcher, q, want, cancel)

    def counted_top_k(searcher, q, k, cancel):
        calls.append("top_k")
        return top_k(searcher, q, k, cancel)

    monkeypatch.setattr(index, "_best", counted_best)
    monkeypatch.setattr(index, "_top_k", counted_top_k)
    return calls


@pytest.mark.parametrize("text", QUERIES)
def test_a_query_asked_again_gives_the_same_answer_without_searching(
    index: SearchIndex, monkeypatch, text: str
) -> None:
    first = _answer(index, text)
    first_top = _answer(index, text, complete=False)
    index.drop_caches()
    fresh_top = _answer(index, text, complete=False)  # as a first search: the top-k way
    assert first_top[0] == fresh_top[0] == first[0][: len(first_top[0])]
    assert first_top[1] == first[1]
    assert _answer(index, text) == first  # after drop_caches: searched again
    calls = _counting(index, monkeypatch)
    assert _answer(index, text) == first
    assert _answer(index, text, complete=False)[:2] == first_top[:2]
    assert calls == []


def test_a_commit_drops_the_kept_results(index: SearchIndex) -> None:
    before = index.search("keep").ids
    assert before
    paper_id = index.library.all_ids()[-1]
    assert paper_id not in before
    index.library.add_tags(paper_id, ["keep"])
    index.sync()
    assert paper_id in index.search("keep").ids


def test_kept_results_are_bounded_by_bytes(index: SearchIndex) -> None:
    index._results.budget = 2_000
    for text in QUERIES:
        index.search(text)
    assert 0 < index._results._size <= 2_000
    assert len(index._results._kept) < len(QUERIES)
