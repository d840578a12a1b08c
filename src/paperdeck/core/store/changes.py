"""The change log that feeds the search index: the `changes` table.

Every write of a paper's indexed text appends its id here, in the same transaction, and the
search index applies the log in batches (a Whoosh commit costs 40-150 ms at 100k papers; a
SQLite row 0.25 ms). A change to a field the index does not hold (a star) is not logged.
"""

from __future__ import annotations

import sqlite3

from paperdeck.core.search.documents import INDEXED_FIELDS


def log_change(db: sqlite3.Connection, paper_id: str, field: str | None = None) -> None:
    """Log a change for the search index to apply, unless ``field`` (the one attribute
    changed) is not indexed."""
    if field is None or field in INDEXED_FIELDS:
        db.execute("INSERT INTO changes (paper_id) VALUES (?)", (paper_id,))


def last_change(db: sqlite3.Connection) -> int:
    return int(db.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0])


def pending_papers(db: sqlite3.Connection) -> int:
    """How many papers the change log holds (counted, not loaded: 100k after an import)."""
    return int(db.execute("SELECT count(DISTINCT paper_id) FROM changes").fetchone()[0])


def changes_after(
    db: sqlite3.Connection, seq: int, limit: int | None = None
) -> tuple[int, list[str]]:
    """(the newest seq seen, the distinct paper ids changed after ``seq``)."""
    rows = change_rows(db, seq, -1 if limit is None else limit)
    if not rows:
        return seq, []
    return rows[-1][0], list(dict.fromkeys(paper_id for _seq, paper_id in rows))


def change_rows(db: sqlite3.Connection, seq: int, limit: int) -> list[tuple[int, str]]:
    """(seq, paper id) of up to ``limit`` changes after ``seq`` (-1: all), in order."""
    return [
        (int(r[0]), str(r[1]))
        for r in db.execute(
            "SELECT seq, paper_id FROM changes WHERE seq > ? ORDER BY seq LIMIT ?", (seq, limit)
        )
    ]


def prune_changes(db: sqlite3.Connection, upto: int) -> None:
    """Forget changes the index has applied; the log stays small."""
    db.execute("DELETE FROM changes WHERE seq <= ?", (upto,))
