"""The search bar: search as you type, debounced, with a "did you mean" hint below it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static

from paperdeck.ui.commands import COMMANDS_BY_ID, bindings_for
from paperdeck.ui.keys import display_keys, effective_key

# A stale search is cancelled before it runs, so there is nothing to wait for but the rest
# of a burst (a paste, the keys of one read from the terminal). Each millisecond here is one
# more before every search's first results.
DEBOUNCE_SECONDS = 0.002


class SearchInput(Input):
    """An Input whose enter and escape come from the command registry."""

    BINDINGS: ClassVar = bindings_for("search")
    suggestion: str | None = None  # the "did you mean" shown below, if any

    @property
    def content_width(self) -> int:
        """At least as wide as the field. Input sizes its virtual canvas to the text, so
        each keystroke would change it and lay out the whole screen (a frame or two, then
        the scrollbars again) before the echo; a query that fits leaves it alone."""
        return max(super().content_width, self.scrollable_content_region.width + 1)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "accept_suggestion":
            return bool(self.suggestion)  # none shown: the key does what it does elsewhere
        return super().check_action(action, parameters)

    def action_accept_suggestion(self) -> None:
        """Search for the suggestion instead (the change is searched like a keystroke)."""
        if self.suggestion:
            self.value = self.suggestion
            self.cursor_position = len(self.value)

    def on_blur(self) -> None:
        self.post_message(SearchBar.Left())

    def action_erase_query(self) -> None:
        """Empty the field to type another query (searched like a keystroke: the whole
        list until the next word)."""
        self.value = ""


class SearchBar(Vertical):
    """Hidden until `/`. Posts `QueryChanged` right after each keystroke (coalesced)."""

    DEFAULT_CSS = """
    SearchBar { height: auto; }
    SearchBar #search-hint { color: $text-muted; padding: 0 1; height: auto; }
    SearchBar #search-hint.-empty { display: none; }
    """

    @dataclass
    class QueryChanged(Message):
        query: str

    @dataclass
    class Done(Message):
        """The field was submitted (enter when remapped away from `search_to_list`)."""

    @dataclass
    class Left(Message):
        """The field lost the focus: the query is no longer being typed."""

    def __init__(self, *, id: str | None = None, cursor_blink: bool = True) -> None:
        super().__init__(id=id)
        self._timer: Timer | None = None
        self._cursor_blink = cursor_blink

    def compose(self) -> ComposeResult:
        # `/` with a query in the field goes back to it, the cursor at its end: selected, as
        # Textual does by default, one stray key would replace it.
        field = SearchInput(
            placeholder='Search: words  "a phrase"  author:name  tag:x  year:2024  -word',
            id="search-input",
            select_on_focus=False,
        )
        field.cursor_blink = self._cursor_blink
        yield field
        yield Static("", id="search-hint", classes="-empty")

    @property
    def input(self) -> SearchInput:
        return self.query_one(SearchInput)

    @property
    def value(self) -> str:
        return self.input.value

    def set_value(self, query: str) -> None:
        """Set the text without searching again (the screen already knows)."""
        with self.input.prevent(Input.Changed):
            self.input.value = query
        self.input.cursor_position = len(query)

    def set_hint(self, hint: Text | None) -> None:
        widget = self.query_one("#search-hint", Static)
        widget.update(hint or "")
        widget.set_class(not hint, "-empty")

    def set_suggestion(self, suggestion: str | None) -> None:
        """Offer "Did you mean: …?" below the field, with the key that accepts it.

        Every search result sets it: unchanged, nothing is redrawn (new bindings rebuild
        the footer, a new hint lays out the screen)."""
        if (suggestion or None) == self.input.suggestion:
            return
        self.input.suggestion = suggestion or None
        hint = None
        if suggestion:
            command = COMMANDS_BY_ID["accept_suggestion"]
            key = display_keys(effective_key(command, getattr(self.app, "keymap", {})))
            hint = Text("Did you mean: ") + Text(suggestion, style="bold") + Text("?")
            hint.append(f"  ({key} accepts)", style="italic")
        self.set_hint(hint)
        self.input.refresh_bindings()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_SECONDS, self._fire)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Done())

    def _fire(self) -> None:
        self._timer = None
        self.post_message(self.QueryChanged(self.input.value))

    def cancel_pending(self) -> None:
        """Drop the search the debounce would start: the screen searches the value now
        (enter pressed before the debounce ran out)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
