"""A search that matches most of the library: its sidebar counts come from the library's
totals less the papers it did not match (`Catalog.counts`), and show what counting its hits
shows. At a million papers that spares 4 s and ~100 MB of the reader's memory a search."""

from __future__ import annotations

from paperdeck.core.search import doc_ids
from paperdeck.core.store import Library
from paperdeck.core.store.id_run import PickedIds
from testkit import settle


async def test_a_search_of_most_papers_is_counted_through_the_rest(
    demo_root, make_app, monkeypatch
) -> None:
    monkeypatch.setattr(doc_ids, "PICKED_FROM", 1)  # hits handed on as at scale
    counted_outside: list[int] = []
    facets_outside = Library.facets_outside

    def spy(self, others, totals):  # type: ignore[no-untyped-def]
        counted_outside.append(len(others))
        return facets_outside(self, others, totals)

    monkeypatch.setattr(Library, "facets_outside", spy)
    app = make_app(demo_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"model -learning")
        await settle(pilot, 0.3)
        view = app.screen.view
        assert view is not None and isinstance(view.hits, PickedIds)
        with Library(demo_root) as library:
            papers = library.count()
            expected = library.facets(list(view.hits))
        assert papers > len(view.hits) > papers / 2
        assert counted_outside[-1] == papers - len(view.hits)
        shown = {(e.kind, e.value): e.count for e in app.screen.sidebar.entries}
        for kind in ("category", "affiliation"):  # (sources show by their file's name)
            assert expected.values[kind]
            for value, count in expected.values[kind].items():
                assert shown[(kind, value)] == count, (kind, value)
        for view_kind in ("unread", "code"):
            assert shown[(view_kind, "")] == expected.views[view_kind]
