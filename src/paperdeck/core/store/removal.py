"""Removing papers and bringing them back: the library's side of the trash.

`core/trash.py` keeps removed records whole (with the user's star, note, tags and read
mark); these functions move papers between it and the library inside a transaction the
`Library` opened. A restore goes through the import path (`add_batch`), so a copy that came
in meanwhile is merged with it rather than doubled. The trash (and with it the paper model)
is imported only when a paper is removed or restored.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING

from paperdeck.core.store.importing import add_batch
from paperdeck.core.store.reads import exists, get_many, require
from paperdeck.core.store.records import ImportCounts, LibraryError, now

if TYPE_CHECKING:
    from paperdeck.core.models import Paper
    from paperdeck.core.trash import TrashedPaper


def remove_papers(db: sqlite3.Connection, ids: Sequence[str]) -> list[Paper]:
    """Move papers to the trash (with their star, note, tags and read mark); an unknown id
    raises before anything moves. Returns the papers removed."""
    from paperdeck.core import trash

    for paper_id in ids:
        require(db, paper_id)
    papers = get_many(db, list(dict.fromkeys(ids)))
    trash.put(db, papers, now())
    return papers


def restore_papers(db: sqlite3.Connection, ids: Sequence[str]) -> list[str]:
    """Bring papers back from the trash as they were (merged into a copy that came in
    meanwhile, if one did); returns the library ids they have again. Each is added alone,
    so that what the import path did with it is known for sure: one it leaves out (a
    title that reads as empty today) stays in the trash."""
    from paperdeck.core import trash

    restored: list[str] = []
    stamp = now()
    for taken in trash.take(db, list(dict.fromkeys(ids))):
        counts, trashed_as = ImportCounts(), taken.paper.id  # (the import path may rename it)
        add_batch(db, [taken.paper], counts, stamp, restoring=True)
        if not counts.ids:
            continue
        (paper_id,) = counts.ids
        trash.drop(db, trashed_as)
        db.executemany(
            "INSERT OR IGNORE INTO paper_aliases (alias, paper_id) VALUES (?, ?)",
            [(alias, paper_id) for alias in taken.aliases if not exists(db, alias)],
        )
        if counts.new_ids and taken.arrival is not None:  # new when removed: new again
            db.execute("UPDATE papers SET arrival = ? WHERE id = ?", (taken.arrival, paper_id))
        restored.append(paper_id)
    return restored


def trashed(db: sqlite3.Connection) -> list[TrashedPaper]:
    from paperdeck.core import trash

    return trash.listing(db)


def resolve_trashed(db: sqlite3.Connection, text: str) -> str:
    """A trashed paper's id from what a user typed (as `resolve_id` for the library)."""
    from paperdeck.core import trash

    found = trash.resolve(db, text)
    if len(found) == 1:
        return found[0]
    if found:
        raise LibraryError(f"paper id {text!r} is ambiguous in the trash; type more of it")
    raise LibraryError(f"no paper with id {text!r} in the trash")
