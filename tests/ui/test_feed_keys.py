"""The feed reader's keys: `.` and `,` to the next and previous unread paper, `A` to mark a
whole view read (after asking), each defined once in the registry and remappable."""

from __future__ import annotations

import pytest

from paperdeck.core.paperset import PaperSet
from paperdeck.core.store import Library
from paperdeck.ui.commands import COMMANDS_BY_ID
from paperdeck.ui.keys import key_table
from paperdeck.ui.screens import feed_keys
from paperdeck.ui.screens.prompts import ConfirmDialog
from testkit import capture_notifications, settle, write_config


def read_marks(root, ids):
    with Library(root) as library:
        return [p.read for p in library.get_many(ids)]


@pytest.mark.parametrize("window", [1, 2, feed_keys.UNREAD_WINDOW])
async def test_full_stop_and_comma_go_to_the_next_and_previous_unread(
    sample_root, make_app, monkeypatch, window: int
):
    """Found a window of rows at a time: the same papers whether a window holds them all,
    or one or two rows."""
    monkeypatch.setattr(feed_keys, "UNREAD_WINDOW", window)
    app = make_app(sample_root)
    seen = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        ids = list(app.screen.papers.ids)
        with Library(sample_root) as library:  # read in another process, maybe
            for paper_id in ids[1:4] + ids[5:]:
                library.set_read(paper_id, True)
        await pilot.press("full_stop")
        assert app.screen.papers.highlighted_id == ids[4]
        await pilot.press("full_stop")
        assert app.screen.papers.highlighted_id == ids[4]
        assert seen[-1] == "No unread paper below this one in this view"
        await pilot.press("comma")
        assert app.screen.papers.highlighted_id == ids[0]
        await pilot.press("comma")
        assert seen[-1] == "No unread paper above this one in this view"


async def test_a_marks_every_paper_of_the_view_read_after_asking(sample_root, make_app):
    app = make_app(sample_root)
    seen = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.sidebar.focus()
        await pilot.press("j", "j", "j", "j", "j", "j", "j", "enter")  # category: cs.LG
        await settle(pilot)
        await pilot.press("tab")
        assert screen.paperset == PaperSet().narrowed("category", "cs.LG")
        shown = list(screen.papers.ids)
        assert len(shown) == 3
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # no: nothing marked
        await settle(pilot)
        assert read_marks(sample_root, shown) == [False] * 3
        await pilot.press("A")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert read_marks(sample_root, shown) == [True] * 3
        assert seen[-1] == "Marked 3 papers read"
        with Library(sample_root) as library:
            assert library.facets().views["unread"] == 37  # the rest of the library untouched
        assert "· 37 unread ·" in screen.sub_title
        await pilot.pause()
        assert [screen.papers.shown_row(i).read for i in shown] == [True] * 3  # redrawn


async def test_a_asks_about_the_unread_papers_and_not_at_all_when_none(sample_root, make_app):
    """It asked "Mark the 40 papers …" when 3 of them were read already."""
    app = make_app(sample_root)
    seen = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        ids = list(app.screen.papers.ids)
        assert len(ids) == 40
        with Library(sample_root) as library:
            for paper_id in ids[:3]:
                library.set_read(paper_id, True)
        await pilot.press("A")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert dialog.question == "Mark the 37 unread papers of this view (All papers) read?"
        await pilot.press("y")
        await settle(pilot)
        assert seen[-1] == "Marked 37 papers read"
        await pilot.press("A")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog)
        assert seen[-1] == "Every paper of this view (All papers) is read already"
        with Library(sample_root) as library:
            library.set_read(ids[5], False)
        await pilot.press("A")
        await pilot.pause()
        assert app.screen.question == "Mark the 1 unread paper of this view (All papers) read?"


async def test_the_feed_keys_are_remapped_by_id_and_listed_in_the_key_table(
    sample_root, make_app, config_path
):
    write_config(config_path, '[keys]\nnext_unread = "ctrl+n"\nmark_all_read = "ctrl+r"\n')
    app = make_app(sample_root, config_path=config_path)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        ids = list(app.screen.papers.ids)
        with Library(sample_root) as library:
            library.set_read(ids[1], True)
        await pilot.press("ctrl+n")
        assert app.screen.papers.highlighted_id == ids[2]
        await pilot.press("full_stop")  # remapped away
        assert app.screen.papers.highlighted_id == ids[2]
    rows = {row[3]: row[1:3] for row in key_table({"next_unread": "ctrl+n"})}
    assert rows["next_unread"] == ("ctrl+n", "Go to the next unread paper")
    assert rows["previous_unread"] == (",", "Go to the previous unread paper")
    assert rows["mark_all_read"] == ("A", "Mark every paper of this view read (asks first)")
    assert COMMANDS_BY_ID["next_unread"].key == "full_stop"
