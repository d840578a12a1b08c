"""What the main screen's helpers may use of it, as protocols: each helper names the few
members it needs (mypy checks `MainScreen` against each where the helper is made), so a
newcomer sees a helper's whole reach at the top of its module."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from textual.widget import Widget
from textual.worker import Worker

if TYPE_CHECKING:
    from paperdeck.core.paperset import PaperSet
    from paperdeck.core.store import Library
    from paperdeck.ui.app import PaperdeckApp
    from paperdeck.ui.screens.view_loader import Pinned
    from paperdeck.ui.widgets.paper_list import PaperList
    from paperdeck.ui.widgets.search_bar import SearchBar
    from paperdeck.ui.widgets.sidebar import TagSidebar


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


class ArrangesPanes(ShowsPapers, Protocol):
    """The panes and the screen's own layout: its classes (`-searching`, the sidebar's
    folding) and the focus."""

    @property
    def sidebar(self) -> TagSidebar: ...
    @property
    def search_bar(self) -> SearchBar: ...
    @property
    def focused(self) -> Widget | None: ...

    def has_class(self, *class_names: str) -> bool: ...
    def add_class(self, *class_names: str, update: bool = True) -> object: ...
    def remove_class(self, *class_names: str, update: bool = True) -> object: ...
    def set_class(self, add: bool, *class_names: str, update: bool = True) -> object: ...
    def set_focus(self, widget: Widget | None, scroll_visible: bool = True) -> None: ...
