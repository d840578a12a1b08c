"""A paper with huge fields, written into the database by another tool (imports cut fields to
size): the pane shows a head at once and lays all of it out in a worker; keys typed meanwhile
take effect; then the end of the text can be reached. The list row stays one row.

The layout step is held on an event, so "meanwhile" is certain, not a matter of speed: the
keys are pressed and checked while it waits, then it is released.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from typing import Any

import pytest

from paperdeck.core.models import Paper
from paperdeck.core.store import DB_NAME, Library
from paperdeck.ui.screens.note_editor import NoteEditor
from paperdeck.ui.widgets import abstract_view
from paperdeck.ui.widgets.abstract_view import AbstractView
from paperdeck.ui.widgets.dialog_title import DialogTitle
from testkit import settle, until

LAST_WORDS = "and these are the very last words"


def huge_library(root) -> str:
    with Library(root) as library:
        library.add_papers(
            Paper(title=f"Ordinary paper {n}", date=f"2024-01-0{2 * n + 1}") for n in range(3)
        )
        huge = library.add_papers([Paper(title="Huge", date="2024-01-04")]).ids[0]  # second
    with sqlite3.connect(root / DB_NAME) as db:  # as another tool would write it
        db.execute(
            "UPDATE papers SET title = ?, abstract = ?, note = ? WHERE id = ?",
            (
                "Huge " + "title " * 1_000_000,
                "words " * 700_000 + LAST_WORDS,
                "note " * 600_000 + "the end of the note",
                huge,
            ),
        )
    return huge


class HeldLayout:
    """`full_layout`, waiting for `release` first (a timeout turns a hang into a failure)."""

    def __init__(self, real: Callable[..., Any] | None) -> None:
        self.real = real
        self.release = threading.Event()
        self.asked = 0
        self.done = 0
        self.timed_out = False

    def __call__(self, *args: Any) -> Any:
        self.asked += 1
        if not self.release.wait(timeout=120):
            self.timed_out = True
        assert self.real is not None
        layout = self.real(*args)
        self.done += 1
        return layout


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> HeldLayout:
    held = HeldLayout(getattr(abstract_view, "full_layout", None))
    monkeypatch.setattr(abstract_view, "full_layout", held, raising=False)
    return held


def starred(root, paper_id: str) -> bool:
    with Library(root) as library:
        paper = library.get(paper_id)
        return paper is not None and paper.starred


def shown_lines(view: AbstractView) -> list[str]:
    return [view.render_line(y).text for y in range(view.scrollable_content_region.height)]


async def test_keys_work_while_a_huge_paper_is_laid_out_and_all_of_it_is_shown(
    tmp_path, make_app, held
):
    root = tmp_path / "huge"
    huge = huge_library(root)
    app = make_app(root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        screen = app.screen
        papers, view = screen.papers, screen.query_one(AbstractView)
        target = papers.ids.index(huge)
        assert 0 < target < 3
        await pilot.press(*["j"] * target)
        await until(pilot, lambda: held.asked == 1, "the huge paper's layout began")
        assert view.paper is not None and view.paper.id == huge
        assert any("Huge title title" in line for line in shown_lines(view))  # the head
        # Keys while the layout waits: a star reaches the library, the cursor moves.
        await pilot.press("s")
        await until(pilot, lambda: starred(root, huge), "the star was saved")
        await pilot.press("j")
        await until(pilot, lambda: papers.cursor == target + 1, "the cursor moved down")
        await pilot.press("k")
        await until(pilot, lambda: papers.cursor == target, "the cursor moved back")
        await until(
            pilot, lambda: view.paper is not None and view.paper.id == huge, "the pane followed"
        )
        assert not held.release.is_set() and held.done == 0  # all of it while laying out
        held.release.set()
        await settle(pilot)  # the layouts asked for finish (the older ones are dropped)
        assert held.done == held.asked >= 2
        assert not held.timed_out  # the keys did not wait for the layout
        assert view.paper is not None and view.paper.starred
        assert shown_lines(view)[0].startswith("★ Huge title title")
        view.focus()
        await pilot.press("G")  # to the end of the text: the note's last words
        await settle(pilot)
        assert any("the end of the note" in line for line in shown_lines(view))
        assert view.virtual_size.height > 100_000  # every line of it, laid out
        row = papers.render_line(papers.cursor - round(papers.scroll_offset.y))
        assert "Huge title" in row.text and len(row.text) <= 120  # the row is one row


async def test_the_end_of_a_huge_abstract_is_reachable(tmp_path, make_app):
    root = tmp_path / "huge"
    huge = huge_library(root)
    with sqlite3.connect(root / DB_NAME) as db:
        db.execute("UPDATE papers SET title = 'Huge', note = '' WHERE id = ?", (huge,))
    app = make_app(root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        screen = app.screen
        view = screen.query_one(AbstractView)
        await pilot.press(*["j"] * screen.papers.ids.index(huge))
        await until(pilot, lambda: view.paper is not None and view.paper.id == huge, "shown")
        await settle(pilot)
        view.focus()
        await pilot.press("G")
        await settle(pilot)
        end = " ".join(line.strip() for line in shown_lines(view))
        assert end.endswith(LAST_WORDS)


async def test_the_note_editor_names_a_paper_with_a_huge_title_in_a_line(tmp_path, make_app):
    root = tmp_path / "huge"
    huge = huge_library(root)
    with sqlite3.connect(root / DB_NAME) as db:
        db.execute("UPDATE papers SET note = 'short' WHERE id = ?", (huge,))
    app = make_app(root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press(*["j"] * screen.papers.ids.index(huge))
        await until(pilot, lambda: screen.abstract.paper is not None, "a paper is shown")
        await until(pilot, lambda: screen.abstract.paper.id == huge, "the huge one is shown")
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, NoteEditor), "the editor opened")
        title = app.screen.query_one(DialogTitle).plain
        assert title.startswith("Note: Huge title title") and title.endswith(" …")
        assert len(title.splitlines()) == 3
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "the editor closed")
