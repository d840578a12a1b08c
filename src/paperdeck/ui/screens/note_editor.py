"""The note editor: a TextArea in a modal. ctrl+s saves; esc asks before dropping changes.

Another session may save the same note while it is open here (`paperdeck note`, a second
reader): ctrl+s then says so and offers to reload it or keep both, never overwriting it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from paperdeck.core.store import NoteChanged
from paperdeck.core.text import clean_block
from paperdeck.ui.commands import bindings_for
from paperdeck.ui.screens.prompts import ConfirmDialog, NoteConflict
from paperdeck.ui.widgets.dialog_title import DialogTitle
from paperdeck.ui.widgets.key_bar import KeyBar


class NoteEditor(ModalScreen[str | None]):
    """Dismisses with the new note text, or None when nothing is to be saved.

    ``save(text, expected)`` (when given) stores the text before the editor closes;
    ``expected`` is the note as stored when this edit began, and a save raises `NoteChanged`
    when the note is no longer that. When it returns False (the library was busy) the editor
    stays open with the text, so nothing typed is lost.
    """

    BINDINGS: ClassVar = bindings_for("note")

    def __init__(
        self,
        paper_title: str,
        note: str,
        *,
        save: Callable[[str, str], bool] | None = None,
        cursor_blink: bool = True,
    ) -> None:
        super().__init__(classes="dialog-screen")
        # Cleaned again here: text written into the database by another tool never reached
        # the store's cleaning, and escape sequences must not reach the terminal.
        self.paper_title = paper_title  # shown as much as the dialog has room for
        self.original = clean_block(note)
        self.base = note  # the stored note this edit started from, as stored
        self.save = save
        self.cursor_blink = cursor_blink

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog note-dialog"):
            yield DialogTitle("Note: ", self.paper_title, classes="dialog-title")
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
        if self.save is not None:
            try:
                if not self.save(text, self.base):
                    return  # not stored: the text stays here, ctrl+s tries again
            except NoteChanged as changed:
                current = changed.current  # `changed` is unbound after this block
                self.app.push_screen(
                    NoteConflict(clean_block(current)),
                    lambda choice: self.resolve(choice, current),
                )
                return
        self.dismiss(text)

    def resolve(self, choice: str | None, current: str) -> None:
        """The user's answer to a note changed elsewhere: the edit now starts from the note
        as stored (``current``); "both" saves it with this edit after it."""
        if choice is None:
            return  # back to the edit; ctrl+s will ask again
        area = self.query_one(TextArea)
        theirs = clean_block(current)
        self.base, self.original = current, theirs
        if choice == "reload":
            area.load_text(theirs)
            area.move_cursor(area.document.end)
            return
        mine = clean_block(area.text)
        area.load_text(f"{theirs}\n\n{mine}" if theirs and mine else theirs or mine)
        self.action_save()

    def action_cancel(self) -> None:
        if self.text == self.original:
            self.dismiss(None)
            return

        def answered(drop: bool | None) -> None:
            if drop:
                self.dismiss(None)

        self.app.push_screen(ConfirmDialog("Drop your changes to this note?"), answered)
