"""Views: u, f, S, the sidebar filters, b, m and x (export)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from paperdeck.core.export import markdown_text
from paperdeck.core.models import Paper
from paperdeck.core.paperset import PaperSet, Sort
from paperdeck.core.store import Library
from paperdeck.ui.screens.prompts import ConfirmDialog, ExportPrompt, TextPrompt
from paperdeck.ui.widgets.paper_list import PaperList
from paperdeck.ui.widgets.sidebar import TagSidebar
from testkit import SAMPLE_COUNT, settle


def ids_of(root, paperset: PaperSet) -> list[str]:
    with Library(root) as library:
        return library.select(paperset)


def star_first(root, n: int) -> list[str]:
    with Library(root) as library:
        ids = library.select(PaperSet())[:n]
        for paper_id in ids:
            library.toggle_star(paper_id)
    return ids


async def test_the_sidebar_counts_what_a_filter_view_lists(sample_root, make_app):
    starred = star_first(sample_root, 2)
    with Library(sample_root) as library:
        categories = [c for p in library.get_many(starred) for c in p.categories]
        everywhere = library.facets()
    assert categories
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        counts = {(e.kind, e.value): e.count for e in app.screen.sidebar.entries}
        assert counts[("all", "")] == SAMPLE_COUNT  # the whole library, unfiltered
        await pilot.press("f")  # the starred view
        await settle(pilot)
        counts = {(e.kind, e.value): e.count for e in app.screen.sidebar.entries}
        assert counts[("all", "")] == SAMPLE_COUNT and counts[("starred", "")] == 2  # All: library
        for category in set(categories):
            assert counts[("category", category)] == categories.count(category)
            assert everywhere.values["category"][category] >= categories.count(category)
        assert "40 papers" in app.screen.sub_title  # the title line keeps the library's


async def test_u_shows_unread_only_and_again_all(sample_root, make_app):
    with Library(sample_root) as library:
        for paper_id in library.select(PaperSet())[:3]:
            library.set_read(paper_id, True)
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        papers = app.screen.query_one(PaperList)
        await pilot.press("u")
        await settle(pilot)
        assert len(papers.ids) == SAMPLE_COUNT - 3
        assert app.screen.status.view_plain.startswith("37 papers · Unread")
        await pilot.press("u")
        await settle(pilot)
        assert len(papers.ids) == SAMPLE_COUNT


async def test_f_shows_starred_only(sample_root, make_app):
    starred = star_first(sample_root, 2)
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert app.screen.papers.ids == starred
        assert "Starred" in app.screen.status.view_plain
        await pilot.press("escape")  # esc clears the filters
        await settle(pilot)
        assert len(app.screen.papers.ids) == SAMPLE_COUNT


async def test_S_cycles_the_sort(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        seen = []
        for _ in range(5):
            await pilot.press("S")
            await settle(pilot)
            seen.append(app.screen.paperset.effective_sort)
        assert seen == [Sort.OLDEST, Sort.TITLE, Sort.STARRED, Sort.UPVOTES, Sort.NEWEST]
        await pilot.press("S", "S")
        await settle(pilot)
        assert app.screen.papers.ids == ids_of(sample_root, PaperSet(sort=Sort.TITLE))
        assert "sorted by title" in app.screen.status.view_plain


async def test_sidebar_enter_filters_and_enter_again_removes(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        sidebar = app.screen.query_one(TagSidebar)
        sidebar.focus()
        keys = [(e.kind, e.value) for e in sidebar.entries]
        sidebar.cursor = keys.index(("category", "cs.CL"))
        await pilot.press("enter")
        await settle(pilot)
        assert len(app.screen.papers.ids) == 2
        assert "category: cs.CL" in app.screen.status.view_plain
        active = [e for e in sidebar.entries if e.active]
        assert [(e.kind, e.value) for e in active] == [("category", "cs.CL")]
        await pilot.press("enter")
        await settle(pilot)
        assert len(app.screen.papers.ids) == SAMPLE_COUNT
        sidebar.cursor = [(e.kind, e.value) for e in sidebar.entries].index(("code", ""))
        await pilot.press("enter")
        await settle(pilot)
        assert len(app.screen.papers.ids) == 2  # the two papers with code
        sidebar.cursor = 1  # "All"
        await pilot.press("enter")
        await settle(pilot)
        assert len(app.screen.papers.ids) == SAMPLE_COUNT


async def test_b_folds_and_unfolds_the_sidebar(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        sidebar = app.screen.query_one(TagSidebar)
        assert sidebar.display
        await pilot.press("b")
        await pilot.pause()
        assert not sidebar.display
        await pilot.press("f2")
        await pilot.pause()
        assert sidebar.display


async def test_the_sidebar_starts_folded_at_80_columns(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        sidebar = app.screen.query_one(TagSidebar)
        assert not sidebar.display
        await pilot.press("b")
        await pilot.pause()
        assert sidebar.display
        assert sidebar.size.width > 10


async def test_m_lists_similar_papers(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("j")  # Diffusion Models for Protein Folding
        source = app.screen.current_id
        await pilot.press("m")
        await settle(pilot)
        shown = app.screen.papers.ids
        assert source not in shown
        assert 0 < len(shown) < SAMPLE_COUNT
        assert "More like: Diffusion Models for Protein Folding" in app.screen.status.view_plain
        await pilot.press("escape")
        await settle(pilot)
        assert len(app.screen.papers.ids) == SAMPLE_COUNT


async def test_x_exports_the_starred_list_to_markdown(sample_root, make_app, tmp_path):
    star_first(sample_root, 2)
    target = tmp_path / "out" / "starred.md"
    target.parent.mkdir()
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        assert isinstance(app.screen, TextPrompt)
        field = app.screen.query_one("Input")
        expected_default = f"paperdeck-starred-{date.today().isoformat()}.md"
        assert field.value.endswith(expected_default)
        field.value = str(target)
        await pilot.press("enter")
        await settle(pilot)
    text = target.read_text(encoding="utf-8")
    assert "Attention Is All You Need Again" in text
    assert "Diffusion Models for Protein Folding" in text
    assert "Graph Neural Networks" not in text
    assert text.startswith("# Starred papers")


async def test_x_in_the_starred_view_leaves_out_a_paper_just_unstarred(
    sample_root, make_app, tmp_path
):
    star_first(sample_root, 2)
    target = tmp_path / "starred.md"
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("f")  # the starred view
        await settle(pilot)
        assert len(app.screen.papers.ids) == 2
        unstarred = app.screen.current_paper()
        await pilot.press("s")
        await settle(pilot)
        assert len(app.screen.papers.ids) == 2  # the row stays, to be starred again
        await pilot.press("x")
        assert isinstance(app.screen, TextPrompt)
        assert app.screen.title_text == "Export 1 paper (Starred papers) to Markdown:"
        app.screen.query_one("Input").value = str(target)
        await pilot.press("enter")
        await settle(pilot)
    text = target.read_text(encoding="utf-8")
    assert unstarred.title not in text
    assert text.count("\n## ") == 1
    assert text.startswith("# Starred papers\n\n1 paper · Starred · newest first · exported ")


async def test_x_exports_the_current_filter_and_asks_before_replacing(
    sample_root, make_app, tmp_path
):
    target = tmp_path / "cl.md"
    target.write_text("old", encoding="utf-8")
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        app.screen.paperset = PaperSet().narrowed("category", "cs.CL")
        await settle(pilot)
        await pilot.press("x")
        app.screen.query_one("Input").value = str(target)
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
    text = target.read_text(encoding="utf-8")
    assert "Attention Is All You Need Again" in text
    assert "A Survey of Large Language Models" in text
    assert "Diffusion" not in text


async def test_ctrl_t_in_the_export_prompt_adds_the_abstracts(sample_root, make_app, tmp_path):
    star_first(sample_root, 1)
    with Library(sample_root) as library:
        starred = library.get_many(library.first_ids(PaperSet().starred(), 1))
    assert starred[0].abstract
    target = tmp_path / "with-abstracts.md"
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        assert isinstance(app.screen, ExportPrompt)
        hint = app.screen.query_one(".dialog-hint")
        assert str(hint.render()).endswith("abstracts: left out")
        await pilot.press("ctrl+t")
        assert str(hint.render()).endswith("abstracts: added")
        app.screen.query_one("Input").value = str(target)
        await pilot.press("enter")
        await settle(pilot)
    text = target.read_text(encoding="utf-8")
    assert markdown_text(starred[0].abstract) in text.splitlines()


async def test_export_offers_a_file_in_the_working_directory(
    sample_root, make_app, tmp_path, monkeypatch
):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("s", "x")
        assert isinstance(app.screen, TextPrompt)
        offered = Path(app.screen.query_one("Input").value)
        assert offered.is_absolute()
        assert offered.parent == work
        assert re.fullmatch(r"paperdeck-starred-\d{4}-\d{2}-\d{2}\.md", offered.name)
        await pilot.press("ctrl+u", *"mine.md", "enter")  # a bare name: here too
        await settle(pilot)
        assert (work / "mine.md").read_text().startswith("# Starred papers")


async def test_titles_take_the_width_no_author_needs(sample_root, make_app):
    long_title = "A Very Long Title " * 8
    with Library(sample_root) as library:
        library.add_papers(
            [
                Paper(title=long_title + "Without Authors", date="2025-01-02"),
                Paper(title=long_title + "By Bo", authors=["Bo Li"], date="2025-01-01"),
            ]
        )
    app = make_app(sample_root)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        papers = app.screen.papers
        width = papers.scrollable_content_region.width
        fixed = 2 + 2 + 11 + 6  # star, read mark, date, and the note and code marks, spaced
        rows = ["".join(s.text for s in papers.render_row(i, width, False)) for i in (0, 1)]
        assert rows[0][15:].rstrip() == long_title[: width - fixed - 1] + "…"
        assert rows[1].rstrip().endswith("… Bo Li")
        assert len(rows[1][15:].split("…")[0]) == width - fixed - len(" Bo Li") - 1


async def test_a_theme_change_redraws_the_list_in_the_new_colours(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        papers = app.screen.papers
        before = papers.render_line(0)
        app.theme = "solarized-light"
        await settle(pilot)
        after = papers.render_line(0)
        assert after.text == before.text
        assert after != before  # not a cached strip in the old theme's colours
        assert papers.cursor_style().bgcolor in {s.style.bgcolor for s in after if s.style}
