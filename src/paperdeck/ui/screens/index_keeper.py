"""The main screen's search index: opened once the whole list is in (or a search starts),
and kept in step with the library's edits in batches.

Both run in thread workers through the `SearchService`; the screen gets `IndexProgress`
while a rebuild runs and `IndexOpened` when the index can be searched (or cannot). A search
that finds the index damaged posts `IndexNeedsRebuild`; `repair` rebuilds it. The screen
hands each of these messages back here (`show_progress`, `rebuild_damaged`, `opened`): the
status line says what the index is doing, and a search waiting for it runs.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.worker import get_current_worker

from paperdeck.ui.search_service import SearchService
from paperdeck.ui.widgets.status_bar import StatusBar
from paperdeck.ui.write_failures import BUSY, why_failed

SYNC_SECONDS = 0.5  # edits reach the search index this long after the last one: a batch
# of edits is one commit (40-150 ms at 100k papers), in a worker, searchable within a second


@dataclass
class IndexProgress(Message):
    message: str
    done: int
    total: int


@dataclass
class IndexOpened(Message):
    error: str | None = None


@dataclass
class IndexNeedsRebuild(Message):
    """A search found the index damaged or deleted: the screen rebuilds it."""


class IndexKeeper:
    """Opens the index for ``screen`` and applies notes, tags and imports to it; says so in
    ``status``; ``ready`` runs once the index is open (the screen's search, if it has one);
    ``prepare``, in the worker that opened it, readies what the first searches need."""

    def __init__(
        self,
        screen: Widget,
        search: SearchService,
        status: Callable[[], StatusBar],
        ready: Callable[[], None],
        prepare: Callable[[], None] = lambda: None,
    ) -> None:
        self.screen = screen
        self.search = search
        self.status = status
        self.ready = ready
        self.prepare = prepare
        self._sync_timer: Timer | None = None
        self._asked = False  # `open_once` was called

    def announce(self, text: str) -> None:
        """Say what is slow, on the UI thread."""
        self.status().activity_if_slow(text)

    def show_progress(self, message: IndexProgress) -> None:
        status = self.status()
        status.end_slow_activity()
        if message.total:
            label = message.message or "Building search index"
            status.set_activity(f"{label}… {message.done}/{message.total}")
        else:
            status.set_activity(message.message)

    def rebuild_damaged(self) -> None:
        """A search found the index damaged or deleted: rebuild it (once)."""
        if not self.search.repairing:
            self.screen.notify(
                "The search index was damaged or deleted; rebuilding it", severity="warning"
            )
            self.repair()

    def opened(self, message: IndexOpened) -> None:
        status = self.status()
        status.end_slow_activity()
        status.set_activity("")
        if message.error:
            self.screen.notify(message.error, severity="warning", markup=False)
        self.ready()

    def open_once(self) -> None:
        """`open`, the first time only: the screen asks at each of the moments it needs it."""
        if not self._asked:
            self._asked = True
            self.open()

    def open(self) -> None:
        """Open (maybe rebuild) the index in a worker; Whoosh is imported there."""
        self.screen.run_worker(
            self._open, name="open_index", group="index", thread=True, exclusive=True,
            exit_on_error=False,
        )  # fmt: skip

    def _open(self) -> None:
        worker = get_current_worker()

        def progress(message: str, done: int, total: int) -> None:
            if worker.is_cancelled:
                raise RuntimeError("cancelled")
            self.screen.post_message(IndexProgress(message, done, total))

        self.screen.app.call_from_thread(self.announce, "Opening search index…")
        try:
            self.search.open(progress=progress)
        except Exception as exc:
            self.search.error = f"Search unavailable: {exc}"
            self.screen.post_message(IndexOpened(self.search.error))
            return
        self._opened()

    def repair(self) -> None:
        """Rebuild the index a search found damaged, with progress; then search again."""
        self.screen.run_worker(
            self._repair, name="repair_index", group="index", thread=True, exclusive=True,
            exit_on_error=False,
        )  # fmt: skip

    def _repair(self) -> None:
        worker = get_current_worker()

        def progress(message: str, done: int, total: int) -> None:
            if worker.is_cancelled:
                raise RuntimeError("cancelled")
            self.screen.post_message(IndexProgress(message, done, total))

        try:
            self.search.repair(progress=progress)
        except Exception as exc:
            self.screen.post_message(IndexOpened(f"Search unavailable: {exc}"))
            return
        self._opened()

    def _opened(self) -> None:
        """Say the index is open, then decode its ids and run ``prepare`` (in this worker)
        before the first search with many hits needs them."""
        self.screen.post_message(IndexOpened())
        with contextlib.suppress(Exception):  # the search that needs them decodes them then
            self.search.decode_ids()
        with contextlib.suppress(Exception):  # (likewise)
            self.prepare()

    def schedule_sync(self) -> None:
        """Notes and tags (a star is not indexed) reach the index in batches, a moment after
        the edits."""
        if self._sync_timer is not None:
            self._sync_timer.stop()
        self._sync_timer = self.screen.set_timer(SYNC_SECONDS, self.sync_now)

    def sync_now(self) -> None:
        """Apply the library's pending changes to the index, in a worker."""
        self._sync_timer = None
        self.screen.run_worker(
            self._sync, name="sync_index", group="sync", thread=True, exclusive=True,
            exit_on_error=False,
        )  # fmt: skip

    def _sync(self) -> None:
        """The changes wait in the library's change log: when another process holds the
        library, they are applied at the next try, a moment later, and nothing is said (a
        search also applies them first). Any other failure is reported (`report_failed_worker`)."""
        try:
            self.search.sync()
        except sqlite3.OperationalError as error:
            if why_failed(error) != BUSY:
                raise
            self.screen.app.call_from_thread(self.schedule_sync)
