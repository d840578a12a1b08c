"""The main screen: sidebar, paper list, abstract pane, search bar and status line.

The screen owns the state (the current `PaperSet`, the listed ids, the highlighted paper);
panes get attributes down and post messages up. A key lands in a pane's binding (see
`ui/commands.py`) and then here: an `action_*` method below, or a message handler
(`on_<pane>_<message>`). Helpers the screen owns do the rest:
- `ViewLoader` evaluates views (the core `Catalog`, in thread workers), `ViewDisplay`
  puts them on the panes;
- `PaperActions`, `LinkActions` and `ViewExport` are the paper keys (speaking through
  `Notices`); `SearchKeys` the search field; `FeedKeys` the unread jumps; `Panes` tab and
  the sidebar's folding;
- `ReadMark` (the read mark's timer), `DetailsTimer` (when the abstract follows the
  highlight), `IndexKeeper` (the search index's opening and sync) and `LiveRefresh`
  (changes made by other processes).
Each helper gets only what it uses: callbacks (the timers, the loader, the index keeper,
the live refresh) or a protocol naming the screen's members it may touch (`PaperScreen`,
`LinkScreen`, `ExportScreen`, `FeedScreen`, `DisplayScreen`, `SearchScreen`, `PaneScreen`;
mypy checks this screen against each, and no helper imports this module).
"""

from __future__ import annotations

from contextlib import suppress
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.screen import Screen
from textual.worker import Worker

from paperdeck.core.paperset import PaperSet
from paperdeck.core.query_words import with_default_sort
from paperdeck.core.store import Library
from paperdeck.ui import latex_text
from paperdeck.ui.command import Command
from paperdeck.ui.commands import FULL_SCREEN_KEYS, bindings_for, commands_in
from paperdeck.ui.screens.details_timer import DetailsTimer
from paperdeck.ui.screens.feed_keys import FeedKeys
from paperdeck.ui.screens.index_keeper import (
    IndexKeeper,
    IndexNeedsRebuild,
    IndexOpened,
    IndexProgress,
)
from paperdeck.ui.screens.link_actions import LinkActions
from paperdeck.ui.screens.live_refresh import LiveRefresh
from paperdeck.ui.screens.notices import Notices
from paperdeck.ui.screens.panes import Panes
from paperdeck.ui.screens.paper_actions import PAPER_ACTIONS, PaperActions
from paperdeck.ui.screens.read_mark import ReadMark
from paperdeck.ui.screens.search_keys import SearchKeys
from paperdeck.ui.screens.view_choices import chosen_in_sidebar, next_sort
from paperdeck.ui.screens.view_display import ViewDisplay
from paperdeck.ui.screens.view_export import ViewExport
from paperdeck.ui.screens.view_loader import (
    CountsLoaded,
    HalfTyped,
    LoadFailed,
    Pinned,
    SearchFailed,
    ViewLoaded,
    ViewLoader,
    first_view,
)
from paperdeck.ui.search_service import SearchService, ViewData
from paperdeck.ui.widgets.abstract_view import AbstractView
from paperdeck.ui.widgets.key_bar import KeyBar
from paperdeck.ui.widgets.paper_list import PaperList
from paperdeck.ui.widgets.search_bar import SearchBar, SearchInput
from paperdeck.ui.widgets.sidebar import TagSidebar
from paperdeck.ui.widgets.status_bar import StatusBar
from paperdeck.ui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from paperdeck.core.models import Paper
    from paperdeck.ui.app import PaperdeckApp
    from paperdeck.ui.widgets.feed_refresh import FeedRefresh  # on the first R


INDEX_OPEN_LATEST_SECONDS = 5.0  # a whole list slower than this: the index opens anyway
SCREEN_ACTIONS = frozenset(command.action_name for command in commands_in("screen"))


class MainScreen(Screen[None]):
    """The reader. Its reactives are the state every pane shows."""

    app: PaperdeckApp
    BINDINGS: ClassVar = bindings_for("screen")
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (150, "-wide")]
    AUTO_FOCUS = "#papers"  # focused once; moving the focus restyles the widget it leaves
    # The key bar stays under a pane shown full screen (`z`): it says how to get back.
    ALLOW_IN_MAXIMIZED_VIEW = "KeyBar"

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
        self._idle_keys: tuple[str, ...] = ()  # not offered for the paper shown (`T c y o`)
        self.details = DetailsTimer(self, self.show_details, lambda: self.current_id)
        self.loader = ViewLoader(self, self.app.library_root, search, lambda: self.app.new_since)
        self.index_keeper = IndexKeeper(
            self, search, lambda: self.status, self._index_ready, self.loader.keep_newest_order
        )
        self.notices = Notices(self, self.app.keymap)
        self.paper_actions = PaperActions(self, self.notices)
        self.links = LinkActions(self, self.notices)
        self.view_export = ViewExport(self, self.notices)
        self.search_keys = SearchKeys(self)
        self.panes = Panes(self)
        self.view_display = ViewDisplay(self)
        self.read_mark = ReadMark(
            self,
            self.app.read_delay,
            looked_at=self.panes.looking_at_a_paper,
            current=lambda: self.current_id,
            mark=self.paper_actions.mark_read,
        )
        self.feed_keys = FeedKeys(self)
        self.live = LiveRefresh(self, self.app.library_watch, self.library_changed)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="body"):
            yield TagSidebar(id="sidebar")
            with Vertical(id="content"):
                with Vertical(id="list-column"):
                    yield SearchBar(id="search", cursor_blink=self.app.cursor_blink)
                    yield PaperList(self.library.rows, id="papers")
                yield AbstractView(id="abstract")
        yield StatusBar(id="status")  # the feed bar goes above it on the first `R`
        yield KeyBar()

    # -- panes ----------------------------------------------------------------------------

    @property
    def papers(self) -> PaperList:
        return self.query_one(PaperList)

    @property
    def sidebar(self) -> TagSidebar:
        return self.query_one(TagSidebar)

    @property
    def title_bar(self) -> TitleBar:
        return self.query_one(TitleBar)

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
        if self.maximized is not None and action in SCREEN_ACTIONS - FULL_SCREEN_KEYS:
            return False  # it would act on a pane hidden behind the full screen
        if action in PAPER_ACTIONS and self.current_id is None:
            return None  # greyed out in the key bar while no paper is highlighted
        return super().check_action(action, parameters)

    def watch_maximized(self) -> None:
        self.refresh_bindings()  # the key bar lists the keys of the full screen, or all

    def on_mount(self) -> None:
        # First paint: the first rows and two indexed counts (a few ms at 100k papers).
        # The whole list and the other counts come from a worker, Whoosh after that.
        self.show_view(first_view(self.library, self.paperset, self.app.new_since))
        self.call_after_refresh(self.reload)
        # The index opens once the whole list is in (`_settled`), or when a search starts:
        # opened beside it, two workers took turns with the keys for the interpreter, and
        # the first cursor keys at a million papers waited 5-60 ms (now 2-4).
        self.set_timer(INDEX_OPEN_LATEST_SECONDS, self.index_keeper.open_once)
        self.live.start(self.app.watch_interval)

    def on_paper_list_latex_wanted(self, message: PaperList.LatexWanted) -> None:
        """pylatexenc, for the LaTeX in titles, imported in a worker (~60 ms no frame should
        wait for); then the rows are drawn again, their LaTeX read as text."""

        def load() -> None:
            latex_text.load()
            with suppress(RuntimeError):  # the reader quit meanwhile
                self.app.call_from_thread(self.papers.redraw)

        self.run_worker(load, name="load_latex", group="latex", thread=True, exit_on_error=False)

    def watch_paperset(self) -> None:
        self.pinned = None
        self.reload()

    # -- the highlighted paper ------------------------------------------------------------

    def on_paper_list_highlighted(self, message: PaperList.Highlighted) -> None:
        if message.paper_id != self.current_id:
            first = self.current_id is None  # start-up, or a list that was empty
            self.current_id = message.paper_id
            self.details.follow(moved=message.moved, at_once=first)
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
        # Run after a move and after a change to the paper here or elsewhere (`paper_changed`,
        # `library_changed`): the last tag removed takes `T` away without a move.
        idle = self.paper_actions.idle_keys(paper) + self.links.idle_keys(paper)
        if idle != self._idle_keys:  # the key bar offers only what the paper shown allows
            self._idle_keys = idle
            self.refresh_bindings()

    def on_paper_list_opened(self, message: PaperList.Opened) -> None:
        if message.paper_id != (self.abstract.paper.id if self.abstract.paper else None):
            self.show_details()  # opened before the highlight rested: no waiting now
        self.set_focus(self.abstract)
        self.read_mark.start(message.paper_id)
        if message.full_screen and self.maximized is not self.abstract:
            self.abstract.zoom(from_list=True)

    def on_abstract_view_closed(self, message: AbstractView.Closed) -> None:
        self.set_focus(self.papers)

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
        self.loader.refresh_counts(self.view)
        self.index_keeper.schedule_sync()

    def paper_removed(self, paper_id: str) -> None:
        """The paper went to the trash: the cursor goes to the next paper (not to the top),
        and the view and the index follow."""
        ids = self.papers.ids
        if paper_id in ids:
            at = ids.index(paper_id)
            beside = (
                ids[at + 1 : at + 2] or ids[max(at - 1, 0) : at]
            )  # the next, else the one before
            self.current_id = beside[0] if beside else None
        if self.pinned is not None and paper_id in self.pinned.ids:
            self.pinned.ids.remove(paper_id)
        self.reload()
        self.index_keeper.schedule_sync()

    def papers_changed(self) -> None:
        """Many papers' read marks changed (nothing the index holds): redraw and recount."""
        self.live.own_write()
        self.papers.forget_all()
        self.show_abstract()
        self.loader.refresh_counts(self.view)

    # -- the view: loaded by `ViewLoader`, shown here --------------------------------------

    def show_pinned(self, pinned: Pinned) -> None:
        self.pinned = pinned
        self.reload()

    def library_changed(self) -> None:
        """Another process changed the library (`LiveRefresh`): the view, its rows, the
        counts and the abstract follow, the rows in front of the user staying where they are.
        The counts (title line, sidebar) are taken at once beside the list: at 100,000 papers
        the list's ids take longer to select than the counts."""
        self.reload(live=True)
        self.loader.refresh_counts(self.view)
        self.index_keeper.schedule_sync()

    def reload(self, live: bool = False) -> None:
        """Load the current view (a search once the index is open)."""
        if self.paperset.query and self.pinned is None and not self.search_service.ready:
            self.loader.generation += 1  # answers still on their way are stale
            self._settled(self.loader.generation)  # none will come: keys go on
            message = (
                self.search_service.error or "Search index is opening; the search runs when ready"
            )
            self.status.set_view(Text(message))
            return
        self.status.activity_if_slow("Searching…" if self.paperset.query else "Loading…")
        view = self.view
        # The library's counts are kept unless another process changed them (live).
        totals = view.totals if view is not None and not view.partial and not live else None
        paperset = with_default_sort(self.paperset)  # filters alone: newest first
        shown = None
        if live:
            self.papers.forget_all()  # every row is fetched again as it is drawn
            if self.shown_view == (self.paperset, self.pinned):  # no other view on its way
                shown = self.papers.ids  # never changed in place: a new list replaces it
        typing = self.search_bar.input.has_focus
        self.loader.load(paperset, self.pinned, totals, shown, typing)

    def _settled(self, generation: int) -> None:
        """A load was shown, or failed: the keys held for it go on, and the index opens
        (the first time), the first list no longer needing the interpreter; while the
        cursor keys move, once they rest (a search opens it at once: `index_wanted`)."""
        self.loader.settled(generation)
        self.details.when_rested(self.index_keeper.open_once)

    def on_view_loaded(self, message: ViewLoaded) -> None:
        if message.generation == self.loader.generation:
            self.show_view(message.view)
        self._settled(message.generation)

    def on_half_typed(self, message: HalfTyped) -> None:
        if message.generation != self.loader.generation:
            return
        if self.search_bar.input.has_focus:
            self.search_keys.half_typed(message)  # the list kept is this load's answer
        else:  # the typing ended meanwhile (enter, tab): the view as it is, empty
            self.show_found(message.view)
        self._settled(message.generation)

    def on_search_bar_left(self, message: SearchBar.Left) -> None:
        self.search_keys.typing_ended()

    def on_search_failed(self, message: SearchFailed) -> None:
        if message.generation == self.loader.generation:
            self.status.end_slow_activity()
            self.status.set_view(Text("Search: ") + Text(message.message))
        self._settled(message.generation)

    def on_load_failed(self, message: LoadFailed) -> None:
        """Said at once, and the keys held for the list go on (`caught_up`): the list they
        act on is the one shown."""
        if message.generation == self.loader.generation:
            self.status.end_slow_activity()
            self.notify(f"Could not load the list: {message.message}", severity="error")
        self._settled(message.generation)

    def on_counts_loaded(self, message: CountsLoaded) -> None:
        if message.generation == self.loader.generation:
            self.view_display.show_facets(message.facets, message.totals)

    def show_view(self, view: ViewData) -> None:
        self.view_display.show(view)

    def show_found(self, view: ViewData) -> None:
        """Show the view a search found while its query was typed, and count it (that
        search left the counts to the view shown)."""
        self.show_view(view)
        self.loader.refresh_counts(view)

    # -- the search index: opened and synced by `IndexKeeper` ------------------------------

    def on_index_progress(self, message: IndexProgress) -> None:
        self.index_keeper.show_progress(message)

    def on_index_needs_rebuild(self, message: IndexNeedsRebuild) -> None:
        self.index_keeper.rebuild_damaged()

    def on_index_opened(self, message: IndexOpened) -> None:
        self.index_keeper.opened(message)

    def _index_ready(self) -> None:
        if self.paperset.query:  # the search typed while the index opened runs now
            self.reload()

    # -- the paper keys: `PaperActions`, `LinkActions`, `ViewExport` -----------------------

    def action_star(self) -> None:
        self.paper_actions.star()

    def action_toggle_read(self) -> None:
        self.paper_actions.toggle_read()

    async def action_note(self) -> None:
        await self.paper_actions.note()

    async def action_tag_add(self) -> None:
        await self.paper_actions.tag_add()

    async def action_tag_remove(self) -> None:
        await self.paper_actions.tag_remove()

    def action_copy_code(self) -> None:
        self.links.copy_code()

    def action_copy_link(self) -> None:
        self.links.copy_link_of_paper()

    def action_open_link(self) -> None:
        self.links.open_link_of_paper()

    def action_copy_bibtex(self) -> None:
        self.links.copy_bibtex()

    def action_copy_key(self) -> None:
        self.links.copy_key()

    def action_remove_paper(self) -> None:
        self.paper_actions.remove_paper()

    def action_more_like(self) -> None:
        self.paper_actions.more_like()

    def action_export(self) -> None:
        self.view_export.export()

    # -- sidebar and search ---------------------------------------------------------------

    def on_tag_sidebar_filter_chosen(self, message: TagSidebar.FilterChosen) -> None:
        self.paperset = chosen_in_sidebar(self.paperset, message.kind, message.value)
        if self.pinned is not None:  # the set may be unchanged; leave the similar list anyway
            self.pinned = None
            self.reload()

    def on_search_bar_query_changed(self, message: SearchBar.QueryChanged) -> None:
        if message.query != self.search_bar.value:
            # Posted before esc or enter changed the field: a query no longer typed (a
            # newer change has its own debounce; esc and enter search what they leave)
            return
        self.search_keys.search_for(message.query)
        if self.details.waiting:  # typing is no rest: the details wait on
            self.details.postpone()

    def on_search_bar_done(self, message: SearchBar.Done) -> None:
        self.search_keys.done()

    async def action_search_done(self) -> None:
        await self.search_keys.typed_first()
        self.search_keys.done()
        await self.loader.caught_up()  # `/word⏎s` stars the search's best hit

    async def action_search_cleared(self) -> None:
        await self.search_keys.typed_first()
        self.search_keys.clear()
        await self.loader.caught_up()

    def action_search(self) -> None:
        self.index_wanted()
        self.search_keys.open()

    def index_wanted(self) -> None:
        """A search asked for before the whole list came: the index opens now."""
        self.index_keeper.open_once()

    def action_clear(self) -> None:
        self.search_keys.escape()

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

    async def action_refresh_feeds(self) -> None:
        # Mounted on first use, not composed: its progress bar is five of the start's 18
        # widgets, ~10 ms of the first paint.
        from paperdeck.ui.widgets.feed_refresh import FeedRefresh

        bar = next(iter(self.query(FeedRefresh)), None)
        if bar is None:
            bar = FeedRefresh(id="feed-refresh")
            await self.mount(bar, before=self.query_one(StatusBar))
        bar.start(self.app.library_root, self.app.config.path)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.app.report_failed_worker(event)

    def on_feed_refresh_done(self, message: FeedRefresh.Done) -> None:
        self.library_changed()  # the new papers, counts and New view, now

    def action_cycle_sort(self) -> None:
        self.paperset = self.paperset.sorted_by(next_sort(self.paperset))

    def action_toggle_sidebar(self) -> None:
        self.panes.toggle_sidebar()

    def key_bar_wants(self) -> tuple[str, ...]:
        return self.panes.keys_always_shown()

    def key_bar_hides(self) -> tuple[str, ...]:
        """Keys left out of the key bar though bound: not `check_action`'s False or None,
        which would also disable them, and `c`, `y`, `o` or `T` pressed anyway must say why
        it did nothing."""
        return self._idle_keys

    def action_next_pane(self) -> None:
        self.panes.cycle(1)

    def action_previous_pane(self) -> None:
        self.panes.cycle(-1)

    def run_command(self, command: Command) -> None:
        self.panes.run_command(command)
