"""One place that evaluates a view: a paper set becomes the papers to list.

A `PaperSet` (filters, a query, a sort) plus the library and its search index gives the
ids in order, how many there are, the words to highlight, a "did you mean", and the papers
the sidebar counts: a `Selection`. `paperdeck search` prints one, the reader shows them
(`ui/screens/view_loader.py`). Neither repeats the steps: the index for a query, SQL for
the filters and the order, the hits as the sidebar's scope.

Whoosh is never imported here: the caller hands over something that searches (the CLI's
index, the reader's `SearchService`), so `paperdeck search --starred` without a query
never opens the index.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from paperdeck.core.cancel import Cancel, SearchCancelled
from paperdeck.core.paperset import FACET_KINDS, PaperSet, Sort
from paperdeck.core.query_words import widened_query
from paperdeck.core.store.records import Facets

if TYPE_CHECKING:
    from paperdeck.core.search.search_result import SearchResult
    from paperdeck.core.store import Library

Cancelled = SearchCancelled  # raised when the caller's cancel check says stop


class Searches(Protocol):
    """What the catalog needs of a search index (`SearchIndex.search`'s keywords)."""

    def search(
        self, query: str, *, cancelled: Cancel | None = None, **options: Any
    ) -> SearchResult:
        """Raise `SearchCancelled` when ``cancelled()`` says stop, before or while it runs."""
        ...


@runtime_checkable
class KnowsOthers(Protocol):
    """An index that names the papers a search did not match (`SearchIndex.others`)."""

    def others(
        self, hits: Sequence[str], cancel: Cancel | None = None
    ) -> tuple[int, Sequence[str]] | None: ...


@dataclass(slots=True)
class Selection:
    """A view, evaluated: what to list and what to say about it."""

    ids: Sequence[str]  # in the view's order (a search: best first)
    total: int  # every paper of the view (with ``exact`` False: as far as known)
    exact: bool = True  # False: only the best hits; the complete selection follows
    estimated: bool = False  # ``total`` is the index's estimate; the exact one follows
    terms: list[str] = field(default_factory=list)  # words to highlight
    suggestion: str | None = None  # the query with misspelt words corrected
    fallback: bool = False  # the query was malformed and ran as plain words
    widened: str = ""  # the query searched instead (its last word as a prefix)
    scope: Sequence[str] | None = None  # what the sidebar counts (None: the whole library)
    matches: Sequence[str] | None = None  # a query's hits before the filters (None: no query)


class Catalog:
    """A library and its search index, asked for views."""

    def __init__(self, library: Library, index: Searches | None = None) -> None:
        self.library = library
        self.index = index

    def first(self, paperset: PaperSet, rows: int) -> list[str]:
        """The first ``rows`` ids of ``paperset`` without its query: the reader's first
        screen, read through the date index in a fraction of a millisecond at 100k."""
        return self.library.first_ids(paperset, rows)

    def select(
        self,
        paperset: PaperSet,
        limit: int | None = None,
        *,
        cancel: Cancel | None = None,
        pinned: Sequence[str] | None = None,
        rank_all: bool = True,
    ) -> Selection:
        """The whole view (see `selections`), the first ``limit`` ids of it."""
        *_, last = self.selections(paperset, limit, cancel=cancel, pinned=pinned, rank_all=rank_all)
        return last

    def selections(
        self,
        paperset: PaperSet,
        limit: int | None = None,
        *,
        cancel: Cancel | None = None,
        pinned: Sequence[str] | None = None,
        best_first: bool = False,
        first_rows: int | None = None,
        count: bool = True,
        rank_all: bool = True,
        widen: Callable[[], bool] | None = None,
    ) -> Iterator[Selection]:
        """The view, maybe in two steps: with ``best_first``, a search may first yield only
        its best hits (``exact`` False, ``total`` their count: a phrase of common words is
        checked only where it can reach them), then the complete selection. A search listed
        newest first (unfiltered) then first yields its first ``first_rows`` (found by
        walking the date index, not by sorting every hit; its count ``estimated`` until
        the rest are in order).

        ``limit``: the ids kept (``total`` still counts them all); a plain search in
        relevance order then ranks only those. ``count`` False: the ``limit`` kept are all
        that is wanted, and ``total`` is the index's count of hits, before any filter (a
        search listed newest first then finds them without sorting every hit).
        ``rank_all`` False: the best 200 hits in
        relevance order, the others in index order (cheaper; the reader's way).
        ``pinned``: ids listed as they are (the similar papers). ``widen``: asked before a
        word still being typed that matches nothing ("transf") is searched as the start of
        a word; the reader waits there for the typing to rest. ``cancel`` is checked
        between the steps; `SearchCancelled` is raised when it says stop.
        """
        if pinned is not None:
            ids = list(pinned)
            yield Selection(_first(ids, limit), len(ids), scope=list(ids))
            return
        if not paperset.query:
            listed = self.library.select(paperset)
            scope = listed if paperset.filters else None
            yield Selection(_first(listed, limit), len(listed), scope=scope)
            return
        plain = paperset.plain_search
        options: dict[str, Any] = {} if not rank_all else {"ranked": None}
        if paperset.effective_sort is not Sort.RELEVANCE:
            options = {"ranked": 0}
        elif plain and limit is not None:
            options = {"ranked": limit, "limit": limit}
        walk = best_first and limit is None and not paperset.filters
        walked = first_rows if walk and paperset.effective_sort is Sort.NEWEST else None
        complete = not best_first or walked is not None  # a walk needs every hit, unranked
        query, widened = paperset.query, ""
        while True:
            result = self._search(query, cancel, complete=complete, **options)
            if not widened and widen is not None:
                wide = self._widened(query, result, cancel, widen, complete, options)
                if wide is not None:
                    query, widened, result = wide
            if walked is not None and len(result.ids) > walked:
                yield self._selection(paperset, result, walked, plain, widened, count=False)
                if cancel is not None and cancel():
                    raise Cancelled(query)
            yield self._selection(paperset, result, limit, plain, widened, count)
            if result.complete:
                return
            complete = True  # and now every hit

    def counts(
        self,
        scope: Sequence[str] | None,
        totals: Facets | None = None,
        new_since: int | None = None,
    ) -> Facets:
        """The sidebar's counts over ``scope`` (a `Selection.scope`); None: the library's
        totals (``totals`` when the caller has them still current). ``new_since``: papers
        that arrived after it count as new too (the reader's New view).

        A search's hits that are most of the library are counted as the ``totals`` less
        the papers it did not match, when the index can name those and holds every change
        of the library: read in one `Library.reading` with ``totals``, they add up."""
        if scope is None:
            return totals if totals is not None else self.totals(new_since)
        if totals is not None and totals.new_since == new_since:
            others = self._others(scope, totals.total)
            if others is not None:
                counted = self.library.facets_outside(others, totals)
                if counted.total == len(scope):  # the hits are the rest: else count them
                    return counted
        return self.library.facets(scope, new_since)

    def _others(self, scope: Sequence[str], papers: int) -> Sequence[str] | None:
        """The library's papers outside ``scope``, if the index knows them (`others`)."""
        if not isinstance(self.index, KnowsOthers) or len(scope) * 2 <= papers:
            return None
        found = self.index.others(scope, self.library.stop)
        if found is None:
            return None
        seq, others = found
        _seq, pending = self.library.changes_after(seq, limit=1)
        return None if pending else others

    def with_siblings(
        self,
        facets: Facets,
        paperset: PaperSet,
        matches: Sequence[str] | None,
        totals: Facets,
    ) -> Facets:
        """``facets`` (the counts of ``paperset``'s view) where a facet kind has an active
        filter, its values counted as choosing each would list: the view without that
        filter (the search's ``matches`` and the other filters), narrowed to the value.
        Without a query or other filters that is the library's ``totals``."""
        kinds = [k for k in FACET_KINDS if any(f.kind == k for f in paperset.filters)]
        if not kinds:
            return facets
        values = dict(facets.values)
        for kind in kinds:
            others = paperset.without(kind)  # type: ignore[arg-type]
            if not others.filters and matches is None:
                values[kind] = totals.values.get(kind, Counter())
                continue
            scope = self.library.select(others, matches) if others.filters else (matches or [])
            values[kind] = self.library.facets(scope).values.get(kind, Counter())
        return Facets(facets.total, dict(facets.views), values, facets.new_since)

    def totals(self, new_since: int | None = None) -> Facets:
        """The whole library's counts (a scan of the table: 0.2-0.4 s at 100k papers)."""
        return self.library.facets(new_since=new_since)

    # -- steps ----------------------------------------------------------------------------

    def _search(self, query: str, cancel: Cancel | None, **options: Any) -> SearchResult:
        if cancel is not None and cancel():
            raise Cancelled(query)
        if self.index is None:
            raise RuntimeError("no search index to search")
        result = self.index.search(query, cancelled=cancel, **options)
        if cancel is not None and cancel():
            raise Cancelled(query)
        return result

    def _widened(
        self,
        query: str,
        result: SearchResult,
        cancel: Cancel | None,
        widen: Callable[[], bool],
        complete: bool,
        options: dict[str, Any],
    ) -> tuple[str, str, SearchResult] | None:
        if (typed := widened_query(query, result.total, result.fallback)) is None:
            return None
        if not widen():
            raise Cancelled(query)
        try:
            wide = self._search(typed, cancel, complete=complete, **options)
        except Cancelled:
            raise
        except Exception:  # the query as typed still stands
            return None
        if not wide.total or wide.fallback:
            return None
        return typed, typed, wide

    def _selection(
        self,
        paperset: PaperSet,
        result: SearchResult,
        limit: int | None,
        plain: bool,
        widened: str,
        count: bool = True,
    ) -> Selection:
        ids = self.library.select(paperset, result.ids, None if count else limit)
        # The best hits only: the index's count (maybe an estimate) says how many there are.
        total = result.total if plain or not result.complete or not count else len(ids)
        first_only = not count and limit is not None and len(result.ids) > limit
        return Selection(
            _first(ids, limit),
            total,
            exact=result.complete and not first_only,
            estimated=bool(result.estimated) or first_only,
            terms=list(result.terms),
            suggestion=None if widened else result.suggestion,
            fallback=bool(result.fallback),
            widened=widened,
            # Shared, not copied (nothing changes them): 8 MB a list at a million hits.
            scope=ids if paperset.filters else result.ids,
            matches=result.ids,
        )


def _first(ids: Sequence[str], limit: int | None) -> Sequence[str]:
    return ids if limit is None else ids[:limit]
