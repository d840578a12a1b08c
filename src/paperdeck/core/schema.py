"""The SQLite schema and its migrations. `PRAGMA user_version` holds the schema version."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

SCHEMA_VERSION = 12

_V1 = """
CREATE TABLE papers (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    title_key TEXT NOT NULL,
    author_key TEXT NOT NULL,
    authors TEXT NOT NULL,            -- JSON list of "First Last"
    authors_truncated INTEGER NOT NULL DEFAULT 0,
    abstract TEXT NOT NULL DEFAULT '',
    date TEXT,
    date_inferred INTEGER NOT NULL DEFAULT 0,
    categories TEXT NOT NULL,         -- JSON lists, mirrored in paper_facets for counting
    affiliations TEXT NOT NULL,
    links TEXT NOT NULL,
    sources TEXT NOT NULL,
    has_code INTEGER NOT NULL DEFAULT 0,
    arxiv_id TEXT,
    doi TEXT,
    venue TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL,
    starred_at TEXT,                  -- NULL when not starred
    note TEXT NOT NULL DEFAULT '',
    read INTEGER NOT NULL DEFAULT 0,
    read_at TEXT,
    changed_at TEXT
);
CREATE INDEX papers_arxiv ON papers(arxiv_id) WHERE arxiv_id IS NOT NULL;
CREATE INDEX papers_doi ON papers(doi) WHERE doi IS NOT NULL;
CREATE INDEX papers_title_key ON papers(title_key);
CREATE INDEX papers_date ON papers(date DESC, title);
CREATE INDEX papers_starred ON papers(starred_at) WHERE starred_at IS NOT NULL;

-- One row per (paper, facet value): categories, affiliations, sources and the user's tags.
CREATE TABLE paper_facets (
    paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,               -- 'category' | 'affiliation' | 'source' | 'tag'
    value TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (paper_id, kind, value)
) WITHOUT ROWID;
CREATE INDEX paper_facets_value ON paper_facets(kind, value);

-- Papers whose indexed text changed; the search index applies them in batches.
CREATE TABLE changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    paper_id TEXT NOT NULL
);
"""

# The number of papers, kept by triggers: counting them reads a whole index (10 ms at
# 100,000 papers with a cold cache), and the reader's first paint shows the number.
_V2 = """
CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO counters (name, value) VALUES ('papers', (SELECT count(*) FROM papers));
CREATE TRIGGER papers_counted_in AFTER INSERT ON papers
BEGIN
    UPDATE counters SET value = value + 1 WHERE name = 'papers';
END;
CREATE TRIGGER papers_counted_out AFTER DELETE ON papers
BEGIN
    UPDATE counters SET value = value - 1 WHERE name = 'papers';
END;
"""

# Dates as precise as their source: a year alone (BibTeX's `year`, a JSON "2024") used to be
# stored as the first of January flagged as an inferred year, and shown so. It becomes the
# year, not inferred, for papers that came only from BibTeX or JSON files: a listing's 1
# January with an inferred year looks the same, and keeps its day and its flag.
_V3 = """
UPDATE papers SET date = substr(date, 1, 4), date_inferred = 0
WHERE date_inferred = 1 AND date LIKE '____-01-01'
    AND EXISTS (SELECT 1 FROM paper_facets s WHERE s.paper_id = papers.id AND s.kind = 'source')
    AND NOT EXISTS (
        SELECT 1 FROM paper_facets s
        WHERE s.paper_id = papers.id AND s.kind = 'source'
            AND lower(s.value) NOT LIKE '%.bib' AND lower(s.value) NOT LIKE '%.bibtex'
            AND lower(s.value) NOT LIKE '%.json' AND lower(s.value) NOT LIKE '%.jsonl'
    );
"""

# A BibTeX source's citation key and entry type, for exporting back to BibTeX.
_V4 = """
ALTER TABLE papers ADD COLUMN bibtex_key TEXT NOT NULL DEFAULT '';
ALTER TABLE papers ADD COLUMN bibtex_type TEXT NOT NULL DEFAULT '';
"""

# What the live reader watches (see core/live.py and core/arrivals.py). `arrival` numbers the
# import (fetch, refresh) that added a paper, so that "new since the reader last quit" is a
# comparison of two numbers, whatever dates the source gave. 'edits' counts every change a
# person can see (a row of papers updated, a tag added or removed; the 'papers' counter
# counts insertions), but not the search index's pruning of the change log: a reader that
# compares it before and after another process's commit knows whether to redraw.
_V5 = """
ALTER TABLE papers ADD COLUMN arrival INTEGER;
CREATE INDEX papers_arrival ON papers(arrival) WHERE arrival IS NOT NULL;
INSERT OR IGNORE INTO counters (name, value) VALUES ('arrivals', 0), ('quit_arrival', 0),
    ('edits', 0);
CREATE TRIGGER papers_edited AFTER UPDATE ON papers
BEGIN
    UPDATE counters SET value = value + 1 WHERE name = 'edits';
END;
CREATE TRIGGER tags_added AFTER INSERT ON paper_facets WHEN NEW.kind = 'tag'
BEGIN
    UPDATE counters SET value = value + 1 WHERE name = 'edits';
END;
CREATE TRIGGER tags_removed AFTER DELETE ON paper_facets WHEN OLD.kind = 'tag'
BEGIN
    UPDATE counters SET value = value + 1 WHERE name = 'edits';
END;
"""

# Papers the user removed, each kept whole as its JSON record (stars, notes, tags and read
# mark included) until it is restored: an import or a feed that brings one again leaves it
# out, found by the same keys as a merge (arXiv id, DOI, normalised title).
_V6 = """
CREATE TABLE trash (
    paper_id TEXT PRIMARY KEY,
    removed_at TEXT NOT NULL,
    record TEXT NOT NULL,
    arxiv_id TEXT,
    doi TEXT,
    title_key TEXT NOT NULL
);
CREATE INDEX trash_arxiv ON trash(arxiv_id) WHERE arxiv_id IS NOT NULL;
CREATE INDEX trash_doi ON trash(doi) WHERE doi IS NOT NULL;
CREATE INDEX trash_title_key ON trash(title_key);
"""

# Fidelity: every field of a BibTeX source (a JSON object), class terms that are not arXiv
# categories (MSC, ACM), and the ids a paper had before it learnt its arXiv id.
_V7 = """
ALTER TABLE papers ADD COLUMN bibtex_fields TEXT NOT NULL DEFAULT '{}';
ALTER TABLE papers ADD COLUMN subject_classes TEXT NOT NULL DEFAULT '[]';
CREATE TABLE paper_aliases (
    alias TEXT PRIMARY KEY,
    paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX paper_aliases_paper ON paper_aliases(paper_id);
"""

# Feeds: a paper's Hugging Face upvotes (NULL: never seen there), and the validators (ETag,
# Last-Modified) of each feed URL, so that a refresh asks "changed since?" and an unchanged
# feed costs one small 304 response.
_V8 = """
ALTER TABLE papers ADD COLUMN upvotes INTEGER;
CREATE TABLE feed_validators (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT
) WITHOUT ROWID;
"""


def _v9_subject_classes(connection: sqlite3.Connection) -> None:
    """Class terms (MSC "68T05", ACM "I.2.7") out of the categories of papers stored before
    schema 7, into their subject classes, sorted as the parsers sort them today
    (`split_categories`): the sidebar and `cat:` then count arXiv categories only.

    Each paper moved is written again with its category facets and logs a change (the index
    holds categories); a trashed paper's record is mended too, so a restore brings it back
    clean. A paper with nothing to move is not touched: run twice, it changes nothing.
    """
    import json

    from paperdeck.core.sources.categories import split_categories

    moved: list[tuple[str, list[str], list[str]]] = []
    rows = connection.execute("SELECT id, categories, subject_classes FROM papers")
    for paper_id, categories, subject_classes in rows.fetchall():
        kept, classes = split_categories(json.loads(categories))
        if classes:
            merged = list(dict.fromkeys([*classes, *json.loads(subject_classes)]))
            moved.append((paper_id, kept, merged))
    for paper_id, kept, classes in moved:
        connection.execute(
            "UPDATE papers SET categories = ?, subject_classes = ? WHERE id = ?",
            (
                json.dumps(kept, ensure_ascii=False),
                json.dumps(classes, ensure_ascii=False),
                paper_id,
            ),
        )
        connection.execute(
            "DELETE FROM paper_facets WHERE paper_id = ? AND kind = 'category'", (paper_id,)
        )
        connection.executemany(
            "INSERT OR IGNORE INTO paper_facets (paper_id, kind, value, position)"
            " VALUES (?, 'category', ?, ?)",
            [(paper_id, category, i) for i, category in enumerate(kept)],
        )
        connection.execute("INSERT INTO changes (paper_id) VALUES (?)", (paper_id,))
    for paper_id, text in connection.execute("SELECT paper_id, record FROM trash").fetchall():
        record = json.loads(text)
        kept, classes = split_categories(record.get("categories") or [])
        if classes:
            record["categories"] = kept
            record["subject_classes"] = list(
                dict.fromkeys([*classes, *(record.get("subject_classes") or [])])
            )
            connection.execute(
                "UPDATE trash SET record = ? WHERE paper_id = ?",
                (json.dumps(record, ensure_ascii=False), paper_id),
            )


# Views of a large library read small covering indexes instead of the papers' rows (an
# abstract each): the whole list in date order (4.6 s -> 0.4 s at 1M papers) and the
# library's counts (1.7 s -> 0.2 s). The date index takes the list's collation, or SQLite
# sorts the titles of each date again.
_V10 = """
DROP INDEX IF EXISTS papers_date;
CREATE INDEX papers_date ON papers(date DESC, title COLLATE NOCASE, id);
CREATE INDEX papers_state ON papers(id, read, has_code, arrival, starred_at);
CREATE INDEX papers_noted ON papers(id) WHERE note <> '';
"""


def _v11_legacy_values(connection: sqlite3.Connection) -> None:
    """Class lists stored as one subject class and abstracts stored with arXiv's
    announcement preamble, in today's shape (`legacy_values`)."""
    from paperdeck.core.legacy_values import mend_legacy_values

    mend_legacy_values(connection)


# A paper is looked up by its DOI in any case ("10.1103/PhysRevD.76.013009" is also
# "10.1103/physrevd.76.013009"), as `lower(doi)`, which an index of `doi` itself cannot
# answer: each imported paper with a DOI read every paper's row (85 ms at 100,000 papers;
# the arXiv snapshot's million DOIs would have taken days). Indexed as looked up now.
_V12 = """
DROP INDEX IF EXISTS papers_doi;
CREATE INDEX papers_doi ON papers(lower(doi)) WHERE doi IS NOT NULL;
"""


Migration = str | Callable[[sqlite3.Connection], None]  # a script, or a data migration

# Migration N takes a database at version N-1 to version N.
MIGRATIONS: dict[int, Migration] = {
    1: _V1, 2: _V2, 3: _V3, 4: _V4, 5: _V5, 6: _V6, 7: _V7, 8: _V8, 9: _v9_subject_classes,
    10: _V10, 11: _v11_legacy_values, 12: _V12,
}  # fmt: skip


class NewerSchemaError(Exception):
    """The database was written by a newer paperdeck; opening it could damage it."""


def refuse_newer(connection: sqlite3.Connection) -> None:
    """Raise NewerSchemaError before anything is written (even the switch to WAL mode)."""
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(
            f"the library was written by a newer paperdeck (schema {version}, this one reads "
            f"up to {SCHEMA_VERSION}); upgrade paperdeck to open it"
        )


def migrate(connection: sqlite3.Connection) -> None:
    refuse_newer(connection)
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    for target in range(version + 1, SCHEMA_VERSION + 1):
        connection.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the write lock.
            if connection.execute("PRAGMA user_version").fetchone()[0] >= target:
                connection.execute("COMMIT")
                continue
            migration = MIGRATIONS[target]
            if callable(migration):
                migration(connection)
            else:
                for statement in _statements(migration):
                    connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {target}")
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:  # SQLite may have rolled back already
                connection.execute("ROLLBACK")
            raise


def _statements(script: str) -> list[str]:
    """Split a migration script so each statement runs inside our own transaction."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line.split("--", 1)[0] if "--" in line else line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    return [s for s in statements if s]
