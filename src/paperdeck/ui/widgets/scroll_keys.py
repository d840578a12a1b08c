"""The list's movement commands for a pane that scrolls rather than moves a cursor.

The same command ids as the list's, so one remap in config.toml moves all of them.
"""

from __future__ import annotations

from textual.widget import Widget


class ScrollKeys:
    """Mixin: j/k/g/G/PgUp/PgDn scroll `scrolled()` (the widget itself unless overridden)."""

    def scrolled(self) -> Widget:
        assert isinstance(self, Widget)
        return self

    def action_cursor_down(self) -> None:
        self.scrolled().scroll_down(animate=False)

    def action_cursor_up(self) -> None:
        self.scrolled().scroll_up(animate=False)

    def action_cursor_top(self) -> None:
        self.scrolled().scroll_home(animate=False)

    def action_cursor_bottom(self) -> None:
        self.scrolled().scroll_end(animate=False)

    def action_page_down(self) -> None:
        self.scrolled().scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        self.scrolled().scroll_page_up(animate=False)
