"""Reading papers: whole records, list rows, ids, and an id from what a user typed.

Everything here only reads, on the library's connection (rows come as `sqlite3.Row`). The
paper model and `json` are imported by the functions that need them: `paperdeck star` loads
this module and needs neither.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from paperdeck.core.links import parse_arxiv_id
from paperdeck.core.store.records import LibraryError, PaperRow

if TYPE_CHECKING:
    from paperdeck.core.models import Paper

# The columns of `papers` that hold a JSON list.
LIST_FIELDS = ("authors", "categories", "affiliations", "links", "sources", "subject_classes")


def count(db: sqlite3.Connection) -> int:
    """Kept by triggers (schema 2): no index is read to count."""
    row = db.execute("SELECT value FROM counters WHERE name = 'papers'").fetchone()
    if row is None:  # only a hand-edited database lacks it
        return int(db.execute("SELECT count(*) FROM papers").fetchone()[0])
    return int(row[0])


def is_empty(db: sqlite3.Connection) -> bool:
    """Whether the library has no paper yet (the welcome screen shows instead)."""
    return db.execute("SELECT 1 FROM papers LIMIT 1").fetchone() is None


def get_many(db: sqlite3.Connection, ids: Sequence[str]) -> list[Paper]:
    """Papers in the order of ``ids`` (unknown ids are left out)."""
    from paperdeck.core.models import Paper

    found: dict[str, Paper] = {}
    for chunk in chunks(list(ids), 500):
        marks = ",".join("?" * len(chunk))
        rows = db.execute(f"SELECT * FROM papers WHERE id IN ({marks})", chunk)
        for row in rows:
            found[row["id"]] = Paper(**paper_fields(row))
        tags = db.execute(
            f"SELECT paper_id, value FROM paper_facets WHERE kind = 'tag'"
            f" AND paper_id IN ({marks}) ORDER BY position",
            chunk,
        )
        for paper_id, tag in tags:
            found[paper_id].tags.append(tag)
    return [found[i] for i in ids if i in found]


def iter_papers(db: sqlite3.Connection, batch: int = 2000) -> Iterator[Paper]:
    last = ""
    while True:
        ids = [
            r[0]
            for r in db.execute(
                "SELECT id FROM papers WHERE id > ? ORDER BY id LIMIT ?", (last, batch)
            )
        ]
        if not ids:
            return
        yield from get_many(db, ids)
        last = ids[-1]


# The fields the search index reads, for a full build (see `iter_indexed`).
_INDEXED = (
    "SELECT id, title, authors, abstract, categories, affiliations, note, date,"
    " (SELECT json_group_array(value) FROM paper_facets f"
    "  WHERE f.paper_id = p.id AND f.kind = 'tag')"
    " FROM papers p"
)


def iter_indexed(db: sqlite3.Connection, batch: int = 2000) -> Iterator[Paper]:
    """Every paper with only the fields the search index reads (id, title, authors,
    abstract, categories, affiliations, tags, note, date), in id order (as
    `iter_papers`: documents get the same numbers, so equal scores rank alike).

    For a full index build: a third of the cost of `iter_papers`, whose full records
    the build would throw away (at 100k papers the build's own process competes for
    the two cores with the indexing workers).
    """
    last = ""
    while True:
        rows = db.execute(f"{_INDEXED} WHERE id > ? ORDER BY id LIMIT ?", (last, batch)).fetchall()
        if not rows:
            return
        yield from map(_indexed_paper, rows)
        last = rows[-1][0]


def indexed_many(db: sqlite3.Connection, ids: Sequence[str]) -> list[Paper]:
    """`iter_indexed`'s papers for ``ids``, in their order (unknown ids are left out)."""
    found: dict[str, Paper] = {}
    for chunk in chunks(list(ids), 500):
        marks = ",".join("?" * len(chunk))
        for row in db.execute(f"{_INDEXED} WHERE id IN ({marks})", chunk):
            found[row[0]] = _indexed_paper(row)
    return [found[i] for i in ids if i in found]


def _indexed_paper(row: Sequence[Any]) -> Paper:
    from json import loads

    from paperdeck.core.models import Paper

    return Paper(
        id=row[0],
        title=row[1],
        authors=loads(row[2]),
        abstract=row[3],
        categories=loads(row[4]),
        affiliations=loads(row[5]),
        note=row[6],
        date=row[7],
        tags=loads(row[8]) if row[8] != "[]" else [],
    )


def all_ids(db: sqlite3.Connection) -> list[str]:
    return [r[0] for r in db.execute("SELECT id FROM papers ORDER BY id")]


def resolve_id(db: sqlite3.Connection, text: str) -> str:
    """An id from what a user typed: the id, an arXiv id or URL, an id the paper had
    before it learnt its arXiv id, or a unique prefix of either."""
    key = parse_arxiv_id(text) or text.strip().rstrip("/")
    if not key:
        raise LibraryError("no paper id given")
    # The paper whose arXiv id it is comes first: another may hold it as its own id.
    row = db.execute(
        "SELECT id FROM papers WHERE id = ? OR arxiv_id = ? ORDER BY arxiv_id IS ? DESC LIMIT 1",
        (key, key, key),
    ).fetchone()
    if row:
        return str(row[0])
    alias = db.execute("SELECT paper_id FROM paper_aliases WHERE alias = ?", (key,))
    if (found := alias.fetchone()) is not None:
        return str(found[0])  # an id the paper had before it learnt its arXiv id
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    matches = [
        r[0]
        for r in db.execute(
            "SELECT id FROM papers WHERE id LIKE ?1 ESCAPE '\\'"
            " UNION SELECT paper_id FROM paper_aliases WHERE alias LIKE ?1 ESCAPE '\\'"
            " LIMIT 2",
            (escaped + "%",),
        )
    ]
    if len(matches) == 1 and key:
        return str(matches[0])
    if len(matches) > 1:
        raise LibraryError(f"paper id {text!r} is ambiguous; type more of it")
    raise LibraryError(f"no paper with id {text!r}")


def rows(db: sqlite3.Connection, ids: Sequence[str]) -> list[PaperRow]:
    """List rows for ``ids``, in that order: the reader asks only for what is visible."""
    found: dict[str, PaperRow] = {}
    for chunk in chunks(list(ids), 500):
        marks = ",".join("?" * len(chunk))
        for r in db.execute(
            # A list row shows a line of the title: a 50 MB one is not loaded whole.
            "SELECT id, substr(title, 1, 1000), date, json_extract(authors, '$[0]'),"
            " has_code,"
            " starred_at IS NOT NULL, read, note <> ''"
            f" FROM papers WHERE id IN ({marks})",
            chunk,
        ):
            found[r[0]] = PaperRow(
                r[0], r[1], r[2], r[3] or "", bool(r[4]), bool(r[5]), bool(r[6]), bool(r[7])
            )
    return [found[i] for i in ids if i in found]


def existing(db: sqlite3.Connection, ids: Sequence[str]) -> set[str]:
    """Which of ``ids`` are still in the library (another process may remove papers)."""
    sql = "SELECT id FROM papers WHERE id IN (SELECT value FROM json_each(?))"
    return {r[0] for r in db.execute(sql, (json_list(ids),))}


JSON_SLICE = 20_000  # ids encoded at a time (~2 ms)


def json_list(values: Sequence[str]) -> str:
    """``values`` as one JSON array, the parameter ``json_each`` reads, encoded a slice at a
    time: `json.dumps` of a million ids is one call of ~0.1 s that holds the interpreter,
    and a key pressed in the reader meanwhile was shown that much later."""
    import json

    if len(values) <= JSON_SLICE:
        return json.dumps(list(values))
    slices = range(0, len(values), JSON_SLICE)
    return "[" + ", ".join(json.dumps(list(values[i : i + JSON_SLICE]))[1:-1] for i in slices) + "]"


def tag_names(db: sqlite3.Connection) -> list[str]:
    return [
        r[0]
        for r in db.execute(
            "SELECT value FROM paper_facets WHERE kind = 'tag' GROUP BY value ORDER BY value"
        )
    ]


def tags_of(db: sqlite3.Connection, paper_id: str) -> list[str]:
    return [
        r[0]
        for r in db.execute(
            "SELECT value FROM paper_facets WHERE paper_id = ? AND kind = 'tag' ORDER BY position",
            (paper_id,),
        )
    ]


def exists(db: sqlite3.Connection, paper_id: str) -> bool:
    row = db.execute("SELECT 1 FROM papers WHERE id = ?", (paper_id,)).fetchone()
    return row is not None


def require(db: sqlite3.Connection, paper_id: str) -> None:
    """Raise `LibraryError` unless the library holds ``paper_id``."""
    if not exists(db, paper_id):
        raise LibraryError(f"no paper with id {paper_id!r}")


def data_version(db: sqlite3.Connection) -> int:
    """SQLite's `PRAGMA data_version`: it changes when another connection commits (this
    one's own commits leave it alone); reading it reads no page of the database."""
    return int(db.execute("PRAGMA data_version").fetchone()[0])


def paper_fields(row: sqlite3.Row) -> dict[str, Any]:
    """A row of `papers` as keyword arguments of `Paper`."""
    import json

    lists = {name: json.loads(row[name]) for name in LIST_FIELDS}
    return dict(
        id=row["id"],
        title=row["title"],
        authors_truncated=bool(row["authors_truncated"]),
        abstract=row["abstract"],
        date=row["date"],
        date_inferred=bool(row["date_inferred"]),
        has_code=bool(row["has_code"]),
        arxiv_id=row["arxiv_id"],
        doi=row["doi"],
        venue=row["venue"],
        bibtex_key=row["bibtex_key"],
        bibtex_type=row["bibtex_type"],
        bibtex_fields=json.loads(row["bibtex_fields"]),
        upvotes=row["upvotes"],
        starred=row["starred_at"] is not None,
        starred_at=row["starred_at"],
        note=row["note"],
        read=bool(row["read"]),
        added_at=row["added_at"],
        **lists,
    )


def chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
