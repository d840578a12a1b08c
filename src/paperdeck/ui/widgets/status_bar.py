"""The status line: what the list shows (count, filters, sort) and what is running."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.widget import Widget


class StatusBar(Widget):
    """Left: the view. Right: background work ("Building search index… n/N").

    One widget drawing both: they change with every search result, and an unchanged part
    is not redrawn; nothing here ever needs the screen laid out again.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"status-bar--activity"}
    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text; padding: 0 1; }
    StatusBar > .status-bar--activity { color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._view = Text()
        self.activity_plain = ""

    @property
    def view_plain(self) -> str:
        return self._view.plain

    def set_view(self, text: Text) -> None:
        if text != self._view:
            self._view = text
            self.refresh()

    def set_activity(self, text: str) -> None:
        if text != self.activity_plain:
            self.activity_plain = text
            self.refresh()

    def render(self) -> Text:
        width = self.content_region.width
        line = self._view.copy()
        line.no_wrap, line.overflow, line.end = True, "ellipsis", ""
        if not self.activity_plain:
            line.truncate(width, overflow="ellipsis")
            return line
        muted = self.get_component_rich_style("status-bar--activity")
        activity = Text(self.activity_plain, style=muted)
        room = max(0, width - activity.cell_len - 2)
        line.truncate(room, overflow="ellipsis", pad=True)
        return Text.assemble(line, "  ", activity, no_wrap=True, overflow="crop", end="")
