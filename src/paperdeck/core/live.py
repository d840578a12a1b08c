"""What a live reader needs from the library: whether another process changed it, and how
to take the fresh list in without moving the rows under the user's cursor.

Plain Python (no Textual): the reader polls a `LibraryWatch` a couple of times a second.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from paperdeck.core.arrivals import ARRIVALS

if TYPE_CHECKING:
    from paperdeck.core.store import Library

# The counters whose values change with everything a reader shows: 'papers' (insertions),
# 'edits' (any row of papers updated, a tag added or removed) and the newest arrival.
_STATE = ("papers", "edits", ARRIVALS)


class LibraryWatch:
    """Tells whether another process changed what a reader shows, cheap enough to ask twice
    a second forever.

    `PRAGMA data_version` of the watched connection changes only when another connection
    commits, and reading it reads no page; only then are three counters read (primary-key
    lookups, kept by triggers). A commit that changes nothing visible (the search index
    pruning its change log) changes no counter and is not reported.
    """

    def __init__(self, library: Library) -> None:
        self.library = library
        self._version = library.data_version()
        self._state = self._read()

    @property
    def seen_arrival(self) -> int:
        """The newest arrival as of the last poll: what the reader has been told about."""
        return self._state[2]

    def _read(self) -> tuple[int, ...]:
        return tuple(self.library.counter(name) for name in _STATE)

    def poll(self) -> bool:
        """Whether another process changed the library since the last poll."""
        version = self.library.data_version()
        if version == self._version:
            return False
        self._version = version
        state = self._read()
        if state == self._state:
            return False
        self._state = state
        return True

    def own_write(self) -> None:
        """The reader wrote through the watched connection: its own change is no news.

        The counters are read before `data_version`: if no other connection has committed
        since the last poll, every change in them is the reader's own. If one has, they are
        left as they were, and the next poll reports that change (with the reader's own).
        """
        state = self._read()
        if self.library.data_version() == self._version:
            self._state = state


KEEP_WITHIN = 20_000  # rows of a list, from its top, whose place a live change keeps


def within_reach(shown: Sequence[str], fresh: Sequence[str]) -> tuple[Sequence[str], set[str]]:
    """(the first `KEEP_WITHIN` rows of ``shown``, those of them ``fresh`` still lists),
    found in one pass over ``fresh``: a set of a million hits' ids (made one by one from a
    `PickedIds`) took ~90 MB and a second a reload."""
    near = shown[:KEEP_WITHIN] if len(shown) > KEEP_WITHIN else shown
    wanted = set(near)
    return near, {paper_id for paper_id in fresh if paper_id in wanted}


def keep_rows(shown: Sequence[str], fresh: Sequence[str]) -> Sequence[str]:
    """The list after another process's change: ``fresh`` (the view's ids now), with each
    row already shown that no longer matches kept after the row it followed.

    So the cursor's paper, and the user's place, stay where they were, as they do after the
    user's own unstar or read mark; such rows leave when the view changes. Only the first
    `KEEP_WITHIN` rows are kept so: a row further down that no longer matches leaves at once.
    """
    shown, fresh_ids = within_reach(shown, fresh)
    kept: dict[str | None, list[str]] = {}
    anchor: str | None = None
    for paper_id in shown:
        if paper_id in fresh_ids:
            anchor = paper_id
        else:
            kept.setdefault(anchor, []).append(paper_id)
    if not kept:
        return fresh  # as it is: a run of the whole library is not made a list of strings
    result = list(kept.get(None, ()))
    for paper_id in fresh:
        result.append(paper_id)
        result.extend(kept.get(paper_id, ()))
    return result
