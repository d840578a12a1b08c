"""The first screen of an empty library: how to import files, and a key for the demo."""

from __future__ import annotations

import shlex
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
from textual.widgets import LoadingIndicator, Static
from textual.worker import Worker, WorkerState

from paperdeck.core.paths import library_dir
from paperdeck.core.store import Library
from paperdeck.core.text import terminal_safe
from paperdeck.ui.commands import COMMANDS_BY_ID, bindings_for
from paperdeck.ui.keys import display_keys, effective_key
from paperdeck.ui.widgets.key_bar import KeyBar
from paperdeck.ui.widgets.title_bar import TitleBar
from paperdeck.ui.write_failures import why_failed


def import_command(library_root: Path) -> str:
    """The shell command that imports into this library: ``--library`` unless it is the
    one plain ``paperdeck`` opens."""
    try:
        default = library_root.expanduser().resolve() == library_dir().expanduser().resolve()
    except OSError:
        default = False
    if default:
        return "paperdeck import FILE…"
    return f"paperdeck import --library {shlex.quote(terminal_safe(str(library_root)))} FILE…"


def welcome_text(library_root: Path) -> Text:
    text = Text()
    text.append("Welcome to paperdeck\n\n", "bold")
    text.append("Your library is empty. Import listings from a shell:\n\n")
    text.append("    " + import_command(library_root) + "\n\n", "bold")
    text.append(
        "arXiv author listings, daily-papers pages, BibTeX, arXiv Atom feeds and JSON Lines "
        "are recognised.\n\n"
    )
    text.append("Or press ")
    text.append("d", "bold reverse")
    text.append(" to import the demo papers into this library:\n")
    text.append(terminal_safe(str(library_root)), "italic")
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
        yield TitleBar()
        with Center(id="welcome-center"), Vertical(id="welcome"):
            yield Static(welcome_text(self.library_root), id="welcome-text")
            yield LoadingIndicator(id="welcome-loading")
        yield KeyBar()

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

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed import (say, a library locked by another process) stops the spinner and
        says why; `d` tries again."""
        if event.worker.group != "import" or event.state not in (
            WorkerState.ERROR,
            WorkerState.CANCELLED,
        ):
            return
        event.stop()  # said here, in words, rather than by the app's generic handler
        self._stop_importing()
        if event.state == WorkerState.ERROR:
            key = effective_key(COMMANDS_BY_ID["import_demo"], getattr(self.app, "keymap", {}))
            reason = why_failed(event.worker.error) if event.worker.error else "stopped"
            self.notify(
                f"Could not import the demo papers: {reason} — press {display_keys(key)} "
                "to try again",
                severity="error",
                markup=False,
            )

    def _stop_importing(self) -> None:
        self.importing = False
        self.query_one("#welcome-loading").display = False

    def _imported(self, added: int, problems: list[str]) -> None:
        self._stop_importing()
        for problem in problems:
            self.notify(problem, severity="error", markup=False)
        if added:
            self.post_message(self.LibraryFilled(added))
