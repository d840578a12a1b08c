"""A library whose write lock another process holds: every write says so in one line, the
reader keeps running, and a note being written is never lost."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager

import pytest

from paperdeck.core.store import DB_NAME, Library
from paperdeck.core.store import library as store
from paperdeck.ui import app as app_module
from paperdeck.ui.screens.main import MainScreen
from paperdeck.ui.screens.note_editor import NoteEditor
from paperdeck.ui.screens.welcome import WelcomeScreen
from testkit import capture_notifications, settle

BUSY = "the library is busy"


@pytest.fixture(autouse=True)
def short_busy_timeout(monkeypatch):
    """Writes give up on a held lock after 0.2 s instead of the reader's 2 s."""
    monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 200)
    monkeypatch.setattr(app_module, "WRITE_WAIT_MS", 200)


@contextmanager
def write_lock_held(root):
    """Another process's long write: a second connection holding BEGIN IMMEDIATE."""
    other = sqlite3.connect(root / DB_NAME, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def stored(root, paper_id):
    with Library(root) as library:
        return library.get(paper_id)


async def test_a_note_saved_while_the_library_is_busy_stays_in_the_editor(sample_root, make_app):
    app = make_app(sample_root)
    said = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        paper_id = app.screen.current_id
        await pilot.press("n", *"keep me")
        with write_lock_held(sample_root):
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.is_running
            assert isinstance(app.screen, NoteEditor)  # still open, with the text
            assert app.screen.text == "keep me"
            assert said[-1] == (
                "Could not save the note: the library is busy — your text is kept, "
                "press ctrl+s again"
            )
        assert stored(sample_root, paper_id).note == ""
        await pilot.press("ctrl+s")  # the lock is gone: this one is stored
        await settle(pilot)
        assert not isinstance(app.screen, NoteEditor)
        assert stored(sample_root, paper_id).note == "keep me"
        assert said[-1] == "Note saved"


async def test_star_read_and_tags_say_the_library_is_busy(sample_root, make_app):
    app = make_app(sample_root)
    said = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        paper_id = app.screen.current_id
        app.screen.library.add_tags(paper_id, ["old"])
        with write_lock_held(sample_root):
            await pilot.press("s")
            assert said[-1] == f"Could not star the paper: {BUSY} — press s again"
            await pilot.press("r")
            assert said[-1] == f"Could not mark the paper read: {BUSY}"
            await pilot.press("t", *"new", "enter")
            assert said[-1] == f"Could not add the tag #new: {BUSY} — press t again"
            await pilot.press("T", "enter")  # the one tag is offered
            assert said[-1] == f"Could not remove the tag #old: {BUSY} — press T again"
            await settle(pilot)
            assert app.is_running and isinstance(app.screen, MainScreen)
        paper = stored(sample_root, paper_id)
        assert (paper.starred, paper.read, paper.tags) == (False, False, ["old"])
        await pilot.press("s")  # and the library works again once the lock is gone
        assert stored(sample_root, paper_id).starred


async def test_the_read_timer_on_a_busy_library_does_not_crash(sample_root, make_app):
    app = make_app(sample_root, read_delay=0.1)
    said = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        with write_lock_held(sample_root):
            await pilot.press("j")
            await settle(pilot, 0.5)
            assert app.is_running
            assert f"Could not mark the paper read: {BUSY}" in said
        assert not stored(sample_root, app.screen.current_id).read


async def test_a_failed_demo_import_stops_the_spinner_and_d_tries_again(
    empty_root, make_app, monkeypatch
):
    from paperdeck.core import demo

    real_import = demo.import_demo
    attempts = []

    def locked(library, **options):
        attempts.append(1)
        if len(attempts) == 1:
            raise sqlite3.OperationalError("database is locked")
        return real_import(library, **options)

    monkeypatch.setattr(demo, "import_demo", locked)
    app = make_app(empty_root)
    said = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        welcome = app.screen
        assert isinstance(welcome, WelcomeScreen)
        await pilot.press("d")
        await settle(pilot)
        assert app.screen is welcome
        assert not welcome.importing
        assert not welcome.query_one("#welcome-loading").display
        assert said == [f"Could not import the demo papers: {BUSY} — press d to try again"]
        await pilot.press("d")
        await settle(pilot)
        assert len(attempts) == 2
        assert isinstance(app.screen, MainScreen)
