"""`cropped_frames`: a partial update writes what Textual's own would, from fewer widgets."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
import textual
from textual._compositor import Compositor
from textual.app import App
from textual.geometry import Region
from textual.widget import Widget

from paperdeck.ui import cropped_frames
from paperdeck.ui.screens.main import MainScreen

TEXTUALS = cropped_frames.TEXTUAL_GET_RENDERS
CROPPED = cropped_frames._cropped_renders


def written(
    app: App[object], regions: Iterable[Region], get_renders, monkeypatch: pytest.MonkeyPatch
) -> tuple[str, set[str]]:  # type: ignore[no-untyped-def]
    """What a partial update of ``regions`` writes to the terminal, and the widgets asked
    for lines to make it."""
    monkeypatch.setattr(Compositor, "_get_renders", get_renders)
    asked: set[str] = set()
    textual_render_lines = Widget.render_lines

    def render_lines(widget: Widget, crop: Region):  # type: ignore[no-untyped-def]
        asked.add(widget.id or type(widget).__name__)
        return textual_render_lines(widget, crop)

    monkeypatch.setattr(Widget, "render_lines", render_lines)
    compositor = app.screen._compositor
    compositor._dirty_regions.update(regions)
    update = compositor.render_partial_update()
    assert update is not None
    monkeypatch.setattr(Widget, "render_lines", textual_render_lines)
    return update.render_segments(app.console), asked


def areas(app: App[object]) -> list[list[Region]]:
    """Changed areas of every shape: two rows of the list, a row across every pane, a
    rectangle in the abstract, the bars at the top and bottom, scattered pieces."""
    width, height = app.size
    screen = app.screen
    cases = [
        [Region(0, 3, width, 1)],
        [Region(0, 0, width, 1), Region(0, height - 1, width, 1)],
        [Region(10, 5, 30, 4), Region(70, 20, 40, 3)],
        [Region(0, 0, width, height)],
    ]
    if isinstance(screen, MainScreen):
        papers, abstract = screen.papers.region, screen.abstract.region
        row = papers.y + screen.papers.cursor - round(screen.papers.scroll_offset.y)
        cases.append(
            [Region(papers.x, row, papers.width, 1), Region(papers.x, row + 1, papers.width, 1)]
        )
        cases.append([abstract.shrink((1, 2, 1, 2))])
    # A pane shown full screen leaves the others 0 wide: nothing of theirs to update.
    return [regions for regions in cases if all(regions)]


async def test_a_partial_update_writes_what_textuals_own_writes(
    make_app, demo_root, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(demo_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        screens = 0
        # The list focused, the abstract focused, the abstract full screen, help on top.
        for keys in [("j", "j"), ("enter", "j"), ("z",), ("escape", "question_mark")]:
            await pilot.press(*keys)
            await pilot.pause()
            await pilot.wait_for_scheduled_animations()
            for regions in areas(app):
                cropped, _ = written(app, regions, CROPPED, monkeypatch)
                textuals, _ = written(app, regions, TEXTUALS, monkeypatch)
                assert cropped == textuals, (keys, regions)
                assert cropped  # something was written
            screens += 1
        assert screens == 4


async def test_two_rows_of_the_list_ask_only_the_widgets_over_them(
    make_app, demo_root, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(demo_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("j")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        papers = screen.papers.region
        rows = [Region(papers.x, papers.y + 1, papers.width, 2)]
        _, textuals = written(app, rows, TEXTUALS, monkeypatch)
        _, cropped = written(app, rows, CROPPED, monkeypatch)
        # Textual asks every widget whose container overlaps the rows; the patch only
        # those that show there: the screen and the list's containers, and the list.
        assert {"sidebar", "abstract", "status", "TitleBar", "KeyBar"} <= textuals
        assert "papers" in cropped
        assert not {"sidebar", "abstract", "status", "TitleBar", "KeyBar"} & cropped
        assert len(cropped) < len(textuals)


def test_only_the_textual_it_was_checked_with_is_patched(
    monkeypatch: pytest.MonkeyPatch, make_app, sample_root
) -> None:
    assert textual.__version__ == cropped_frames.CHECKED_TEXTUAL  # pinned in pyproject.toml
    monkeypatch.setattr(Compositor, "_get_renders", TEXTUALS)
    make_app(sample_root)
    assert Compositor._get_renders is CROPPED
    monkeypatch.setattr(Compositor, "_get_renders", TEXTUALS)
    monkeypatch.setattr(textual, "__version__", "99.0.0")
    assert cropped_frames.install() is False and Compositor._get_renders is TEXTUALS
