"""The sidebar: one entry per affiliation however it is spelt; siblings and "All"."""

from __future__ import annotations

import time
from collections import Counter

from textual.app import App

from paperdeck.core.models import Paper
from paperdeck.core.paperset import PaperSet
from paperdeck.core.store import Facets, Library
from paperdeck.ui.widgets.sidebar import TagSidebar
from testkit import SAMPLE_COUNT, sample_papers, settle, until


def spelt_apart(root) -> None:
    with Library(root) as library:
        library.add_papers(
            [
                Paper(title="Spelt long", affiliations=["Tsinghua University"], sources=["x"]),
                Paper(title="Spelt short", affiliations=["Tsinghua Univ."], sources=["y"]),
            ]
        )


async def test_spellings_of_one_affiliation_are_one_entry(sample_root, make_app):
    spelt_apart(sample_root)
    tsinghua = sum("tsinghua" in p.affiliations for p in sample_papers()) + 2
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        sidebar = app.screen.query_one(TagSidebar)
        entries = [e for e in sidebar.entries if e.kind == "affiliation"]
        assert [(e.label, e.count) for e in entries if "tsinghua" in e.label.lower()] == [
            ("tsinghua", tsinghua)
        ]
        sidebar.focus()
        sidebar.cursor = sidebar.entries.index(next(e for e in entries if e.label == "tsinghua"))
        await pilot.press("enter")
        await settle(pilot)
        assert len(app.screen.papers.ids) == tsinghua
        with Library(sample_root) as library:
            titles = {row.title for row in library.rows(app.screen.papers.ids)}
        assert {"Spelt long", "Spelt short"} <= titles
        active = [e for e in sidebar.entries if e.active]
        assert [(e.kind, e.value) for e in active] == [("affiliation", "tsinghua")]
        assert tsinghua < SAMPLE_COUNT


async def test_siblings_stay_to_switch_to_and_all_is_the_library(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        sidebar = app.screen.query_one(TagSidebar)
        categories = {e.value: e.count for e in sidebar.entries if e.kind == "category"}
        assert {"cs.CL", "cs.LG"} <= set(categories)
        sidebar.focus()
        keys = [(e.kind, e.value) for e in sidebar.entries]
        sidebar.cursor = keys.index(("category", "cs.CL"))
        await pilot.press("enter")
        await settle(pilot)
        assert len(app.screen.papers.ids) == categories["cs.CL"]
        shown = {e.value: e.count for e in sidebar.entries if e.kind == "category"}
        assert shown == categories  # the siblings, counted over the library
        all_entry = next(e for e in sidebar.entries if e.kind == "all")
        assert all_entry.count == SAMPLE_COUNT and not all_entry.active
        keys = [(e.kind, e.value) for e in sidebar.entries]
        sidebar.cursor = keys.index(("category", "cs.LG"))
        await pilot.press("enter")  # switches: cs.LG alone, not cs.CL and cs.LG
        await settle(pilot)
        assert len(app.screen.papers.ids) == categories["cs.LG"]
        assert [(f.kind, f.value) for f in app.screen.paperset.filters] == [("category", "cs.LG")]
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("f")  # the starred view: "All" is still the library
        await settle(pilot)
        assert next(e for e in sidebar.entries if e.kind == "all").count == SAMPLE_COUNT


async def test_while_searching_siblings_are_counted_within_the_search(sample_root, make_app):
    """Each count is what choosing the entry would list: a sibling of the active filter
    counts the search's papers of that value (the search without the filter, narrowed)."""
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        sidebar = app.screen.query_one(TagSidebar)
        await pilot.press("slash", *"models")
        await settle(pilot, 0.3)
        within = {e.value: e.count for e in sidebar.entries if e.kind == "category"}
        assert within["cs.CL"] >= 1 and within["cs.LG"] >= 1 and "stat.ML" not in within
        sidebar.focus()
        keys = [(e.kind, e.value) for e in sidebar.entries]
        sidebar.cursor = keys.index(("category", "cs.CL"))
        await pilot.press("enter")
        await settle(pilot, 0.3)
        assert app.screen.paperset.query == "models"
        assert len(app.screen.papers.ids) == within["cs.CL"]
        shown = {e.value: e.count for e in sidebar.entries if e.kind == "category"}
        assert shown == {**within, "stat.ML": 0}  # one no paper of the search has: 0
        keys = [(e.kind, e.value) for e in sidebar.entries]
        sidebar.cursor = keys.index(("category", "cs.LG"))
        await pilot.press("enter")  # switching lists as many as its count said
        await settle(pilot, 0.3)
        assert len(app.screen.papers.ids) == within["cs.LG"]


def two_fields(root, *, tagged: bool) -> None:
    """A cs.CV paper with no tag and no affiliation; a cs.LG one from MIT, maybe tagged rl."""
    with Library(root) as library:
        library.add_papers(
            [
                Paper(title="Seeing", categories=["cs.CV"], sources=["a.json"]),
                Paper(title="Acting", categories=["cs.LG"], affiliations=["mit"], sources=["b"]),
            ]
        )
        if tagged:
            ids = {row.title: row.id for row in library.rows(library.select(PaperSet()))}
            library.add_tags(ids["Acting"], ["rl"])


def hints(sidebar: TagSidebar) -> dict[str, str]:
    """Each empty section's hint, by the section's heading."""
    found, heading = {}, ""
    for entry in sidebar.entries:
        if entry.kind == "heading":
            heading = entry.label
        elif entry.kind == "hint":
            found[heading] = entry.label
    return found


async def choose(pilot, sidebar: TagSidebar, kind: str, value: str) -> None:
    sidebar.focus()
    sidebar.cursor = [(e.kind, e.value) for e in sidebar.entries].index((kind, value))
    await pilot.press("enter")
    await settle(pilot)


async def test_an_empty_section_says_the_view_has_none_when_the_library_has_some(
    tmp_path, make_app
):
    root = tmp_path / "two-fields"
    two_fields(root, tagged=True)
    app = make_app(root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        sidebar = app.screen.query_one(TagSidebar)
        assert hints(sidebar) == {}  # the library has every kind
        await choose(pilot, sidebar, "category", "cs.CV")
        assert len(app.screen.papers.ids) == 1
        # It used to say "press t to tag a paper" (tag rl is on the cs.LG paper) and "none".
        assert hints(sidebar) == {"Tags": "none in this view", "Affiliations": "none in this view"}


async def test_the_tag_hint_shows_only_while_the_library_has_no_tag(tmp_path, make_app):
    root = tmp_path / "untagged"
    two_fields(root, tagged=False)
    app = make_app(root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        sidebar = app.screen.query_one(TagSidebar)
        assert hints(sidebar) == {"Tags": "press t to tag a paper"}
        await choose(pilot, sidebar, "category", "cs.CV")
        assert hints(sidebar) == {
            "Tags": "press t to tag a paper",
            "Affiliations": "none in this view",
        }
        app.screen.papers.focus()
        await pilot.press("t", *"rl", "enter")  # the cs.CV paper, tagged from the reader
        await settle(pilot)
        assert hints(sidebar) == {"Affiliations": "none in this view"}
        assert [(e.value, e.count) for e in sidebar.entries if e.kind == "tag"] == [("rl", 1)]


async def test_new_counts_repaint_the_sidebar_and_title_never_the_whole_screen(
    sample_root, make_app
):
    """Counts that outgrow the sidebar, shrink back, or change the title line repaint those
    two bars. A layout or repaint of the whole screen (11-14 ms at a million papers, when the
    whole list lands) would hold up a key pressed just then."""
    app = make_app(sample_root)
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot)
        screen, sidebar = app.screen, app.screen.sidebar
        layouts: list[object] = []
        repaints: list[object] = []
        lay_out, repaint = screen._refresh_layout, screen.refresh

        def counted_layout(*args, **kwargs):
            layouts.append(args)
            return lay_out(*args, **kwargs)

        def counted_repaint(*args, **kwargs):
            repaints.append(args)
            return repaint(*args, **kwargs)

        screen._refresh_layout, screen.refresh = counted_layout, counted_repaint
        bar_repaints: list[object] = []
        bar_repaint = screen.title_bar.refresh
        screen.title_bar.refresh = lambda *a, **k: (bar_repaints.append(a), bar_repaint(*a, **k))[1]
        room = sidebar.scrollable_content_region.height
        few = Facets(3, {"unread": 3}, {"category": Counter({"cs.CL": 3})})
        many = Facets(60, {"unread": 60}, {"category": Counter({f"c.{n}": 1 for n in range(60)})})
        heights = []
        for facets in (few, many, few):
            sidebar.show(facets, PaperSet())
            await settle(pilot)
            heights.append(sidebar.virtual_size.height)
            assert sidebar.row_count == len(sidebar.entries)
        assert heights[0] < room < heights[1] and heights[2] == heights[0]
        assert sidebar.virtual_size.width == sidebar.size.width
        screen.view_display.show_counts(Facets(61, {"starred": 7, "unread": 5}))
        await settle(pilot)
        assert "61 papers · 7 starred · 5 unread" in screen.title_bar.plain
        assert "61 papers" in screen.sub_title and bar_repaints
        assert layouts == [] and repaints == []


class BorderedSidebar(App[None]):
    """A sidebar alone, with the border the reader gives it, and no counts yet (as in the
    reader at a million papers, whose counts come with the whole list)."""

    CSS = "TagSidebar { width: 28; border-right: vkey $panel; }"

    def compose(self):
        yield TagSidebar()


async def test_the_first_counts_after_a_resize_repaint_the_sidebar_alone():
    """The canvas is as wide as the content, not the border: a width that differs once lays
    the whole screen out when the first counts come."""
    app = BorderedSidebar()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        sidebar = app.query_one(TagSidebar)
        assert sidebar.row_count == 0
        layouts: list[object] = []
        lay_out = app.screen._refresh_layout

        def counted(*args, **kwargs):
            layouts.append(args)
            return lay_out(*args, **kwargs)

        app.screen._refresh_layout = counted
        sidebar.show(Facets(3, {"unread": 3}, {"category": Counter({"cs.CL": 3})}), PaperSet())
        await pilot.pause()
        assert sidebar.row_count > 0 and sidebar.virtual_size.width == sidebar.size.width
        assert layouts == []


async def test_a_sidebar_shown_on_a_narrow_terminal_leaves_the_list_its_titles(
    sample_root, make_app
):
    """At 40 columns it took 24 of them, and the list's rows showed their dates alone."""
    app = make_app(sample_root)
    async with app.run_test(size=(40, 16)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        sidebar, papers = app.screen.sidebar, app.screen.papers
        assert sidebar.display and sidebar.outer_size.width == 13  # 34% of 40
        assert papers.outer_size.width == 27
    async with make_app(sample_root).run_test(size=(90, 24)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert pilot.app.screen.sidebar.outer_size.width == 24


async def test_counts_that_come_while_the_cursor_keys_move_wait_for_their_rest(
    sample_root, make_app, monkeypatch
):
    """Drawn as a key came, the sidebar's new counts held up that key's frame (~8 ms at a
    million papers, where the whole list's counts land ~1 s after the first paint)."""
    from paperdeck.ui.screens import details_timer

    monkeypatch.setattr(details_timer, "REST_SECONDS", 1.0)  # longer than any stall of the test
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        screen = app.screen
        display, sidebar = screen.view_display, screen.sidebar

        def categories() -> list[str]:
            return [e.value for e in sidebar.entries if e.kind == "category"]

        later = Facets(61, {"starred": 7, "unread": 5}, {"category": Counter({"cs.XX": 61})})
        display.show_facets(later, later)  # no key moving: at once
        assert categories() == ["cs.XX"] and "61 papers" in screen.sub_title
        await pilot.press("j")
        moved = screen.details.moved_at
        sooner = Facets(62, {"starred": 8, "unread": 4}, {"category": Counter({"cs.YY": 62})})
        display.show_facets(sooner, sooner)
        assert categories() == ["cs.XX"] and "61 papers" in screen.sub_title
        await pilot.press("j")  # another move: the rest starts again
        assert screen.details.moved_at > moved
        await until(pilot, lambda: "62 papers" in screen.sub_title, "the counts after the rest")
        assert categories() == ["cs.YY"]
        assert screen.details.moved_at + 1.0 <= time.monotonic() + 0.05
