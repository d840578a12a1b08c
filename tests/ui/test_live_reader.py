"""A live reader: other processes' changes show without a key press, and a key pressed on a
row drawn before such a change acts on the library as it is, not on the old picture.

Real processes change the library here (the CLI, a second reader); the in-process reader is
driven by Pilot. Waiting for a change to show is a loop with a generous limit, never a
timed assertion.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from paperdeck.core.arrivals import last_quit
from paperdeck.core.models import Paper
from paperdeck.core.store import Library
from testkit import capture_notifications, settle, until

SECOND_READER = Path(__file__).with_name("second_reader.py")


def paperdeck(root: Path, *args: str) -> None:
    """One CLI command in its own process, as a script or cron would run it."""
    done = subprocess.run(
        [sys.executable, "-m", "paperdeck", "--library", str(root), *args],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


async def shows(pilot, condition: Callable[[], bool], limit: float = 20.0) -> bool:
    """Wait, pressing no key, until ``condition()`` holds (False after ``limit`` s)."""
    for _ in range(int(limit / 0.1)):
        if condition():
            return True
        await pilot.pause(0.1)
    return condition()


def title(app) -> str:
    return app.screen.sub_title


def drawn(screen, paper_id: str, mark: str) -> bool | None:
    """A mark ("starred", "read", "has_note") of the row as drawn; None until it is drawn."""
    row = screen.papers.shown_row(paper_id)
    return None if row is None else getattr(row, mark)


async def test_cli_commands_show_in_the_reader_without_a_key(sample_root, make_app, tmp_path):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        screen = app.screen
        first = screen.current_id
        assert title(app) == "sample-library · 40 papers · 0 starred · 40 unread · 40 new"

        await asyncio.to_thread(paperdeck, sample_root, "star", first)
        assert await shows(pilot, lambda: "· 1 starred ·" in title(app))
        assert await shows(pilot, lambda: drawn(screen, first, "starred"))
        assert await shows(pilot, lambda: screen.abstract.paper.starred)  # the abstract too

        await asyncio.to_thread(paperdeck, sample_root, "tag", first, "later")
        assert await shows(pilot, lambda: screen.abstract.paper.tags == ["later"])
        assert await shows(pilot, lambda: any(e.value == "later" for e in screen.sidebar.entries))

        await asyncio.to_thread(paperdeck, sample_root, "note", first, "from the shell")
        assert await shows(pilot, lambda: screen.abstract.paper.note == "from the shell")
        assert await shows(pilot, lambda: drawn(screen, first, "has_note"))

        feed = tmp_path / "cron.jsonl"
        feed.write_text(
            '{"title": "Fetched While Reading", "authors": ["Cron Job"], "date": "2030-01-01"}\n',
            encoding="utf-8",
        )
        await asyncio.to_thread(paperdeck, sample_root, "import", str(feed))
        assert await shows(pilot, lambda: "41 papers" in title(app))
        assert title(app) == "sample-library · 41 papers · 1 starred · 41 unread · 41 new"
        assert screen.current_id == first  # the cursor stayed on its paper
        assert len(screen.papers.ids) == 41
        assert screen.status.view_plain.startswith("41 papers")


async def test_rows_that_stop_matching_stay_put_until_the_view_changes(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        screen = app.screen
        ids = list(screen.papers.ids)
        with Library(sample_root) as library:
            for paper_id in ids[:3]:
                library.set_starred(paper_id, True)
        await pilot.press("f")  # the Starred view
        await until(pilot, lambda: screen.papers.ids == ids[:3], "the Starred view is listed")
        await pilot.press("j")
        await until(pilot, lambda: screen.current_id == ids[1], "the highlight moved")
        assert screen.papers.ids == ids[:3]
        await asyncio.to_thread(paperdeck, sample_root, "unstar", ids[0])
        await asyncio.to_thread(paperdeck, sample_root, "star", ids[5])
        assert await shows(pilot, lambda: ids[5] in screen.papers.ids)
        assert screen.papers.ids == [ids[0], ids[1], ids[2], ids[5]]
        assert screen.current_id == ids[1]  # nothing moved under the cursor
        assert await shows(pilot, lambda: drawn(screen, ids[0], "starred") is False)
        await pilot.press("f", "f")  # the view again, fresh
        fresh = [ids[1], ids[2], ids[5]]
        await until(pilot, lambda: screen.papers.ids == fresh, "the view was listed afresh")


async def test_a_key_pressed_as_a_live_reload_lands_is_not_undone(sample_root, make_app):
    """The order that once lost a `j` (seen in CI): the cursor moves, and the reloaded view
    reaches the screen before the list's `Highlighted` message does."""
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        screen = app.screen
        ids = list(screen.papers.ids)
        assert screen.papers.cursor == 0 and screen.current_id == ids[0]
        screen.papers.action_cursor_down()  # the key; its message is still on its way
        assert screen.current_id == ids[0]
        assert screen.view is not None
        screen.show_view(screen.view)  # the live reload's view lands first
        assert screen.papers.cursor == 1
        await settle(pilot)
        assert screen.papers.cursor == 1 and screen.current_id == ids[1]


async def test_s_on_a_row_drawn_before_a_cli_unstar_does_not_star_blindly(sample_root, make_app):
    """Today's bug: `s` after a CLI unstar said "Starred" and starred the paper again."""
    app = make_app(sample_root, watch_interval=None)  # no polling: the row stays stale
    seen = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        screen = app.screen
        paper_id = screen.current_id
        await pilot.press("s")
        await settle(pilot)
        assert screen.papers.shown_row(paper_id).starred
        await asyncio.to_thread(paperdeck, sample_root, "unstar", paper_id)
        await pilot.press("s")
        await settle(pilot)
        with Library(sample_root) as library:
            assert not library.get(paper_id).starred  # not starred again blindly
        assert await shows(pilot, lambda: drawn(screen, paper_id, "starred") is False)  # redrawn
        assert "0 starred" in title(app)
        assert seen[-1] == (
            "Changed in another window: now unstarred — Attention Is All You Need Again."
            " Press s again to change it."
        )
        await pilot.press("s")  # now the row shows the truth: s stars it
        await settle(pilot)
        with Library(sample_root) as library:
            assert library.get(paper_id).starred
        assert seen[-1] == "Starred: Attention Is All You Need Again"


async def test_a_cut_title_in_the_notice_is_not_followed_by_a_full_stop(sample_root, make_app):
    """It read "…Gender Bi…. Press s again": the ellipsis of a cut title, then a period."""
    long_title = (
        "Unequal Representation and Gender Bias in Generated Reference Letters for Scientists"
    )
    with Library(sample_root) as library:
        library.add_papers([Paper(title=long_title, date="2031-01-01")])
    app = make_app(sample_root, watch_interval=None)  # no polling: the row stays stale
    seen = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        screen = app.screen
        paper_id = screen.current_id
        assert screen.current_paper().title == long_title
        with Library(sample_root) as library:  # as another window would
            library.set_starred(paper_id, True)
        await pilot.press("s")
        await settle(pilot)
        assert seen[-1] == (
            "Changed in another window: now starred — Unequal Representation and Gender Bias"
            " in Generated Referen… Press s again to change it."
        )


async def test_s_sets_the_opposite_of_what_the_row_shows(sample_root, make_app):
    """Another process starred the paper too: the row (unstarred, stale) and the library
    disagree, so nothing is toggled; with them agreeing, s unstars."""
    app = make_app(sample_root, watch_interval=None)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        paper_id = app.screen.current_id
        with Library(sample_root) as library:
            library.set_starred(paper_id, True)
        await pilot.press("s")
        await settle(pilot)
        with Library(sample_root) as library:
            assert library.get(paper_id).starred
        assert app.screen.papers.shown_row(paper_id).starred
        await pilot.press("s")
        await settle(pilot)
        with Library(sample_root) as library:
            assert not library.get(paper_id).starred


async def test_r_on_a_stale_row_says_so_too(sample_root, make_app):
    app = make_app(sample_root, watch_interval=None)
    seen = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        paper_id = app.screen.current_id
        with Library(sample_root) as library:
            library.set_read(paper_id, True)
        await pilot.press("r")
        await settle(pilot)
        with Library(sample_root) as library:
            assert library.get(paper_id).read  # not marked unread blindly
        assert seen[-1].startswith("Changed in another window: now read")


async def test_two_readers_show_each_others_stars(sample_root, make_app, config_path):
    """A second reader in its own process stars the paper it opens on; this one sees it,
    stars the next paper, and the second reader sees that."""
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        screen = app.screen
        first, second = screen.papers.ids[:2]
        other = subprocess.Popen(
            [sys.executable, str(SECOND_READER), str(sample_root), str(config_path), second],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            line = await asyncio.to_thread(other.stdout.readline)
            assert line == f"starred {first}\n", line or other.stderr.read()
            assert await shows(pilot, lambda: drawn(screen, first, "starred"))
            await pilot.press("j", "s")
            await settle(pilot)
            out, err = await asyncio.to_thread(other.communicate, timeout=90)
        finally:
            if other.poll() is None:
                other.kill()
        assert other.returncode == 0, err
        assert out == "sample-library · 40 papers · 2 starred · 40 unread · 40 new\n"
        assert "· 2 starred ·" in title(app)


async def test_the_new_view_lists_what_arrived_since_the_last_quit(sample_root, make_app):
    with Library(sample_root) as library:
        assert last_quit(library) == 0
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert title(app).endswith("· 40 new")  # never quit before: all of it is new
    with Library(sample_root) as library:
        assert last_quit(library) == 1  # the quit recorded what this reader had shown
        (arrived,) = library.add_papers([Paper(title="Arrived Later", authors=["X Y"])]).ids

    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert title(app) == "sample-library · 41 papers · 0 starred · 41 unread · 1 new"
        new = next(e for e in screen.sidebar.entries if e.kind == "new")
        assert (new.label, new.count) == ("New", 1)
        screen.sidebar.focus()
        await pilot.press("j", "enter")  # All, then New
        await settle(pilot)
        assert screen.papers.ids == [arrived]
        assert screen.status.view_plain.startswith("1 paper · New · sorted by newest")
        with Library(sample_root) as library:  # another process adds more: they join
            (later,) = library.add_papers([Paper(title="Arrived Even Later", authors=["Z"])]).ids
        assert await shows(pilot, lambda: later in screen.papers.ids)
        assert await shows(pilot, lambda: title(app).endswith("· 2 new"))
        assert title(app) == "sample-library · 42 papers · 0 starred · 42 unread · 2 new"


async def test_two_readers_quitting_in_either_order_keep_the_later_mark(sample_root, make_app):
    """Each reader keeps the baseline it started with; the mark keeps the later quit."""
    early = make_app(sample_root)
    async with early.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        with Library(sample_root) as library:
            library.add_papers([Paper(title="Arrived Meanwhile", authors=["X Y"])])
        assert await shows(pilot, lambda: title(early).endswith("· 41 new"))
        late = make_app(sample_root)
        async with late.run_test(size=(120, 35)) as late_pilot:  # noqa: F841
            pass  # started with the same baseline (0): it quits first, having seen 2
        with Library(sample_root) as library:
            assert last_quit(library) == 2
        assert title(early).endswith("· 41 new")  # its own New view does not shrink
    with Library(sample_root) as library:
        assert last_quit(library) == 2  # the earlier reader's quit did not move it back


CRASHING_READER = r"""
import asyncio, os, sys
from pathlib import Path
from paperdeck.ui.app import PaperdeckApp

async def main():
    app = PaperdeckApp(Path(sys.argv[1]), config_path=Path(sys.argv[2]), read_delay=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        print(app.screen.sub_title, flush=True)
        os._exit(3)  # dies as a killed process does: no unmount, nothing recorded

asyncio.run(main())
"""


def test_a_crashed_reader_leaves_its_new_papers_new(sample_root, config_path):
    done = subprocess.run(
        [sys.executable, "-c", CRASHING_READER, str(sample_root), str(config_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 3, done.stderr
    assert done.stdout.endswith("· 40 new\n")
    with Library(sample_root) as library:
        assert last_quit(library) == 0
        assert library.new_count(last_quit(library)) == 40


async def test_a_paper_removed_elsewhere_leaves_the_list(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        screen = app.screen
        ids = list(screen.papers.ids)
        await pilot.press("j")
        await asyncio.to_thread(paperdeck, sample_root, "remove", ids[2])
        assert await shows(pilot, lambda: ids[2] not in screen.papers.ids)
        assert screen.papers.ids == ids[:2] + ids[3:]
        assert screen.current_id == ids[1]
        assert await shows(pilot, lambda: "· 39 papers ·" in title(app))


async def test_the_whole_library_stays_one_run_of_ids_through_live_reloads(sample_root, make_app):
    """The whole library is listed from an `IdRun` (one string, not an object per id), and a
    change made elsewhere lists the new run as it is: not a list made of every id."""
    from paperdeck.core.store.id_run import IdRun

    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen.papers.ids, IdRun)
        ids = list(screen.papers.ids)
        await asyncio.to_thread(paperdeck, sample_root, "star", ids[3])
        assert await shows(pilot, lambda: "· 1 starred ·" in title(app))
        await asyncio.to_thread(paperdeck, sample_root, "remove", ids[5])
        assert await shows(pilot, lambda: ids[5] not in screen.papers.ids)
        assert isinstance(screen.papers.ids, IdRun)
        assert list(screen.papers.ids) == ids[:5] + ids[6:]


async def test_the_highlighted_paper_removed_elsewhere_leaves_the_cursor_in_its_place(
    sample_root, make_app
):
    """The paper after it takes its row, as after `D` (the cursor went to the top); the
    last one's goes to the one before it. In a search's list too."""
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        screen = app.screen
        ids = list(screen.papers.ids)
        await pilot.press("j", "j", "j")
        await settle(pilot)
        assert screen.papers.highlighted_id == ids[3]
        await asyncio.to_thread(paperdeck, sample_root, "remove", ids[3])
        assert await shows(pilot, lambda: ids[3] not in screen.papers.ids)
        assert (screen.papers.cursor, screen.papers.highlighted_id) == (3, ids[4])
        await pilot.press("G")
        await settle(pilot)
        assert screen.papers.highlighted_id == ids[-1]
        await asyncio.to_thread(paperdeck, sample_root, "remove", ids[-1])
        assert await shows(pilot, lambda: ids[-1] not in screen.papers.ids)
        assert screen.papers.highlighted_id == ids[-2]
