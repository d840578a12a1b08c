"""The welcome screen of an empty library, and the command registry that every key comes from."""

from __future__ import annotations

import inspect

from textual.binding import Binding

from paperdeck.core.store import Library
from paperdeck.ui.app import PaperdeckApp
from paperdeck.ui.commands import COMMANDS, COMMANDS_BY_ID, bindings_for, commands_in
from paperdeck.ui.keys import key_table
from paperdeck.ui.screens.help import HelpScreen
from paperdeck.ui.screens.main import MainScreen
from paperdeck.ui.screens.note_editor import NoteEditor
from paperdeck.ui.screens.prompts import (
    ConfirmDialog,
    ExportPrompt,
    LinkPicker,
    NoteConflict,
    TextPrompt,
)
from paperdeck.ui.screens.welcome import WelcomeScreen
from paperdeck.ui.widgets.abstract_view import AbstractView
from paperdeck.ui.widgets.paper_list import PaperList
from paperdeck.ui.widgets.search_bar import SearchInput
from paperdeck.ui.widgets.sidebar import TagSidebar
from testkit import settle

SCOPE_OWNERS = {
    "app": [PaperdeckApp],
    "screen": [MainScreen],
    "list": [PaperList],
    "sidebar": [TagSidebar],
    "abstract": [AbstractView],
    "full_screen": [AbstractView],
    "search": [SearchInput],
    "note": [NoteEditor],
    "dialog": [TextPrompt],
    "export": [ExportPrompt],
    "picker": [LinkPicker],
    "confirm": [ConfirmDialog],
    "conflict": [NoteConflict],
    "help": [HelpScreen],
    "welcome": [WelcomeScreen],
}


async def test_an_empty_library_shows_how_to_import_and_d_imports_the_demo(empty_root, make_app):
    app = make_app(empty_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        text = str(app.screen.query_one("#welcome-text").render())
        assert f"paperdeck import --library {empty_root} FILE…" in text
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        with Library(empty_root) as library:
            count = library.count()
        assert count > 100
        assert len(app.screen.papers.ids) == count


def test_command_ids_are_unique_and_keys_unique_per_scope():
    assert len(COMMANDS_BY_ID) == len(COMMANDS)
    for scope in SCOPE_OWNERS:
        keys = [key for c in commands_in(scope) for key in c.key.split(",")]  # type: ignore[arg-type]
        assert len(keys) == len(set(keys)), scope


def test_every_command_has_an_action_where_it_is_bound():
    for command in COMMANDS:
        for scope in command.scopes:
            namespace, _, action = command.action_name.rpartition(".")
            for owner in SCOPE_OWNERS[namespace or scope]:
                method = getattr(owner, f"action_{action}", None)
                assert callable(method), (command.id, owner.__name__)
                if command.per_key:
                    assert len(inspect.signature(method).parameters) == 2


def test_bindings_are_generated_from_the_registry():
    owners = {owner for owners in SCOPE_OWNERS.values() for owner in owners}
    for owner in owners:  # all the bindings of the scopes it owns (the abstract: two)
        scopes = [scope for scope, owned in SCOPE_OWNERS.items() if owner in owned]
        expected = {b.id or b.action for scope in scopes for b in bindings_for(scope)}  # type: ignore[arg-type]
        own = {
            (b.id or b.action) for b in Binding.make_bindings(owner.__dict__.get("BINDINGS", []))
        }
        assert own == expected, owner.__name__


def test_the_key_table_covers_every_command_and_honours_remaps():
    rows = key_table({"star": "8"})
    assert [row[3] for row in rows] == [c.id for c in COMMANDS]
    assert ("Paper", "8", "Star or unstar the paper", "star") in rows


async def test_the_welcome_hint_names_the_library_only_when_it_is_not_the_default(
    isolated_env, make_app
):
    default = isolated_env / "library"  # $PAPERDECK_HOME in every test
    app = make_app(default)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        text = str(app.screen.query_one("#welcome-text").render())
        assert "    paperdeck import FILE…\n" in text
    spaced = isolated_env / "my papers"
    app = make_app(spaced)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        text = str(app.screen.query_one("#welcome-text").render())
        assert f"    paperdeck import --library '{spaced}' FILE…\n" in text


async def test_the_confirm_dialog_footer_shows_y_n_and_esc(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("n", *"draft", "escape")
        assert isinstance(app.screen, ConfirmDialog)
        shown = {
            key: active.binding.description
            for key, active in app.screen.active_bindings.items()
            if active.binding.show
        }
        assert {"y": "Yes", "n": "No", "escape": "Cancel"}.items() <= shown.items()
        await pilot.press("n")  # no: back to the editor, the draft kept
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.text == "draft"


def test_the_sidebar_key_says_what_it_shows():
    assert ("Views", "b F2", "Show or hide the sidebar", "toggle_sidebar") in key_table()


async def test_the_demo_header_says_demo_once(demo_root, make_app):
    app = make_app(demo_root, demo=True)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        header = f"{app.screen.title or app.title} — {app.screen.sub_title}"
        assert header.startswith("paperdeck — demo · 123 papers")
        assert header.count("demo") == 1
