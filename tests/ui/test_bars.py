"""The title line, the key bar and the status line: one widget each, always up to date."""

from __future__ import annotations

from paperdeck.ui.widgets.key_bar import Keep, KeyBar
from paperdeck.ui.widgets.status_bar import StatusBar
from paperdeck.ui.widgets.title_bar import TitleBar
from testkit import settle, write_config


async def test_the_key_bar_follows_the_focus(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        keys = app.screen.query_one(KeyBar)
        assert keys.plain.startswith(" ⏎ Abstract  / Search  s Star  n Note  t Tag  ")
        assert " o Open " in keys.plain and " ? Help  q Quit " in keys.plain
        assert keys.plain.endswith("▏^p Palette")
        assert len(keys.plain) == 120
        await pilot.press("slash")
        await settle(pilot)
        assert keys.plain.startswith(" ⏎ To list  ^u Erase  esc Clear  ")  # ^u: new here
        assert "Search" not in keys.plain  # `/` types a slash there
        await pilot.press("escape")
        await settle(pilot)
        assert " s Star " in keys.plain


async def test_paper_keys_are_dimmed_while_no_paper_is_highlighted(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        keys = app.screen.query_one(KeyBar)

        def enabled() -> dict[str, bool]:
            return {description: on for _key, description, on, _spare in keys.keys}

        assert enabled()["Star"] and enabled()["Note"]
        await pilot.press("slash", *"zzqqxx", "enter")  # no results: the list has focus
        await settle(pilot, 0.3)
        assert app.screen.current_id is None
        assert not enabled()["Star"] and not enabled()["Open"]
        await pilot.press("escape")  # the search cleared, a paper highlighted again
        await settle(pilot, 0.3)
        assert app.screen.current_id is not None
        assert enabled()["Star"] and enabled()["Open"]


async def test_the_key_bar_shows_remapped_keys(sample_root, make_app, config_path):
    write_config(config_path, '[keys]\nstar = "8"\n')
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        plain = app.screen.query_one(KeyBar).plain
        assert " 8 Star " in plain and " s Star " not in plain


async def test_the_palette_hint_gives_way_to_the_sidebar_key_at_80_columns(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)  # the sidebar is folded: `b` brings it back, and says so
        assert app.screen.query_one(KeyBar).plain.endswith(" b Sidebar  ? Help  q Quit ")
    app = make_app(sample_root)
    async with app.run_test(size=(72, 24)) as pilot:
        await settle(pilot)
        plain = app.screen.query_one(KeyBar).plain
        assert "Palette" not in plain
        assert plain.startswith(" ⏎ Abstract  / Search ")


async def test_the_title_follows_the_library_counts(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        title = app.screen.query_one(TitleBar).plain
        assert title.startswith(f"paperdeck — {sample_root.name} · 40 papers · 0 starred")
        await pilot.press("s")
        await settle(pilot)
        assert " · 1 starred" in app.screen.query_one(TitleBar).plain


async def test_the_status_line_keeps_its_activity_on_the_right(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(60, 24)) as pilot:
        await settle(pilot)
        status = app.screen.query_one(StatusBar)
        status.set_activity("Building search index… 10/40")
        line = status.render().plain
        assert line.endswith("  Building search index… 10/40")
        assert len(line) == 58  # the bar's width less its padding
        assert line.startswith("40 papers · All papers · so…  Building")  # the view gives way
        status.set_activity("")
        assert (
            status.render().plain
            == status.view_plain
            == "40 papers · All papers · sorted by newest"
        )


async def test_a_long_library_name_gives_way_to_the_counts(tmp_path, sample_root, make_app):
    import shutil

    root = tmp_path / "my-really-long-library-folder-name-here"
    shutil.copytree(sample_root, root)
    app = make_app(root)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        title = app.screen.query_one(TitleBar).plain
        # The whole line is 81 cells: the app's name gives way (it used to be cut at the
        # end, in the middle of "40 new"), and every count stays.
        assert title == "…ibrary-folder-name-here · 40 papers · 0 starred · 40 unread · 40 new"


async def test_the_search_key_is_not_offered_inside_the_search_field(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        keys = app.screen.query_one(KeyBar)
        assert " / Search " in keys.plain
        await pilot.press("slash")
        await settle(pilot)
        assert "Search" not in keys.plain
        await pilot.press("slash")  # typed, as the key bar implied
        assert app.screen.search_bar.value == "/"


async def test_enter_is_greyed_out_on_an_empty_list(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        keys = app.screen.query_one(KeyBar)
        await pilot.press("slash", *"zzqqxx", "enter")
        await settle(pilot, 0.3)
        # The last field says how long the key stays in a short bar (it was "spare").
        assert ("⏎", "Abstract", False, Keep.USUAL) in keys.keys


async def test_the_key_bar_stays_under_the_abstract_shown_full_screen(sample_root, make_app):
    """`z` leaves the keys in view, so the way back (z again, or esc) is shown."""
    app = make_app(sample_root)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        keys = app.screen.query_one(KeyBar)
        await pilot.press("z")
        await settle(pilot)
        assert app.screen.maximized is app.screen.abstract
        assert keys.region.height == 1
        assert keys.region.y == 23 and app.screen.abstract.region.bottom == 23
        assert keys.plain.startswith(" esc Back ")


async def test_search_from_the_full_screen_abstract_shows_the_field(sample_root, make_app):
    """`/` is in the key bar there: it brings the panes back and the field into view."""
    app = make_app(sample_root)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("z")
        await settle(pilot)
        await pilot.press("slash", *"diffusion")
        await settle(pilot, 0.3)
        screen = app.screen
        assert screen.maximized is None
        assert app.focused is screen.search_bar.input and screen.search_bar.input.region.height
        assert screen.paperset.query == "diffusion" and screen.papers.region.height > 0
