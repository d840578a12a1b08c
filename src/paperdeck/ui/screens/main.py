"""The main screen: sidebar, paper list, abstract pane, search bar and status line.

The screen owns the state (the current `PaperSet`, the listed ids, the highlighted paper);
panes get attributes down and post messages up. A key lands in a pane's binding (see
`ui/commands.py`) and then here: an `action_*` method below, or a message handler
(`on_<pane>_<message>`). Helpers the screen owns do the rest: `ViewLoader` (views
evaluated by the core `Catalog` in thread workers), `PaperActions` (the paper keys),
`ReadMark` (the read mark's timer) and `IndexKeeper` (the search index's opening and sync);
`DetailsTimer` says when the abstract follows the highlight.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.screen import Screen
from textual.widget import Widget

from paperdeck.core.paperset import FACET_KINDS, PaperSet, Sort
from paperdeck.core.query_words import with_default_sort
from paperdeck.core.store import Facets, Library
from paperdeck.core.text import terminal_safe
from paperdeck.ui.commands import Command, bindings_for
from paperdeck.ui.screens.details_timer import DetailsTimer
from paperdeck.ui.screens.feed_keys import FeedKeys
from paperdeck.ui.screens.index_keeper import (
    IndexKeeper,
    IndexNeedsRebuild,
    IndexOpened,
    IndexProgress,
)
from paperdeck.ui.screens.live_refresh import LiveRefresh
from paperdeck.ui.screens.paper_actions import PAPER_ACTIONS, PaperActions
from paperdeck.ui.screens.read_mark import ReadMark
from paperdeck.ui.screens.view_loader import (
    CountsLoaded,
    Pinned,
    SearchFailed,
    ViewLoaded,
    ViewLoader,
    first_view,
)
from paperdeck.ui.search_service import SearchService, ViewData
from paperdeck.ui.widgets.abstract_view import AbstractView
from paperdeck.ui.widgets.feed_refresh import FeedRefresh
from paperdeck.ui.widgets.key_bar import KeyBar
from paperdeck.ui.widgets.paper_list import PaperList
from paperdeck.ui.widgets.search_bar import SearchBar, SearchInput
from paperdeck.ui.widgets.sidebar import TagSidebar
from paperdeck.ui.widgets.status_bar import StatusBar
from paperdeck.ui.widgets.title_bar import TitleBar, library_title

if TYPE_CHECKING:
    from paperdeck.core.models import Paper
    from paperdeck.ui.app import PaperdeckApp

SORT_CYCLE = (Sort.RELEVANCE, Sort.NEWEST, Sort.OLDEST, Sort.TITLE, Sort.STARRED, Sort.UPVOTES)


class MainScreen(Screen[None]):
    """The reader. Its reactives are the state every pane shows."""

    app: PaperdeckApp
    BINDINGS: ClassVar = bindings_for("screen")
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (150, "-wide")]
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
        self._read_on_open = True  # the paper the reader opens on gets its read mark too
        self.details = DetailsTimer(self, self.show_details, lambda: self.current_id)
        self.loader = ViewLoader(self, self.app.library_root, search, lambda: self.app.new_since)
        self.index_keeper = IndexKeeper(self, search, self._announce)
        self.paper_actions = PaperActions(self)
        self.read_mark = ReadMark(
            self,
            self.app.read_delay,
            looked_at=self._looking_at_a_paper,
            current=lambda: self.current_id,
            mark=self.paper_actions.mark_read,
        )
        self.feed_keys = FeedKeys(self)
        self.live = LiveRefresh(self, self.app.library_watch)
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
        if action in PAPER_ACTIONS and self.current_id is None:
            return None  # greyed out in the key bar while no paper is highlighted
        return super().check_action(action, parameters)

    def on_mount(self) -> None:
        # First paint: the first rows and two indexed counts (a few ms at 100k papers).
        # The whole list and the other counts come from a worker, Whoosh after that.
        self.show_view(first_view(self.library, self.paperset, self.app.new_since))
        self.call_after_refresh(self.reload)
        self.call_after_refresh(self.index_keeper.open)
        self.live.start(self.app.watch_interval)

    def watch_paperset(self) -> None:
        self.pinned = None
        self.reload()

    # -- the highlighted paper ------------------------------------------------------------

    def on_paper_list_highlighted(self, message: PaperList.Highlighted) -> None:
        if message.paper_id != self.current_id:
            first = self.current_id is None  # start-up, or a list that was empty
            self.current_id = message.paper_id
            self.details.follow(at_once=message.moved or first)
        opening, self._read_on_open = self._read_on_open, False
        if message.moved or (opening and message.paper_id is not None):
            # By the user, or the paper the reader opened on; not a list replaced by a
            # search or a view change.
            self.read_mark.start(message.paper_id)

    def watch_current_id(self, old: str | None, paper_id: str | None) -> None:
        self.read_mark.stop(paper_id)
        if (old is None) != (paper_id is None):
            self.refresh_bindings()  # the paper keys work only with a paper highlighted

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
        self.read_mark.start(message.paper_id)
        if message.full_screen and self.maximized is not self.abstract:
            self.abstract.action_zoom()

    def on_abstract_view_closed(self, message: AbstractView.Closed) -> None:
        self.set_focus(self.papers)

    def _looking_at_a_paper(self) -> bool:
        """Whether the list or the abstract has focus: only then is a highlight read."""
        focused = self.focused
        return focused is not None and any(
            pane is focused or pane in focused.ancestors for pane in (self.papers, self.abstract)
        )

    def current_paper(self) -> Paper | None:
        """The paper under the list's cursor.

        Read from the list itself: a key typed right after a move must act on the row the
        cursor is on now, even before the list's `Highlighted` message has arrived.
        """
        paper_id = self.papers.highlighted_id
        if paper_id != self.current_id:
            self.current_id = paper_id
        return self.library.get(paper_id) if paper_id else None

    def paper_changed(self, paper_id: str) -> None:
        """Redraw what shows this paper, refresh the counts, and queue an index update."""
        self.live.own_write()
        self.papers.forget(paper_id)
        if paper_id == self.current_id:
            self.show_abstract()
        self.loader.refresh_counts(self.view.hits if self.view else None)
        self.index_keeper.schedule_sync()

    def papers_changed(self) -> None:
        """Many papers' read marks changed (nothing the index holds): redraw and recount."""
        self.live.own_write()
        self.papers.forget_all()
        self.show_abstract()
        self.loader.refresh_counts(self.view.hits if self.view else None)

    # -- the view: loaded by `ViewLoader`, shown here --------------------------------------

    def show_pinned(self, pinned: Pinned) -> None:
        self.pinned = pinned
        self.reload()

    def library_changed(self) -> None:
        """Another process changed the library (`LiveRefresh`): the view, its rows, the
        counts and the abstract follow, the rows in front of the user staying where they are."""
        self.reload(live=True)
        self.index_keeper.schedule_sync()

    def reload(self, live: bool = False) -> None:
        """Load the current view (a search once the index is open)."""
        if self.paperset.query and self.pinned is None and not self.search_service.ready:
            self.loader.generation += 1  # answers still on their way are stale
            message = (
                self.search_service.error or "Search index is opening; the search runs when ready"
            )
            self.status.set_view(Text(message))
            return
        self.status.activity_if_slow("Searching…" if self.paperset.query else "Loading…")
        view = self.view
        totals = view.totals if view is not None and not view.partial else None
        paperset = with_default_sort(self.paperset)  # filters alone: newest first
        shown = None
        if live:
            self.papers.forget_all()  # every row is fetched again as it is drawn
            if self.shown_view == (self.paperset, self.pinned):  # no other view on its way
                shown = list(self.papers.ids)
        self.loader.load(paperset, self.pinned, totals, shown)

    def on_view_loaded(self, message: ViewLoaded) -> None:
        if message.generation == self.loader.generation:
            self.show_view(message.view)

    def on_search_failed(self, message: SearchFailed) -> None:
        if message.generation == self.loader.generation:
            self.status.end_slow_activity()
            self.status.set_view(Text("Search: ") + Text(message.message))

    def on_counts_loaded(self, message: CountsLoaded) -> None:
        if message.generation == self.loader.generation and self.view is not None:
            self.view.facets, self.view.totals = message.facets, message.totals
            self.sidebar.show(message.facets, self.paperset, message.totals)
            self.show_counts(message.totals)

    def show_view(self, view: ViewData) -> None:
        self.status.end_slow_activity()
        previous = self.view.facets if self.view is not None else None
        self.view = view
        self.shown_view = (self.paperset, self.pinned)
        self.papers.empty_text = (
            "No papers match this search." if self.paperset.query else "No papers here."
        )
        # A new query shows its best hit first; more of the same query (its other hits, a
        # change of filter or sort) keeps the paper the user is on.
        query = self.paperset.query if self.pinned is None else None
        keep = None if query and query != self._listed_query else self.current_id
        self._listed_query = query
        self.papers.show(view.ids, keep=keep, terms=view.terms)
        facets = view.facets or previous  # scoped counts follow in a moment
        if facets is not None:
            self.sidebar.show(facets, self.paperset, view.totals)
        self.show_counts(view.totals)
        self.status.show_view(view, self.paperset, self.pinned.description if self.pinned else None)
        if self.papers.highlighted_id == self.current_id:  # else it follows the highlight
            self.details.follow()  # new words to highlight, maybe another suggestion

    def show_counts(self, totals: Facets) -> None:
        name = terminal_safe(library_title(self.app.library_root, demo=self.app.demo))
        self.sub_title = TitleBar.library_line(name, totals)

    # -- the search index: opened and synced by `IndexKeeper` ------------------------------

    def _announce(self, text: str) -> None:
        self.status.activity_if_slow(text)

    def on_index_progress(self, message: IndexProgress) -> None:
        self.status.end_slow_activity()
        if message.total:
            label = message.message or "Building search index"
            self.status.set_activity(f"{label}… {message.done}/{message.total}")
        else:
            self.status.set_activity(message.message)

    def on_index_needs_rebuild(self, message: IndexNeedsRebuild) -> None:
        if not self.search_service.repairing:
            self.notify(
                "The search index was damaged or deleted; rebuilding it", severity="warning"
            )
            self.index_keeper.repair()

    def on_index_opened(self, message: IndexOpened) -> None:
        self.status.end_slow_activity()
        self.status.set_activity("")
        if message.error:
            self.notify(message.error, severity="warning", markup=False)
        if self.paperset.query:
            self.reload()

    # -- the paper keys: `PaperActions` ----------------------------------------------------

    def action_star(self) -> None:
        self.paper_actions.star()

    def action_toggle_read(self) -> None:
        self.paper_actions.toggle_read()

    def action_note(self) -> None:
        self.paper_actions.note()

    def action_tag_add(self) -> None:
        self.paper_actions.tag_add()

    def action_tag_remove(self) -> None:
        self.paper_actions.tag_remove()

    def action_copy_code(self) -> None:
        self.paper_actions.copy_code()

    def action_copy_link(self) -> None:
        self.paper_actions.copy_link_of_paper()

    def action_open_link(self) -> None:
        self.paper_actions.open_link_of_paper()

    def action_copy_bibtex(self) -> None:
        self.paper_actions.copy_bibtex()

    def action_copy_key(self) -> None:
        self.paper_actions.copy_key()

    def action_remove_paper(self) -> None:
        self.paper_actions.remove_paper()

    def action_more_like(self) -> None:
        self.paper_actions.more_like()

    def action_export(self) -> None:
        self.paper_actions.export()

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
        if self.details.waiting:  # typing is no rest: the details wait on
            self.details.postpone()

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
