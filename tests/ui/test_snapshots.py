"""Snapshots of the reader at fixed sizes (update with --snapshot-update after checking them).

Each app is built on a temporary library imported as of a fixed day, with the cursor blink
and the read-mark timer off, and the screenshot is taken once every worker has finished.
"""

from __future__ import annotations

from paperdeck.core.arrivals import newest_arrival, record_quit
from paperdeck.core.models import Paper
from paperdeck.core.store import Library
from testkit import come_to_rest, settle


async def settled(pilot) -> None:
    await settle(pilot)


async def searched(pilot) -> None:
    await settle(pilot)
    await pilot.press("slash", *"reasoning")
    await come_to_rest(pilot)  # the results, their counts, the abstract with its highlights


async def noted(pilot) -> None:
    await settle(pilot)
    await pilot.press("n", *"# Why read it", "enter", *"- compares **RL** methods")
    await pilot.pause()


def test_main_screen_120x35(snap_compare, demo_root, make_app):
    assert snap_compare(make_app(demo_root), terminal_size=(120, 35), run_before=settled)


def test_main_screen_80x24(snap_compare, demo_root, make_app):
    assert snap_compare(make_app(demo_root), terminal_size=(80, 24), run_before=settled)


def test_main_screen_60x24(snap_compare, demo_root, make_app):
    """Narrow: the title line and the key bar drop whole parts, help and quit stay."""
    assert snap_compare(make_app(demo_root), terminal_size=(60, 24), run_before=settled)


def test_main_screen_200x60(snap_compare, demo_root, make_app):
    assert snap_compare(make_app(demo_root), terminal_size=(200, 60), run_before=settled)


def test_search_with_highlights(snap_compare, demo_root, make_app):
    assert snap_compare(make_app(demo_root), terminal_size=(120, 35), run_before=searched)


def test_typing_a_word_not_searched_yet(snap_compare, demo_root, make_app):
    """ "at" is not searched (a stop word, too short to search as the start of a word):
    the whole list stays, and the status line asks for more."""

    async def typed(pilot) -> None:
        await settle(pilot)
        await pilot.press("slash", "a", "t")
        await come_to_rest(pilot)

    assert snap_compare(make_app(demo_root), terminal_size=(80, 24), run_before=typed)


def test_help_screen(snap_compare, demo_root, make_app):
    async def helped(pilot) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(make_app(demo_root), terminal_size=(120, 35), run_before=helped)


def test_note_editor(snap_compare, demo_root, make_app):
    assert snap_compare(make_app(demo_root), terminal_size=(120, 35), run_before=noted)


def test_welcome_screen(snap_compare, fixed_root, make_app):
    assert snap_compare(make_app(fixed_root), terminal_size=(120, 35), run_before=settled)


def test_new_view_after_a_fetch(snap_compare, demo_root, make_app):
    """Quit after the demo import, then two papers arrive (as a cron fetch would add them):
    the title line counts them, and the New view lists them."""
    with Library(demo_root) as library:
        record_quit(library, newest_arrival(library))
        library.add_papers(
            [
                Paper(
                    title="Morning Paper on Test-Time Scaling",
                    authors=["Ada Lovelace"],
                    date="2025-06-02",
                    categories=["cs.CL"],
                    arxiv_id="2506.00001",
                ),
                Paper(
                    title="Another Arrival About Reward Models",
                    authors=["Alan Turing"],
                    date="2025-06-01",
                    categories=["cs.LG"],
                    arxiv_id="2506.00002",
                ),
            ]
        )

    async def new_view(pilot) -> None:
        await settle(pilot)
        pilot.app.screen.sidebar.focus()
        await pilot.press("j", "enter")
        await settle(pilot)

    assert snap_compare(make_app(demo_root), terminal_size=(120, 35), run_before=new_view)


def test_abstract_full_screen_with_latex_read_as_text(snap_compare, demo_root, make_app):
    """MedXpertQA's abstract says `\\benchmark`: read as "benchmark", full screen (z)."""

    async def zoomed(pilot) -> None:
        await settle(pilot)
        await pilot.press("slash", *"MedXpertQA", "enter")
        await settle(pilot, 0.3)
        await pilot.press("enter", "z")
        await settle(pilot)

    assert snap_compare(make_app(demo_root), terminal_size=(80, 24), run_before=zoomed)


def test_link_picker_moved_with_j(snap_compare, demo_root, make_app):
    async def picking(pilot) -> None:
        await settle(pilot)
        await pilot.press("slash", *"OpenELM", "enter")  # a code link and a model page
        await settle(pilot, 0.3)
        await pilot.press("o", "j")
        await pilot.pause()

    assert snap_compare(make_app(demo_root), terminal_size=(80, 24), run_before=picking)
