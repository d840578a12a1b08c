"""`Catalog`: one evaluation of a view for the CLI and the reader, over a recorded index."""

from __future__ import annotations

from dataclasses import replace

import pytest

from paperdeck.core.catalog import Cancelled, Catalog, Selection
from paperdeck.core.models import Paper
from paperdeck.core.paperset import PaperSet, Sort
from paperdeck.core.search.search_result import SearchResult
from paperdeck.core.store import Library


class RecordedIndex:
    """Answers each query from a table, and notes how it was asked."""

    def __init__(self, answers: dict[str, SearchResult]) -> None:
        self.answers = answers
        self.asked: list[tuple[str, dict[str, object]]] = []

    def search(self, query: str, *, cancelled=None, **options) -> SearchResult:
        self.asked.append((query, options))
        result = self.answers.get(query, SearchResult([], 0))
        if options.get("complete", True) is False and len(result.ids) > 1:
            return replace(result, ids=result.ids[:1], total=1, complete=False)
        return result


@pytest.fixture
def library(tmp_path):
    with Library(tmp_path / "lib") as lib:
        lib.add_papers(
            [
                Paper(title="Alpha", date="2020-01-01", id="a"),
                Paper(title="Beta", date="2022-01-01", id="b"),
                Paper(title="Gamma", date="2021-01-01", id="c"),
            ]
        )
        lib.set_starred("c", True)
        yield lib


def test_a_view_without_a_query_never_asks_the_index(library):
    catalog = Catalog(library)  # no index at all
    assert catalog.select(PaperSet()) == Selection(["b", "c", "a"], 3, scope=None)
    starred = catalog.select(PaperSet().starred())
    assert (starred.ids, starred.total, starred.scope) == (["c"], 1, ["c"])
    assert catalog.select(PaperSet(), limit=2) == Selection(["b", "c"], 3)


def test_a_search_lists_its_hits_filtered_and_in_the_asked_order(library):
    index = RecordedIndex({"x": SearchResult(["a", "c", "b"], 3, ["x"], "y")})
    catalog = Catalog(library, index)
    found = catalog.select(PaperSet(query="x"))
    assert found == Selection(
        ["a", "c", "b"],
        3,
        terms=["x"],
        suggestion="y",
        scope=["a", "c", "b"],
        matches=["a", "c", "b"],
    )
    starred = catalog.select(PaperSet(query="x").starred())
    assert (starred.ids, starred.total, starred.scope) == (["c"], 1, ["c"])
    assert starred.matches == ["a", "c", "b"]  # the hits before the filters
    newest = catalog.select(PaperSet(query="x", sort=Sort.NEWEST), limit=2)
    assert (newest.ids, newest.total) == (["b", "c"], 3)
    asked = [("x", {"ranked": r, "complete": True}) for r in (None, None, 0)]
    assert index.asked == asked


def test_a_plain_search_with_a_limit_ranks_only_that_many(library):
    index = RecordedIndex({"x": SearchResult(["a"], 3)})
    found = Catalog(library, index).select(PaperSet(query="x"), limit=1)
    assert (found.ids, found.total) == (["a"], 3)
    assert index.asked == [("x", {"ranked": 1, "limit": 1, "complete": True})]


def test_best_first_yields_the_best_then_everything(library):
    index = RecordedIndex({"x": SearchResult(["a", "c"], 2)})
    steps = list(Catalog(library, index).selections(PaperSet(query="x"), best_first=True))
    assert [(s.ids, s.total, s.exact) for s in steps] == [(["a"], 1, False), (["a", "c"], 2, True)]


def test_a_search_listed_newest_first_shows_its_first_rows_then_all(library):
    """Every hit at once (unranked), then the first rows newest first (an estimated count:
    the rest are not in order yet), then all of them; never an empty first list."""
    index = RecordedIndex({"x": SearchResult(["a", "c", "b"], 3)})
    newest = PaperSet(query="x", sort=Sort.NEWEST)
    steps = list(Catalog(library, index).selections(newest, best_first=True, first_rows=2))
    assert [(s.ids, s.total, s.exact, s.estimated) for s in steps] == [
        (["b", "c"], 3, False, True),
        (["b", "c", "a"], 3, True, False),
    ]
    assert index.asked == [("x", {"ranked": 0, "complete": True})]  # one search
    few = list(Catalog(library, index).selections(newest, best_first=True, first_rows=3))
    assert [(s.ids, s.exact) for s in few] == [(["b", "c", "a"], True)]  # all: one step
    starred = list(
        Catalog(library, index).selections(newest.starred(), best_first=True, first_rows=1)
    )
    assert [s.exact for s in starred] == [False, True] and starred[
        0
    ].ids == []  # filtered: as before


def test_a_word_being_typed_is_widened_when_the_caller_allows(library):
    index = RecordedIndex({"transf*": SearchResult(["b"], 1, suggestion="z")})
    catalog = Catalog(library, index)
    found = catalog.select(PaperSet(query="transf"))
    assert (found.ids, found.widened) == ([], "")  # no widening asked for
    (wide,) = catalog.selections(PaperSet(query="transf"), widen=lambda: True)
    assert (wide.ids, wide.widened, wide.suggestion) == (["b"], "transf*", None)
    with pytest.raises(Cancelled):
        list(catalog.selections(PaperSet(query="transf"), widen=lambda: False))


def test_a_cancelled_view_stops_before_searching(library):
    index = RecordedIndex({})
    with pytest.raises(Cancelled):
        Catalog(library, index).select(PaperSet(query="x"), cancel=lambda: True)
    assert index.asked == []


def test_pinned_ids_are_listed_as_they_are(library):
    pinned = Catalog(library).select(PaperSet(query="ignored"), pinned=["c", "a"])
    assert pinned == Selection(["c", "a"], 2, scope=["c", "a"])


def test_counts_are_scoped_to_a_selection(library):
    catalog = Catalog(library)
    assert catalog.counts(None).total == 3
    assert catalog.counts(["a", "c"]).views["starred"] == 1


def test_siblings_of_an_active_filter_count_what_choosing_them_lists(tmp_path):
    with Library(tmp_path / "lib") as lib:
        lib.add_papers(
            [
                Paper(title="One", categories=["cs.CL"], id="p1"),
                Paper(title="Two", categories=["cs.CL"], id="p2"),
                Paper(title="Three", categories=["cs.LG"], id="p3"),
                Paper(title="Four", categories=["cs.LG", "cs.CL"], id="p4"),
                Paper(title="Five", categories=["stat.ML"], id="p5"),
            ]
        )
        lib.set_starred("p1", True)
        lib.set_starred("p3", True)
        index = RecordedIndex({"words": SearchResult(["p1", "p3", "p4"], 3)})
        catalog = Catalog(lib, index)
        totals = catalog.totals()

        def siblings(paperset: PaperSet) -> dict[str, int]:
            selection = catalog.select(paperset)
            facets = catalog.counts(selection.scope, totals)
            counted = catalog.with_siblings(facets, paperset, selection.matches, totals)
            return dict(counted.values["category"])

        cl = PaperSet().narrowed("category", "cs.CL")
        assert siblings(cl) == {"cs.CL": 3, "cs.LG": 2, "stat.ML": 1}  # the library's
        assert siblings(cl.starred()) == {"cs.CL": 1, "cs.LG": 1}  # starred, by category
        assert siblings(cl.matching("words")) == {"cs.CL": 2, "cs.LG": 2}  # the search's
        assert siblings(cl.starred().matching("words")) == {"cs.CL": 1, "cs.LG": 1}
        plain = catalog.counts(None, totals)
        assert catalog.with_siblings(plain, PaperSet(), None, totals) is plain
