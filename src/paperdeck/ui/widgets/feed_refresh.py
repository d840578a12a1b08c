"""`R`: refresh the feeds of config.toml in a thread worker, with a progress bar.

The widget owns the whole refresh: it reads the feed list (`load_feeds`, the same as
`paperdeck fetch`), runs `FeedRunner` in a thread worker on its own `Library` connection,
shows which feed is being fetched and how many are done, then says how many papers are
new; each feed that failed is one notification. It posts `FeedRefresh.Done` so the screen
shows the new papers (they carry this refresh's arrival number, so the New view has them).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Label, ProgressBar
from textual.worker import Worker, WorkerState

from paperdeck.core.store import Library

if TYPE_CHECKING:  # imported on `R`: the feeds bring every parser and the HTTP client,
    # 40 ms of the reader's start (benchmarks/RESULTS.md)
    from paperdeck.core.feeds.config import FeedsConfig
    from paperdeck.core.feeds.http import HttpClient
    from paperdeck.core.feeds.runner import FeedReport

_GROUP = "feeds"


def refresh_summary(reports: list[FeedReport]) -> str:
    """What the notification says once every feed was asked, e.g.
    "Feeds refreshed: 7 new papers (1 of 3 feeds failed)"."""
    new = sum(report.added for report in reports)
    failed = sum(1 for report in reports if report.error is not None)
    papers = "no new papers" if new == 0 else f"{new} new paper{'' if new == 1 else 's'}"
    line = f"Feeds refreshed: {papers}"
    if failed:
        line += f" ({failed} of {len(reports)} feed{'' if len(reports) == 1 else 's'} failed)"
    return line


class FeedRefresh(Horizontal):
    """A one-line bar above the status line, shown while feeds are fetched."""

    DEFAULT_CSS = """
    FeedRefresh {
        height: 1;
        display: none;
        background: $panel;
    }
    FeedRefresh.-running {
        display: block;
    }
    FeedRefresh > Label {
        width: auto;
        max-width: 50%;
        padding: 0 1;
    }
    FeedRefresh > ProgressBar {
        width: 1fr;
    }
    """

    @dataclass
    class Done(Message):
        """Every feed was asked; ``reports`` say what each did."""

        reports: list[FeedReport]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._client: HttpClient | None = None  # kept: the arXiv API's spacing spans refreshes

    def compose(self) -> ComposeResult:
        yield Label("", id="feed-refresh-label")
        yield ProgressBar(total=1, show_eta=False, id="feed-refresh-progress")

    @property
    def is_running(self) -> bool:
        return self.has_class("-running")

    def start(self, library_root: Path, config_path: Path) -> None:
        """Refresh every feed of ``config_path`` into the library at ``library_root``."""
        if self.is_running:
            self.app.notify("The feeds are being refreshed already", severity="warning")
            return
        from paperdeck.core.feeds.config import load_feeds

        config = load_feeds(config_path)
        for problem in config.problems:
            self.app.notify(problem, severity="warning", timeout=10)
        if not config.feeds:
            self.app.notify(
                f"No feeds to refresh: add [[feeds]] tables to {config_path}",
                severity="warning",
                timeout=10,
            )
            return
        self.add_class("-running")
        self.query_one(ProgressBar).update(total=len(config.feeds), progress=0)
        self._show(0, len(config.feeds), config.feeds[0].name)
        self.run_worker(
            lambda: self._refresh(library_root, config),
            thread=True,
            exclusive=True,
            group=_GROUP,
            name="refresh feeds",
            exit_on_error=False,
        )

    def _refresh(self, library_root: Path, config: FeedsConfig) -> list[FeedReport]:
        """In the worker thread: its own connection, as every reader worker has."""

        from paperdeck.core.feeds.http import HttpClient
        from paperdeck.core.feeds.runner import FeedRunner

        def progress(done: int, total: int, name: str) -> None:
            self.app.call_from_thread(self._show, done, total, name)

        if self._client is None or self._client.settings != config.network:
            self._client = HttpClient(config.network)
        with Library(library_root) as library:
            runner = FeedRunner(library, client=self._client)
            return runner.run_all(config.feeds, progress=progress)

    def _show(self, done: int, total: int, name: str) -> None:
        label = f"Refreshing {name} ({done + 1} of {total})" if name else "Refreshed"
        self.query_one(Label).update(label)
        self.query_one(ProgressBar).update(total=total, progress=done)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != _GROUP or event.state not in (
            WorkerState.SUCCESS,
            WorkerState.ERROR,
            WorkerState.CANCELLED,
        ):
            return
        event.stop()
        self.remove_class("-running")
        if event.state is WorkerState.ERROR:
            self.app.notify(f"The feeds were not refreshed: {worker.error}", severity="error")
            return
        if event.state is WorkerState.SUCCESS and isinstance(worker.result, list):
            reports: list[FeedReport] = worker.result
            failed = [report for report in reports if report.error is not None]
            self.app.notify(
                refresh_summary(reports), severity="warning" if failed else "information"
            )
            for report in failed:
                self.app.notify(report.summary, severity="error", timeout=10)
            self.post_message(self.Done(reports))
