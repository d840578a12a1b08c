"""Small dialogs: a line of text (tag, export path), a numbered link picker, a yes/no question,
and what to do when a note changed elsewhere.

Each is a `ModalScreen` that dismisses with its answer (None when cancelled); titles and
choices are `Text` built from plain strings, since they may hold untrusted text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from paperdeck.core.links import is_web_link
from paperdeck.core.text import terminal_safe
from paperdeck.ui.commands import bindings_for
from paperdeck.ui.paper_links import short_url
from paperdeck.ui.widgets.dialog_title import DialogTitle
from paperdeck.ui.widgets.key_bar import KeyBar


class TextPrompt(ModalScreen[str | None]):
    """Ask for one line; ``suggestions`` complete it as you type (right arrow accepts)."""

    BINDINGS: ClassVar = bindings_for("dialog")

    def __init__(
        self,
        title: str,
        *,
        value: str = "",
        placeholder: str = "",
        suggestions: Sequence[str] = (),
        hint: str = "",
        cursor_blink: bool = True,
        paper_title: str = "",
    ) -> None:
        """``paper_title``: the paper the prompt is for, after ``title``, as much as fits."""
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.paper_title = paper_title
        self.value = value
        self.placeholder = placeholder
        self.suggestions = list(suggestions)
        self.hint = hint
        self.cursor_blink = cursor_blink

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            if self.paper_title:
                yield DialogTitle(self.title_text, self.paper_title, classes="dialog-title")
            else:
                yield Static(Text(terminal_safe(self.title_text)), classes="dialog-title")
            suggester = (
                SuggestFromList(self.suggestions, case_sensitive=False)
                if self.suggestions
                else None
            )
            field = Input(self.value, placeholder=self.placeholder, suggester=suggester)
            field.cursor_blink = self.cursor_blink
            yield field
            if self.hint:
                yield Static(Text(terminal_safe(self.hint)), classes="dialog-hint")
        yield KeyBar()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        """enter: the answer is the line as typed."""
        self.dismiss(self.query_one(Input).value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ExportPrompt(TextPrompt):
    """The export's file name, with a switch that adds each paper's abstract."""

    BINDINGS: ClassVar = bindings_for("export")  # with TextPrompt's, inherited

    def __init__(self, title: str, *, value: str = "", cursor_blink: bool = True) -> None:
        super().__init__(title, value=value, hint=self._hint(False), cursor_blink=cursor_blink)
        self.abstracts = False

    @staticmethod
    def _hint(abstracts: bool) -> str:
        state = "added" if abstracts else "left out"
        return f"enter writes the file · esc cancels · abstracts: {state}"

    def action_toggle_abstracts(self) -> None:
        self.abstracts = not self.abstracts
        self.query_one(".dialog-hint", Static).update(Text(self._hint(self.abstracts)))


class LinkPicker(ModalScreen[str | None]):
    """Numbered links: a digit picks one, or j/k (arrows) and enter. Non-web links are shown
    so the refusal is clear."""

    BINDINGS: ClassVar = bindings_for("picker")

    def __init__(self, title: str, links: Sequence[str]) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.links = list(links)[:9]
        self.highlighted = 0

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(terminal_safe(self.title_text)), classes="dialog-title")
            yield Static(self.lines(), id="picker-links", classes="dialog-body")
            yield Static(
                Text(f"Press 1-{len(self.links)}, or j/k and enter; esc cancels."),
                classes="dialog-hint",
            )
        yield KeyBar()

    def lines(self) -> Text:
        lines = Text()
        for number, url in enumerate(self.links, 1):
            if number > 1:
                lines.append("\n")
            current = number - 1 == self.highlighted
            line = Text.assemble(("› " if current else "  "), (f"[{number}] ", "bold"))
            line.append(terminal_safe(short_url(url)))
            if not is_web_link(url):
                line.append("  (not a web link)", "italic")
            if current:
                line.stylize("reverse")
            lines.append_text(line)
        return lines

    def _move(self, step: int) -> None:
        self.highlighted = (self.highlighted + step) % len(self.links)
        self.query_one("#picker-links", Static).update(self.lines())

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_choose(self) -> None:
        self.dismiss(self.links[self.highlighted])

    def action_pick(self, key: str) -> None:
        index = int(key) - 1
        if 0 <= index < len(self.links):
            self.dismiss(self.links[index])
        else:
            self.app.bell()

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question; esc and n answer no."""

    BINDINGS: ClassVar = bindings_for("confirm")

    def __init__(self, question: str) -> None:
        super().__init__(classes="dialog-screen")
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(terminal_safe(self.question)), classes="dialog-title")
            yield Static(Text("y: yes    n / esc: no"), classes="dialog-hint")
        yield KeyBar()

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)

    def action_cancel(self) -> None:
        self.dismiss(False)


class NoteConflict(ModalScreen[str | None]):
    """The note was changed elsewhere while it was being edited: reload it, keep both, or go
    back to the edit (esc). Dismisses with "reload", "both" or None; nothing is decided
    silently."""

    BINDINGS: ClassVar = bindings_for("conflict")

    def __init__(self, theirs: str) -> None:
        super().__init__(classes="dialog-screen")
        self.theirs = theirs

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                Text("This note changed elsewhere since you opened it. It now reads:"),
                classes="dialog-title",
            )
            lines = self.theirs.splitlines() or ["(empty)"]
            shown = "\n".join(lines[:8]) + ("\n…" if len(lines) > 8 else "")
            yield Static(Text(terminal_safe(shown)), classes="dialog-body")
            yield Static(
                Text("r: reload it (drops your edit) · k: keep both · esc: back to your edit"),
                classes="dialog-hint",
            )
        yield KeyBar()

    def action_reload(self) -> None:
        self.dismiss("reload")

    def action_keep_both(self) -> None:
        self.dismiss("both")

    def action_cancel(self) -> None:
        self.dismiss(None)
