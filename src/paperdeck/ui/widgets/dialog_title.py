"""A dialog's title line that names a paper: as much of its title as the dialog has room for.

A tag prompt or the note editor says which paper it is for. Titles run to 200 characters and
more; cut to a fixed length they lose words in a wide dialog, and shown whole (a title from
another tool may be megabytes) they push the field off the screen. This wraps the title to
the dialog's width, at most a few lines, the last one ending in "…" when there is more.
"""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from paperdeck.core.text import clean_line, terminal_safe

LINES = 3  # at most: the field and the hint below stay in view on a 24-line terminal
_CUT = 2000  # characters of a title read at all (imports cut titles to this size)


class DialogTitle(Widget):
    """``prefix`` then the paper's ``title``, wrapped to the width, at most ``lines`` lines."""

    DEFAULT_CSS = "DialogTitle { height: auto; }"

    def __init__(self, prefix: str, title: str, *, lines: int = LINES, classes: str = "") -> None:
        super().__init__(classes=classes)
        self.lines = lines
        # Cleaned here: a title another tool wrote never went through the import's cleaning.
        cut = clean_line(title[:_CUT]) + (" …" if len(title) > _CUT else "")
        self.text = Text(terminal_safe(prefix)) + Text(terminal_safe(cut))

    @property
    def plain(self) -> str:
        """The lines shown, for tests."""
        return "\n".join(line.plain for line in self._wrapped(self.content_size.width))

    def _wrapped(self, width: int) -> list[Text]:
        if width <= 0:
            return []
        lines = list(self.text.wrap(self.app.console, width))
        if len(lines) > self.lines:
            last = lines[self.lines - 1]
            last.truncate(max(width - 2, 0))
            last.rstrip()
            last.append(" …")
            lines = [*lines[: self.lines - 1], last]
        for line in lines:
            line.rstrip()
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self._wrapped(width)))

    def render(self) -> Text:
        return Text("\n").join(self._wrapped(self.content_size.width))
