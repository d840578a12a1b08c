"""The trash: papers the user removed, kept whole so that a removal can be undone.

A removed paper leaves the library (its list rows, counts and search document) but its record,
with the user's star, note, tags and read mark, waits in the `trash` table (schema 6) until it
is restored. While it waits, an import or a feed that brings the same paper again leaves it
out: a paper removed by mistake in an import is not back the next morning.

The functions take the library's connection inside a transaction the `Library` opened.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from paperdeck.core.merge import clashing_claim, same_paper
from paperdeck.core.models import Paper
from paperdeck.core.text import normalise_title


class TrashedPaper:
    """One line of the trash listing: the whole record, as it will be restored."""

    __slots__ = ("paper", "removed_at")

    def __init__(self, paper: Paper, removed_at: str) -> None:
        self.paper = paper
        self.removed_at = removed_at

    @property
    def id(self) -> str:
        return self.paper.id

    @property
    def title(self) -> str:
        return self.paper.title

    @property
    def starred(self) -> bool:
        return self.paper.starred

    @property
    def has_note(self) -> bool:
        return bool(self.paper.note)

    @property
    def tags(self) -> list[str]:
        return list(self.paper.tags)


def put(db: sqlite3.Connection, papers: Sequence[Paper], stamp: str) -> None:
    """Move ``papers`` (full records, as `Library.get_many` reads them) to the trash."""
    for paper in papers:
        record = paper.to_json()
        aliases = db.execute("SELECT alias FROM paper_aliases WHERE paper_id = ?", (paper.id,))
        record["aliases"] = [alias for (alias,) in aliases]  # its ids from before (schema 7)
        # Its arrival, so that a paper removed while new is new again when restored.
        (record["arrival"],) = db.execute(
            "SELECT arrival FROM papers WHERE id = ?", (paper.id,)
        ).fetchone() or (None,)
        db.execute(
            "INSERT OR REPLACE INTO trash (paper_id, removed_at, record, arxiv_id, doi, title_key)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                paper.id,
                stamp,
                json.dumps(record, ensure_ascii=False),
                paper.arxiv_id,
                paper.doi.lower() if paper.doi else None,
                normalise_title(paper.title),
            ),
        )
        db.execute("DELETE FROM papers WHERE id = ?", (paper.id,))  # facets cascade
        db.execute("INSERT INTO changes (paper_id) VALUES (?)", (paper.id,))  # index: gone


def holds(db: sqlite3.Connection, paper: Paper) -> bool:
    """Whether ``paper`` (arriving from a file or a feed) is one the user removed."""
    clauses, values = ["title_key = ?"], [normalise_title(paper.title)]
    if paper.arxiv_id:
        clauses.append("arxiv_id = ?")
        values.append(paper.arxiv_id)
    if paper.doi:
        clauses.append("doi = ?")
        values.append(paper.doi.lower())
    rows = db.execute(f"SELECT record FROM trash WHERE {' OR '.join(clauses)}", values)
    # A removed paper that only claimed the arriving one's arXiv id or DOI (`clashing_claim`)
    # is another paper: removing it must not keep the real one out.
    trashed = (_paper(record) for (record,) in rows)
    return any(same_paper(t, paper) and clashing_claim(t, paper) is None for t in trashed)


def is_empty(db: sqlite3.Connection) -> bool:
    return db.execute("SELECT 1 FROM trash LIMIT 1").fetchone() is None


class Taken:
    """A paper to take out of the trash, with what the library knew of it beside its record."""

    __slots__ = ("paper", "aliases", "arrival")

    def __init__(self, paper: Paper, aliases: list[str], arrival: int | None) -> None:
        self.paper = paper
        self.aliases = aliases  # the ids it had before it learnt its arXiv id
        self.arrival = arrival  # the import that first brought it (None: not recorded)


def take(db: sqlite3.Connection, ids: Sequence[str]) -> list[Taken]:
    """The papers of ``ids`` in the trash, in that order, to be added back: each stays in
    the trash until `drop` (once it is back in the library)."""
    papers = []
    for paper_id in ids:
        row = db.execute("SELECT record FROM trash WHERE paper_id = ?", (paper_id,)).fetchone()
        if row is not None:
            record = json.loads(row[0])
            aliases = [a for a in record.get("aliases", []) if isinstance(a, str)]
            arrival = record.get("arrival")
            if not isinstance(arrival, int) or isinstance(arrival, bool):
                arrival = None  # removed before arrivals were kept: not new
            papers.append(Taken(_paper(row[0]), aliases, arrival))
    return papers


def drop(db: sqlite3.Connection, paper_id: str) -> None:
    """Take a paper out of the trash: it is back in the library."""
    db.execute("DELETE FROM trash WHERE paper_id = ?", (paper_id,))


def listing(db: sqlite3.Connection) -> list[TrashedPaper]:
    """Every paper in the trash, the last removed first."""
    rows = db.execute("SELECT record, removed_at FROM trash ORDER BY removed_at DESC, paper_id")
    return [TrashedPaper(_paper(record), removed_at) for record, removed_at in rows]


def resolve(db: sqlite3.Connection, text: str) -> list[str]:
    """The trashed ids ``text`` names: an id, an arXiv id, or the start of an id."""
    from paperdeck.core.links import parse_arxiv_id

    key = parse_arxiv_id(text) or text.strip().rstrip("/")
    exact = db.execute(
        "SELECT paper_id FROM trash WHERE paper_id = ?1 OR arxiv_id = ?1 OR EXISTS"
        " (SELECT 1 FROM json_each(record, '$.aliases') WHERE value = ?1)",
        (key,),
    ).fetchall()
    if exact or not key:
        return [row[0] for row in exact]
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = db.execute(
        "SELECT paper_id FROM trash WHERE paper_id LIKE ? ESCAPE '\\' LIMIT 2", (escaped + "%",)
    )
    return [row[0] for row in rows]


def _paper(record: str) -> Paper:
    fields = json.loads(record)
    known = set(Paper.__dataclass_fields__)
    return Paper(**{name: value for name, value in fields.items() if name in known})
