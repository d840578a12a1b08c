"""What the main screen's helpers may use of it, as protocols: each helper names the few
members it needs (mypy checks `MainScreen` against each where the helper is made), so a
newcomer sees a helper's whole reach at the top of its module."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from textual.worker import Worker

if TYPE_CHECKING:
    from paperdeck.core.paperset import PaperSet
    from paperdeck.core.store import Library
    from paperdeck.ui.app import PaperdeckApp
    from paperdeck.ui.screens.view_loader import Pinned
    from paperdeck.ui.widgets.paper_list import PaperList


class RunsWorkers(Protocol):
    def run_worker(
        self,
        work: Callable[[], None],
        name: str | None = "",
        group: str = "default",
        description: str = "",
        exit_on_error: bool = True,
        start: bool = True,
        exclusive: bool = False,
        thread: bool = False,
    ) -> Worker[None]: ...


class ShowsPapers(Protocol):
    """The app, the library and the paper list."""

    @property
    def app(self) -> PaperdeckApp: ...
    @property
    def library(self) -> Library: ...
    @property
    def papers(self) -> PaperList: ...


class ListsAView(ShowsPapers, Protocol):
    """What the list lists: a paper set, or papers pinned in place of it (similar papers)."""

    @property
    def paperset(self) -> PaperSet: ...
    @property
    def pinned(self) -> Pinned | None: ...
