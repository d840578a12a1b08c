"""Loading what the main screen shows: the view query, the search, the counts, the index.

Each runs in a thread worker that opens its own `Library` and reports by message; a
generation number drops the answers of queries a newer keystroke has replaced.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.message import Message
from textual.worker import get_current_worker

from paperdeck.core.live import keep_rows
from paperdeck.core.paperset import PaperSet
from paperdeck.core.paths import library_dir
from paperdeck.core.query_words import widened_query, with_default_sort
from paperdeck.core.store import Facets, Library
from paperdeck.core.text import terminal_safe
from paperdeck.ui.search_service import (
    SearchCancelled,
    SearchUnavailable,
    ViewData,
    count_text,
    counts,
    load_view,
)

if TYPE_CHECKING:
    from paperdeck.core.search.index import SearchResult
    from paperdeck.ui.screens.main import MainScreen

    _Base = MainScreen
else:
    _Base = object

SLOW_SECONDS = 0.5  # work that takes longer than this shows progress
# Changes closer together than this are a query being typed or a held key: what can wait
# (a search's sidebar counts, the abstract, the "did you mean" hint) waits for such a rest.
REST_SECONDS = 0.15
LIBRARY_NAME_WIDTH = 24  # of the title line; the counts after it matter more
SYNC_SECONDS = 0.5  # edits reach the search index this long after the last one: a batch
# of edits is one commit (40-150 ms at 100k papers), in a worker, searchable within a second


def library_title(root: Path, *, demo: bool = False) -> str:
    """The library as the title line names it: "demo", "library" for the default one, a
    folder in the home folder as ~/path, else the folder's name; cut from the left, so a
    long one gives way to the counts and keeps the part that tells libraries apart."""
    if demo:
        return "demo"
    if root.expanduser().resolve() == library_dir(None).expanduser().resolve():
        return "library"
    name, home = root.name or str(root), Path.home()
    if root.is_relative_to(home) and root != home:
        name = "~/" + str(root.relative_to(home))
    if len(name) > LIBRARY_NAME_WIDTH:
        name = "…" + name[-(LIBRARY_NAME_WIDTH - 1) :]
    return name


@dataclass
class ViewLoaded(Message):
    generation: int
    view: ViewData


@dataclass
class SearchFailed(Message):
    generation: int
    message: str


@dataclass
class CountsLoaded(Message):
    generation: int
    facets: Facets
    totals: Facets


@dataclass
class IndexProgress(Message):
    message: str
    done: int
    total: int


@dataclass
class IndexDamaged(Message):
    """A search found the index damaged or deleted: the screen rebuilds it."""


@dataclass
class IndexOpened(Message):
    error: str | None = None


@dataclass
class Pinned:
    """A list of ids shown as they are ("More like: <title>")."""

    ids: list[str]
    description: str


class ViewLoader(_Base):
    """Mixed into `MainScreen`: fills its panes from the library and the index."""

    def show_pinned(self, pinned: Pinned) -> None:
        self.pinned = pinned
        self.reload()

    def library_changed(self) -> None:
        """Another process changed the library: the view, its rows, the counts and the
        abstract follow, the rows the user has in front of them staying where they are."""
        self.reload(live=True)
        self.schedule_index_sync()

    def reload(self, live: bool = False) -> None:
        """Query the library (and the index, when searching) for the current view."""
        self._generation += 1
        if self.paperset.query and self.pinned is None and not self.search_service.ready:
            message = (
                self.search_service.error or "Search index is opening; the search runs when ready"
            )
            self.status.set_view(Text(message))
            return
        self._start_slow_timer("Searching…" if self.paperset.query else "Loading…")
        view = self.view
        totals = view.totals if view is not None and not view.partial else None
        paperset = with_default_sort(self.paperset)  # filters alone: newest first
        shown = None
        if live:
            self.papers.forget_all()  # every row is fetched again as it is drawn
            if self.shown_view == (self.paperset, self.pinned):  # no other view on its way
                shown = list(self.papers.ids)
        self.load_view_in_thread(paperset, self.pinned, self._generation, totals, shown)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def load_view_in_thread(
        self,
        paperset: PaperSet,
        pinned: Pinned | None,
        gen: int,
        totals: Facets | None = None,
        shown: list[str] | None = None,
    ) -> None:
        """The list first (with the library totals already known, when they are), then
        fresh counts. A keystroke typed meanwhile cancels this worker: a search not yet
        started is dropped, so at most one stale search runs ahead of the newest. A search
        may show its best hits first and all of them a moment later (a phrase of common
        words: 0.15 s, then 0.4 s at 100,000 papers). ``shown``: the rows listed when another
        process changed the library; they stay (see `keep_rows`), and a search first takes
        that change into the index."""
        worker = get_current_worker()
        searching = pinned is None and bool(paperset.query)
        if searching and shown is not None:
            self.search_service.sync()
        complete = not searching  # a search shows its best hits first when that is quicker
        query, widened = paperset.query, ""
        while True:
            result = self._search(query, gen, complete) if searching else None
            if worker.is_cancelled or (searching and result is None):
                return
            if result is not None and not widened and (typed := self._widen(query, result)):
                wide = self._search(typed, gen, complete)
                if worker.is_cancelled:
                    return
                if wide is not None and wide.total and not wide.fallback:
                    query, widened, result = typed, typed, wide
            if result is not None and widened:
                result = replace(result, suggestion=None, widened=widened)
            complete = result is None or result.complete
            with Library(self.app.library_root) as library:
                view = self._view(library, paperset, pinned, result, totals, self.app.new_since)
                if shown is not None:
                    view.ids = keep_rows(self._still_there(library, shown, view.ids), view.ids)
                if worker.is_cancelled:
                    return
                self.post_message(ViewLoaded(gen, view))  # the list first, the counts next
                if not complete:
                    complete = True
                    continue  # and now every hit
                if view.facets is None or totals is not None:  # scoped, or totals maybe stale
                    # Counting is 0.15-0.4 s of CPU at 100,000 papers, and uncancellable
                    # once started: while a query is typed, the next keystroke cancels it
                    # first, rather than leave it competing with the reader for the CPU.
                    if worker.cancelled_event.wait(REST_SECONDS):
                        return
                    facets, fresh = counts(library, view.hits, new_since=self.app.new_since)
                    if not worker.is_cancelled:
                        self.post_message(CountsLoaded(gen, facets, fresh))
                return

    @staticmethod
    def _still_there(library: Library, shown: list[str], fresh: list[str]) -> list[str]:
        """``shown`` without the papers another process removed from the library."""
        listed = set(fresh)
        others = [i for i in shown if i not in listed]
        if not others:
            return shown
        present = library.existing(others)
        return [i for i in shown if i in listed or i in present]

    def _widen(self, query: str, result: SearchResult) -> str | None:
        """For a word still being typed that matches nothing ("transf"), the query with it as
        the start of a word, once the typing rests: searched at every keystroke it would
        compete with the typing for the CPU. None: show ``result`` (or a newer key came)."""
        if (typed := widened_query(query, result.total, result.fallback)) is None:
            return None
        if get_current_worker().cancelled_event.wait(REST_SECONDS):
            return None
        return typed

    def _search(self, query: str, gen: int, complete: bool) -> SearchResult | None:
        """The search, or None when a newer keystroke overtook it or it failed (said once,
        in the status line: a half-typed query must not raise a toast per key)."""
        worker = get_current_worker()
        try:
            return self.search_service.search(
                query, cancelled=lambda: worker.is_cancelled, complete=complete
            )
        except SearchCancelled:
            return None
        except Exception as exc:
            from paperdeck.core.search.index import IndexCorrupt  # loaded: a search ran

            if isinstance(exc, IndexCorrupt):  # damaged or deleted while the reader runs
                self.post_message(IndexDamaged())
                exc = SearchUnavailable("the search index was damaged; rebuilding it")
            self.post_message(SearchFailed(gen, str(exc) or type(exc).__name__))
            return None

    @staticmethod
    def _view(
        library: Library,
        paperset: PaperSet,
        pinned: Pinned | None,
        result: SearchResult | None,
        totals: Facets | None,
        new_since: int | None = None,
    ) -> ViewData:
        view = load_view(
            library,
            paperset,
            list(result.ids) if result is not None else None,
            pinned=pinned.ids if pinned else None,
            with_facets=False,
            totals=totals,
            new_since=new_since,
        )
        if result is not None:
            view.terms = list(result.terms)
            view.suggestion = result.suggestion
            view.fallback = bool(result.fallback)
            view.widened = result.widened
            view.more = not result.complete
            view.estimated = result.estimated
            view.total = result.total
        return view

    def on_view_loaded(self, message: ViewLoaded) -> None:
        if message.generation == self._generation:
            self.show_view(message.view)

    def on_search_failed(self, message: SearchFailed) -> None:
        if message.generation == self._generation:
            self._stop_slow_timer()
            self.status.set_view(Text("Search: ") + Text(message.message))

    def show_view(self, view: ViewData) -> None:
        self._stop_slow_timer()
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
        self.show_status()
        if self.papers.highlighted_id == self.current_id:  # else it follows the highlight
            self.follow_when_resting()  # new words to highlight, maybe another suggestion

    def show_counts(self, totals: Facets) -> None:
        views = totals.views
        name = terminal_safe(library_title(self.app.library_root, demo=self.app.demo))
        unread = f" · {views['unread']} unread" if "unread" in views else ""  # counted next
        new = f" · {views['new']} new" if "new" in views else ""
        self.sub_title = (
            f"{name} · {totals.total} papers · {views.get('starred', 0)} starred{unread}{new}"
        )

    def show_status(self) -> None:
        view = self.view
        if view is None:
            return
        text = Text(f"{count_text(view, bool(self.paperset.query and not self.pinned))} · ")
        # What the user should act on comes first: at 80 columns the line is cut at the end.
        if view.fallback:  # never claim close matches: the plain words are all it searched
            text.append("query not understood: plain words searched · ")
        if view.widened:
            text.append("searched ")
            text.append(f"“{view.widened}”", style="bold")
            text.append(" · ")
        if view.suggestion:
            text.append("did you mean ")
            text.append(view.suggestion, style="bold")
            text.append("? · ")
        if self.pinned:
            text.append_text(Text(self.pinned.description))
        else:
            text.append_text(Text(self.paperset.description))
            text.append(f" · sorted by {with_default_sort(self.paperset).effective_sort.label}")
        self.status.set_view(text)

    def refresh_counts(self) -> None:
        """A star, tag or read mark changed the counts (not the list: it stays put)."""
        self.load_counts_in_thread(self.view.hits if self.view else None, self._generation)

    @work(thread=True, exclusive=True, group="counts", exit_on_error=False)
    def load_counts_in_thread(self, hits: list[str] | None, gen: int) -> None:
        with Library(self.app.library_root) as library:
            facets, totals = counts(library, hits, new_since=self.app.new_since)
        self.post_message(CountsLoaded(gen, facets, totals))

    def on_counts_loaded(self, message: CountsLoaded) -> None:
        if message.generation == self._generation and self.view is not None:
            self.view.facets, self.view.totals = message.facets, message.totals
            self.sidebar.show(message.facets, self.paperset, message.totals)
            self.show_counts(message.totals)

    # -- the search index -----------------------------------------------------------------

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def open_index(self) -> None:
        """Open (maybe rebuild) the index after the first paint; report progress."""
        worker = get_current_worker()

        def progress(message: str, done: int, total: int) -> None:
            if worker.is_cancelled:
                raise RuntimeError("cancelled")
            self.post_message(IndexProgress(message, done, total))

        self.app.call_from_thread(self._start_slow_timer, "Opening search index…")
        try:
            self.search_service.open(progress=progress)
        except Exception as exc:
            self.search_service.error = f"Search unavailable: {exc}"
            self.post_message(IndexOpened(self.search_service.error))
            return
        self.post_message(IndexOpened())

    def on_index_damaged(self, message: IndexDamaged) -> None:
        if not self.search_service.repairing:
            self.notify(
                "The search index was damaged or deleted; rebuilding it", severity="warning"
            )
            self.repair_index()

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def repair_index(self) -> None:
        """Rebuild the index a search found damaged, with progress; then search again."""
        worker = get_current_worker()

        def progress(message: str, done: int, total: int) -> None:
            if worker.is_cancelled:
                raise RuntimeError("cancelled")
            self.post_message(IndexProgress(message, done, total))

        try:
            self.search_service.repair(progress=progress)
        except Exception as exc:
            self.post_message(IndexOpened(f"Search unavailable: {exc}"))
            return
        self.post_message(IndexOpened())

    def on_index_progress(self, message: IndexProgress) -> None:
        self._stop_slow_timer()
        if message.total:
            label = message.message or "Building search index"
            self.status.set_activity(f"{label}… {message.done}/{message.total}")
        else:
            self.status.set_activity(message.message)

    def on_index_opened(self, message: IndexOpened) -> None:
        self._stop_slow_timer()
        self.status.set_activity("")
        if message.error:
            self.notify(message.error, severity="warning", markup=False)
        if self.paperset.query:
            self.reload()

    def schedule_index_sync(self) -> None:
        """Stars, notes and tags reach the index in batches, a few seconds after the edits."""
        if self._sync_timer is not None:
            self._sync_timer.stop()
        self._sync_timer = self.set_timer(SYNC_SECONDS, self.sync_index_in_thread)

    @work(thread=True, exclusive=True, group="sync", exit_on_error=False)
    def sync_index_in_thread(self) -> None:
        self.search_service.sync()

    def _start_slow_timer(self, text: str) -> None:
        self._stop_slow_timer()
        self._slow_timer = self.set_timer(SLOW_SECONDS, lambda: self.status.set_activity(text))

    def _stop_slow_timer(self) -> None:
        if self._slow_timer is not None:
            self._slow_timer.stop()
            self._slow_timer = None
            self.status.set_activity("")
