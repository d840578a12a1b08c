"""A source that lists the very papers another lists: the same input read again.

Papers list the input they came from. Input with no name of its own (a pipe, standard input)
is given one at each import, before it is read; once it is read, `fold_repeated_source`
tells whether it was the same input as an earlier one, by the papers both list.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable


def fold_repeated_source(db: sqlite3.Connection, name: str, alike: Callable[[str], bool]) -> str:
    """When the papers that list ``name`` are exactly the papers that list another source
    ``alike`` accepts, ``name`` is dropped from them and that source is returned (the
    first such, in the order the papers list them); otherwise ``name``, left as it is.

    Only the ``sources`` of those papers change: the search index does not hold them."""
    ids = _listing(db, name)
    if not ids:
        return name
    (listed,) = db.execute("SELECT sources FROM papers WHERE id = ?", (ids[0],)).fetchone()
    others: list[str] = json.loads(listed)
    for other in others:
        if other != name and alike(other) and _listing(db, other) == ids:
            for paper_id in ids:
                row = db.execute("SELECT sources FROM papers WHERE id = ?", (paper_id,))
                (text,) = row.fetchone()
                kept = [source for source in json.loads(text) if source != name]
                db.execute(
                    "UPDATE papers SET sources = ? WHERE id = ?",
                    (json.dumps(kept, ensure_ascii=False), paper_id),
                )
            db.execute("DELETE FROM paper_facets WHERE kind = 'source' AND value = ?", (name,))
            return other
    return name


def _listing(db: sqlite3.Connection, source: str) -> list[str]:
    """The ids of the papers that list ``source``, in id order."""
    rows = db.execute(
        "SELECT paper_id FROM paper_facets WHERE kind = 'source' AND value = ? ORDER BY paper_id",
        (source,),
    )
    return [paper_id for (paper_id,) in rows]
