"""Every paper id newest first, kept between searches: a search listed newest first with many
hits filters it, and the whole list (shown again when a search is cleared) is split from it,
instead of walking the date index again.

At a million papers the walk took 0.35-0.7 s of each complete `cat:` or `author:` list;
splitting the kept order and keeping 182,000 hits takes 0.2-0.3 s (most of it hashing the
split ids to look them up). The order is kept as one string (11 MB at a million papers,
where the ids as a list of strings take ~70 MB) and trusted only
while the library's stamp is unchanged (`_stamp`): above all the change log's last number,
as every write of a paper's date, title or id is logged for the search index.

The reader opens a `Library` for each view it loads and hands each the same `NewestOrder`:
the whole list it loads at start keeps the order, and so does the worker that opened the
index (a key typed stops the first), so its first search with many hits already finds it.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Sequence, Set
from contextlib import suppress

from paperdeck.core.cancel import Cancel, SearchCancelled
from paperdeck.core.store.id_run import SEPARATOR, IdRun, pieces

PIECE = 1 << 16  # characters of ids split at a time (~6,000 ids: see `id_run.PIECE`)
LOCK_POLL = 0.01  # seconds between two cancel checks while another thread walks

Stamp = tuple[object, ...]


class NewestOrder:
    """A library's kept order. Threads share it: each reads the kept pair once, and a walk
    replaces it whole."""

    def __init__(self) -> None:
        self._kept: tuple[Stamp, str] | None = None
        self._run: IdRun | None = None  # the kept order as the whole list shows it
        # One walk at a time: at the reader's start the whole list and the index's worker
        # both asked for the order, and walked the date index twice at once (0.5 s of CPU
        # each at a million papers); the second now waits and splits what the first kept.
        self._walking = threading.Lock()

    def among(
        self,
        db: sqlite3.Connection,
        hits: Set[str],
        order_sql: str,
        stop: Cancel | None = None,
    ) -> list[str]:
        """The ``hits`` that are papers, newest first (``order_sql``: the newest-first ORDER BY
        of ``papers p``). ``stop`` is asked between pieces (it raises SearchCancelled): a
        load that a newer key replaced stops here as its SQL would."""
        kept = self._current(db, order_sql, hits, stop)
        if isinstance(kept, list):
            return kept  # walked: already filtered
        text = kept if isinstance(kept, str) else kept.text
        found: list[str] = []
        for ids in pieces(text, PIECE, lambda: _check(stop)):
            found += [paper_id for paper_id in ids if paper_id in hits]
        return found

    def keep(self, db: sqlite3.Connection, order_sql: str) -> None:
        """Walk the date index and keep the order, unless it is kept and current."""
        self._current(db, order_sql, frozenset())

    def every(
        self, db: sqlite3.Connection, order_sql: str, stop: Cancel | None = None
    ) -> Sequence[str]:
        """Every paper id newest first, as an `IdRun` of the kept order when it is current
        (at a million papers 11 MB where a list of the ids takes ~70 MB, and made once per
        order: the whole list shown again when a search is cleared costs nothing), else
        read from the date index and kept. ``stop`` as in `among`."""
        kept = self._current(db, order_sql, None, stop)
        if isinstance(kept, IdRun):  # walked: made from the text just kept
            if self._kept is not None and self._kept[1] is kept.text:
                self._run = kept
            return kept
        if isinstance(kept, list):
            return kept
        run = self._run
        if run is None or run.text is not kept:
            run = self._run = IdRun(kept, lambda: _check(stop))
        return run

    def _current(
        self,
        db: sqlite3.Connection,
        order_sql: str,
        hits: Set[str] | None,
        stop: Cancel | None = None,
    ) -> str | list[str] | IdRun:
        """The kept order when it is current, waiting for a walk already under way; else
        what a new walk found (`_walk`), the order kept on the way."""
        stamp = _stamp(db, order_sql)  # read first: a change meanwhile makes the next differ
        kept = self._kept
        if kept is not None and kept[0] == stamp:
            return kept[1]
        while not self._walking.acquire(timeout=LOCK_POLL):
            _check(stop)  # a load replaced while it waits stops as soon as while it walks
        try:
            kept = self._kept  # kept meanwhile by the walk waited for?
            if kept is not None and kept[0] == stamp:
                return kept[1]
            return self._walk(db, stamp, order_sql, hits, stop)
        finally:
            self._walking.release()

    def _walk(
        self,
        db: sqlite3.Connection,
        stamp: Stamp,
        order_sql: str,
        hits: Set[str] | None = None,
        stop: Cancel | None = None,
    ) -> list[str] | IdRun:
        """The date index read and its ids joined by SQLite in one statement, kept, then
        filtered by ``hits`` a piece at a time. ``hits`` None: every id, as a run of the
        joined string.

        Joined by SQLite (`group_concat` over the ordered ids): the whole list at a million
        papers in 0.42-0.44 s, most of it with the interpreter released, where reading the
        rows into Python took 0.63 s that held it between rows, and the reader's keys
        waited behind it as it opened. A `stopped_by` in effect interrupts the statement.

        SQLite calls `group_concat`'s order arbitrary unless the aggregate has its own
        ORDER BY (3.44+, and then it sorts: 20x slower); it keeps the ordered subquery's
        order, as SQLite does not flatten an ordered subquery into an aggregate. Checked
        for free all the same: the joined ids must start with the newest, read in the same
        statement, or the rows are read one by one."""
        _check(stop)
        joined, count, newest, null_id = db.execute(
            f"SELECT group_concat(id, ?), count(*),"
            f" (SELECT p.id FROM papers p ORDER BY {order_sql} LIMIT 1),"
            " EXISTS (SELECT 1 FROM papers WHERE id IS NULL)"  # (through the ids' index)
            f" FROM (SELECT p.id AS id FROM papers p ORDER BY {order_sql})",
            (SEPARATOR,),
        ).fetchone()
        joined = joined or ""
        whole = (
            count > 0
            and not null_id  # (group_concat skips it: none stored, but read so)
            and joined.count(SEPARATOR) == count - 1  # no id holds it
            and _starts_with(joined, newest)
        )
        # Not inside a write that may yet be rolled back (its change numbers with it).
        if whole and not db.in_transaction:
            self._kept = (stamp, joined)
        if hits is not None and not hits:
            return []  # only keeping (`keep`)
        if not whole:
            rows = db.execute(f"SELECT p.id FROM papers p ORDER BY {order_sql}")
            every = [row[0] for row in rows]
            return every if hits is None else [paper_id for paper_id in every if paper_id in hits]
        if hits is None:
            return IdRun(joined, lambda: _check(stop))
        found: list[str] = []
        for ids in pieces(joined, PIECE, lambda: _check(stop)):
            found += [paper_id for paper_id in ids if paper_id in hits]
        return found


def _starts_with(joined: str, first: str) -> bool:
    """Whether the first id of ``joined`` is ``first``."""
    return joined.startswith(first) and joined[len(first) : len(first) + 1] in ("", SEPARATOR)


def _check(stop: Cancel | None) -> None:
    if stop is not None and stop():
        raise SearchCancelled()


def _stamp(db: sqlite3.Connection, order_sql: str) -> Stamp:
    """What changes whenever the order may have: the change log's last number, the number of
    papers, the newest paper (through the date index), and which file the database is (a
    library deleted and made again at the same place starts its numbers over)."""
    row = db.execute(
        "SELECT (SELECT seq FROM sqlite_sequence WHERE name = 'changes'),"
        " (SELECT value FROM counters WHERE name = 'papers'),"
        f" (SELECT p.id FROM papers p ORDER BY {order_sql} LIMIT 1)"
    ).fetchone()
    return (*row, *_file_identity(db))


def _file_identity(db: sqlite3.Connection) -> tuple[int, int]:
    for _seq, name, path in db.execute("PRAGMA database_list"):
        if name == "main" and path:
            with suppress(OSError):
                found = os.stat(path)
                return found.st_dev, found.st_ino
    return (0, 0)
