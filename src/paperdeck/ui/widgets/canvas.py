"""Resizing a line-API scroll view's canvas without laying out the whole screen.

Textual lays out the screen again whenever a widget's `virtual_size` changes. For the list
and the abstract pane, whose size on screen never depends on what they show, that is only
needed when the vertical scrollbar comes or goes. Otherwise a new search result or a new
paper costs a screen layout and a repaint of every widget (14-26 ms at 100,000 papers, on
the main thread), and a key typed meanwhile waits for it.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.widget import Widget


def resize_canvas(view: ScrollView, size: Size) -> None:
    """Give ``view`` a new virtual size, laying out the screen only if the scrollbar changes
    (the caller repaints ``view``)."""
    overflowing = size.height > view.scrollable_content_region.height
    shown = overflowing or view.styles.overflow_y == "scroll"
    if shown != view.show_vertical_scrollbar or size.width != view.virtual_size.width:
        view.virtual_size = size  # the scrollbar comes or goes: the screen is laid out
        return
    view.set_reactive(Widget.virtual_size, size)
    if shown:
        view.vertical_scrollbar.window_virtual_size = size.height
    if view.scroll_y > view.max_scroll_y:
        view.scroll_y = view.max_scroll_y
