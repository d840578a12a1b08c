"""The paper set a sidebar choice or the sort key leads to, from the one shown.

Pure functions of a `PaperSet`, so the screen only assigns what they return (and its
watcher reloads the view).
"""

from __future__ import annotations

from paperdeck.core.paperset import FACET_KINDS, PaperSet, Sort
from paperdeck.core.query_words import with_default_sort

SORT_CYCLE = (Sort.RELEVANCE, Sort.NEWEST, Sort.OLDEST, Sort.TITLE, Sort.STARRED, Sort.UPVOTES)


def chosen_in_sidebar(current: PaperSet, kind: str, value: str) -> PaperSet:
    """All clears the filters (the search stays); an active filter chosen again is dropped;
    a sibling of an active facet filter replaces it; anything else narrows the set."""
    if kind == "all":
        return PaperSet(query=current.query, sort=current.sort)
    if current.has(kind, value):  # type: ignore[arg-type]
        return current.without(kind, value)  # type: ignore[arg-type]
    if kind in FACET_KINDS:  # a sibling of an active filter: switch to it
        switched = current.without(kind)  # type: ignore[arg-type]
        return switched.narrowed(kind, value)  # type: ignore[arg-type]
    return current.narrowed(kind, value)  # type: ignore[arg-type]


def next_sort(current: PaperSet) -> Sort:
    """The sort after the one shown (relevance only while searching)."""
    order = [s for s in SORT_CYCLE if current.query or s is not Sort.RELEVANCE]
    shown = with_default_sort(current).effective_sort
    return order[(order.index(shown) + 1) % len(order)] if shown in order else order[0]
