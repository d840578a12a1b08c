"""`?` help, the ctrl+p palette, quitting, key remaps and the remembered theme."""

from __future__ import annotations

import tomllib

import pytest
from textual.command import CommandPalette
from textual.widgets import OptionList

from paperdeck.core.store import Library
from paperdeck.ui.commands import COMMANDS
from paperdeck.ui.keys import display_keys
from paperdeck.ui.screens.help import HelpScreen
from testkit import capture_notifications, settle, write_config


def table_text(screen: HelpScreen) -> str:
    from rich.console import Console

    console = Console(width=200, record=True)
    console.print(screen.table)
    return console.export_text()


async def test_question_mark_lists_every_command(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = table_text(app.screen)
        for command in COMMANDS:
            assert command.description in text
            assert command.id in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_ctrl_p_palette_lists_the_commands(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot, 0.3)
        assert isinstance(app.screen, CommandPalette)
        options = app.screen.query_one(OptionList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        for command in COMMANDS:
            if command.palette:
                assert any(text.startswith(command.description) for text in shown), command.id


async def test_the_palette_runs_a_command(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        paper_id = app.screen.current_id
        await pilot.press("ctrl+p", *"star or unstar")
        await settle(pilot, 0.5)
        await pilot.press("enter")
        await settle(pilot)
        with Library(sample_root) as library:
            assert library.get(paper_id).starred


async def test_q_quits(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
    assert not app.is_running


async def test_keys_are_remapped_by_id_from_the_config(sample_root, make_app, config_path):
    write_config(config_path, '[keys]\nstar = "8"\nno_such_command = "9"\n')
    app = make_app(sample_root)
    said = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        paper_id = app.screen.current_id
        await pilot.press("s")  # no longer bound
        with Library(sample_root) as library:
            assert not library.get(paper_id).starred
        await pilot.press("8")
        with Library(sample_root) as library:
            assert library.get(paper_id).starred
        assert any("keys.no_such_command names no command" in text for text in said)
        await pilot.press("question_mark")
        assert "8" in table_text(app.screen).split("Star or unstar")[0].splitlines()[-1]


async def test_a_remap_that_takes_another_commands_key_is_warned_at_start(
    sample_root, make_app, config_path
):
    write_config(config_path, '[keys]\nstar = "j"\nhelp = "f9"\n')
    app = make_app(sample_root)
    said = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
    warned = [text for text in said if "is also the key of" in text]
    assert warned == [
        f"{config_path}: keys.star = 'j' is also the key of “Move down” (cursor_down); "
        "one of them cannot be used"
    ]


def test_only_remaps_that_collide_are_reported():
    from paperdeck.ui.keys import key_conflicts

    assert key_conflicts({}) == []  # the defaults' overlaps (esc, tab, enter) are meant
    assert key_conflicts({"star": "8", "quit": "s"}) == []  # s was freed by the first remap
    assert key_conflicts({"quit": "s"}) == [
        "keys.quit = 's' is also the key of “Star or unstar the paper” (star); "
        "one of them cannot be used"
    ]
    assert key_conflicts({"note_save": "y"}) == []  # the note editor has no y
    assert len(key_conflicts({"confirm_yes": "escape"})) == 1  # esc closes the dialog


async def test_the_theme_is_remembered_in_config_toml(sample_root, make_app, config_path):
    write_config(config_path, '# mine\nlibrary = "/somewhere"\n')
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await pilot.pause()
    saved = tomllib.loads(config_path.read_text(encoding="utf-8"))
    assert saved == {"theme": "nord", "library": "/somewhere"}
    again = make_app(sample_root)
    async with again.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert again.theme == "nord"
        nord = again.get_theme("nord")
        assert again.screen.styles.background.hex.lower() == nord.background.lower()


async def test_a_broken_config_file_starts_with_defaults(sample_root, make_app, config_path):
    write_config(config_path, "theme = nord without quotes\n")
    app = make_app(sample_root)
    said = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert app.theme == "textual-dark"
        assert any("using defaults" in text for text in said)


def test_display_keys_reads_like_a_person_writes_them():
    assert display_keys("j,down") == "j ↓"
    assert display_keys("question_mark") == "?"
    assert display_keys("b,f2") == "b F2"
    assert display_keys("1,2,3,4,5,6,7,8,9") == "1-9"


async def test_the_movement_keys_scroll_the_help(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        body = app.screen.body
        assert body.max_scroll_y > 0
        await pilot.press("G")
        await pilot.pause()
        assert body.scroll_y == body.max_scroll_y
        await pilot.press("g", "j", "j")
        await pilot.pause()
        assert body.scroll_y == 2
        await pilot.press("k")
        await pilot.pause()
        assert body.scroll_y == 1


@pytest.mark.parametrize("key", ["escape", "question_mark", "q"])
async def test_esc_question_mark_or_q_closes_the_help_and_nothing_more(sample_root, make_app, key):
    app = make_app(sample_root)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        main = app.screen
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press(key)
        await settle(pilot)
        assert app.screen is main  # closed, and q did not quit the reader
        assert app.is_running
