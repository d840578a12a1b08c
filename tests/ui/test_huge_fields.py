"""A paper with huge fields, written into the database by another tool (imports cut fields to
size): the reader lays out a bounded part of each, so moving onto it and away again is as quick
as for any paper and no key is lost; `paperdeck show` still has all of it."""

from __future__ import annotations

import sqlite3

from rich.text import Text

from paperdeck.core.models import Paper
from paperdeck.core.store import DB_NAME, Library
from paperdeck.ui.widgets.abstract_view import (
    CUT,
    SHOWN_ABSTRACT,
    SHOWN_NOTE,
    SHOWN_TITLE,
    AbstractView,
)
from testkit import settle


def huge_library(root) -> str:
    with Library(root) as library:
        library.add_papers(
            Paper(title=f"Ordinary paper {n}", date=f"2024-01-0{2 * n + 1}") for n in range(3)
        )
        huge = library.add_papers([Paper(title="Huge", date="2024-01-04")]).ids[0]  # second
    with sqlite3.connect(root / DB_NAME) as db:  # as another tool would write it
        db.execute(
            "UPDATE papers SET title = ?, abstract = ?, note = ? WHERE id = ?",
            ("Huge " + "title " * 1_000_000, "words " * 700_000, "note " * 600_000, huge),
        )
    return huge


async def test_a_paper_with_megabytes_of_text_is_shown_cut_and_keys_keep_working(
    tmp_path, make_app
):
    root = tmp_path / "huge"
    huge = huge_library(root)
    app = make_app(root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        papers = app.screen.papers
        target = papers.ids.index(huge)
        assert 0 < target < 3
        keys = ["j"] * target + ["j", "k", "k", "j"]  # onto the huge paper, past it, back
        await pilot.press(*keys)  # every key is handled: none lost while it is laid out
        await settle(pilot)
        assert papers.cursor == target
        view = app.screen.query_one(AbstractView)
        for _ in range(50):  # the pane follows the cursor once the keys rest
            if view.paper is not None and view.paper.id == huge:
                break
            await settle(pilot, 0.1)
        assert view.paper is not None and view.paper.title.startswith("Huge title")
        text: Text = view.render_paper()
        assert text.plain.count(CUT) == 3  # title, abstract and note, each cut
        assert len(text.plain) < SHOWN_TITLE + SHOWN_ABSTRACT + SHOWN_NOTE + 2_000
        row = papers.render_line(papers.cursor - papers.scroll_offset.y)
        assert "Huge title" in row.text
