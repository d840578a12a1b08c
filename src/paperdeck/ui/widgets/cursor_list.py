"""A keyboard list that draws only its visible rows: the base of the paper list and sidebar.

A `ScrollView` whose `render_line` asks the subclass for one row at a time and keeps the
rendered strips in an LRU cache, so 100,000 rows cost no more than the 30 on screen.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from paperdeck.ui.commands import bindings_for
from paperdeck.ui.widgets.canvas import resize_canvas


class CursorList(ScrollView, can_focus=True):
    """Rows with a cursor. Subclasses give `row_count`, `row_key` and `render_row`."""

    BINDINGS: ClassVar = bindings_for("list")
    DEFAULT_CSS = """
    CursorList {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
    }
    """

    # No repaint of the whole list when it moves: `watch_cursor` refreshes the two rows.
    cursor: reactive[int] = reactive(0, always_update=False, init=False, repaint=False)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._strips: LRUCache[tuple[object, ...], Strip] = LRUCache(1024)
        self._base = Style()
        # Component styles, computed once per theme and focus rather than several times a
        # row (0.1 ms each: a new list of 18 rows asked for 120 of them).
        self._parts: dict[tuple[str, bool], Style] = {}

    # -- what subclasses provide ----------------------------------------------------------

    @property
    def row_count(self) -> int:
        raise NotImplementedError

    def row_key(self, index: int) -> object:
        """What the row shows, for the strip cache: change it and the row is redrawn."""
        raise NotImplementedError

    def render_row(self, index: int, width: int, selected: bool) -> list[Segment]:
        raise NotImplementedError

    def can_select(self, index: int) -> bool:
        """Rows the cursor skips (section headings) return False."""
        return True

    def cursor_moved(self, index: int) -> None:
        """Called when the cursor lands on a row (post a message here)."""

    # -- drawing --------------------------------------------------------------------------

    def rows_changed(self) -> None:
        """The rows were replaced: drop cached strips and resize the virtual canvas."""
        self._strips.clear()
        resize_canvas(self, Size(self.size.width, self.row_count))
        self.refresh()

    def rows_extended(self) -> None:
        """Rows added or removed below the screen, the ones on it unchanged: only the
        canvas is resized (the scrollbar's thumb follows), nothing is drawn again."""
        resize_canvas(self, Size(self.size.width, self.row_count))

    def redraw(self) -> None:
        """Same rows, new look (a star or a theme changed)."""
        self._strips.clear()
        self._parts.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._parts.clear()

    def on_resize(self, event: events.Resize) -> None:
        self._strips.clear()
        # The content's width, as `rows_changed` gives it: the event's includes a border
        # (the sidebar's edge), and a width that differs lays the screen out again.
        self.virtual_size = Size(self.size.width, self.row_count)
        self.scroll_to_cursor(animate=False)

    def on_focus(self) -> None:
        self.redraw()

    def on_blur(self) -> None:
        self.redraw()

    def render_lines(self, crop: Region) -> list[Strip]:
        # The base style walks every ancestor's styles: once a frame, not once a row (a
        # scroll of one row redraws them all, a quarter of that frame at 18 rows).
        self._base = self.rich_style
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = round(self.scroll_offset.y) + y
        base = self._base
        if index >= self.row_count or width <= 0:
            return Strip.blank(width, base)
        selected = index == self.cursor
        key = (self.row_key(index), width, selected, self.has_focus, base)
        strip = self._strips.get(key)
        if strip is None:
            segments = self.render_row(index, width, selected)
            strip = Strip(segments).adjust_cell_length(width, base).simplify()
            if selected:
                strip = strip.apply_style(self.cursor_style())
            strip = strip.apply_style(base)
            self._strips.set(key, strip)
        return strip

    def part(self, name: str, partial: bool = True) -> Style:
        """A component's own style (no background), to lay over the row's base style."""
        style = self._parts.get((name, partial))
        if style is None:
            style = self._parts[name, partial] = self.get_component_rich_style(
                name, partial=partial
            )
        return style

    def cursor_style(self) -> Style:
        name = "cursor-list--cursor" if self.has_focus else "cursor-list--cursor-blurred"
        return self.part(name, partial=False)  # full style: translucent colours blended

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "cursor-list--cursor",
        "cursor-list--cursor-blurred",
    }

    # -- the cursor -----------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, self.row_count - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        self._refresh_row(old)
        self._refresh_row(new)
        self.scroll_to_cursor()
        if 0 <= new < self.row_count:
            self.cursor_moved(new)

    def _refresh_row(self, index: int) -> None:
        y = index - round(self.scroll_offset.y)
        if 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def scroll_to_cursor(self, animate: bool = False) -> None:
        """Bring the cursor row into view, with the heading just above it if there is one."""
        if not self.row_count or not self.size.height:
            return
        top = (
            self.cursor - 1 if self.cursor and not self.can_select(self.cursor - 1) else self.cursor
        )
        self.scroll_to_region(
            Region(0, top, 1, self.cursor - top + 1), animate=animate, force=True, immediate=True
        )

    def move_to(self, index: int, step: int = 1) -> None:
        """Put the cursor on ``index`` or the next selectable row in the ``step`` direction."""
        count = self.row_count
        if not count:
            return
        index = max(0, min(index, count - 1))
        probe = index
        while 0 <= probe < count and not self.can_select(probe):
            probe += step
        if not 0 <= probe < count:
            probe = index
            while 0 <= probe < count and not self.can_select(probe):
                probe -= step
        if 0 <= probe < count:
            self.cursor = probe

    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + 1, 1)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1, -1)

    def action_cursor_top(self) -> None:
        self.move_to(0, 1)

    def action_cursor_bottom(self) -> None:
        self.move_to(self.row_count - 1, -1)

    def action_page_down(self) -> None:
        self.move_to(self.cursor + max(1, self.scrollable_content_region.height - 1), 1)

    def action_page_up(self) -> None:
        self.move_to(self.cursor - max(1, self.scrollable_content_region.height - 1), -1)

    def on_click(self, event: events.Click) -> None:
        """A click moves the cursor (the reader is keyboard-first, but a click must not hurt)."""
        index = round(self.scroll_offset.y) + event.y
        if 0 <= index < self.row_count and self.can_select(index):
            self.cursor = index
