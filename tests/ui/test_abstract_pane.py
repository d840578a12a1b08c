"""The abstract pane: LaTeX read as text, links as hyperlinks, full screen and pager keys."""

from __future__ import annotations

from textual.geometry import Size

from paperdeck.core.models import Paper
from paperdeck.core.store import Library
from paperdeck.ui.widgets.canvas import resize_canvas
from testkit import settle

LATEX = (
    r"We add a $\textit{Trigger}$ token, \eg a word, and beat \benchmark by 5% at $O(n^2)$"
    r" in \texttt{torch} on \mbox{GPT-4} with \LaTeX."
)
LONG = " ".join(f"Sentence {n} of a long abstract that goes on." for n in range(400))


def with_papers(root) -> None:
    with Library(root) as library:
        library.add_papers(
            [
                Paper(
                    title="Zeta Latex Paper",
                    abstract=LATEX,
                    date="2030-01-02",
                    arxiv_id="3001.00001",
                    links=["https://github.com/z/zeta", "ftp://example.org/zeta"],
                ),
                Paper(title="Zeta Long Paper", abstract=LONG, date="2030-01-01"),
            ]
        )


async def open_first(pilot, title: str) -> None:
    screen = pilot.app.screen
    with Library(screen.library.root) as library:
        ids = [row.id for row in library.rows(screen.papers.ids) if row.title == title]
    screen.papers.cursor = screen.papers.ids.index(ids[0])
    await settle(pilot, 0.3)
    await pilot.press("enter")
    await settle(pilot)


async def test_latex_is_read_as_text_in_the_pane_only(sample_root, make_app):
    with_papers(sample_root)
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await open_first(pilot, "Zeta Latex Paper")
        shown = app.screen.abstract.render_paper().plain
        assert (
            "We add a Trigger token, e.g. a word, and beat benchmark by 5% at O(n^2)"
            " in torch on GPT-4 with LaTeX." in " ".join(shown.split())
        )
    with Library(sample_root) as library:
        assert library.get("3001.00001").abstract == LATEX  # stored as the source gave it


async def test_links_are_hyperlinks_for_web_urls_only(sample_root, make_app):
    with_papers(sample_root)
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await open_first(pilot, "Zeta Latex Paper")
        text = app.screen.abstract.render_paper()
        links = {
            text.plain[span.start : span.end]: span.style.link
            for span in text.spans
            if getattr(span.style, "link", None)
        }
        assert links == {
            "arxiv.org/abs/3001.00001": "https://arxiv.org/abs/3001.00001",
            "github.com/z/zeta": "https://github.com/z/zeta",
        }  # the ftp: link is shown, not linked


async def test_z_fills_the_screen_and_esc_gives_the_list_back(sample_root, make_app):
    with_papers(sample_root)
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await open_first(pilot, "Zeta Long Paper")
        abstract = app.screen.abstract
        assert abstract.has_focus and abstract.size.height < 20
        await pilot.press("z")
        await settle(pilot)
        assert app.screen.maximized is abstract and abstract.size.height >= 30
        await pilot.press("space")
        await settle(pilot)
        assert abstract.scroll_y == abstract.scrollable_content_region.height
        await pilot.press("shift+space")
        await settle(pilot)
        assert abstract.scroll_y == 0
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.maximized is None and abstract.has_focus
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.papers.has_focus
        # The palette's Maximize works on the pane too.
        abstract.focus()
        await pilot.pause()
        app.screen.action_maximize()
        await settle(pilot)
        assert app.screen.maximized is abstract


async def test_z_in_the_list_opens_the_highlighted_paper_full_screen(sample_root, make_app):
    with_papers(sample_root)
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        papers, abstract = app.screen.papers, app.screen.abstract
        assert papers.has_focus
        await pilot.press("z")
        await settle(pilot)
        assert app.screen.maximized is abstract and abstract.has_focus
        assert abstract.paper is not None and abstract.paper.id == papers.highlighted_id
        await pilot.press("escape")  # back where `z` was pressed: the next paper a `j` away
        await settle(pilot)
        assert app.screen.maximized is None and papers.has_focus
        await pilot.press("j")
        await settle(pilot)
        assert papers.cursor == 1
        await pilot.press("z", "z")  # `z` leaves it too
        await settle(pilot)
        assert app.screen.maximized is None and papers.has_focus
        await pilot.press("z", "slash")  # left by searching: the search field, then esc
        await settle(pilot)
        assert app.screen.maximized is None and app.screen.search_bar.has_focus_within
        await pilot.press("escape")
        await settle(pilot)
        abstract.focus()  # the palette's Maximize from the pane: esc stays in the pane
        await pilot.pause()
        app.screen.action_maximize()
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.maximized is None and abstract.has_focus
        papers.focus()  # and the list maximized: esc is Textual's minimize there
        await pilot.pause()
        app.screen.action_maximize()
        await settle(pilot)
        assert app.screen.maximized is papers
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.maximized is None and papers.has_focus


async def test_another_paper_lays_out_the_screen_only_when_the_scrollbar_changes(
    sample_root, make_app
):
    """A new paper in the pane is a repaint of the pane; the screen's layout (every widget
    arranged and repainted: 14-26 ms at 100,000 papers, keys wait for it) runs only when
    the pane's scrollbar comes or goes."""
    with_papers(sample_root)
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        screen, abstract = app.screen, app.screen.abstract
        layouts = []
        original = screen._refresh_layout

        def counted(*args, **kwargs):
            layouts.append(abstract.paper.title if abstract.paper else None)
            return original(*args, **kwargs)

        screen._refresh_layout = counted
        shown = []
        for title in ("Zeta Latex Paper", "Zeta Long Paper", "Zeta Latex Paper"):
            await open_first(pilot, title)
            await pilot.press("escape")
            await settle(pilot)
            assert abstract.paper is not None and abstract.paper.title == title
            shown.append((abstract.show_vertical_scrollbar, len(layouts)))
            # The canvas is the paper's layout, whichever way it was resized.
            assert abstract.virtual_size.height == len(abstract._layout)
        assert [bar for bar, _ in shown] == [False, True, False]
        assert shown[1][1] > shown[0][1] and shown[2][1] > shown[1][1]  # the bar came, went
        # Papers one after another with the bar unchanged: not one layout of the screen.
        steps = []
        for index in range(1, 8):
            before, bar = len(layouts), abstract.show_vertical_scrollbar
            screen.papers.cursor = index
            await settle(pilot, 0.3)
            assert abstract.paper is not None and abstract.paper.id == screen.papers.ids[index]
            if abstract.show_vertical_scrollbar == bar:
                steps.append(len(layouts) - before)
        assert len(steps) >= 3 and steps == [0] * len(steps)


async def test_the_text_always_fits_beside_the_scrollbar_when_the_pane_changes_height(
    sample_root, make_app
):
    """A paper that fits the pane is laid out full width; when the pane gets shorter (a
    smaller terminal, the full screen left) its scrollbar comes, and the text is laid out
    again beside it rather than cut by it; when the pane grows, it widens again."""
    medium = " ".join(f"Sentence {n} of a medium abstract." for n in range(60))
    with Library(sample_root) as library:
        library.add_papers([Paper(title="Zeta Medium Paper", abstract=medium, date="2030-01-03")])
    app = make_app(sample_root)
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        await open_first(pilot, "Zeta Medium Paper")
        abstract = app.screen.abstract
        seen = []
        for height in (60, 30, 60):
            await pilot.resize_terminal(120, height)
            await settle(pilot)
            seen.append(abstract.show_vertical_scrollbar)
            assert abstract._layout.width == abstract.scrollable_content_region.width, height
        assert seen == [False, True, False]


async def test_a_quiet_resize_keeps_the_scrollbar_thumb_and_scroll_in_range(sample_root, make_app):
    """The canvas made shorter while scrolled to its end, the scrollbar staying: no screen
    layout, yet the thumb is sized for the new canvas and the scroll stays within it."""
    with_papers(sample_root)
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await open_first(pilot, "Zeta Long Paper")
        abstract = app.screen.abstract
        await pilot.press("end")
        await settle(pilot)
        assert abstract.show_vertical_scrollbar and abstract.scroll_y > 5
        shorter = abstract.scrollable_content_region.height + 5  # still overflowing
        resize_canvas(abstract, Size(abstract.virtual_size.width, shorter))
        await settle(pilot)
        assert abstract.show_vertical_scrollbar
        assert abstract.vertical_scrollbar.window_virtual_size == shorter
        assert abstract.scroll_y == abstract.max_scroll_y == 5
