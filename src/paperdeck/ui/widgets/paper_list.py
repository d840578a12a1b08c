"""The paper list: one line per paper, drawn from SQLite rows for the visible window only.

The screen hands down the ordered ids; this widget fetches `PaperRow`s for what is on
screen (plus a margin) through ``fetch_rows`` and keeps them in an LRU cache.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.message import Message
from textual.strip import Strip

from paperdeck.core.store import PaperRow
from paperdeck.core.text import clean_line
from paperdeck.ui.commands import bindings_for
from paperdeck.ui.latex_text import readable_when_loaded
from paperdeck.ui.terms import terms_pattern
from paperdeck.ui.widgets.cursor_list import CursorList

FetchRows = Callable[[Sequence[str]], list[PaperRow]]
MARGIN = 40  # rows fetched beyond the visible window, so scrolling rarely waits
AUTHOR_WIDTH = 24  # cells for the first author's name; a longer one is cut
FIXED_CELLS = 2 + 2 + 11 + 6  # star, read mark, date and the note and code marks, spaced
# What the marks of a row mean, for the help screen's legend (the row draws these).
ROW_MARKS = (("★", "starred"), ("●", "unread"), ("✎", "has a note"), ("</>", "has code"))


def fit(text: str, width: int) -> str:
    """``text`` cut (with an ellipsis) or padded to exactly ``width`` cells."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


ROW_TITLE_CHARS = 500  # more than a row of a very wide terminal shows


class PaperList(CursorList):
    """The centre pane. Posts `Highlighted` as the cursor moves and `Opened` on enter."""

    BINDINGS: ClassVar = bindings_for("list")
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paper-list--star",
        "paper-list--unread",
        "paper-list--date",
        "paper-list--title-unread",
        "paper-list--title",
        "paper-list--author",
        "paper-list--marks",
        "paper-list--empty",
        "paper-list--highlight",
    }
    DEFAULT_CSS = """
    /* A scrollbar always: one that came and went as results outgrew the screen would lay
       the whole screen out again for a quarter of the results of a query being typed. */
    PaperList { overflow-y: scroll; }
    PaperList > .paper-list--star { color: $warning; }
    PaperList > .paper-list--unread { color: $accent; }
    PaperList > .paper-list--date { color: $text-muted; }
    PaperList > .paper-list--title-unread { text-style: bold; }
    PaperList > .paper-list--title { }
    PaperList > .paper-list--author { color: $text-muted; }
    PaperList > .paper-list--marks { color: $success; }
    PaperList > .paper-list--empty { color: $text-muted; text-style: italic; }
    PaperList > .paper-list--highlight { color: $text-warning; text-style: bold underline; }
    PaperList > .cursor-list--cursor { background: $block-cursor-background; }
    PaperList > .cursor-list--cursor-blurred { background: $primary 25%; }
    """

    @dataclass
    class Highlighted(Message):
        paper_id: str | None
        moved: bool = False  # the user moved the cursor (not new rows placing it)

    @dataclass
    class Opened(Message):
        paper_id: str
        full_screen: bool = False  # z: read it with the whole screen

    class LatexWanted(Message):
        """A title with LaTeX is drawn and pylatexenc is not loaded: the screen loads it
        in a worker, then `redraw` shows the titles read as text."""

    def __init__(self, fetch_rows: FetchRows, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.fetch_rows = fetch_rows
        self._ids: Sequence[str] = []
        self._rows: LRUCache[str, PaperRow] = LRUCache(4096)
        self.empty_text = "No papers here."
        self._terms: re.Pattern[str] | None = None
        self._placing = False  # show() is putting the cursor: not a move of the user's
        self._latex_wanted = False  # `LatexWanted` was posted

    # -- attributes down ------------------------------------------------------------------

    @property
    def ids(self) -> Sequence[str]:
        return self._ids

    @property
    def highlighted_id(self) -> str | None:
        return self._ids[self.cursor] if 0 <= self.cursor < len(self._ids) else None

    def show(self, ids: Sequence[str], keep: str | None = None, terms: Sequence[str] = ()) -> None:
        """Replace the rows (``terms`` are highlighted in titles); the cursor stays on
        ``keep`` when it is still listed."""
        previous, pattern = self._ids, terms_pattern(terms)
        same_look = _source(pattern) == _source(self._terms)
        self._ids = ids
        self._terms = pattern
        index = 0
        if keep is not None:
            try:
                index = ids.index(keep)
            except ValueError:
                index = 0
        if (
            ids
            and same_look
            and self.size.height
            and self._on_screen(previous) == self._on_screen(ids)
        ):
            # The whole list after its first screenful: the rows on screen are drawn
            # already, only the scrollbar changes. Drawn again, they held up a key pressed
            # as the list landed (at 1M, the whole list's presses: p95 12.0 -> 7.2 ms).
            self.rows_extended()
        else:
            self.rows_changed()
        if self.cursor == index:
            self.scroll_to_cursor()
            self.post_message(self.Highlighted(self.highlighted_id))
        else:
            self._placing = True
            try:
                self.cursor = index
            finally:
                self._placing = False
        if not ids:
            self.post_message(self.Highlighted(None))

    def _on_screen(self, ids: Sequence[str]) -> list[str]:
        top = round(self.scroll_offset.y)
        return [ids[i] for i in range(top, min(len(ids), top + self.size.height))]

    def forget(self, *paper_ids: str) -> None:
        """These papers changed (star, read, note): fetch and draw them again."""
        for paper_id in paper_ids:
            self._rows.discard(paper_id)
        self.redraw()

    def forget_all(self) -> None:
        """Another process changed the library: every row is fetched again when drawn."""
        self._rows.clear()
        self.redraw()

    def shown_row(self, paper_id: str) -> PaperRow | None:
        """The row as last drawn (None when it was never drawn): what the user saw when
        pressing a key, which may no longer be what the library holds."""
        return self._rows.get(paper_id)

    # -- CursorList -----------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._ids)

    def row_key(self, index: int) -> object:
        return self._row(index)

    def cursor_moved(self, index: int) -> None:
        self.post_message(self.Highlighted(self.highlighted_id, moved=not self._placing))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"open_paper", "zoom"} and not self.row_count:
            return None  # greyed out: nothing to open
        return True

    def action_open_paper(self) -> None:
        if paper_id := self.highlighted_id:
            self.post_message(self.Opened(paper_id))

    def action_zoom(self) -> None:
        if paper_id := self.highlighted_id:
            self.post_message(self.Opened(paper_id, full_screen=True))

    def render_line(self, y: int) -> Strip:
        if not self._ids and y == 0:
            width = self.scrollable_content_region.width
            style = self.rich_style + self.get_component_rich_style("paper-list--empty")
            return Strip([Segment(fit(" " + self.empty_text, width), style)])
        return super().render_line(y)

    def _row(self, index: int) -> PaperRow | None:
        paper_id = self._ids[index]
        row = self._rows.get(paper_id)
        if row is None:
            self._load_window(index)
            row = self._rows.get(paper_id)
        return row

    def _load_window(self, index: int) -> None:
        top = round(self.scroll_offset.y)
        start = max(0, min(index, top) - MARGIN)
        end = max(index, top + self.size.height) + MARGIN
        wanted = [i for i in self._ids[start:end] if i not in self._rows]
        for row in self.fetch_rows(wanted):
            self._rows.set(row.id, row)

    def render_row(self, index: int, width: int, selected: bool) -> list[Segment]:
        row = self._row(index)
        if row is None:  # deleted under us; show the id rather than crash
            return [Segment(fit(self._ids[index], width))]
        style = self.part
        author = clean_line(row.first_author)
        # As wide as the name (up to a cap), never reserved: the title takes what is free,
        # and keeps two thirds of what title and name share (a list 69 cells wide, at 100
        # columns: a title of 31 beside a name of up to 16; at 120 columns the whole name).
        shared = max(0, width - FIXED_CELLS)
        author_width = min(cell_len(author), AUTHOR_WIDTH, shared // 3)
        title_width = max(0, shared - (author_width + 1 if author_width else 0))
        title_style = style("paper-list--title-unread" if not row.read else "paper-list--title")
        # A column each, a space before each: "Yuxin Zuo ✎ </>" never runs together.
        marks = (" ✎" if row.has_note else "  ") + (" </>" if row.has_code else "    ")
        segments = [
            Segment("★ " if row.starred else "  ", style("paper-list--star")),
            Segment("● " if not row.read else "  ", style("paper-list--unread")),
            # Cleaned here too: another tool may have written the column (`show` does too).
            Segment(fit(clean_line(row.date or ""), 10) + " ", style("paper-list--date")),
            *self._title(fit(self._shown_title(row.title), title_width), title_style),
        ]
        if author_width:
            segments.append(
                Segment(
                    " " + fit(author, author_width),
                    style("paper-list--author"),
                )
            )
        segments.append(Segment(marks, style("paper-list--marks")))
        return segments

    def _shown_title(self, title: str) -> str:
        """The title as the row shows it: cleaned, its LaTeX read as text once pylatexenc is
        loaded ("$\\alpha$-Stability" as "α-Stability"), cleaned again after that. Only
        what a row can show is read: the thousand characters a row is given, all `$a$`, took
        20 ms to convert."""
        shown = clean_line(title[:ROW_TITLE_CHARS])
        return clean_line(readable_when_loaded(shown, self._want_latex))

    def _want_latex(self) -> None:
        if not self._latex_wanted:
            self._latex_wanted = True
            self.post_message(self.LatexWanted())

    def _title(self, title: str, base: Style) -> list[Segment]:
        """The title in segments, search terms marked."""
        if self._terms is None:
            return [Segment(title, base)]
        marked = base + self.part("paper-list--highlight")
        segments, last = [], 0
        for match in self._terms.finditer(title):
            segments += [Segment(title[last : match.start()], base), Segment(match.group(), marked)]
            last = match.end()
        segments.append(Segment(title[last:], base))
        return [segment for segment in segments if segment.text]


def _source(pattern: re.Pattern[str] | None) -> str | None:
    return None if pattern is None else pattern.pattern
