"""Untrusted text is shown literally: markup stays text, escapes and bidi overrides never reach
the terminal, links in notes are not clickable, and poking around does not break the app."""

from __future__ import annotations

import sqlite3

from rich.console import Console

from paperdeck.core.models import Paper
from paperdeck.core.store import DB_NAME, Library
from paperdeck.ui.widgets.paper_list import PaperList
from testkit import HOSTILE_TITLE, settle

LITERAL = "[bold red]x[/] [link=file:///etc/passwd]y[/link] [@click=app.quit]z[/]"
HOSTILE_NOTE = "[click me](javascript:alert(1)) and [file](file:///etc/passwd) [b]not bold[/b]"


def hostile_library(root) -> str:
    with Library(root) as library:
        counts = library.add_papers(
            [
                Paper(
                    title=HOSTILE_TITLE,
                    authors=["[i]Eve[/i] \x1b[31mRed\x1b[0m"],
                    abstract="Abstract with [bold]markup[/bold] and \x1b]8;;file:///x\x1b\\link.",
                    date="2024-01-01",
                    categories=["[red]cs.CR[/red]"],
                    links=["javascript:alert(1)"],
                    tags=["[blink]tag"],
                    note=HOSTILE_NOTE,
                )
            ]
        )
    return counts.ids[0]


def no_terminal_controls(text: str) -> bool:
    return not any(ch in text for ch in "\x1b\x07\x9b\u202e\u202c")


def strip_is_inert(strip) -> bool:
    """No segment carries a link or an action (what makes text clickable)."""
    return all(
        not (seg.style and (seg.style.link or seg.style.meta))
        for seg in strip
        if seg.style is not None
    )


async def test_a_hostile_title_renders_literally_in_the_list_and_abstract(tmp_path, make_app):
    root = tmp_path / "hostile"
    hostile_library(root)
    app = make_app(root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("b")  # fold the sidebar: the whole title fits in the row
        await pilot.pause()
        row = app.screen.query_one(PaperList).render_line(0)
        assert LITERAL in row.text
        assert no_terminal_controls(row.text)
        assert strip_is_inert(row)
        shown = app.screen.abstract.render_paper()
        assert LITERAL in shown.plain
        assert "[i]Eve[/i] Red" in shown.plain
        assert "[bold]markup[/bold]" in shown.plain
        assert "[1] javascript:alert(1)" in shown.plain
        assert "#[blink]tag" in shown.plain
        assert no_terminal_controls(shown.plain)
        assert all(not span.style or "link" not in str(span.style) for span in shown.spans)
        assert "[click me](javascript:alert(1))" in shown.plain  # a note link is only text
        console = Console(width=100, record=True, force_terminal=True)
        console.print(shown)
        assert "\x1b]8;" not in console.export_text(styles=True)  # no terminal hyperlink


async def test_the_app_survives_clicks_and_keys_around_hostile_text(tmp_path, make_app):
    root = tmp_path / "hostile"
    hostile_library(root)
    app = make_app(root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("b")  # fold the sidebar: the whole title fits in the row
        await pilot.pause()
        for offset in [(5, 0), (30, 0), (60, 0), (90, 0)]:
            await pilot.click(PaperList, offset=offset)
        await pilot.click("#abstract", offset=(5, 0))
        await pilot.click("#abstract", offset=(20, 1))
        await pilot.press("enter", "tab", "enter", "tab", "enter", "escape")
        await pilot.press("s", "s", "o", "y", "c")  # notifications carry the title
        await settle(pilot)
        await pilot.press("t", *"[red]x[/]", "enter")
        await settle(pilot)
        assert app.is_running
        with Library(root) as library:
            paper = library.get(library.all_ids()[0])
        assert paper.tags == ["[blink]tag", "[red]x[/]"]
        row = app.screen.query_one(PaperList).render_line(0)
        assert LITERAL in row.text


async def test_escapes_that_bypass_the_store_still_never_reach_the_terminal(tmp_path, make_app):
    root = tmp_path / "hostile"
    paper_id = hostile_library(root)
    with sqlite3.connect(root / DB_NAME) as db:  # as if another tool wrote the row raw
        db.execute("UPDATE papers SET title = ? WHERE id = ?", (HOSTILE_TITLE, paper_id))
    app = make_app(root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("b")  # fold the sidebar: the whole title fits in the row
        await pilot.pause()
        row = app.screen.query_one(PaperList).render_line(0)
        assert no_terminal_controls(row.text)
        assert LITERAL in row.text
        assert no_terminal_controls(app.screen.abstract.render_paper().plain)
