"""What the bottom lines show in the width they have: the key bar and the status hints."""

from __future__ import annotations

import pytest

from paperdeck.ui.widgets.key_bar import KeyBar
from paperdeck.ui.widgets.title_bar import TitleBar
from testkit import settle, until


async def test_the_key_bar_fills_a_wide_screen_and_keeps_b_when_the_sidebar_is_folded(
    sample_root, make_app
):
    app = make_app(sample_root)
    async with app.run_test(size=(200, 40)) as pilot:
        await settle(pilot)
        wide = app.screen.query_one(KeyBar).plain
        for shown in ("y Copy link", "r Read", "u Unread", "S Sort", "x Export", "b Sidebar"):
            assert shown in wide
        assert len(wide) == 200 and wide.rstrip().endswith("^p Palette")
    app = make_app(sample_root)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        narrow = app.screen.query_one(KeyBar).plain
        assert "b Sidebar" in narrow and "s Star" in narrow and "q Quit" in narrow
        assert "x Export" not in narrow and len(narrow) <= 80
        await pilot.press("b")  # shown: no longer needed on a short line
        await settle(pilot)
        assert "b Sidebar" not in app.screen.query_one(KeyBar).plain


async def test_a_search_hint_is_not_cut_at_80_columns(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *'"diffusion')
        await settle(pilot, 0.3)
        status = app.screen.status
        line = status.render().plain
        assert "query not understood: plain words searched" in line
        assert len(line) <= 80


@pytest.mark.parametrize(
    ("width", "expected"),
    [
        # Each width once cut an entry in half: "o Open  b", "b Sidebar  ?", "? Help  q".
        (60, " ⏎ Abstract  / Search  s Star  b Sidebar  ? Help  q Quit "),
        (70, " ⏎ Abstract  / Search  s Star  n Note  b Sidebar  ? Help  q Quit "),
        (75, " ⏎ Abstract  / Search  s Star  n Note  t Tag  b Sidebar  ? Help  q Quit "),
        (80, " ⏎ Abstract  / Search  s Star  n Note  t Tag  o Open  b Sidebar  ? Help  q Quit "),
    ],
)
async def test_a_short_key_bar_drops_whole_keys_and_keeps_help_and_quit(
    sample_root, make_app, width, expected
):
    app = make_app(sample_root)
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(pilot)
        assert app.screen.query_one(KeyBar).plain == expected


async def test_help_and_quit_are_the_last_keys_to_give_way(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(40, 24)) as pilot:
        await settle(pilot)
        assert app.screen.query_one(KeyBar).plain == " ⏎ Abstract  b Sidebar  ? Help  q Quit "
    app = make_app(sample_root)
    async with app.run_test(size=(30, 24)) as pilot:
        await settle(pilot)
        assert app.screen.query_one(KeyBar).plain == " b Sidebar  ? Help  q Quit "
    app = make_app(sample_root)
    async with app.run_test(size=(16, 24)) as pilot:
        await settle(pilot)
        assert app.screen.query_one(KeyBar).plain == " ? Help  q Quit "


async def test_the_palette_hint_comes_back_before_the_spare_keys(sample_root, make_app):
    """The palette gives way after the spare keys (copy, sort, …), before the paper keys."""
    app = make_app(sample_root)
    async with app.run_test(size=(110, 35)) as pilot:
        await settle(pilot)
        plain = app.screen.query_one(KeyBar).plain
        # No T Untag: the paper has no tags. r, m, u, … gave way; y, listed first, fits.
        keys = " ⏎ Abstract  / Search  s Star  n Note  t Tag  c Copy code  y Copy link  o Open  "
        assert plain == (keys + "? Help  q Quit ").ljust(99) + "▏^p Palette"


@pytest.mark.parametrize(
    ("width", "expected"),
    [
        (120, "paperdeck — sample-library · 40 papers · 0 starred · 40 unread · 40 new"),
        (60, "sample-library · 40 papers · 0 starred · 40 unread · 40 new"),  # the app's name
        (50, "sample-library · 40 papers · 0 starred · 40 unread"),  # then the last counts
        (45, "sample-library · 40 papers · 0 starred"),
        (20, "sample-library"),
    ],
)
async def test_a_short_title_line_drops_whole_parts(sample_root, make_app, width, expected):
    app = make_app(sample_root)
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(pilot)
        assert app.screen.query_one(TitleBar).plain == expected


async def test_a_notice_leaves_the_status_line_and_the_key_bar_uncovered(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        before = app.screen.status.render().plain
        app.screen.notices.say("A notice of two lines\nthat would cover the status line")
        await until(pilot, lambda: app.screen.query("Toast"), "the notice shown")
        notice = app.screen.query_one("Toast").region
        status, keys = app.screen.status.region, app.screen.query_one(KeyBar).region
        assert notice.height > 0 and notice.bottom <= status.y < keys.y
        assert before  # the status line is there to be covered
