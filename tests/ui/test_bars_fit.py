"""What the bottom lines show in the width they have: the key bar and the status hints."""

from __future__ import annotations

from paperdeck.ui.widgets.key_bar import KeyBar
from testkit import settle


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
