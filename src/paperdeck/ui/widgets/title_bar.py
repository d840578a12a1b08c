"""The title line: the app's name and the screen's sub-title (the library and its counts).

One widget instead of Textual's `Header` (four, with an icon and a clock space this
keyboard-only reader does not use): less to style and lay out before the first paint.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget

from paperdeck.core.paths import library_dir

if TYPE_CHECKING:
    from paperdeck.core.store import Facets

LIBRARY_NAME_WIDTH = 24  # the counts after the name matter more
PART_SEPARATOR = " · "  # between the sub-title's parts (the name, each count)


def library_title(root: Path, *, demo: bool = False) -> str:
    """The library as the title line names it: "demo", "library" for the default one, a
    folder in the home folder as ~/path, else the folder's name; cut from the left, so a
    long one gives way to the counts and keeps the part that tells libraries apart."""
    if demo:
        return "demo"
    if root.expanduser().resolve() == library_dir(None).expanduser().resolve():
        return "library"
    name, home = root.name or str(root), Path.home()
    if root.is_relative_to(home) and root != home:
        name = "~/" + str(root.relative_to(home))
    if len(name) > LIBRARY_NAME_WIDTH:
        name = "…" + name[-(LIBRARY_NAME_WIDTH - 1) :]
    return name


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

    @staticmethod
    def library_line(name: str, totals: Facets) -> str:
        """The sub-title of the reader: the library's name (see `library_title`), its
        papers, starred, unread and new ones."""
        views = totals.views
        parts = [name, f"{totals.total} papers", f"{views.get('starred', 0)} starred"]
        if "unread" in views:  # counted after the first paint
            parts.append(f"{views['unread']} unread")
        if "new" in views:
            parts.append(f"{views['new']} new")
        return PART_SEPARATOR.join(parts)

    def on_mount(self) -> None:
        for owner in (self.screen, self.app):
            self.watch(owner, "title", self._retitle, init=False)
            self.watch(owner, "sub_title", self._retitle, init=False)

    def _retitle(self) -> None:
        self.refresh()

    def show_sub_title(self, line: str) -> None:
        """Give the screen the sub-title ``line`` and repaint only this bar: set as usual,
        the screen's reactive repaints the whole screen (11-14 ms at a million papers, when
        the whole list lands), and a key pressed then waits for that frame."""
        screen = self.screen
        if screen.sub_title != line:
            screen.set_reactive(Screen.sub_title, line)
            self.refresh()

    @property
    def plain(self) -> str:
        return self.render().plain

    def render(self) -> Content:
        screen, app = self.screen, self.app
        title = app.title if screen.title is None else screen.title
        sub_title = app.sub_title if screen.sub_title is None else screen.sub_title
        return fitted_title(title, sub_title, self.content_region.width)


def fitted_title(title: str, sub_title: str, width: int) -> Content:
    """The title line in ``width`` cells, shortened by whole parts: first the app's name,
    then the sub-title's last parts, so it never ends in a count cut in half ("· 0 …").
    The first part alone still too wide (a long name) is cut by the ellipsis."""
    full = Content.assemble(Content(title), (" — ", "dim"), Content(sub_title).stylize("dim"))
    if not sub_title or full.cell_length <= width:
        return full if sub_title else Content(title)
    parts = sub_title.split(PART_SEPARATOR)
    line = Content(sub_title)
    while len(parts) > 1 and line.cell_length > width:
        parts.pop()
        line = Content(PART_SEPARATOR.join(parts))
    return line.stylize("dim")
