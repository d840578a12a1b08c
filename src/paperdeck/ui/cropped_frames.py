"""Textual's partial screen updates, drawn from the lines that changed and nothing else.

When a widget changes a few lines (the cursor leaves one row of the list and lands on
another), Textual 8.2.8 writes only those lines to the terminal, but first has every widget
whose container overlaps them render its whole area: the screen, the title bar, the
sidebar, the abstract, the status and key bars, 12 widgets and ~170 lines for two rows of
the list, each line taken from the widget's cache and passed through the app's filters.
`Compositor._get_renders` tests a widget's clip (its container) against the changed area
rather than the part of the widget that shows.

`install` puts in its place a version that renders only the widgets that show in the
changed area, and of each only the lines in its rows: the same lines reach the terminal.
A widget's lines not rendered stay marked for the next frame that draws them, as for a
widget scrolled partly out of view. Measured under Pilot at 100,000 papers, `j`/`k` 50 ms
apart: a frame took 1.2-1.8 ms at the median, 0.8 ms with this. A full update (the whole
screen) renders as before. Patched only for the Textual version it was checked against
(`frame_pacing.CHECKED_TEXTUAL`), and checked again by `tests/ui/test_cropped_frames.py`.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual._compositor import Compositor
from textual.geometry import Region
from textual.strip import Strip

from paperdeck.ui.frame_pacing import CHECKED_TEXTUAL, textual_version

TEXTUAL_GET_RENDERS = Compositor._get_renders  # Textual's own, which the tests compare with

Render = tuple[Region, Region, list[Strip]]


def _cropped_renders(self: Compositor, crop: Region | None = None) -> Iterable[Render]:
    """The lines inside ``crop``'s rows of each visible widget that overlaps ``crop``.

    Whole lines of the widget's visible part, not cut to ``crop``'s columns: the
    compositor divides each line at its cuts (the widgets' edges), so a line must start
    at one."""
    if crop is None:
        yield from TEXTUAL_GET_RENDERS(self, crop)
        return
    intersection = Region.intersection
    overlaps = crop.overlaps
    top, bottom = crop.y, crop.bottom
    for widget, (region, clip) in self.visible_widgets.items():
        visible = intersection(region, clip)
        if not overlaps(visible):
            continue
        first, last = max(visible.y, top), min(visible.bottom, bottom)
        rows_clip = intersection(clip, Region(clip.x, first, clip.width, last - first))
        part = Region(visible.x - region.x, first - region.y, visible.width, last - first)
        yield region, rows_clip, widget.render_lines(part)


def install() -> bool:
    """Render partial updates as above; False (nothing changed) for any other Textual."""
    if textual_version() != CHECKED_TEXTUAL:
        return False
    Compositor._get_renders = _cropped_renders  # type: ignore[method-assign]
    return True
