"""A search that matches most of the library is counted through the papers it did not match:
the library's totals less theirs (`Catalog.counts`). These check that this gives exactly the
counts of the hits themselves, and that it is used only where the index is in step."""

from __future__ import annotations

from collections import Counter

import pytest
from demo_index import demo_index_in_segments
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperdeck.core.cancel import SearchCancelled
from paperdeck.core.catalog import Catalog
from paperdeck.core.models import Paper
from paperdeck.core.search import doc_ids
from paperdeck.core.search.unmatched import unmatched_docnums
from paperdeck.core.store import Facets, Library
from paperdeck.core.store.id_run import PickedIds

AFFILIATIONS = ["tsinghua", "Tsinghua University", "Tsinghua Univ.", "PKU", "Peking University"]


def counted(facets: Facets) -> tuple[object, ...]:
    return (facets.total, facets.views, facets.values, facets.spellings, facets.new_since)


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    """Twenty papers whose states, tags, categories, sources and spellings of two
    affiliations vary (some papers hold two spellings of one)."""
    with Library(tmp_path_factory.mktemp("outside") / "lib") as lib:
        papers = [
            Paper(
                title=f"Paper {n}",
                id=f"p{n}",
                categories=[["cs.LG"], ["cs.CL", "cs.LG"], []][n % 3],
                affiliations=[AFFILIATIONS[n % 5], AFFILIATIONS[(n * 3) % 5]],
                sources=[f"s{n % 4}.txt"],
                has_code=n % 3 == 0,
                note="see" if n % 4 == 1 else "",
            )
            for n in range(20)
        ]
        lib.add_papers(papers[:12])
        arrival = lib.counter("arrivals")
        lib.add_papers(papers[12:])
        for n in range(20):
            if n % 2:
                lib.add_tags(f"p{n}", ["keep", f"t{n % 3}"])
            if n % 5 == 2:
                lib.set_starred(f"p{n}", True)
        lib.mark_read([f"p{n}" for n in range(0, 20, 3)])
        yield lib, arrival


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(left=st.sets(st.integers(0, 19)), new=st.booleans())
def test_the_totals_less_the_others_are_the_counts_of_the_hits(library, left, new) -> None:
    lib, arrival = library
    new_since = arrival if new else None
    others = [f"p{n}" for n in sorted(left)]
    hits = [f"p{n}" for n in range(20) if n not in left]
    with lib.reading():
        totals = lib.facets(new_since=new_since)
        outside = lib.facets_outside(others, totals)
    assert counted(outside) == counted(lib.facets(hits, new_since))


def test_two_spellings_on_one_paper_count_it_once_either_way(library) -> None:
    lib, _arrival = library
    hits = [f"p{n}" for n in range(20) if n != 1]
    direct = lib.facets(hits)
    tsinghua = direct.values["affiliation"]
    assert sum(tsinghua.values()) < sum(direct.spellings.values())  # some held two spellings
    assert lib.facets_outside(["p1"], lib.facets()).values["affiliation"] == tsinghua


def test_totals_not_counted_by_facets_are_refused(library) -> None:
    lib, _arrival = library
    with pytest.raises(ValueError, match="totals"):
        lib.facets_outside(["p1"], Facets(20))


def test_the_unmatched_are_those_neither_hit_nor_deleted() -> None:
    from array import array

    found = unmatched_docnums(array("I", [5, 0, 2]), 8, [3, 7], most=8)
    assert found is not None and list(found) == [1, 4, 6]
    assert unmatched_docnums(array("I", [5, 0, 2]), 8, [3, 7], most=2) is None
    none_left = unmatched_docnums(array("I", range(4)), 4, [], most=0)
    assert none_left is not None and list(none_left) == []


def test_the_index_names_the_papers_a_search_did_not_match(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(doc_ids, "PICKED_FROM", 1)  # every answer picked, as at scale
    with demo_index_in_segments(tmp_path / "lib", note_every=4) as index:
        library = index.library
        every = set(library.all_ids())
        result = index.search("model -learning")
        assert isinstance(result.ids, PickedIds) and len(result.ids) * 2 > len(every)
        found = index.others(result.ids)
        assert found is not None
        seq, others = found
        assert seq == index.applied_seq() and library.changes_after(seq)[1] == []
        # Exactly the rest: re-indexed papers' deleted copies are not among them.
        assert sorted(others) == sorted(every - set(result.ids))
        assert index.others(list(result.ids)) is None  # not picked: nothing to mark
        assert index.others(index.search("learning").ids) is None  # others are more
        assert index.others(index.search("model").ids) == (seq, [])  # every paper


def test_hits_of_an_older_searcher_are_not_answered(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(doc_ids, "PICKED_FROM", 1)
    with demo_index_in_segments(tmp_path / "lib") as index:
        old = index.search("model -learning").ids
        paper_id = index.library.all_ids()[0]
        index.library.add_tags(paper_id, ["fresh"])
        index.sync()
        index.decode_ids()
        assert index.search("model -learning").ids == old  # the same papers ...
        assert index.others(old) is None  # ... but other document numbers


class CountedOutside(Catalog):
    """A catalog that says whether it counted through the others."""

    used: list[bool]

    def counts(self, scope, totals=None, new_since=None):  # type: ignore[no-untyped-def]
        self.used = []
        real = self.library.facets_outside

        def spy(others, totals):  # type: ignore[no-untyped-def]
            self.used.append(True)
            return real(others, totals)

        self.library.facets_outside = spy  # type: ignore[method-assign]
        try:
            return super().counts(scope, totals, new_since)
        finally:
            del self.library.facets_outside


@pytest.mark.parametrize("query", ["model -learning", "model", "learning"])
def test_the_catalog_counts_most_hits_through_the_others(tmp_path, monkeypatch, query) -> None:
    monkeypatch.setattr(doc_ids, "PICKED_FROM", 1)
    with demo_index_in_segments(tmp_path / "lib", note_every=4) as index:
        library = index.library
        catalog = CountedOutside(library, index)
        hits = index.search(query).ids
        with library.reading():
            totals = catalog.totals(None)
            facets = catalog.counts(hits, totals)
        assert counted(facets) == counted(library.facets(hits))
        assert catalog.used == ([True] if len(hits) * 2 > len(library.all_ids()) else [])


def test_a_newer_view_stops_the_naming_of_the_others(tmp_path, monkeypatch) -> None:
    """The reader counts inside `Library.stopped_by`: a newer key that makes the counts
    pointless stops the marking of the hits too, not only the SQL."""
    monkeypatch.setattr(doc_ids, "PICKED_FROM", 1)
    with demo_index_in_segments(tmp_path / "lib") as index:
        library = index.library
        catalog = Catalog(library, index)
        hits = index.search("model -learning").ids
        asked: list[bool] = []

        def newer() -> bool:
            asked.append(True)
            return True

        with library.reading():
            totals = catalog.totals(None)
            with pytest.raises(SearchCancelled), library.stopped_by(newer):
                catalog.counts(hits, totals)
        assert asked and library.stop is None


def test_a_change_the_index_lacks_is_counted_from_the_hits(tmp_path, monkeypatch) -> None:
    """A paper the index does not hold yet (its change is still in the log) would be
    counted among the hits by a subtraction: the hits are counted themselves."""
    monkeypatch.setattr(doc_ids, "PICKED_FROM", 1)
    with demo_index_in_segments(tmp_path / "lib") as index:
        library = index.library
        catalog = CountedOutside(library, index)
        hits = index.search("model -learning").ids
        library.add_papers([Paper(title="Unindexed model", id="new-one")])  # not synced
        with library.reading():
            facets = catalog.counts(hits, catalog.totals(None))
        assert catalog.used == [] and facets.total == len(hits)
        assert counted(facets) == counted(library.facets(hits))


def test_a_searcher_behind_a_sync_made_elsewhere_is_counted_from_the_hits(
    tmp_path, monkeypatch
) -> None:
    """Another process removes a hit, adds a paper and syncs the index, which prunes the
    change log: the log no longer says what the open searcher lacks, and the totals less
    the others would still add up to the hits (one out, one in). Counted from the hits."""
    from paperdeck.core.search.index import SearchIndex

    monkeypatch.setattr(doc_ids, "PICKED_FROM", 1)
    root = tmp_path / "lib"
    with demo_index_in_segments(root) as index:
        library = index.library
        hits = index.search("model -learning").ids
        with Library(root) as elsewhere, SearchIndex(elsewhere) as other:
            elsewhere.remove_papers([hits[0]])
            elsewhere.add_papers([Paper(title="Unseen", id="unseen", categories=["q-bio.NC"])])
            other.sync()
        assert library.changes_after(0)[1] == []  # the log was pruned
        catalog = CountedOutside(library, index)
        with library.reading():
            facets = catalog.counts(hits, catalog.totals(None))
        assert catalog.used == [] and counted(facets) == counted(library.facets(hits))
        assert "q-bio.NC" not in facets.values["category"]


def test_counts_that_do_not_add_up_are_counted_again(tmp_path, monkeypatch) -> None:
    """The last guard: the totals less the others must leave as many papers as there are
    hits, or the hits are counted themselves."""
    monkeypatch.setattr(doc_ids, "PICKED_FROM", 1)
    with demo_index_in_segments(tmp_path / "lib") as index:
        library = index.library
        catalog = Catalog(library, index)
        hits = index.search("model -learning").ids
        stale = library.facets()
        stale.total += 1  # as if read before a paper was added
        stale.values["tag"] = Counter({"ghost": 3})
        assert counted(catalog.counts(hits, stale)) == counted(library.facets(hits))


def test_a_reading_sees_one_state_of_the_library(tmp_path) -> None:
    with Library(tmp_path / "lib") as first, Library(tmp_path / "lib") as second:
        first.add_papers([Paper(title="One", id="one")])
        with first.reading():
            assert first.count() == 1
            second.add_papers([Paper(title="Two", id="two")])  # committed meanwhile
            assert first.count() == 1 and first.facets().total == 1
        assert first.count() == 2
        with first.transaction(), first.reading():  # inside a write: part of it
            first.set_starred("one", True)
        assert second.starred_count() == 1
        with first.reading(), pytest.raises(RuntimeError, match="rolled back"):
            first.set_starred("two", True)  # would be lost with the reading's rollback
        assert second.starred_count() == 1 and not first._reading
