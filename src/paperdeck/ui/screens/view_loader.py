"""Loading what the main screen lists: the core `Catalog` evaluates each view in a thread
worker, and the answers come back to the screen as messages.

Each load gets a generation number; the screen shows only the answers of the newest (a
keystroke replaces the search before it). A new load cancels the running one: a search
not yet started is dropped, so at most one stale search runs ahead of the newest.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from textual.dom import DOMNode
from textual.message import Message
from textual.worker import get_current_worker

from paperdeck.core.background import run_at_low_priority
from paperdeck.core.catalog import Cancelled, Catalog, Selection
from paperdeck.core.live import keep_rows, within_reach
from paperdeck.core.memory import give_back_freed_memory
from paperdeck.core.paperset import PaperSet
from paperdeck.core.query_words import ends_half_typed
from paperdeck.core.store import Facets, Library
from paperdeck.core.store.newest_order import NewestOrder
from paperdeck.ui.screens.index_keeper import IndexNeedsRebuild
from paperdeck.ui.search_service import FIRST_ROWS, SearchService, SearchUnavailable, ViewData

# Changes closer together than this are a query being typed or a held key: what can wait
# (a search's sidebar counts, the abstract, the "did you mean" hint) waits for such a rest.
REST_SECONDS = 0.15
# A word that finds nothing as typed is searched as the start of a word (`transf*`) after a
# shorter pause: that list is what the user waits for. A newer key stops the search within a
# few ms (a short prefix checks for it as it looks up its words), so this pause only spares
# the keys of a word typed in a burst.
WIDEN_REST_SECONDS = 0.05
# A search shows its best hits first; the rest of them and the exact count follow after this
# pause, unless a newer key came meanwhile. Scored while the next key's search starts, they
# took the CPU from it: typed at 100k papers, first results 92/191 -> 61/151 ms p50/p95,
# the exact count 162 -> 211 ms p50 (benchmarks/RESULTS.md).
COMPLETE_REST_SECONDS = 0.06
# The longest the keys typed after enter or esc in the search field wait for the list they
# act on (`ViewLoader.caught_up`): a first search at a million papers takes ~0.5 s.
CATCH_UP_SECONDS = 2.0


@dataclass
class ViewLoaded(Message):
    generation: int
    view: ViewData


@dataclass
class HalfTyped(Message):
    """The search of a query being typed found nothing, and its last word is still too
    short to be searched as the start of a word (`ends_half_typed`): the screen keeps the
    list it shows while the typing goes on, and shows ``view`` (the query's, empty) once
    the typing ends, without searching again."""

    generation: int
    query: str
    view: ViewData


@dataclass
class SearchFailed(Message):
    generation: int
    message: str


@dataclass
class LoadFailed(Message):
    """A load failed other than as a search does (`SearchFailed`): a worker's error, which
    Textual tells only the screen that ran it (`Worker.StateChanged` does not bubble)."""

    generation: int
    message: str


@dataclass
class CountsLoaded(Message):
    generation: int
    facets: Facets
    totals: Facets


@dataclass
class Pinned:
    """A list of ids shown as they are ("More like: <title>")."""

    ids: list[str]
    description: str


def first_view(library: Library, paperset: PaperSet, new_since: int | None = None) -> ViewData:
    """What the first screen needs, read in a few milliseconds at 100k papers: the first
    rows, the number of papers, of starred ones and of new ones (all three through
    indexes). The full list and every other count (a scan of the whole table: 0.2-0.4 s at
    100k) follow from a worker."""
    views = {"starred": library.starred_count()}
    if new_since is not None:
        views["new"] = library.new_count(new_since)
    totals = Facets(total=library.count(), views=views, new_since=new_since)
    ids = Catalog(library).first(paperset, FIRST_ROWS)
    return ViewData(ids, None, totals, partial=not paperset.filters)


class ViewLoader:
    """Loads views and counts for ``screen`` (which gets `ViewLoaded`, `SearchFailed`,
    `LoadFailed` and `CountsLoaded`); ``generation`` names the newest load."""

    def __init__(
        self,
        screen: DOMNode,
        library_root: Path,
        search: SearchService,
        new_since: Callable[[], int | None],
    ) -> None:
        self.screen = screen
        self.library_root = library_root
        self.search = search
        self.new_since = new_since  # the New view's baseline, counted with the rest
        self.generation = 0
        self.settled_generation = 0  # the newest load the screen has shown, or given up on
        self._waiting: list[asyncio.Event] = []
        # Kept from one load's `Library` to the next: a search with many hits listed newest
        # first filters it rather than walk the date index (0.35-0.7 s at a million papers).
        self.newest = NewestOrder()

    def settled(self, generation: int) -> None:
        """The screen showed load ``generation`` (or its failure, or that it cannot run):
        the keys held for it (`caught_up`) go on once it is the newest."""
        self.settled_generation = max(self.settled_generation, generation)
        if self.settled_generation >= self.generation:
            for waiting in self._waiting:
                waiting.set()
            self._waiting.clear()

    async def caught_up(self) -> None:
        """Wait until the screen shows the newest load (at most `CATCH_UP_SECONDS`).

        Awaited by enter and esc in the search field, priority keys run by the app itself:
        the keys that came after them in the same terminal read wait meanwhile, and then act
        on the search's results rather than on the list before it."""
        if self.settled_generation >= self.generation:
            return
        arrived = asyncio.Event()
        self._waiting.append(arrived)
        with suppress(TimeoutError):
            await asyncio.wait_for(arrived.wait(), CATCH_UP_SECONDS)

    def keep_newest_order(self) -> None:
        """Keep the newest-first order now, unless it is kept and current (in the worker
        that opened the index): the whole list's walk that keeps it at start is stopped by
        the first key typed, and the first search listed by date then walked it itself."""
        with Library(self.library_root, newest=self.newest) as library:
            library.keep_newest_order()

    def load(
        self,
        paperset: PaperSet,
        pinned: Pinned | None,
        totals: Facets | None,
        shown: Sequence[str] | None = None,
        typing: bool = False,
    ) -> None:
        """Start loading a view (``totals``: the library's counts, when still current).
        ``shown``: the rows listed when another process changed the library; they stay
        (see `keep_rows`), and a search first takes that change into the index.
        ``typing``: the query is still being typed; a search that finds nothing because
        its last word is half typed is `HalfTyped`, not a view."""
        self.generation += 1
        load = partial(self._load, paperset, pinned, self.generation, totals, shown, typing)
        work = _then_give_back(self._said_if_failed(self.generation, load))
        self.screen.run_worker(
            work, name="load_view", group="search", thread=True, exclusive=True,
            exit_on_error=False,
        )  # fmt: skip

    def _said_if_failed(self, generation: int, load: Callable[[], None]) -> Callable[[], None]:
        """``load``, its error (a failed read of the library, say) posted as `LoadFailed`."""

        def run() -> None:
            try:
                load()
            except Exception as exc:
                self.screen.post_message(LoadFailed(generation, str(exc) or type(exc).__name__))

        return run

    def refresh_counts(self, view: ViewData | None) -> None:
        """A star, tag or read mark changed the counts of ``view`` (not the list: it stays
        put; None: nothing is listed yet)."""
        work = _then_give_back(partial(self._counts, view, self.generation))
        self.screen.run_worker(
            work, name="load_counts", group="counts", thread=True, exclusive=True,
            exit_on_error=False,
        )  # fmt: skip

    def _load(
        self,
        paperset: PaperSet,
        pinned: Pinned | None,
        gen: int,
        totals: Facets | None,
        shown: Sequence[str] | None,
        typing: bool,
    ) -> None:
        """The list first (a search may show its best hits first and all of them a moment
        later), then fresh counts once the typing rests."""
        worker = get_current_worker()
        searching = pinned is None and bool(paperset.query)
        new_since = self.new_since()
        if searching and shown is not None:
            self.search.sync()

        def rested() -> bool:  # a half-typed word is widened only once the typing rests
            return not worker.cancelled_event.wait(WIDEN_REST_SECONDS)

        with (
            Library(self.library_root, newest=self.newest) as library,
            suppress(Cancelled),  # a newer load replaced this one, maybe in the middle of SQL
            library.stopped_by(lambda: worker.is_cancelled),
        ):
            catalog = Catalog(library, self.search)
            selections = catalog.selections(
                paperset,
                cancel=lambda: worker.is_cancelled,
                pinned=pinned.ids if pinned else None,
                best_first=True,
                first_rows=FIRST_ROWS,
                rank_all=False,
                widen=rested,
            )
            try:
                for selection in selections:
                    view = _view(catalog, selection, totals, new_since)
                    view.paperset = None if pinned else paperset
                    if shown is not None and (pinned or paperset.query or paperset.filters):
                        # (The whole library lists every paper there is: nothing to keep.)
                        view.ids = keep_rows(_still_there(library, shown, view.ids), view.ids)
                    if worker.is_cancelled:
                        return
                    if typing and searching and _half_typed(paperset.query, view):
                        self.screen.post_message(HalfTyped(gen, paperset.query, view))
                        return  # no counts either: the sidebar stays with the list
                    self.screen.post_message(ViewLoaded(gen, view))
                    if not selection.exact and worker.cancelled_event.wait(COMPLETE_REST_SECONDS):
                        return  # the next key came first: its search needs the CPU more
            except Cancelled:
                return
            except Exception as exc:
                if worker.is_cancelled:
                    return  # its SQL was stopped (`stopped_by`): a newer load replaced it
                if not searching:
                    raise
                from paperdeck.core.search.search_result import IndexCorrupt

                if isinstance(exc, IndexCorrupt):  # damaged or deleted while the reader runs
                    self.screen.post_message(IndexNeedsRebuild())
                    exc = SearchUnavailable("the search index was damaged; rebuilding it")
                # Said once, in the status line: a half-typed query must not toast per key.
                self.screen.post_message(SearchFailed(gen, str(exc) or type(exc).__name__))
                return
            if view.facets is None or totals is not None:  # scoped, or totals maybe stale
                # Counting is 0.15-0.4 s of CPU at 100,000 papers, and uncancellable once
                # started: while a query is typed, the next keystroke cancels it first,
                # rather than leave it competing with the reader for the CPU.
                if worker.cancelled_event.wait(REST_SECONDS):
                    return
                fresh, facets = run_at_low_priority(lambda: _all_counts(catalog, view, new_since))
                if not worker.is_cancelled:
                    self.screen.post_message(CountsLoaded(gen, facets, fresh))

    def _counts(self, view: ViewData | None, gen: int) -> None:
        worker = get_current_worker()
        with (
            Library(self.library_root) as library,
            suppress(Cancelled),  # newer counts were asked for
            library.stopped_by(lambda: worker.is_cancelled),
        ):
            catalog = Catalog(library, self.search)
            new_since = self.new_since()
            totals, facets = run_at_low_priority(lambda: _all_counts(catalog, view, new_since))
            self.screen.post_message(CountsLoaded(gen, facets, totals))


def _then_give_back(work: Callable[[], None]) -> Callable[[], None]:
    """``work`` (a worker's), then the heap pages it freed go back to the system, whichever
    way it ended: a search cut short frees as much (`core/memory.py`)."""

    def run() -> None:
        try:
            work()
        finally:
            give_back_freed_memory()

    return run


def _all_counts(
    catalog: Catalog, view: ViewData | None, new_since: int | None
) -> tuple[Facets, Facets]:
    """(the library's counts, the sidebar's counts of ``view``): seconds of SQLite at a
    million hits, run below the reader's priority (`run_at_low_priority`) so that its keys
    never wait for a core. Read in one snapshot: a search that matches most of the library
    is counted from the totals (`Catalog.counts`)."""
    with catalog.library.reading():
        totals = catalog.totals(new_since)
        if view is None:
            return totals, catalog.counts(None, totals, new_since)
        return totals, _counted(catalog, view, totals, new_since)


def _counted(catalog: Catalog, view: ViewData, totals: Facets, new_since: int | None) -> Facets:
    """The sidebar's counts of ``view``: each entry counted as choosing it would list (the
    siblings of an active filter too, within the search when there is one)."""
    facets = catalog.counts(view.hits, totals, new_since)
    if view.paperset is None:
        return facets
    return catalog.with_siblings(facets, view.paperset, view.matches, totals)


def _half_typed(query: str, view: ViewData) -> bool:
    """Whether ``view`` found nothing for a word still being typed ("neural di"): not worth
    showing as "no papers match" while the next letter may widen it (`as_typed_prefix`)."""
    return not view.ids and not view.more and not view.fallback and ends_half_typed(query)


def _still_there(library: Library, shown: Sequence[str], fresh: Sequence[str]) -> Sequence[str]:
    """``shown`` without the papers another process removed from the library (among its
    first `KEEP_WITHIN` rows, the rows `keep_rows` keeps)."""
    shown, listed = within_reach(shown, fresh)
    others = [i for i in shown if i not in listed]
    if not others:
        return shown
    present = library.existing(others)
    return [i for i in shown if i in listed or i in present]


def _view(
    catalog: Catalog, selection: Selection, totals: Facets | None, new_since: int | None
) -> ViewData:
    """What the screen shows of a selection: the sidebar's scoped counts follow later,
    the library's totals are counted now only when not known."""
    if totals is None:
        totals = catalog.totals(new_since)
    return ViewData(
        selection.ids,
        totals if selection.scope is None else None,
        totals,
        terms=selection.terms,
        suggestion=selection.suggestion,
        fallback=selection.fallback,
        widened=selection.widened,
        hits=selection.scope,
        more=not selection.exact,
        estimated=selection.estimated,
        total=selection.total,
        matches=selection.matches,
    )
