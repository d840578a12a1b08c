"""Putting a loaded view on the main screen: the list, the sidebar, the status line and the
title line's counts.

`ViewLoader` evaluates a view in a worker; this shows what comes back. A new query shows its
best hit first; more of the same query (its other hits, a change of filter or sort) keeps
the paper the user is on, so this helper remembers which query the list shows. The main
screen owns one `ViewDisplay`; the view itself stays the screen's (`screen.view`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from paperdeck.core.paperset import PaperSet
from paperdeck.core.store import Facets
from paperdeck.core.store.id_run import frozen
from paperdeck.core.text import terminal_safe
from paperdeck.ui.screens.screen_parts import ListsAView
from paperdeck.ui.search_service import ViewData
from paperdeck.ui.widgets.title_bar import TitleBar, library_title

NEARBY = 200  # rows looked at around the cursor for a paper still listed

if TYPE_CHECKING:
    from paperdeck.ui.screens.details_timer import DetailsTimer
    from paperdeck.ui.screens.view_loader import Pinned
    from paperdeck.ui.widgets.sidebar import TagSidebar
    from paperdeck.ui.widgets.status_bar import StatusBar


class DisplayScreen(ListsAView, Protocol):
    """All that the display may use of the screen that owns it (`MainScreen`): it records
    there the view shown, and writes the title's counts."""

    view: ViewData | None
    shown_view: tuple[PaperSet, Pinned | None] | None

    @property
    def current_id(self) -> str | None: ...
    @property
    def sidebar(self) -> TagSidebar: ...
    @property
    def status(self) -> StatusBar: ...
    @property
    def title_bar(self) -> TitleBar: ...
    @property
    def details(self) -> DetailsTimer: ...


class ViewDisplay:
    """Shows views on ``screen`` (its `view`, `shown_view`, panes and title)."""

    def __init__(self, screen: DisplayScreen) -> None:
        self.screen = screen
        self._listed_query: str | None = ""  # the query of the list shown
        self._library_name: str | None = None  # resolved once: it reads the file system
        # Counts that came while the cursor keys were moving: shown once they rest.
        self._waiting_counts: tuple[Facets | None, PaperSet, Facets] | None = None

    def show(self, view: ViewData) -> None:
        screen = self.screen
        screen.status.end_slow_activity()
        previous = screen.view.facets if screen.view is not None else None
        screen.view = view
        same_view = screen.shown_view == (screen.paperset, screen.pinned)  # a reload
        screen.shown_view = (screen.paperset, screen.pinned)
        screen.papers.empty_text = (
            "No papers match this search." if screen.paperset.query else "No papers here."
        )
        query = screen.paperset.query if screen.pinned is None else None
        keep = None if query and query != self._listed_query else self._cursor_paper(view)
        if same_view and keep is not None:
            keep = self._still_listed(keep, view)
        self._listed_query = query
        screen.papers.show(view.ids, keep=keep, terms=view.terms)
        facets = view.facets or previous  # scoped counts follow in a moment
        self._show_counts_when_rested(facets, view.totals)
        pinned = screen.pinned.description if screen.pinned else None
        screen.status.show_view(view, screen.paperset, pinned)
        if screen.papers.highlighted_id == screen.current_id:  # else it follows the highlight
            screen.details.follow()  # new words to highlight, maybe another suggestion

    def _cursor_paper(self, view: ViewData) -> str | None:
        """The paper the cursor stays on: the row it is on now, which a key may have moved
        to since the list's `Highlighted` message reached the screen (a live reload landing
        just then must not undo that key), unless that row left the view (trashed: the
        screen's `current_id` is then the paper after it)."""
        on_now, current = self.screen.papers.highlighted_id, self.screen.current_id
        if on_now is not None and on_now != current and on_now in view.ids:
            return on_now
        return current

    def _still_listed(self, paper_id: str, view: ViewData) -> str:
        """``paper_id``, or when it left the view (removed elsewhere) the paper after it in
        the rows shown, else before it, that the view still lists: the user's place is kept,
        as after `D` (the cursor went to the top)."""
        listed = view.ids if frozen(view.ids) else set(view.ids)
        if paper_id in listed:
            return paper_id
        shown, at = self.screen.papers.ids, self.screen.papers.cursor
        after = shown[at + 1 : at + NEARBY]
        before = shown[max(0, at - NEARBY) : at][::-1]
        return next((i for i in [*after, *before] if i in listed), paper_id)

    def show_facets(self, facets: Facets, totals: Facets) -> None:
        """The counts of the view shown came (a worker counts them after the list)."""
        view = self.screen.view
        if view is not None:
            view.facets, view.totals = facets, totals
            self._show_counts_when_rested(facets, totals)

    def _show_counts_when_rested(self, facets: Facets | None, totals: Facets) -> None:
        """The sidebar's and the title's counts, at once unless the cursor keys are moving:
        then once they rest. Drawn as a key came (at a million papers the whole list lands
        ~1 s after the first paint, its counts with it), the sidebar held up that key's
        frame ~8 ms; a list of counts nobody reads while the cursor runs can wait."""
        scheduled = self._waiting_counts is not None
        self._waiting_counts = (facets, self.screen.paperset, totals)  # the latest wins
        if not scheduled:
            self.screen.details.when_rested(self._show_waiting_counts)

    def _show_waiting_counts(self) -> None:
        if self._waiting_counts is None:
            return
        facets, paperset, totals = self._waiting_counts
        self._waiting_counts = None
        if facets is not None:
            self.screen.sidebar.show(facets, paperset, totals)
        self.show_counts(totals)

    def show_counts(self, totals: Facets) -> None:
        if self._library_name is None:
            app = self.screen.app
            self._library_name = terminal_safe(library_title(app.library_root, demo=app.demo))
        self.screen.title_bar.show_sub_title(TitleBar.library_line(self._library_name, totals))
