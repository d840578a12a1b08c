"""The status line: what the list shows (count, filters, sort) and what is running."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static


class StatusBar(Horizontal):
    """Left: the view. Right: background work ("Building search index… n/N")."""

    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text; }
    StatusBar #status-view { width: 1fr; height: 1; padding: 0 1; }
    StatusBar #status-activity { width: auto; height: 1; padding: 0 1; color: $text-muted; }
    """

    view_plain = ""
    activity_plain = ""
    _view: Text | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="status-view")
        yield Static("", id="status-activity")

    # Both change with every search result: an unchanged line is not redrawn, and the
    # view's (as wide as the bar allows) never needs the screen laid out again.

    def set_view(self, text: Text) -> None:
        if text == self._view:
            return
        self._view = text
        self.view_plain = text.plain
        self.query_one("#status-view", Static).update(text, layout=False)

    def set_activity(self, text: str) -> None:
        if text == self.activity_plain:
            return
        self.activity_plain = text
        self.query_one("#status-activity", Static).update(Text(text))
