"""Search: `/` narrows the list as you type, with a count, highlights, a hint; esc clears."""

from __future__ import annotations

import pytest

from paperdeck.core.paperset import Sort
from paperdeck.ui.widgets import search_bar
from paperdeck.ui.widgets.key_bar import KeyBar
from paperdeck.ui.widgets.paper_list import PaperList
from paperdeck.ui.widgets.search_bar import SearchInput
from testkit import SAMPLE_COUNT, settle, until


async def search(pilot, text: str) -> None:
    await pilot.press("slash", *text)
    await settle(pilot, 0.3)  # past the debounce


# Seconds of SQLite steps and no rows: nothing but SQLite itself can stop it.
LONG_SQL = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000000)"
    " SELECT count(*) FROM n"
)


def slow_select_when(monkeypatch, wanted) -> list[str]:
    """`Library.select` runs LONG_SQL first, once, when ``wanted(paperset, hits)``: as a
    large library's view would. Returns what became of it ("in its SQL", then
    "interrupted" or "ran to its end")."""
    import sqlite3

    from paperdeck.core.store import Library

    happened: list[str] = []
    select = Library.select

    def slow_select(self, paperset, hits=None, limit=None):
        if not happened and wanted(paperset, hits):
            happened.append("in its SQL")
            try:
                self._db.execute(LONG_SQL).fetchone()
                happened.append("ran to its end")
            except sqlite3.OperationalError as exc:
                happened.append(str(exc))
                raise
        return select(self, paperset, hits, limit)

    monkeypatch.setattr(Library, "select", slow_select)
    return happened


async def test_slash_search_narrows_the_list_with_a_count(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await search(pilot, "diffusion")
        assert isinstance(app.focused, SearchInput)
        papers = app.screen.query_one(PaperList)
        assert len(papers.ids) == 1
        assert app.screen.status.view_plain.startswith("1 result · matching “diffusion”")
        assert app.screen.paperset.effective_sort is Sort.RELEVANCE
        counts = {(e.kind, e.value): e.count for e in app.screen.sidebar.entries}
        assert counts[("all", "")] == SAMPLE_COUNT  # "All" is the library
        assert counts[("unread", "")] == 1  # the other counts follow the search


async def test_search_terms_are_highlighted_in_the_abstract(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await search(pilot, "diffusion")
        rendered = app.screen.abstract.render_paper()
        marked = {
            rendered.plain[span.start : span.end].lower()
            for span in rendered.spans
            if span.style == app.screen.abstract.part("abstract-view--highlight")
        }
        assert marked == {"diffusion"}


async def test_enter_moves_to_the_list_keeping_the_search(sample_root, make_app, monkeypatch):
    # A debounce that never runs out here: only enter (`SearchBar.flush`) can search.
    monkeypatch.setattr(search_bar, "DEBOUNCE_SECONDS", 600)
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"language")
        assert app.screen.paperset.query == ""
        await pilot.press("enter")  # before the debounce ran out: searches at once
        await settle(pilot)
        assert isinstance(app.focused, PaperList)
        assert app.screen.paperset.query == "language"
        assert len(app.focused.ids) == 2


async def test_escape_clears_the_search(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await search(pilot, "graph")
        assert len(app.screen.papers.ids) == 1
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.paperset.query == ""
        assert len(app.screen.papers.ids) == SAMPLE_COUNT
        assert isinstance(app.focused, PaperList)
        assert not app.screen.search_bar.display


async def test_escape_in_the_list_clears_a_kept_search(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await search(pilot, "graph")
        await pilot.press("enter", "escape")
        await settle(pilot)
        assert len(app.screen.papers.ids) == SAMPLE_COUNT


async def test_a_word_still_being_typed_finds_the_words_it_starts(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await search(pilot, "diffu")  # no paper has the word "diffu"
        assert len(app.screen.papers.ids) == 1
        status = app.screen.status.view_plain
        assert status.startswith("1 result · searched “diffu*” · matching “diffu”")
        assert "searched “diffu*”" in status
        assert "did you mean" not in status
        assert app.screen.view_export.export_choice()[1:3] == (
            "Papers matching “diffu*”",  # what was searched, as `export --query` would
            "matching “diffu*” · best match first",
        )
        await pilot.press(*"sion")
        await settle(pilot, 0.3)
        assert len(app.screen.papers.ids) == 1
        assert "searched" not in app.screen.status.view_plain  # the word itself matches


async def test_a_misspelt_query_offers_did_you_mean(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await search(pilot, "difusion")
        assert "did you mean diffusion?" in app.screen.status.view_plain


async def test_a_sort_picked_while_browsing_comes_back_after_a_search(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("S")  # oldest
        await settle(pilot)
        await search(pilot, "models")  # a new search: by relevance
        assert app.screen.paperset.effective_sort is Sort.RELEVANCE
        await pilot.press("enter", "S")  # picked for this search
        await settle(pilot)
        assert app.screen.paperset.effective_sort is Sort.NEWEST
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.paperset.effective_sort is Sort.OLDEST


async def test_each_keystroke_replaces_the_stale_search(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"graph")
        await pilot.pause(0.05)
        for _ in range(5):
            await pilot.press("backspace")
        await pilot.press(*"survey")
        await settle(pilot, 0.3)
        assert app.screen.paperset.query == "survey"
        assert len(app.screen.papers.ids) == 1


async def test_field_queries_reach_the_index(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await search(pilot, "author:franklin")
        assert len(app.screen.papers.ids) == 1


async def test_a_new_tag_is_searchable_once_the_index_catches_up(
    sample_root, make_app, monkeypatch
):
    from paperdeck.ui.screens import index_keeper

    monkeypatch.setattr(index_keeper, "SYNC_SECONDS", 0.1)
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("t", *"fresh", "enter")
        await settle(pilot, 0.4)
        await search(pilot, "tag:fresh")
        assert app.screen.papers.ids == [app.screen.current_id]


async def test_a_query_not_understood_says_it_searched_the_plain_words(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        for query in ['((("', "author:", "year:abc", '"diffusion']:
            await search(pilot, query)
            status = app.screen.status.view_plain
            assert "query not understood: plain words searched" in status, query
            assert "close" not in status, query
            await pilot.press("escape")
            await settle(pilot)
        await search(pilot, '"diffusion')  # the plain word is found
        assert len(app.screen.papers.ids) == 1


async def test_a_search_of_filters_alone_lists_newest_first(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await search(pilot, "cat:stat.ML")
        papers = app.screen.papers
        dates = [row.date for row in app.screen.library.rows(papers.ids)]
        assert len(dates) == 33
        assert dates == sorted(dates, reverse=True)
        assert "sorted by newest" in app.screen.status.view_plain
        await pilot.press("escape")
        await settle(pilot)
        await search(pilot, "filler cat:stat.ML")  # a word to rank by: relevance
        assert "sorted by relevance" in app.screen.status.view_plain
        await pilot.press("escape")
        await settle(pilot)
        await search(pilot, "cat:stat.ML")
        await pilot.press("enter", "S")  # the next sort after the one in force
        await settle(pilot)
        assert app.screen.paperset.effective_sort is Sort.OLDEST


async def test_tab_accepts_the_did_you_mean_suggestion(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await search(pilot, "difusion")
        hint = str(app.screen.search_bar.query_one("#search-hint").render())
        assert hint == "Did you mean: diffusion?  (tab accepts)"
        tab = app.screen.active_bindings["tab"]
        assert (tab.binding.action, tab.binding.description) == (
            "accept_suggestion",
            "Accept suggestion",
        )  # in the footer while a suggestion is shown
        await pilot.press("tab")
        await settle(pilot, 0.3)
        assert app.screen.search_bar.value == "diffusion"
        assert app.screen.paperset.query == "diffusion"
        assert len(app.screen.papers.ids) == 1
        assert isinstance(app.focused, SearchInput)
        assert app.screen.active_bindings["tab"].binding.action != "accept_suggestion"
        await pilot.press("tab")  # no suggestion now: tab moves on to the list
        assert isinstance(app.focused, PaperList)


@pytest.mark.parametrize(
    ("first", "estimate"),
    [("2 results", None), ("about 9 results", 9)],
)
async def test_a_search_may_show_its_best_hits_first_then_all(
    sample_root, make_app, monkeypatch, first, estimate
):
    """A search shows its best papers at once and the rest a moment later
    (`SearchIndex.search(complete=False)`; here forced, the sample library is small); the
    status line says "about N results" while the total is an estimate, "N results" once
    it is exact."""
    from dataclasses import replace

    from paperdeck.ui.search_service import SearchService

    original = SearchService.search

    def best_first(self, query, *, cancelled=None, complete=True, **options):
        result = original(self, query, cancelled=cancelled, complete=complete, **options)
        if complete:
            return result
        result = replace(result, ids=result.ids[:1], complete=False)
        if estimate is not None:
            result = replace(result, total=estimate, estimated=True)
        return result

    monkeypatch.setattr(SearchService, "search", best_first)
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        shown: list[tuple[int, str]] = []
        show_view = app.screen.show_view

        def recording(view):
            show_view(view)
            shown.append((len(view.ids), app.screen.status.view_plain.split(" · ")[0]))

        monkeypatch.setattr(app.screen, "show_view", recording)
        await search(pilot, "language")
        assert shown[-2:] == [(1, first), (2, "2 results")]
        assert len(app.screen.papers.ids) == 2
        counts = {(e.kind, e.value): e.count for e in app.screen.sidebar.entries}
        assert counts[("unread", "")] == 2  # counted once every hit is known


async def test_a_query_longer_than_the_field_scrolls_to_its_end(sample_root, make_app):
    """The field keeps a canvas wider than a short query (no layout per keystroke), yet a
    long query still scrolls so that its end and the cursor stay in view."""
    app = make_app(sample_root)
    async with app.run_test(size=(60, 35)) as pilot:
        await settle(pilot)
        query = "diffusion " * 6 + "tailword"
        await search(pilot, query)
        field = app.screen.query_one(SearchInput)
        assert field.value == query
        assert field.scroll_offset.x > 0
        assert field.render_line(0).text.rstrip().endswith("diffusion tailword")
        await pilot.press("home")
        await pilot.pause()
        assert field.cursor_position == 0 and field.scroll_offset.x == 0
        assert field.render_line(0).text.startswith("diffusion diffusion")


async def test_a_full_list_still_being_read_stops_when_a_search_replaces_it(
    sample_root, make_app, monkeypatch
):
    """esc in a million papers reads the whole list again (a second or more of SQL); the
    search typed meanwhile must not wait behind it: the replaced load's SQL stops."""
    armed: list[bool] = []
    happened = slow_select_when(
        monkeypatch, lambda paperset, hits: bool(armed) and not paperset.query
    )
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await search(pilot, "graph")
        armed.append(True)
        await pilot.press("escape")
        await pilot.pause(0.05)  # the whole list is being read
        await search(pilot, "graph")
        assert happened == ["in its SQL", "interrupted"]
        assert len(app.screen.papers.ids) == 1


async def test_a_key_typed_before_the_rest_of_the_hits_skips_them(
    sample_root, make_app, monkeypatch
):
    """A search shows its best hits, then pauses before it lists all of them: a key typed
    in that pause replaces the search, whose complete pass then never runs (it would take
    the CPU from the new key's search)."""
    from dataclasses import replace

    from paperdeck.ui.screens import view_loader
    from paperdeck.ui.search_service import SearchService

    monkeypatch.setattr(view_loader, "COMPLETE_REST_SECONDS", 30.0)  # a pause no test outlasts
    original = SearchService.search
    asked: list[tuple[str, bool]] = []

    def best_first(self, query, *, cancelled=None, complete=True, **options):
        asked.append((query, complete))
        result = original(self, query, cancelled=cancelled, complete=complete, **options)
        return result if complete else replace(result, ids=result.ids[:1], complete=False)

    monkeypatch.setattr(SearchService, "search", best_first)
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"language")
        screen = app.screen
        await until(
            pilot,
            lambda: (
                screen.view is not None
                and screen.view.paperset == screen.paperset
                and screen.paperset.query == "language"
            ),
            "the best hits of `language` shown",
        )
        await pilot.press("s")
        await until(pilot, lambda: ("languages", False) in asked, "`languages` searched")
        assert ("language", False) in asked
        assert ("language", True) not in asked


async def test_a_search_stopped_in_its_sql_says_nothing(sample_root, make_app, monkeypatch):
    """A search load cancelled while its SQL runs (`m` replaces it without a newer view)
    is stopped quietly: the status line never says "Search: interrupted"."""
    from paperdeck.core.paperset import Sort

    happened = slow_select_when(
        monkeypatch, lambda paperset, hits: paperset.query == "graph" and hits is not None
    )
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.paperset = screen.paperset.matching("graph").sorted_by(Sort.NEWEST)
        await until(pilot, lambda: happened == ["in its SQL"], "the search in its SQL")
        for worker in app.workers:
            if worker.name == "load_view":
                worker.cancel()
        await until(pilot, lambda: "interrupted" in happened, "the SQL stopped")
        await settle(pilot)
        assert "interrupted" not in screen.status.view_plain


async def test_a_search_listed_newest_first_shows_rows_before_it_is_all_in_order(
    sample_root, make_app, monkeypatch
):
    """The first view of `author:`/`cat:` typed alone is its first rows newest first with
    "about N results", never an empty list; then all of them with the exact count."""
    from paperdeck.ui.screens import view_loader
    from paperdeck.ui.screens.main import MainScreen

    monkeypatch.setattr(view_loader, "FIRST_ROWS", 2)
    shown: list[tuple[int, bool, str]] = []
    show_view = MainScreen.show_view

    def recording(self, view):  # type: ignore[no-untyped-def]
        show_view(self, view)
        if view.paperset is not None and view.paperset.query == "cat:cs.LG":
            shown.append((len(view.ids), view.more, self.status.view_plain))

    monkeypatch.setattr(MainScreen, "show_view", recording)
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await search(pilot, "cat:cs.LG")
        await until(pilot, lambda: shown and not shown[-1][1], "the whole list")
    first, *_, last = shown
    assert first[:2] == (2, True) and "about " in first[2]
    assert last[0] > 2 and f"{last[0]} results" in last[2] and "about" not in last[2]
    assert all(rows for rows, _more, _status in shown)


async def test_a_view_load_gives_freed_memory_back(sample_root, make_app, monkeypatch):
    """The reader hands the heap pages a search freed back to the system once the view is
    loaded (`core/memory.py`; in a `finally`, so a load cut short does too)."""
    from paperdeck.ui.screens import view_loader

    given: list[str] = []
    monkeypatch.setattr(view_loader, "give_back_freed_memory", lambda: given.append("trim"))
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        before = len(given)
        await search(pilot, "diffusion")
        await until(pilot, lambda: len(given) > before, "memory given back after a search")
        assert app.screen.status.view_plain.startswith("1 result")


async def test_the_newest_first_order_is_kept_once_the_index_is_open(
    sample_root, make_app, monkeypatch
):
    """Kept in the worker that opened the index, even where the whole list read at start
    kept nothing (a key typed stops that read); a search listed newest first then filters
    it without reading the date index again."""
    from paperdeck.core.store import views
    from paperdeck.core.store.newest_order import NewestOrder

    monkeypatch.setattr(views, "WALK_ALL_SHARE", 1000)  # 40 papers: any hits are "many"

    def read_without_keeping(self, db, order_sql):  # type: ignore[no-untyped-def]
        return [row[0] for row in db.execute(f"SELECT p.id FROM papers p ORDER BY {order_sql}")]

    monkeypatch.setattr(NewestOrder, "every", read_without_keeping)
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        order = app.screen.loader.newest
        await until(pilot, lambda: order._kept is not None, "the order kept")
        walked: list[str] = []
        monkeypatch.setattr(order, "_walk", lambda *args, **kw: walked.append("walked") or [])
        filtered: list[int] = []
        among = NewestOrder.among

        def counted(self, *args, **kw):  # type: ignore[no-untyped-def]
            filtered.append(1)
            return among(self, *args, **kw)

        monkeypatch.setattr(NewestOrder, "among", counted)
        await search(pilot, "cat:cs.LG")
        await until(pilot, lambda: " results" in app.screen.status.view_plain, "the whole list")
        assert walked == [] and filtered  # the kept order filtered, the date index not read
        listed = app.screen.query_one(PaperList).ids
        assert len(listed) > 2 and "about" not in app.screen.status.view_plain


async def test_slash_goes_back_to_the_query_with_the_cursor_at_its_end(sample_root, make_app):
    """Not selected: one key used to replace the whole query ("reinforcement" became "j")."""
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await search(pilot, "reinforcement")
        await pilot.press("enter", "slash")
        field = app.screen.search_bar.input
        assert app.focused is field
        assert (field.value, field.cursor_position, field.selected_text) == (
            "reinforcement",
            13,
            "",
        )
        await pilot.press(*" learning")
        await settle(pilot, 0.3)
        assert app.screen.paperset.query == "reinforcement learning"
        assert len(app.screen.papers.ids) == 1


async def test_ctrl_u_erases_the_query_to_type_another(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await search(pilot, "reinforcement")
        await pilot.press("enter", "slash")
        assert " ^u Erase " in app.screen.query_one(KeyBar).plain
        await pilot.press("ctrl+u")
        await settle(pilot, 0.3)
        assert app.screen.search_bar.value == app.screen.paperset.query == ""
        assert len(app.screen.papers.ids) == SAMPLE_COUNT
        await pilot.press(*"diffusion")
        await settle(pilot, 0.3)
        assert app.screen.paperset.query == "diffusion"
        assert app.focused is app.screen.search_bar.input


def status_line(app) -> str:
    return app.screen.status.render().plain.rstrip()


async def test_typing_a_stop_word_or_one_letter_keeps_the_list_and_asks_for_more(
    sample_root, make_app, monkeypatch
):
    """ "a" and "at" are not searched (a stop word, a single letter): they used to list
    nothing, "No papers match this search. · 0 results", before "att" found papers."""
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        shown: list[int] = []
        show_view = app.screen.show_view

        def recording(view):
            show_view(view)
            shown.append(len(view.ids))

        monkeypatch.setattr(app.screen, "show_view", recording)
        await pilot.press("slash")
        for typed in ("a", "at"):
            await pilot.press(typed[-1])
            await settle(pilot, 0.3)
            assert app.screen.search_bar.value == typed
            assert app.screen.paperset.query == ""
            assert len(app.screen.papers.ids) == SAMPLE_COUNT
            assert status_line(app) == (
                "type more to search · 40 papers · All papers · sorted by newest"
            )
        assert shown == []  # nothing searched, nothing loaded
        await pilot.press("t")
        await settle(pilot, 0.3)
        assert app.screen.paperset.query == "att"
        assert status_line(app) == (
            "1 result · searched “att*” · matching “att” · sorted by relevance"
        )
        assert shown == [1]
        await pilot.press("backspace")  # back to "at": the whole list again
        await settle(pilot, 0.3)
        assert app.screen.paperset.query == ""
        assert shown == [1, SAMPLE_COUNT]
        assert status_line(app).startswith("type more to search · 40 papers · All papers")


async def test_a_word_of_two_letters_that_finds_nothing_keeps_the_list_while_typed(
    sample_root, make_app, monkeypatch
):
    """ "reinforcement le" finds nothing ("le" is too short to be searched as the start of a
    word): the list of "reinforcement" stays until "lea" is searched as "lea*"."""
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await search(pilot, "reinforcement")
        listed = list(app.screen.papers.ids)
        assert len(listed) == 1
        await pilot.press(*" le")
        await settle(pilot, 0.3)
        assert app.screen.paperset.query == "reinforcement le"
        assert app.screen.papers.ids == listed
        assert status_line(app) == (  # the list of "reinforcement l" ("l" is not searched)
            "“reinforcement le” matches nothing yet: type more · 1 result"
            " · matching “reinforcement l” · sorted by relevance"
        )
        await pilot.press("a")
        await settle(pilot, 0.3)
        assert app.screen.papers.ids == listed
        assert status_line(app) == (
            "1 result · searched “reinforcement lea*” · matching “reinforcement lea”"
            " · sorted by relevance"
        )


async def test_a_word_of_two_letters_that_finds_nothing_says_so_once_the_typing_ends(
    sample_root, make_app
):
    """Enter (or tab) ends the typing: "xy" is then a search that found nothing, and the
    list says so (a key such as `A` then acts on no papers, not on the list kept)."""
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await search(pilot, "xy")
        assert len(app.screen.papers.ids) == SAMPLE_COUNT
        assert status_line(app).startswith("“xy” matches nothing yet: type more · 40 papers")
        await pilot.press("enter")
        await settle(pilot, 0.3)
        assert app.screen.papers.ids == []
        assert status_line(app) == "0 results · matching “xy” · sorted by relevance"
        await pilot.press("slash", "backspace")  # "x": nothing to search, the whole list
        await settle(pilot, 0.3)
        await pilot.press("w")
        await settle(pilot, 0.3)
        assert len(app.screen.papers.ids) == SAMPLE_COUNT
        assert status_line(app).startswith("“xw” matches nothing yet: type more · 40 papers")
        await pilot.press("tab")
        await settle(pilot, 0.3)
        assert isinstance(app.focused, PaperList)
        assert app.screen.papers.ids == []
        assert status_line(app) == "0 results · matching “xw” · sorted by relevance"


async def test_a_dashed_word_or_a_phrase_still_being_typed_finds_the_words_it_starts(
    demo_root, make_app
):
    """ "test-ti" and '"language mod' matched nothing until the word was whole: "No papers
    match", and "did you mean: language moe" for the phrase."""
    app = make_app(demo_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await search(pilot, "test-tim")
        first = app.screen.papers.shown_row(app.screen.papers.ids[0])
        assert first is not None and first.title == "TTRL: Test-Time Reinforcement Learning"
        assert "searched “test-tim*”" in status_line(app)
        await pilot.press("ctrl+u", *'"language mod')
        await settle(pilot, 0.3)
        status = status_line(app)
        assert "searched “language mod*”" in status and "did you mean" not in status
        assert len(app.screen.papers.ids) > 10


async def test_a_query_whose_parenthesis_is_still_open_finds_the_words_it_starts(
    demo_root, make_app
):
    """ "(quantum OR transf" listed nothing ("did you mean: quantum or transfer") where
    "quantum OR transf" listed the papers of "quantum OR transf*"."""
    app = make_app(demo_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await search(pilot, "quantum OR transf")
        found = list(app.screen.papers.ids)
        assert "searched “quantum OR transf*”" in status_line(app) and len(found) > 10
        await pilot.press("ctrl+u", *"(quantum OR transf")
        await settle(pilot, 0.3)
        status = status_line(app)
        assert "searched “(quantum OR transf*)”" in status and "did you mean" not in status
        assert list(app.screen.papers.ids) == found
