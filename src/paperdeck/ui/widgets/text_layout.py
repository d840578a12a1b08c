"""Paragraphs wrapped to a width, as lines a line-API widget draws one at a time.

A paragraph of ordinary length is wrapped by Textual's `Content`, exactly as a `Static` would
wrap it. A `LongLine` (megabytes written by another tool) would take Content seconds and
memory for every character's style; it is wrapped here by offsets into its plain text, a
greedy word wrap like Content's, and each line is styled only when it is drawn.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.console import Console
from textual.content import Content

from paperdeck.ui.widgets.paper_text import LongLine, Paragraph


def wrap_offsets(text: str, width: int) -> tuple[array[int], array[int]]:
    """(starts, ends) of the lines of ``text`` (one paragraph) wrapped at spaces to
    ``width`` cells; a word longer than a line is folded. The spaces at a break are dropped."""
    starts: array[int] = array("q")
    ends: array[int] = array("q")
    width = max(width, 2)
    wide = not text.isascii()
    position, length = 0, len(text)
    while position < length:
        end = min(position + width, length)
        while wide and end > position + 1 and cell_len(text[position:end]) > width:
            end -= 1
        if end < length and text[end] != " ":
            space = text.rfind(" ", position, end)
            if space > position:
                end = space
        starts.append(position)
        ends.append(end)
        position = end
        while position < length and text[position] == " ":
            position += 1
    if not starts:
        starts.append(0)
        ends.append(0)
    return starts, ends


@dataclass(frozen=True, slots=True)
class _Wrapped:
    lines: list[Content]

    def __len__(self) -> int:
        return len(self.lines)

    def line(self, index: int, console: Console) -> Content:
        return self.lines[index]


@dataclass(frozen=True, slots=True)
class _WrappedLong:
    paragraph: LongLine
    starts: array[int]
    ends: array[int]

    def __len__(self) -> int:
        return len(self.starts)

    def line(self, index: int, console: Console) -> Content:
        piece = self.paragraph.piece(self.starts[index], self.ends[index])
        return Content.from_rich_text(piece, console=console)


@dataclass(slots=True)
class Layout:
    """The lines of some paragraphs at one width: ``len`` and ``line(y)``."""

    width: int = 0
    _pieces: list[_Wrapped | _WrappedLong] = field(default_factory=list)
    _firsts: list[int] = field(default_factory=list)  # the first line of each piece
    _count: int = 0

    def add(self, piece: _Wrapped | _WrappedLong) -> None:
        self._pieces.append(piece)
        self._firsts.append(self._count)
        self._count += len(piece)

    def __len__(self) -> int:
        return self._count

    def line(self, y: int, console: Console) -> Content:
        number = bisect_right(self._firsts, y) - 1
        return self._pieces[number].line(y - self._firsts[number], console)


def lay_out(paragraphs: list[Paragraph], width: int, console: Console) -> Layout:
    """``paragraphs`` wrapped to ``width`` cells."""
    layout = Layout(width)
    small: list[Content] = []
    for paragraph in paragraphs:
        if isinstance(paragraph, LongLine):
            if small:
                layout.add(_Wrapped(small))
                small = []
            layout.add(_WrappedLong(paragraph, *wrap_offsets(paragraph.plain, width)))
        else:
            content = Content.from_rich_text(paragraph, console=console)
            small.extend(content.wrap(width) or [Content("")])
    if small:
        layout.add(_Wrapped(small))
    return layout
