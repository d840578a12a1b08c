"""The user's own marks on papers: star, note, tags, read.

This is the data the user cannot get back from any source, so each change is one write in a
transaction the `Library` opened (the functions take its connection), committed at once; a
change that acts on what is stored (a flip, a tag added to the stored tags) reads it inside
that transaction, so a concurrent writer's change is never overwritten unseen.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from paperdeck.core.store.changes import log_change
from paperdeck.core.store.reads import chunks, require, tags_of
from paperdeck.core.store.records import TAG_LIMIT, NoteChanged, TagTooLong, now
from paperdeck.core.text import normalise_tag


def set_starred(db: sqlite3.Connection, paper_id: str, starred: bool) -> bool:
    """Star or unstar; returns whether anything changed."""
    stamp = now() if starred else None
    cursor = db.execute(
        "UPDATE papers SET starred_at = ?, changed_at = ? WHERE id = ?"
        " AND (starred_at IS NULL) = ?",
        (stamp, now(), paper_id, starred),
    )
    require(db, paper_id)
    if cursor.rowcount:
        log_change(db, paper_id, "starred")
    return cursor.rowcount > 0


def toggle_star(db: sqlite3.Connection, paper_id: str) -> bool:
    """Flip the star (safe against a concurrent writer); the new state."""
    require(db, paper_id)
    db.execute(
        "UPDATE papers SET starred_at = CASE WHEN starred_at IS NULL THEN ? END,"
        " changed_at = ? WHERE id = ?",
        (now(), now(), paper_id),
    )
    log_change(db, paper_id, "starred")
    row = db.execute("SELECT starred_at FROM papers WHERE id = ?", (paper_id,)).fetchone()
    return row[0] is not None


def write_note(
    db: sqlite3.Connection, paper_id: str, note: str, *, expected: str | None = None
) -> None:
    """Replace the note with ``note`` (already cleaned).

    ``expected``: the note as it was read when editing began. If another session has
    changed it since (and not to this very text), nothing is written and `NoteChanged`
    says what it is now: an editor never overwrites a note it has not seen.
    """
    require(db, paper_id)
    if expected is not None:
        row = db.execute("SELECT note FROM papers WHERE id = ?", (paper_id,)).fetchone()
        if row[0] != expected and row[0] != note:
            raise NoteChanged(paper_id, row[0])
    db.execute("UPDATE papers SET note = ?, changed_at = ? WHERE id = ?", (note, now(), paper_id))
    log_change(db, paper_id, "note")


def mark_read(db: sqlite3.Connection, ids: Sequence[str]) -> int:
    """Mark all ``ids`` read; how many were unread."""
    marked, stamp = 0, now()
    for chunk in chunks(list(ids), 500):
        marks = ",".join("?" * len(chunk))
        cursor = db.execute(
            f"UPDATE papers SET read = 1, read_at = ? WHERE read = 0 AND id IN ({marks})",
            [stamp, *chunk],
        )
        marked += cursor.rowcount
    return marked


def unread_count(db: sqlite3.Connection, ids: Sequence[str]) -> int:
    """How many of ``ids`` are not read yet: what marking them all read would mark."""
    total = 0
    for chunk in chunks(list(ids), 500):
        marks = ",".join("?" * len(chunk))
        query = f"SELECT count(*) FROM papers WHERE read = 0 AND id IN ({marks})"
        total += db.execute(query, chunk).fetchone()[0]
    return total


def first_unread(db: sqlite3.Connection, ids: Sequence[str]) -> str | None:
    """The first of ``ids`` (in their order) not read yet; asked in chunks, so the next
    unread paper of a 100,000-paper list costs one query when it is close."""
    for chunk in chunks(list(ids), 200):
        marks = ",".join("?" * len(chunk))
        unread = {
            r[0]
            for r in db.execute(f"SELECT id FROM papers WHERE read = 0 AND id IN ({marks})", chunk)
        }
        if unread:
            return next(i for i in chunk if i in unread)
    return None


def set_read(db: sqlite3.Connection, paper_id: str, read: bool) -> bool:
    require(db, paper_id)
    cursor = db.execute(
        "UPDATE papers SET read = ?, read_at = ? WHERE id = ? AND read <> ?",
        (int(read), now() if read else None, paper_id, int(read)),
    )
    return cursor.rowcount > 0


def add_tags(db: sqlite3.Connection, paper_id: str, tags: Iterable[str]) -> list[str]:
    """Add tags (normalised: lower case, no spaces); returns the paper's tags after. A tag
    over `TAG_LIMIT` raises `TagTooLong` and none is added."""
    require(db, paper_id)
    added = list(filter(None, map(normalise_tag, tags)))
    for tag in added:
        if len(tag) > TAG_LIMIT:
            raise TagTooLong(len(tag))
    current = tags_of(db, paper_id)
    wanted = list(dict.fromkeys([*current, *added]))
    if wanted != current:
        set_tags(db, paper_id, wanted)
        log_change(db, paper_id, "tags")
    return wanted


def remove_tags(db: sqlite3.Connection, paper_id: str, tags: Iterable[str]) -> list[str]:
    require(db, paper_id)
    current = tags_of(db, paper_id)
    dropped = set(map(normalise_tag, tags))
    wanted = [t for t in current if t not in dropped]
    if wanted != current:
        set_tags(db, paper_id, wanted)
        log_change(db, paper_id, "tags")
    return wanted


def set_tags(db: sqlite3.Connection, paper_id: str, tags: list[str]) -> None:
    """Replace the paper's tags with ``tags``, in that order (logs no change)."""
    db.execute("DELETE FROM paper_facets WHERE paper_id = ? AND kind = 'tag'", (paper_id,))
    db.executemany(
        "INSERT OR IGNORE INTO paper_facets (paper_id, kind, value, position)"
        " VALUES (?, 'tag', ?, ?)",
        [(paper_id, tag, i) for i, tag in enumerate(tags)],
    )
