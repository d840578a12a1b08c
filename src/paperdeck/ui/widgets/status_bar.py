"""The status line: what the list shows (count, filters, sort) and what is running."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.timer import Timer
from textual.widget import Widget

from paperdeck.core.query_words import with_default_sort
from paperdeck.ui.search_service import count_text

if TYPE_CHECKING:
    from paperdeck.core.paperset import PaperSet
    from paperdeck.ui.search_service import ViewData

SLOW_SECONDS = 0.5  # work that takes longer than this shows progress


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
        self._typing_note = Text()  # on the query in the field, until it changes
        self._kept_note = Text()  # why the list was kept as it was, until the next view
        self.activity_plain = ""
        self._slow_timer: Timer | None = None

    @property
    def view_plain(self) -> str:
        return self._view.plain

    @property
    def keeps_view(self) -> bool:
        """Whether the list was kept as it was (`keep_view`) since the last view."""
        return bool(self._kept_note)

    def set_view(self, text: Text) -> None:
        if text != self._view:
            self._view = text
            self.refresh()

    def set_typing_note(self, note: Text) -> None:
        """A word on the query being typed ("type more to search"), shown before the view
        until the query changes: the list shown is not that query's."""
        if note != self._typing_note:
            self._typing_note = note
            self.refresh()

    def keep_view(self, note: Text) -> None:
        """The list stays as it was instead of showing a new view: ``note`` says why, before
        the view's line, until the next view is shown."""
        self.end_slow_activity()
        if note != self._kept_note:
            self._kept_note = note
            self.refresh()

    def show_view(self, view: ViewData, paperset: PaperSet, pinned: str | None) -> None:
        """What the list shows: how many, of what (``pinned``: the similar papers' heading),
        in which order, and what the search did with the query."""
        text = Text(f"{count_text(view, bool(paperset.query and not pinned))} · ")
        # What the user should act on comes first: at 80 columns the line is cut at the end.
        if view.fallback:  # never claim close matches: the plain words are all it searched
            text.append("query not understood: plain words searched · ")
        if view.widened:
            text.append("searched ")
            text.append(f"“{view.widened}”", style="bold")
            text.append(" · ")
        if view.suggestion:
            text.append("did you mean ")
            text.append(view.suggestion, style="bold")
            text.append("? · ")
        if pinned:
            text.append_text(Text(pinned))
        else:
            text.append_text(Text(paperset.description))
            text.append(f" · sorted by {with_default_sort(paperset).effective_sort.label}")
        if self._kept_note:  # a view shown: the list is that view's now
            self._kept_note = Text()
            self.refresh()
        self.set_view(text)

    def activity_if_slow(self, text: str) -> None:
        """Show ``text`` on the right if the work it names is still going after a moment."""
        self.end_slow_activity()
        self._slow_timer = self.set_timer(SLOW_SECONDS, lambda: self.set_activity(text))

    def end_slow_activity(self) -> None:
        """The work `activity_if_slow` named is done: its text goes (if it was shown)."""
        if self._slow_timer is not None:
            self._slow_timer.stop()
            self._slow_timer = None
            self.set_activity("")

    def set_activity(self, text: str) -> None:
        if text != self.activity_plain:
            self.activity_plain = text
            self.refresh()

    def render(self) -> Text:
        width = self.content_region.width
        note = self._kept_note or self._typing_note
        line = Text.assemble(note, " · ", self._view) if note else self._view.copy()
        line.no_wrap, line.overflow, line.end = True, "ellipsis", ""
        if not self.activity_plain:
            line.truncate(width, overflow="ellipsis")
            return line
        muted = self.get_component_rich_style("status-bar--activity")
        activity = Text(self.activity_plain, style=muted)
        room = max(0, width - activity.cell_len - 2)
        line.truncate(room, overflow="ellipsis", pad=True)
        return Text.assemble(line, "  ", activity, no_wrap=True, overflow="crop", end="")
