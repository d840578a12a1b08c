"""The main screen: sidebar, paper list, abstract pane, search bar and status line.

The screen owns the state (the current `PaperSet`, the listed ids, the highlighted paper);
panes get attributes down and post messages up. Queries and searches run in thread
workers, each opening its own `Library`; results come back as messages.
"""

from __future__ import annotations

from time import monotonic
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget

from paperdeck.core.paperset import FACET_KINDS, PaperSet, Sort
from paperdeck.core.query_words import with_default_sort
from paperdeck.core.store import Library
from paperdeck.ui.commands import Command, bindings_for
from paperdeck.ui.screens.feed_keys import FeedKeys
from paperdeck.ui.screens.live_refresh import LiveRefresh
from paperdeck.ui.screens.paper_actions import PaperActions
from paperdeck.ui.screens.view_loader import REST_SECONDS, Pinned, ViewLoader
from paperdeck.ui.search_service import SearchService, ViewData, first_view
from paperdeck.ui.widgets.abstract_view import AbstractView
from paperdeck.ui.widgets.feed_refresh import FeedRefresh
from paperdeck.ui.widgets.key_bar import KeyBar
from paperdeck.ui.widgets.paper_list import PaperList
from paperdeck.ui.widgets.search_bar import SearchBar, SearchInput
from paperdeck.ui.widgets.sidebar import TagSidebar
from paperdeck.ui.widgets.status_bar import StatusBar
from paperdeck.ui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from paperdeck.ui.app import PaperdeckApp

SORT_CYCLE = (Sort.RELEVANCE, Sort.NEWEST, Sort.OLDEST, Sort.TITLE, Sort.STARRED, Sort.UPVOTES)


class MainScreen(PaperActions, ViewLoader, Screen[None]):
    """The reader. Its reactives are the state every pane shows."""

    app: PaperdeckApp  # type: ignore[assignment]
    BINDINGS: ClassVar = bindings_for("screen")
    HORIZONTAL_BREAKPOINTS: ClassVar = [(0, "-narrow"), (100, "-medium"), (150, "-wide")]
    AUTO_FOCUS = "#papers"  # focused once; moving the focus restyles the widget it leaves

    # `var`, not `reactive`: a reactive repaints the whole screen when it changes, and
    # the panes that show this state already refresh what they draw.
    paperset: var[PaperSet] = var(PaperSet, init=False)
    current_id: var[str | None] = var(None, init=False)

    def __init__(self, library: Library, search: SearchService) -> None:
        super().__init__()
        # The size class Textual sets when the screen is first resized, set now: set then,
        # it would restyle every widget of the screen once more before the first paint.
        width = self.app.size.width
        _, size_class = max(b for b in self.HORIZONTAL_BREAKPOINTS if width >= b[0])
        self.add_class(size_class, update=False)
        self.library = library
        self.search_service = search
        self.pinned: Pinned | None = None
        self.view: ViewData | None = None
        self.shown_view: tuple[PaperSet, Pinned | None] | None = None  # what the list lists
        self._generation = 0
        self._read_timer: Timer | None = None
        self._kept_unread: str | None = None  # marked unread with `r`: no read timer for it
        self._slow_timer: Timer | None = None
        self._sync_timer: Timer | None = None
        self._rest_timer: Timer | None = None
        self._changed_at = 0.0
        self._read_on_open = True  # the paper the reader opens on gets its read mark too
        self.feed_keys = FeedKeys(self)
        self.live = LiveRefresh(self, self.app.watch)
        self._listed_query: str | None = ""  # the query of the list shown
        self._browse_sort: Sort | None = None  # the sort picked before the search began

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="body"):
            yield TagSidebar(id="sidebar")
            with Vertical(id="content"):
                with Vertical(id="list-column"):
                    yield SearchBar(id="search", cursor_blink=self.app.cursor_blink)
                    yield PaperList(self.library.rows, id="papers")
                yield AbstractView(id="abstract")
        yield FeedRefresh(id="feed-refresh")
        yield StatusBar(id="status")
        yield KeyBar()

    # -- panes ----------------------------------------------------------------------------

    @property
    def papers(self) -> PaperList:
        return self.query_one(PaperList)

    @property
    def sidebar(self) -> TagSidebar:
        return self.query_one(TagSidebar)

    @property
    def abstract(self) -> AbstractView:
        return self.query_one(AbstractView)

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one(SearchBar)

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "search" and isinstance(self.focused, SearchInput):
            return False  # `/` types into the field there: the key bar must not offer it
        return super().check_action(action, parameters)

    def on_mount(self) -> None:
        # First paint: the first rows and two indexed counts (a few ms at 100k papers).
        # The whole list and the other counts come from a worker, Whoosh after that.
        self.show_view(first_view(self.library, self.paperset, self.app.new_since))
        self.call_after_refresh(self.reload)
        self.call_after_refresh(self.open_index)
        self.live.start(self.app.watch_interval)

    def watch_paperset(self) -> None:
        self.pinned = None
        self.reload()

    # -- the highlighted paper ------------------------------------------------------------

    def on_paper_list_highlighted(self, message: PaperList.Highlighted) -> None:
        if message.paper_id != self.current_id:
            first = self.current_id is None  # start-up, or a list that was empty
            self.current_id = message.paper_id
            self.follow_when_resting(at_once=message.moved or first)
        opening, self._read_on_open = self._read_on_open, False
        if message.moved or (opening and message.paper_id is not None):
            # By the user, or the paper the reader opened on; not a list replaced by a
            # search or a view change.
            self.start_read_timer(message.paper_id)

    def watch_current_id(self, old: str | None, paper_id: str | None) -> None:
        self.stop_read_timer(paper_id)
        if (old is None) != (paper_id is None):
            self.refresh_bindings()  # the paper keys work only with a paper highlighted

    def follow_when_resting(self, at_once: bool = False) -> None:
        """Show the highlighted paper's abstract and the search's "did you mean" hint.

        Each lays the screen out again over several frames (the hint also changes the
        key bar), several times as long as moving the cursor or echoing a keystroke. A lone
        move of the cursor (``at_once``) shows its abstract as soon as the list has
        repainted; a new list (results arrive as a query is typed) and a held key wait
        until nothing has changed for `REST_SECONDS`, so that they hold up no repaint.
        """
        if at_once and monotonic() - self._changed_at >= REST_SECONDS:
            self._changed_at = monotonic()
            if self._rest_timer is not None:
                self._rest_timer.stop()
                self._rest_timer = None
            self.call_after_refresh(self._show_details_of, self.current_id)
        else:
            self.postpone_details()

    def postpone_details(self) -> None:
        self._changed_at = monotonic()
        if self._rest_timer is not None:
            self._rest_timer.stop()
        self._rest_timer = self.set_timer(REST_SECONDS, self._rested)

    def _rested(self) -> None:
        self._rest_timer = None
        self.show_details()

    def _show_details_of(self, paper_id: str | None) -> None:
        if paper_id == self.current_id:  # else a newer change follows
            self.show_details()

    def show_details(self) -> None:
        self.show_abstract()
        self.search_bar.set_suggestion(self.view.suggestion if self.view else None)

    def show_abstract(self) -> None:
        paper = self.library.get(self.current_id) if self.current_id else None
        self.abstract.show(paper, self.view.terms if self.view else ())

    def on_paper_list_opened(self, message: PaperList.Opened) -> None:
        if message.paper_id != (self.abstract.paper.id if self.abstract.paper else None):
            self.show_details()  # opened before the highlight rested: no waiting now
        self.set_focus(self.abstract)
        self.start_read_timer(message.paper_id)

    def on_abstract_view_closed(self, message: AbstractView.Closed) -> None:
        self.set_focus(self.papers)

    # -- sidebar and search ---------------------------------------------------------------

    def on_tag_sidebar_filter_chosen(self, message: TagSidebar.FilterChosen) -> None:
        current = self.paperset
        if message.kind == "all":
            self.paperset = PaperSet(query=current.query, sort=current.sort)
        elif current.has(message.kind, message.value):  # type: ignore[arg-type]
            self.paperset = current.without(message.kind, message.value)  # type: ignore[arg-type]
        elif message.kind in FACET_KINDS:  # a sibling of an active filter: switch to it
            switched = current.without(message.kind)  # type: ignore[arg-type]
            self.paperset = switched.narrowed(message.kind, message.value)  # type: ignore[arg-type]
        else:
            self.paperset = current.narrowed(message.kind, message.value)  # type: ignore[arg-type]
        if self.pinned is not None:  # the set may be unchanged; leave the similar list anyway
            self.pinned = None
            self.reload()

    def search_for(self, query: str) -> None:
        """A new query is sorted by relevance unless the user picks a sort for it; the sort
        picked while browsing comes back when the search is cleared."""
        current = self.paperset
        query = query.strip()
        if query == current.query:
            return
        if not current.query:
            self._browse_sort = current.sort
        self.paperset = current.matching(query).sorted_by(None if query else self._browse_sort)

    def on_search_bar_query_changed(self, message: SearchBar.QueryChanged) -> None:
        self.search_for(message.query)
        if self._rest_timer is not None:  # typing is no rest: the details wait on
            self.postpone_details()

    def on_search_bar_done(self, message: SearchBar.Done) -> None:
        self.search_bar.flush()
        if not self.search_bar.value.strip():
            self.remove_class("-searching")
        self.set_focus(self.papers)

    def on_search_bar_cleared(self, message: SearchBar.Cleared) -> None:
        self.clear_search()

    def clear_search(self) -> None:
        self.search_bar.set_value("")
        self.search_bar.set_suggestion(None)
        self.remove_class("-searching")
        self.search_for("")
        self.set_focus(self.papers)

    def action_search(self) -> None:
        self.add_class("-searching")
        self.set_focus(self.search_bar.input)

    def action_clear(self) -> None:
        """esc: drop the similar-papers list, else the search, else the filters."""
        if self.pinned is not None:
            self.pinned = None
            self.reload()
        elif self.paperset.query or self.has_class("-searching"):
            self.clear_search()
        elif self.paperset.filters:
            self.paperset = self.paperset.cleared()

    # -- views ----------------------------------------------------------------------------

    def action_unread_only(self) -> None:
        self.paperset = self.paperset.toggled("unread")

    def action_starred_only(self) -> None:
        self.paperset = self.paperset.toggled("starred")

    def action_next_unread(self) -> None:
        self.feed_keys.jump_to_unread(1)

    def action_previous_unread(self) -> None:
        self.feed_keys.jump_to_unread(-1)

    def action_mark_all_read(self) -> None:
        self.feed_keys.ask_to_mark_all_read()

    def action_refresh_feeds(self) -> None:
        self.query_one(FeedRefresh).start(self.app.library_root, self.app.config.path)

    def on_feed_refresh_done(self, message: FeedRefresh.Done) -> None:
        self.library_changed()  # the new papers, counts and New view, now

    def action_cycle_sort(self) -> None:
        order = [s for s in SORT_CYCLE if self.paperset.query or s is not Sort.RELEVANCE]
        current = with_default_sort(self.paperset).effective_sort
        following = order[(order.index(current) + 1) % len(order)] if current in order else order[0]
        self.paperset = self.paperset.sorted_by(following)

    def action_toggle_sidebar(self) -> None:
        visible = self.sidebar.display
        self.set_class(visible, "-sidebar-hidden")
        self.set_class(not visible, "-sidebar-shown")
        if visible and self.sidebar.has_focus:
            self.set_focus(self.papers)
        self.refresh_bindings()  # the key bar shows `b` while the sidebar is folded

    def key_bar_wants(self) -> tuple[str, ...]:
        """Keys the key bar shows even when short of room: `b` while the sidebar is folded."""
        return () if self.sidebar.display else ("toggle_sidebar",)

    # -- focus ----------------------------------------------------------------------------

    def _panes(self) -> list[Widget]:
        panes: list[Widget] = []
        if self.sidebar.display:
            panes.append(self.sidebar)
        if self.has_class("-searching"):
            panes.append(self.search_bar.input)
        return [*panes, self.papers, self.abstract]

    def _cycle(self, step: int) -> None:
        panes = self._panes()
        focused = self.focused
        index = next(
            (
                i
                for i, pane in enumerate(panes)
                if focused is not None and (focused is pane or pane in focused.ancestors)
            ),
            panes.index(self.papers),
        )
        self.set_focus(panes[(index + step) % len(panes)])

    def action_next_pane(self) -> None:
        self._cycle(1)

    def action_previous_pane(self) -> None:
        self._cycle(-1)

    def run_command(self, command: Command) -> None:
        """Run a registry command from the palette, on the pane that binds it."""
        targets: dict[str, Widget | Screen[None]] = {
            "screen": self,
            "list": self.papers,
            "sidebar": self.sidebar,
        }
        for scope in command.scopes:
            if scope == "app":
                self.app.call_later(self.app.run_action, command.action_name)
                return
            if scope in targets:
                target = targets[scope]
                self.call_later(target.run_action, command.action_name)
                return
