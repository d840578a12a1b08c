"""The abstract pane: one paper's details, the abstract with search terms highlighted, the note.

What it shows is built by `paper_text` (plain strings made safe by `paperdeck.core.text`,
styled as `rich.text.Text`, never markup) and wrapped by `text_layout`; the pane is a
line-API `ScrollView` that draws only the visible lines. A paper with huge fields (written by
another tool: imports cut fields to size) shows a head at once; all of it is laid out in a
thread worker and shown when ready, while keys go on working. A newer paper (or width, or
theme) cancels an older layout.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from paperdeck.core.models import Paper
from paperdeck.ui.commands import bindings_for
from paperdeck.ui.widgets.canvas import resize_canvas
from paperdeck.ui.widgets.paper_text import PaperText, paper_text
from paperdeck.ui.widgets.scroll_keys import ScrollKeys
from paperdeck.ui.widgets.text_layout import Layout, lay_out


def full_layout(
    paper: Paper, terms: Sequence[str], parts: dict[str, Style], width: int, console: Console
) -> Layout:
    """All of ``paper`` laid out at ``width`` (in a worker: seconds for megabytes)."""
    return lay_out(
        paper_text(paper, terms, parts.__getitem__, head=False).paragraphs, width, console
    )


class AbstractView(ScrollKeys, ScrollView, can_focus=True):
    """The right (or lower) pane. The screen calls `show`; it posts nothing but `Closed`.

    It can fill the screen (`z`, or the palette's Maximize) for a long read, and pages like
    a pager (space, shift+space).
    """

    # The way back from the full screen first: esc and `z` are its keys there.
    BINDINGS: ClassVar = bindings_for("full_screen") + bindings_for("abstract")
    ALLOW_MAXIMIZE = True
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "abstract-view--title",
        "abstract-view--label",
        "abstract-view--muted",
        "abstract-view--highlight",
        "abstract-view--link-number",
        "abstract-view--heading",
        "abstract-view--note-heading",
        "abstract-view--code",
        "abstract-view--star",
    }
    DEFAULT_CSS = """
    AbstractView { overflow-x: hidden; overflow-y: auto; }
    AbstractView > .abstract-view--title { text-style: bold; color: $text; }
    AbstractView > .abstract-view--label { color: $text-muted; }
    AbstractView > .abstract-view--muted { color: $text-muted; }
    AbstractView > .abstract-view--highlight {
        background: $warning 35%; color: $text; text-style: bold;
    }
    AbstractView > .abstract-view--link-number { color: $accent; }
    AbstractView > .abstract-view--heading { color: $accent; text-style: bold; }
    AbstractView > .abstract-view--note-heading { text-style: bold underline; }
    AbstractView > .abstract-view--code { color: $text-accent; background: $boost; }
    AbstractView > .abstract-view--star { color: $warning; }
    """

    @dataclass
    class Closed(Message):
        """Escape in the pane: go back to the list."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.paper: Paper | None = None
        self.terms: list[str] = []
        self.empty_text = "No paper highlighted."
        self.whole = True  # False while the rest of a long paper is laid out
        self._layout = Layout()
        self._strips: LRUCache[int, Strip] = LRUCache(256)
        self._asked = 0  # numbers each layout asked for: an older one is dropped
        self._laid_out_parts: dict[str, Style] = {}  # the component styles it was laid out in
        self._back_to_list = False  # leaving the full screen focuses the list (`zoom`)

    def show(self, paper: Paper | None, terms: Sequence[str] = ()) -> None:
        """Show ``paper`` (None: the empty message) with ``terms`` highlighted."""
        if paper == self.paper and list(terms) == self.terms and paper is not None:
            return  # a search result kept the paper and its words: nothing to lay out again
        scroll_home = paper is None or self.paper is None or paper.id != self.paper.id
        self.paper, self.terms = paper, list(terms)
        self.lay_out()
        if scroll_home:
            self.scroll_home(animate=False)

    def render_paper(self) -> Text:
        """What is shown at once, as one text (all of it unless a field is huge)."""
        return self._head().as_text()

    def _head(self) -> PaperText:
        if self.paper is None:
            return PaperText([Text(self.empty_text, style=self.part("abstract-view--muted"))], True)
        return paper_text(self.paper, self.terms, self.part, head=True)

    # -- layout ----------------------------------------------------------------------------

    def lay_out(self, *, restyle: bool = False) -> None:
        """The head now, at the width the pane has; the whole in a worker if it was cut.

        ``restyle`` (new colours, same text): a whole layout on screen stays there, its
        place kept, until the restyled one replaces it."""
        self._asked += 1
        width = self.size.width
        if width <= 0:
            return  # not laid out yet: the first resize lays it out
        head = self._head()
        parts = self._laid_out_parts = self._parts()
        if restyle and not head.whole and self.whole:
            width = self._layout.width
        else:
            layout = lay_out(head.paragraphs, width, self.app.console)
            bar = self.styles.scrollbar_size_vertical
            if len(layout) > self.size.height and bar and width > bar:
                layout = lay_out(head.paragraphs, width - bar, self.app.console)  # the bar's room
            self._use(layout)
            self.whole, width = head.whole, layout.width
        if not head.whole and self.paper is not None:
            self._lay_out_whole(self._asked, self.paper, self.terms, parts, width)

    @work(thread=True, exclusive=True, group="abstract-layout")
    def _lay_out_whole(
        self, asked: int, paper: Paper, terms: list[str], parts: dict[str, Style], width: int
    ) -> None:
        layout = full_layout(paper, terms, parts, width, self.app.console)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._laid_out, asked, layout)

    def _laid_out(self, asked: int, layout: Layout) -> None:
        if asked == self._asked:  # else a newer paper, width or theme asked since
            self._use(layout)
            self.whole = True

    def _use(self, layout: Layout) -> None:
        self._layout = layout
        self._strips.clear()
        resize_canvas(self, Size(layout.width, len(layout)))
        self.refresh()

    @property
    def allow_vertical_scroll(self) -> bool:
        """As soon as the text overflows the pane, not only once the screen's next layout
        has shown the scrollbar: a paper shown from a short one, keys typed with it in one
        read (`enter j j j`) scroll it (they were lost)."""
        overflows = self.virtual_size.height > self.scrollable_content_region.height
        return super().allow_vertical_scroll or (overflows and not self.disabled)

    def on_resize(self, event: events.Resize) -> None:
        """Lay out again when the text would no longer fit its width: a new width, or a
        new height that brings the scrollbar (the text would be cut by it) or takes it
        away (a gap where it was)."""
        if not self.is_mounted:
            return
        overflowing = len(self._layout) > self.size.height
        if self._layout.width != (self._narrow() if overflowing else self.size.width):
            self.lay_out()

    def _narrow(self) -> int:
        return self.size.width - self.styles.scrollbar_size_vertical

    def notify_style_update(self) -> None:
        super().notify_style_update()
        # A new theme's colours are in the laid-out lines; focus changes only the background.
        if self.is_mounted and self._parts() != self._laid_out_parts:
            self.lay_out(restyle=True)

    def _parts(self) -> dict[str, Style]:
        return {name: self.part(name) for name in sorted(self.COMPONENT_CLASSES)}

    def render_line(self, y: int) -> Strip:
        index = round(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if index >= len(self._layout):
            return Strip.blank(width, Style(bgcolor=base.bgcolor))
        strip = self._strips.get(index)
        if strip is None:
            content = self._layout.line(index, self.app.console)
            strip = Strip(content.render_segments() or [Segment("")], content.cell_length)
            self._strips.set(index, strip)
        # Text on the pane's style; the rest of the line on its background only, as Static.
        return strip.apply_style(base).adjust_cell_length(width, Style(bgcolor=base.bgcolor))

    def part(self, name: str) -> Style:
        """A component's own style, laid over the text (theme colours, no background).

        The highlight keeps its full style, so its translucent background is blended.
        """
        return self.get_component_rich_style(name, partial=name != "abstract-view--highlight")

    # -- keys (the movement keys come from ScrollKeys) -------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Full screen, `z` and esc are `leave_full_screen`'s, so the key bar says "Back".
        if action in ("zoom", "back_to_list"):
            return self.screen.maximized is not self
        if action == "leave_full_screen":
            return self.screen.maximized is self
        return super().check_action(action, parameters)

    def action_back_to_list(self) -> None:
        """esc: back to the list (out of the full screen first)."""
        if self.screen.maximized is self:
            self.action_leave_full_screen()
            return
        self.post_message(self.Closed())

    def action_zoom(self) -> None:
        """Fill the screen with the abstract (the palette's Maximize does it too)."""
        self.zoom()

    def zoom(self, *, from_list: bool = False) -> None:
        """Full screen; ``from_list``: `z` was pressed in the list, and leaving the full
        screen goes back there, where the next paper is a `j` away."""
        if self.screen.maximized is not self:
            self._back_to_list = from_list
            self.screen.maximize(self, container=False)

    def action_leave_full_screen(self) -> None:
        """esc or `z` while full screen: the list and the abstract again, the focus where
        the full screen was asked for (the list or this pane)."""
        if self.screen.maximized is self:
            back_to_list = self._back_to_list
            self.screen.minimize()
            if back_to_list:  # by a message, which the next key waits for (`key_order`)
                self.post_message(self.Closed())

    def on_mount(self) -> None:
        self.watch(self.screen, "maximized", self._full_screen_changed, init=False)

    def _full_screen_changed(self, maximized: object) -> None:
        if maximized is not self:  # left, whichever way (`/` searches from it too)
            self._back_to_list = False
