"""The title line: the app's name and the screen's sub-title (the library and its counts).

One widget instead of Textual's `Header` (four, with an icon and a clock space this
keyboard-only reader does not use): less to style and lay out before the first paint.
"""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget


class TitleBar(Widget):
    """Follows the screen's `title` and `sub_title` (the app's when the screen has none)."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
        content-align: center middle;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def on_mount(self) -> None:
        for owner in (self.screen, self.app):
            self.watch(owner, "title", self._retitle, init=False)
            self.watch(owner, "sub_title", self._retitle, init=False)

    def _retitle(self) -> None:
        self.refresh()

    @property
    def plain(self) -> str:
        return self.render().plain

    def render(self) -> Content:
        screen, app = self.screen, self.app
        title = app.title if screen.title is None else screen.title
        sub_title = app.sub_title if screen.sub_title is None else screen.sub_title
        return app.format_title(title, sub_title)
