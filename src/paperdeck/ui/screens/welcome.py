"""The first screen of an empty library: how to import files, and a key for the demo."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, LoadingIndicator, Static

from paperdeck.core.store import Library
from paperdeck.ui.commands import bindings_for


def welcome_text(library_root: Path) -> Text:
    text = Text()
    text.append("Welcome to paperdeck\n\n", "bold")
    text.append("Your library is empty. Import listings from a shell:\n\n")
    text.append("    paperdeck import FILE…\n\n", "bold")
    text.append(
        "arXiv author listings, daily-papers pages, BibTeX, arXiv Atom feeds and JSON Lines "
        "are recognised.\n\n"
    )
    text.append("Or press ")
    text.append("d", "bold reverse")
    text.append(" to import the demo papers into this library:\n")
    text.append(str(library_root), "italic")
    text.append("\n\nPress ")
    text.append("q", "bold reverse")
    text.append(" to quit.")
    return text


class WelcomeScreen(Screen[None]):
    """Posts `LibraryFilled` once the demo is in; the app then shows the library."""

    BINDINGS: ClassVar = bindings_for("welcome")

    @dataclass
    class LibraryFilled(Message):
        added: int

    def __init__(self, library_root: Path, *, today: date | None = None) -> None:
        super().__init__()
        self.library_root = library_root
        self.today = today
        self.importing = False

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Center(id="welcome-center"), Vertical(id="welcome"):
            yield Static(welcome_text(self.library_root), id="welcome-text")
            yield LoadingIndicator(id="welcome-loading")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#welcome-loading").display = False

    def action_import_demo(self) -> None:
        if self.importing:
            return
        self.importing = True
        self.query_one("#welcome-loading").display = True
        self.import_demo_papers()

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def import_demo_papers(self) -> None:
        from paperdeck.core.demo import import_demo

        with Library(self.library_root) as library:
            added, problems = import_demo(library, today=self.today)
        self.app.call_from_thread(self._imported, added, problems)

    def _imported(self, added: int, problems: list[str]) -> None:
        self.importing = False
        self.query_one("#welcome-loading").display = False
        for problem in problems:
            self.notify(problem, severity="error", markup=False)
        if added:
            self.post_message(self.LibraryFilled(added))
