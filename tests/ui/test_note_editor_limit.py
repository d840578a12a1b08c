"""The note editor and `NOTE_LIMIT`: a note at the limit opens, takes keys and saves; a longer
one (written by another tool, or two notes merged by an import) is not opened, and a line
says how to edit it; text typed past the limit is not saved and stays in the editor."""

from __future__ import annotations

import sqlite3

from textual.widgets import Input, TextArea

from paperdeck.core.models import Paper
from paperdeck.core.store import DB_NAME, NOTE_LIMIT, TAG_LIMIT, Library
from paperdeck.ui.screens.note_editor import NoteEditor
from testkit import capture_notifications, settle, until


def library_with_note(root, note: str) -> str:
    with Library(root) as library:
        paper_id = library.add_papers([Paper(title="Noted", date="2024-01-02")]).ids[0]
    with sqlite3.connect(root / DB_NAME) as db:  # as another tool would write it
        db.execute("UPDATE papers SET note = ? WHERE id = ?", (note, paper_id))
    return paper_id


def stored_note(root, paper_id: str) -> str:
    with Library(root) as library:
        paper = library.get(paper_id)
        assert paper is not None
        return paper.note


async def test_a_note_one_short_of_the_limit_takes_a_key_and_saves(tmp_path, make_app):
    root = tmp_path / "lib"
    note = ("note " * NOTE_LIMIT)[: NOTE_LIMIT - 1]  # one line: the editor's worst shape
    paper_id = library_with_note(root, note)
    app = make_app(root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, NoteEditor), "the editor opened")
        area = app.screen.query_one(TextArea)
        await pilot.press("!")
        await until(pilot, lambda: area.text.endswith("!"), "the key reached the note")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, NoteEditor), "it closed")
    assert stored_note(root, paper_id) == note + "!"


async def test_a_note_over_the_limit_is_not_opened_and_a_line_says_how(tmp_path, make_app):
    root = tmp_path / "lib"
    paper_id = library_with_note(root, "note " * 600_000)  # 3 MB: a key took seconds
    app = make_app(root)
    async with app.run_test(size=(120, 35)) as pilot:
        seen = capture_notifications(app)
        await settle(pilot)
        screen = app.screen
        await pilot.press("n")
        await until(pilot, lambda: bool(seen), "a line said why")
        assert app.screen is screen  # no editor
        assert seen == [
            f"The note of Noted is 3,000,000 characters, more than the {NOTE_LIMIT:,} the "
            f"editor takes: edit it with `paperdeck note {paper_id} --edit` (the pane shows "
            "all of it)"
        ]
    assert stored_note(root, paper_id) == "note " * 600_000  # untouched


async def test_text_typed_past_the_limit_is_not_saved_and_stays_in_the_editor(tmp_path, make_app):
    root = tmp_path / "lib"
    note = "n" * NOTE_LIMIT
    paper_id = library_with_note(root, note)
    app = make_app(root)
    async with app.run_test(size=(120, 35)) as pilot:
        seen = capture_notifications(app)
        await settle(pilot)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, NoteEditor), "the editor opened")
        editor = app.screen
        await pilot.press("enter", *"more")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: bool(seen), "a line said why")
        assert app.screen is editor and editor.text == note + "\nmore"  # kept, still open
        assert seen == [
            f"Not saved: this note is {NOTE_LIMIT + 5:,} characters, more than the "
            f"{NOTE_LIMIT:,} a note may hold — your text is kept here; shorten it, or keep "
            "long text in a file and put its path in the note"
        ]
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is not editor, "saved once short enough")
    assert stored_note(root, paper_id) == note


async def test_a_tag_over_the_limit_is_refused_without_repeating_it(tmp_path, make_app):
    root = tmp_path / "lib"
    paper_id = library_with_note(root, "")
    app = make_app(root)
    async with app.run_test(size=(120, 35)) as pilot:
        seen = capture_notifications(app)
        await settle(pilot)
        await pilot.press("t")
        prompt = app.screen
        prompt.query_one(Input).value = "t" * (TAG_LIMIT + 1)  # as a paste would
        await pilot.press("enter")
        await until(pilot, lambda: bool(seen), "a line said why")
        assert seen == [
            f"Not tagged: a tag holds at most {TAG_LIMIT} characters (this one has {TAG_LIMIT + 1})"
        ]
    with Library(root) as library:
        paper = library.get(paper_id)
        assert paper is not None and paper.tags == []
