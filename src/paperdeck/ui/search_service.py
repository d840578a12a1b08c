"""The reader's bridge to the search index, and what the main screen shows of a view.

Plain Python (no Textual): the main screen calls it from thread workers. The index is opened
once, in a worker, after the first paint, and then shared by later workers under a lock: one
thread at a time uses it (and the Library it holds), as the store asks.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paperdeck.core.cancel import SearchCancelled
from paperdeck.core.paperset import PaperSet
from paperdeck.core.store import Facets, Library

if TYPE_CHECKING:
    from paperdeck.core.search.index import SearchIndex
    from paperdeck.core.search.search_result import SearchResult

Progress = Callable[[str, int, int], None]


@dataclass(slots=True)
class ViewData:
    """Everything the main screen shows for one paper set.

    ``facets`` (the sidebar counts) follow the search or the similar-papers list, and are
    None until counted: over a large search they cost more than the list, so they come
    second. ``totals`` are the whole library's, for the header.
    """

    ids: Sequence[
        str
    ]  # a list, the whole library newest first (`IdRun`), or many hits (`PickedIds`)
    facets: Facets | None
    totals: Facets
    terms: list[str] = field(default_factory=list)
    suggestion: str | None = None
    fallback: bool = False
    widened: str = ""  # the query searched instead, its last word as a prefix
    hits: Sequence[str] | None = None  # the scope of the sidebar counts (None: everything)
    partial: bool = False  # the first screen: only the first ids, and rough totals
    more: bool = False  # a search's best hits only: the others follow in a moment
    estimated: bool = False  # the search's total is an estimate until they do
    total: int | None = None  # a search's count of hits, when they are not all in ``ids``
    paperset: PaperSet | None = None  # what was selected (None: the similar papers)
    matches: Sequence[str] | None = None  # a query's hits before the filters

    @property
    def count(self) -> int:
        """How many papers the view lists (known before all their ids are loaded)."""
        if self.partial:
            return self.totals.total
        return len(self.ids) if self.total is None or not self.more else self.total


def count_text(view: ViewData, searching: bool) -> str:
    """ "N results" once the count is exact, "about N results" while it is an estimate, and
    "N+ results" when only the best N are known; "N papers" for a view that is no search.
    Scripts and tests read it from the status line."""
    count = view.count
    noun = "result" if searching else "paper"
    if view.more and view.estimated:
        return f"about {count} {noun}s"
    if view.more and view.total is None:
        return f"{count}+ {noun}s"
    return f"{count} {noun}{'' if count == 1 else 's'}"


FIRST_ROWS = 200  # ids loaded for the first screen; the rest follow from a worker


class SearchUnavailable(Exception):
    """The index is not open (still loading, or it failed): say so, do not crash."""


class SearchService:
    """Owns the SearchIndex: opened in a worker, used by one worker at a time (but for
    `decode_ids`, which only decodes ids a search reads safely meanwhile)."""

    def __init__(self, library_root: Path) -> None:
        self.library_root = library_root
        self._index: SearchIndex | None = None
        self._library: Library | None = None
        self._lock = threading.Lock()
        self.error: str | None = None
        self.closing = False
        self.repairing = False

    @property
    def ready(self) -> bool:
        return self._index is not None

    def open(self, progress: Progress | None = None) -> bool:
        """Open (or rebuild) the index and apply pending changes; True if it was rebuilt.

        Imports whoosh, so it must run in a worker after the first paint. A `close` while
        this runs stops it at the next progress report.
        """
        from paperdeck.core.search.index import SearchIndex

        def report(message: str, done: int, total: int) -> None:
            if self.closing:
                raise SearchUnavailable("the reader is closing")
            if progress is not None:
                progress(message, done, total)

        with self._lock:
            if self._index is not None or self.closing:
                return False
            library = Library(self.library_root)
            try:
                index = SearchIndex(library)
                rebuilt = bool(index.ensure(progress=report))
            except BaseException:
                library.close()
                raise
            self._library, self._index = library, index
            return rebuilt

    def decode_ids(self) -> None:
        """`SearchIndex.decode_ids`, in the worker that opened the index, after it said so:
        not under the lock, so a search typed meanwhile runs (and waits only for the ids)."""
        index = self._index
        if index is not None:
            index.decode_ids()

    def search(
        self, query: str, *, cancelled: Callable[[], bool] | None = None, **options: Any
    ) -> SearchResult:
        """`SearchIndex.search` (the `Catalog` asks with its options); a search whose
        keystroke was overtaken, while it waited for the index or while it ran, stops
        (`SearchCancelled`) rather than delay the newer one."""
        if self.repairing:
            raise SearchUnavailable("the search index is being rebuilt")
        with self._lock:
            if cancelled is not None and cancelled():
                raise SearchCancelled(query)
            return self._require().search(query, cancel=cancelled, **options)

    def others(
        self, hits: Sequence[str], cancel: Callable[[], bool] | None = None
    ) -> tuple[int, Sequence[str]] | None:
        """`SearchIndex.others`, for the counts: not under the lock (the index takes its
        own, briefly), so the next key's search never waits for them."""
        index = self._index
        return None if index is None else index.others(hits, cancel)

    def repair(self, progress: Progress | None = None) -> bool:
        """Rebuild an index a search found damaged or deleted (`IndexCorrupt`), in the
        caller's worker; searches meanwhile say the index is being rebuilt. True if it
        rebuilt (another worker may have mended it first)."""
        self.repairing = True
        try:
            with self._lock:
                if self._index is None:
                    return False
                return bool(self._index.ensure(progress=progress))
        finally:
            self.repairing = False

    def more_like(self, paper_id: str, limit: int = 20) -> list[str]:
        with self._lock:
            return list(self._require().more_like(paper_id, limit=limit))

    def sync(self) -> int:
        """Apply the library's pending changes (notes, tags, imports) to the index."""
        with self._lock:
            if self._index is None:
                return 0
            return int(self._index.sync())

    def close(self) -> None:
        """Close the index; never waits long (an open in progress stops at its next report)."""
        self.closing = True
        if not self._lock.acquire(timeout=2.0):
            return
        try:
            index, library = self._index, self._library
            self._index = self._library = None
            if index is not None:
                _quietly(index.close)
            if library is not None:
                _quietly(library.close)
        finally:
            self._lock.release()

    def _require(self) -> SearchIndex:
        if self._index is None:
            raise SearchUnavailable(self.error or "the search index is still opening")
        return self._index


def _quietly(close: Callable[[], Any]) -> None:
    with contextlib.suppress(Exception):
        close()
