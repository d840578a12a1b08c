"""The note editor: a TextArea in a modal. ctrl+s saves; esc asks before dropping changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from paperdeck.core.text import clean_block, clean_line
from paperdeck.ui.commands import bindings_for
from paperdeck.ui.screens.prompts import ConfirmDialog
from paperdeck.ui.widgets.key_bar import KeyBar


class NoteEditor(ModalScreen[str | None]):
    """Dismisses with the new note text, or None when nothing is to be saved.

    ``save`` (when given) stores the text before the editor closes; when it returns False
    (the library was busy) the editor stays open with the text, so nothing typed is lost.
    """

    BINDINGS: ClassVar = bindings_for("note")

    def __init__(
        self,
        paper_title: str,
        note: str,
        *,
        save: Callable[[str], bool] | None = None,
        cursor_blink: bool = True,
    ) -> None:
        super().__init__(classes="dialog-screen")
        # Cleaned again here: text written into the database by another tool never reached
        # the store's cleaning, and escape sequences must not reach the terminal.
        self.paper_title = clean_line(paper_title)
        self.original = clean_block(note)
        self.save = save
        self.cursor_blink = cursor_blink

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog note-dialog"):
            yield Static(Text("Note: ") + Text(self.paper_title), classes="dialog-title")
            area = TextArea(self.original, id="note-text", soft_wrap=True)
            area.cursor_blink = self.cursor_blink
            yield area
            yield Static(
                Text(
                    "Markdown: # heading, - list, **bold**, *italic*, `code`. "
                    "ctrl+s saves, esc closes."
                ),
                classes="dialog-hint",
            )
        yield KeyBar()

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    def action_save(self) -> None:
        text = self.text
        if self.save is not None and not self.save(text):
            return  # not stored: the text stays here, ctrl+s tries again
        self.dismiss(text)

    def action_cancel(self) -> None:
        if self.text == self.original:
            self.dismiss(None)
            return

        def answered(drop: bool | None) -> None:
            if drop:
                self.dismiss(None)

        self.app.push_screen(ConfirmDialog("Drop your changes to this note?"), answered)
