"""The abstract shown full screen (`z`): only the keys that act on what is shown work there,
the key bar and the help list those, and the way back is named for what it does."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from textual.command import CommandPalette
from textual.widgets import OptionList

from paperdeck.core.store import Library
from paperdeck.ui.screens.help import HelpScreen
from paperdeck.ui.widgets.key_bar import KeyBar
from testkit import settle


def shown_ids(help_screen: HelpScreen) -> set[str]:
    """The command ids in the help's table as it is drawn (its last column)."""
    console = Console(width=160, record=True, file=io.StringIO())
    console.print(help_screen.table)  # what the "#help-table" Static shows
    return {line.split()[-1] for line in console.export_text().splitlines() if line.strip()}


async def full_screen(pilot) -> None:
    await settle(pilot)
    await pilot.press("z")
    await settle(pilot)
    assert pilot.app.screen.maximized is pilot.app.screen.abstract


async def test_the_keys_of_hidden_panes_do_nothing_full_screen(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await full_screen(pilot)
        screen = app.screen
        before = (screen.paperset, screen.sidebar.display, screen.has_class("-sidebar-hidden"))
        await pilot.press("b", "u", "f", "S", "tab", "m")
        await settle(pilot)
        assert screen.maximized is screen.abstract and screen.abstract.has_focus
        assert (screen.paperset, screen.sidebar.display, screen.has_class("-sidebar-hidden")) == (
            before
        )
        assert screen.pinned is None  # `m` (more like this) did not change the hidden list
        assert not app.screen_stack[1:]  # `x`, `A`, `D` ask in dialogs: none opened either
        await pilot.press("x", "A", "D")
        await settle(pilot)
        assert app.screen is screen


async def test_the_paper_keys_still_act_full_screen(sample_root, make_app, pyperclip):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await full_screen(pilot)
        screen = app.screen
        paper_id = screen.abstract.paper.id
        await pilot.press("s", "y")
        await settle(pilot)
        with Library(sample_root) as library:
            assert library.get(paper_id).starred
        assert len(pyperclip.calls) == 1
        await pilot.press("t")
        await settle(pilot)
        assert app.screen is not screen  # the tag prompt
        await pilot.press("escape")
        await settle(pilot)
        assert screen.maximized is screen.abstract
        await pilot.press("full_stop")  # the next unread paper, read full screen too
        await settle(pilot, 0.3)
        assert screen.abstract.paper.id not in (None, paper_id)
        assert screen.abstract.paper.id == screen.papers.highlighted_id
        assert screen.maximized is screen.abstract


async def test_the_way_back_says_back_and_esc_or_z_take_it(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        keys = app.screen.query_one(KeyBar)
        await pilot.press("enter")
        await settle(pilot)
        assert " z Zoom " in keys.plain and "Back" not in keys.plain
        await pilot.press("z")
        await settle(pilot)
        assert keys.plain.startswith(" esc Back ")
        assert "Zoom" not in keys.plain
        assert " s Star " in keys.plain and " ? Help " in keys.plain
        for hidden in ("Sidebar", "Unread ", "Sort", "Export", "More like", "Abstract"):
            assert hidden not in keys.plain
        await pilot.press("z")
        await settle(pilot)
        assert app.screen.maximized is None and app.screen.abstract.has_focus
        assert " z Zoom " in keys.plain
        await pilot.press("z", "escape")
        await settle(pilot)
        assert app.screen.maximized is None and app.screen.abstract.has_focus


async def test_help_full_screen_lists_the_keys_that_act_there(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await full_screen(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen) and app.screen.full_screen
        ids = shown_ids(app.screen)
        assert {"leave_full_screen", "star", "note", "copy_code", "next_unread", "quit"} <= ids
        assert not ids & {"toggle_sidebar", "unread_only", "export", "zoom", "next_pane", "enter"}
        assert not app.screen.query("#help-legend")  # the list's marks: no list is shown
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape", "question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen) and not app.screen.full_screen
        assert "toggle_sidebar" in shown_ids(app.screen)
        assert app.screen.query_one("#help-legend")


async def test_at_80_columns_the_abstract_keys_still_end_in_quit(sample_root, make_app):
    """The labels of the abstract's keys leave room for `q Quit` at 80 columns, the sidebar
    folded (`b Sidebar` shown), and full screen."""
    app = make_app(sample_root)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        keys = app.screen.query_one(KeyBar)
        await pilot.press("enter")
        await settle(pilot)
        assert " b Sidebar " in keys.plain and " q Quit " in keys.plain
        await pilot.press("z")
        await settle(pilot)
        assert keys.plain.startswith(" esc Back ") and " q Quit " in keys.plain


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
async def test_the_full_screen_abstract_starts_on_the_first_line_and_fills_the_width(
    sample_root, make_app, size
):
    """No pane border left above it (a line of ▔ at the top), nor its 88-column cap."""
    app = make_app(sample_root)
    async with app.run_test(size=size) as pilot:
        await full_screen(pilot)
        abstract = app.screen.abstract
        assert abstract.region.y == 0 and abstract.content_region.y == 0
        assert abstract.region.width == size[0]


async def test_the_palette_over_the_full_screen_lists_what_acts_there(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await full_screen(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot, 0.3)
        assert isinstance(app.screen, CommandPalette)
        options = app.screen.query_one(OptionList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any(text.startswith("Star or unstar the paper") for text in shown)
        assert any(text.startswith("Copy the code link") for text in shown)
        assert not any(text.startswith("Show or hide the sidebar") for text in shown)
        assert not any(text.startswith("Export the starred list") for text in shown)
