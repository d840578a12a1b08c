"""Moving around: j/k/arrows, g/G, PgUp/PgDn, tab between panes, enter and esc."""

from __future__ import annotations

from paperdeck.ui.widgets.abstract_view import AbstractView
from paperdeck.ui.widgets.paper_list import PaperList
from paperdeck.ui.widgets.sidebar import TagSidebar
from testkit import SAMPLE_COUNT, settle, until


async def test_first_paint_lists_every_paper_newest_first(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        papers = app.screen.query_one(PaperList)
        assert len(papers.ids) == SAMPLE_COUNT
        assert papers.cursor == 0
        assert app.screen.current_id == papers.ids[0]
        assert app.focused is papers
        assert "Attention Is All You Need Again" in app.screen.abstract.render_paper().plain


async def test_j_k_and_arrows_move_the_cursor(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        papers = app.screen.query_one(PaperList)
        await pilot.press("j", "j", "down")
        assert papers.cursor == 3
        await pilot.press("k", "up")
        assert papers.cursor == 1
        await pilot.press("k", "k", "k")  # stops at the top
        assert papers.cursor == 0
        await pilot.pause()
        assert app.screen.current_id == papers.ids[0]


async def test_g_and_G_go_to_the_ends(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        papers = app.screen.query_one(PaperList)
        await pilot.press("G")
        assert papers.cursor == SAMPLE_COUNT - 1
        await pilot.pause()
        assert app.screen.current_id == papers.ids[-1]
        assert papers.scroll_offset.y > 0  # the cursor row was scrolled into view
        await pilot.press("g")
        assert papers.cursor == 0
        await pilot.press("end")
        assert papers.cursor == SAMPLE_COUNT - 1
        await pilot.press("home")
        assert papers.cursor == 0


async def test_page_down_and_up_move_by_a_screen(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        papers = app.screen.query_one(PaperList)
        page = papers.scrollable_content_region.height - 1
        await pilot.press("pagedown")
        assert papers.cursor == page
        await pilot.press("pagedown")
        assert papers.cursor == 2 * page
        await pilot.press("pageup")
        assert papers.cursor == page
        await pilot.press("pageup", "pageup")
        assert papers.cursor == 0


async def test_tab_cycles_the_panes(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert app.focused is screen.query_one(PaperList)
        await pilot.press("tab")
        assert app.focused is screen.query_one(AbstractView)
        await pilot.press("tab")
        assert app.focused is screen.query_one(TagSidebar)
        await pilot.press("tab")
        assert app.focused is screen.query_one(PaperList)
        await pilot.press("shift+tab")
        assert app.focused is screen.query_one(TagSidebar)


async def test_tab_and_shift_tab_cycle_the_panes_while_searching(sample_root, make_app):
    """The search field is not in the cycle (`/` goes there): shift+tab from the list once
    selected the query there, and the next key replaced it."""
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        screen = app.screen
        sidebar, papers = screen.query_one(TagSidebar), screen.query_one(PaperList)
        await pilot.press("slash", *"reinforcement", "enter")
        await settle(pilot, 0.3)
        assert app.focused is papers and screen.has_class("-searching")
        order = []
        for key in ("shift+tab", "shift+tab", "shift+tab", "tab", "tab", "tab"):
            await pilot.press(key)
            order.append(type(app.focused).__name__)
        assert order == [
            "TagSidebar",
            "AbstractView",
            "PaperList",
            "AbstractView",
            "TagSidebar",
            "PaperList",
        ]
        await pilot.press("shift+tab", "j")  # the sidebar's cursor moves; the query stays
        await settle(pilot, 0.3)
        assert app.focused is sidebar
        assert screen.search_bar.value == screen.paperset.query == "reinforcement"
        assert len(papers.ids) == 1


async def test_from_the_search_field_tab_goes_to_the_list_and_shift_tab_before_it(
    sample_root, make_app
):
    app = make_app(sample_root)
    async with app.run_test(size=(80, 24)) as pilot:  # the sidebar folded
        await settle(pilot)
        screen = app.screen
        await pilot.press("slash", "shift+tab")
        assert app.focused is screen.query_one(AbstractView)  # the pane before the list
        await pilot.press("slash", "tab")
        assert app.focused is screen.query_one(PaperList)


async def test_enter_opens_the_abstract_and_escape_returns(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")
        assert isinstance(app.focused, AbstractView)
        assert "Diffusion Models for Protein Folding" in app.focused.render_paper().plain
        await pilot.press("j", "k")  # scrolls the pane, not the list
        assert app.screen.query_one(PaperList).cursor == 1
        await pilot.press("escape")
        assert isinstance(app.focused, PaperList)


async def test_sidebar_moves_over_entries_and_skips_headings(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        sidebar = app.screen.query_one(TagSidebar)
        sidebar.focus()
        await pilot.pause()
        assert sidebar.highlighted.kind == "all"
        await pilot.press("k")  # the heading above "All" is skipped
        assert sidebar.highlighted.kind == "all"
        for _ in range(6):
            await pilot.press("j")
        assert sidebar.highlighted.kind == "category"  # past New, the views and a heading
        await pilot.press("G")
        assert sidebar.highlighted.kind == "affiliation"  # the sample has no sources


async def test_a_held_key_shows_the_abstract_once_the_cursor_rests(
    sample_root, make_app, monkeypatch
):
    """Keys in quick succession postpone the abstract; it follows the cursor after a rest."""
    import paperdeck.ui.screens.details_timer as details_timer

    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        papers = app.screen.query_one(PaperList)
        # A stopped clock: every key comes "just after" the one before.
        monkeypatch.setattr(details_timer, "monotonic", lambda: 1e9)
        app.screen.details.follow(moved=True)  # the clock now says: no rest since then
        await pilot.press(*"jjjjjj")
        assert papers.cursor == 6
        await settle(pilot, details_timer.REST_SECONDS * 3)
        assert app.screen.abstract.paper is not None
        assert app.screen.abstract.paper.id == papers.ids[6]


async def test_a_lone_move_shows_its_abstract_a_moment_after_the_cursor(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        papers = app.screen.query_one(PaperList)
        abstract = app.screen.abstract
        assert abstract.paper is not None and abstract.paper.id == papers.ids[0]
        await pilot.press("j")
        await until(
            pilot,
            lambda: abstract.paper is not None and abstract.paper.id == papers.ids[1],
            "the moved-to paper's abstract",
        )


async def shows_recorded(pilot) -> list[str | None]:
    """Once the opening list's abstract is shown: the paper of each later show, in order."""
    await settle(pilot)
    screen = pilot.app.screen
    await until(pilot, lambda: not screen.details.waiting, "the abstract of the opening list")
    shown: list[str | None] = []
    show = screen.details.show

    def recorded() -> None:
        shown.append(screen.current_id)
        show()

    screen.details.show = recorded
    return shown


async def test_a_second_move_right_after_the_first_skips_the_first_ones_abstract(
    sample_root, make_app, monkeypatch
):
    """The first move of a held key is lone too: its abstract waits `LONE_SECONDS` for a
    second move, then the abstract waits for the cursor to rest (the held key's next moves
    must not wait behind an abstract laid out for a paper the cursor has left)."""
    import paperdeck.ui.screens.details_timer as details_timer

    monkeypatch.setattr(details_timer, "LONE_SECONDS", 30.0)  # the second move is in time
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        shown = await shows_recorded(pilot)
        papers = app.screen.query_one(PaperList)
        # A stopped clock: the second move comes "just after" the first however slow the
        # machine (else the first move's rest could pass between the presses).
        monkeypatch.setattr(details_timer, "monotonic", lambda: 1e9)
        await pilot.press("j", "j")
        assert papers.cursor == 2
        await until(pilot, lambda: bool(shown), "an abstract shown")
        assert shown == [papers.ids[2]]  # after the rest: never the first move's paper
        assert app.screen.abstract.paper is not None
        assert app.screen.abstract.paper.id == papers.ids[2]


async def test_a_list_filled_as_a_query_is_typed_shows_its_abstract_after_the_rest(
    sample_root, make_app, monkeypatch
):
    """The first paper of a list that was empty (results arriving as a query is typed) is
    shown at once only after a rest, as any change: laid out between two keystrokes, its
    abstract and the key bar's hint held up the next search (3x the time to a phrase's
    results at 100,000 papers)."""
    import paperdeck.ui.screens.details_timer as details_timer

    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        shown = await shows_recorded(pilot)
        details = app.screen.details
        monkeypatch.setattr(details_timer, "monotonic", lambda: 1e9)  # a stopped clock
        details.postpone()  # a key typed just now
        details.follow(at_once=True)  # the list filled right after it
        await pilot.pause()
        assert shown == [] and details.waiting
        await until(pilot, lambda: bool(shown), "the abstract after the rest")
        assert shown == [app.screen.current_id]
