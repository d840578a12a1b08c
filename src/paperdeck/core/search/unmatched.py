"""The documents of an index that a search did not match.

A search that matches most of the library is counted for the sidebar through the papers it
does not match (`Catalog.counts`): the library's totals less theirs. At a million papers,
counting a million hits handed SQLite 14 MB of ids in each of its statements (+106 MB of the
reader's memory, 4 s); the few papers left over are counted in milliseconds.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable

from paperdeck.core.cancel import Cancel, SearchCancelled

PIECE = 1 << 16  # hits marked between two looks at ``cancel``


def unmatched_docnums(
    hits: array[int],
    size: int,
    deleted: Iterable[int],
    most: int,
    cancel: Cancel | None = None,
) -> array[int] | None:
    """Every docnum below ``size`` that is neither among ``hits`` nor ``deleted``, in
    order; None if there are more than ``most`` (then counting them saves nothing).

    One byte a document marks what is matched (1 MB at a million); the rest are found by
    `bytearray.find`, at C speed, so the time follows the hits marked and the few found."""
    marks = bytearray(size)
    for docnum in deleted:
        marks[docnum] = 1
    for start in range(0, len(hits), PIECE):
        if cancel is not None and cancel():
            raise SearchCancelled()
        for docnum in hits[start : start + PIECE]:
            marks[docnum] = 1
    found = array("I")
    at = marks.find(0)
    while at >= 0:
        if len(found) >= most:
            return None
        found.append(at)
        at = marks.find(0, at + 1)
    return found
