"""Adding papers: cleaning what comes in, finding the paper it is, merging, writing.

An import, a feed and a restore from the trash all come through `add_batch`: each incoming
paper is cleaned (`clean_paper`, the boundary where text enters the library), matched to a
stored paper (`core/merge.py` decides what is the same paper), merged or added under a free
id, and written with its facets and a logged change. `add_papers` cuts a long input into
batches, each its own transaction, so another process's write never waits for a whole import.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from datetime import datetime
from itertools import islice
from typing import TYPE_CHECKING

from paperdeck.core.links import parse_arxiv_id
from paperdeck.core.store.changes import log_change
from paperdeck.core.store.reads import LIST_FIELDS, exists, get_many
from paperdeck.core.store.records import ImportCounts, now
from paperdeck.core.store.user_state import set_tags
from paperdeck.core.text import clean_block, clean_line, normalise_tag, normalise_title

if TYPE_CHECKING:
    import json

    from paperdeck.core.models import Paper

# SQLite's page cache while an import writes (KiB, negative): the default 2 MB keeps
# re-reading and re-writing index pages as 100,000 papers go in (parse + store 37 -> 27 s).
IMPORT_CACHE_SIZE = -65536
# The write-ahead log an import lets grow before its pages are copied into the database, as
# a share of the database (pages; at least SQLite's default 1,000, at most ~400 MB): at the
# default, every batch of a large import was copied at once, each index page it changed
# written twice. A million papers stored in 297 s instead of 442 (74 -> 51 GB written).
IMPORT_WAL_SHARE = 8
IMPORT_WAL_PAGES = (1000, 100_000)
# Papers an import writes per transaction: ~0.1 s of writing, the longest another process's
# write waits for the lock (a bigger batch barely speeds an import up).
IMPORT_BATCH = 500

Transaction = Callable[[], AbstractContextManager[sqlite3.Connection]]


@functools.cache
def _json_encoder() -> json.JSONEncoder:
    """One encoder for every list column written (`json.dumps` with options builds one per
    call); json is imported on first use, as `paperdeck star` never needs it."""
    import json

    return json.JSONEncoder(ensure_ascii=False)


def clean_paper(paper: Paper) -> Paper:
    """The boundary where text enters the library: no escapes, controls or bidi overrides,
    in any field of any format (ids and times too: they are printed as often as titles)."""
    paper.id = clean_line(paper.id)
    paper.date = paper.date if paper.date and _DATE.fullmatch(paper.date) else None
    paper.added_at = _timestamp(paper.added_at)
    paper.starred_at = _timestamp(paper.starred_at)
    paper.title = clean_line(paper.title)
    paper.authors = list(filter(None, map(clean_line, paper.authors)))  # namesakes stay two
    paper.abstract = clean_line(paper.abstract)
    paper.categories = list(dict.fromkeys(filter(None, map(clean_line, paper.categories))))
    paper.subject_classes = list(
        dict.fromkeys(filter(None, map(clean_line, paper.subject_classes)))
    )
    paper.bibtex_fields = {
        clean_line(k).lower(): clean_line(v)
        for k, v in paper.bibtex_fields.items()
        if clean_line(v)
    }
    paper.affiliations = list(dict.fromkeys(filter(None, map(clean_line, paper.affiliations))))
    paper.links = list(dict.fromkeys(filter(None, map(clean_line, paper.links))))
    paper.sources = list(dict.fromkeys(filter(None, map(clean_line, paper.sources))))
    paper.tags = list(dict.fromkeys(filter(None, map(normalise_tag, paper.tags))))
    paper.venue = clean_line(paper.venue)
    paper.bibtex_key = clean_line(paper.bibtex_key)
    paper.bibtex_type = clean_line(paper.bibtex_type).lower()
    paper.note = clean_block(paper.note)
    paper.arxiv_id = clean_line(paper.arxiv_id) or None if paper.arxiv_id else None
    paper.doi = clean_line(paper.doi) or None if paper.doi else None
    return paper


_DATE = re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?")  # what `Paper.date` may hold


def _timestamp(value: str | None) -> str | None:
    """An added or starred time only if it is one (ISO 8601); anything else is dropped, and
    the import's own time stands in."""
    if not value:
        return None
    value = clean_line(value)
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return None
    return value


def add_papers(
    db: sqlite3.Connection,
    transaction: Transaction,
    papers: Iterable[Paper],
    counts: ImportCounts,
    revisions: Iterable[Paper],
) -> ImportCounts:
    """Add or merge ``papers`` in batches of `IMPORT_BATCH`, each its own ``transaction``,
    then apply ``revisions``; the why is in `Library.add_papers`."""
    stamp = now()
    cache = db.execute("PRAGMA cache_size").fetchone()[0]
    checkpoint = db.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
    log_limit = db.execute("PRAGMA journal_size_limit").fetchone()[0]
    db.execute(f"PRAGMA cache_size = {IMPORT_CACHE_SIZE}")
    try:
        incoming = iter(papers)
        while batch := list(islice(incoming, IMPORT_BATCH)):
            _size_the_log(db)
            # Each committed batch is an arrival of its own: a reader that quits while an
            # import runs has seen the batches so far, never one committed after it quit.
            # Counted once committed: after a failed batch the counts say what the library
            # holds (`import --json` lists the papers added by id).
            step = ImportCounts()
            with transaction() as batch_db:
                add_batch(batch_db, batch, step, stamp)
            counts.absorb(step)
        revisions = list(revisions)
        if revisions:
            step = ImportCounts()
            with transaction() as revise_db:
                _revise_papers(revise_db, revisions, step, stamp)
            counts.absorb(step)
    finally:
        db.execute(f"PRAGMA cache_size = {cache}")
        db.execute(f"PRAGMA wal_autocheckpoint = {checkpoint}")
        db.execute(f"PRAGMA journal_size_limit = {log_limit}")
    return counts


def _size_the_log(db: sqlite3.Connection) -> None:
    """Let the write-ahead log grow with the database (`IMPORT_WAL_SHARE`); once copied, it
    is cut back to that size (SQLite otherwise keeps a log file at its largest)."""
    low, high = IMPORT_WAL_PAGES
    pages = min(high, max(low, db.execute("PRAGMA page_count").fetchone()[0] // IMPORT_WAL_SHARE))
    size = pages * db.execute("PRAGMA page_size").fetchone()[0]
    db.execute(f"PRAGMA wal_autocheckpoint = {pages}")
    db.execute(f"PRAGMA journal_size_limit = {size}")


def _revise_papers(
    db: sqlite3.Connection, revisions: Iterable[Paper], counts: ImportCounts, stamp: str
) -> None:
    from paperdeck.core.merge import revise_paper

    for revision in revisions:
        revision = clean_paper(revision)
        existing = _find_same(db, revision) if revision.title else None
        if existing is None:
            counts.not_held += 1
            continue
        revised = revise_paper(existing, revision)
        if revised.to_json() != existing.to_json():
            _write(db, revised, stamp, insert=False)
            counts.revised += 1
        else:
            counts.unchanged += 1


def add_batch(
    db: sqlite3.Connection,
    papers: Iterable[Paper],
    counts: ImportCounts,
    stamp: str,
    *,
    restoring: bool = False,
) -> None:
    """Add or merge ``papers`` inside one open transaction, new ones under the next arrival."""
    from paperdeck.core import trash
    from paperdeck.core.merge import clashing_claim, merge_papers

    arrival: int | None = None  # numbered at the first paper this transaction adds
    check_trash = not restoring and not trash.is_empty(db)
    for incoming in papers:
        incoming = clean_paper(incoming)
        if not incoming.title:
            continue
        existing = _find_same(db, incoming)
        clash = clashing_claim(existing, incoming) if existing is not None else None
        if existing is not None and clash is not None:
            existing = _settle_claim(db, existing, incoming, clash, stamp)
        if existing is None and check_trash and trash.holds(db, incoming):
            counts.held += 1  # removed by the user: stays out until restored
            continue
        if existing is None:
            if arrival is None and not restoring:  # a restored paper is not new
                arrival = db.execute(
                    "UPDATE counters SET value = value + 1 WHERE name = 'arrivals' RETURNING value"
                ).fetchone()[0]
            incoming.id = _unused_id(db, incoming)
            incoming.added_at = incoming.added_at or stamp
            if incoming.starred and not incoming.starred_at:
                incoming.starred_at = stamp
            _write(db, incoming, stamp, insert=True, arrival=arrival)
            counts.added += 1
            counts.ids.append(incoming.id)
            counts.new_ids.append(incoming.id)
            continue
        merged = merge_papers(existing, incoming)
        if merged.starred and not merged.starred_at:
            merged.starred_at = stamp
        before, after = existing.to_json(), merged.to_json()
        if after == before:
            counts.unchanged += 1
        else:
            if _can_adopt(db, merged):
                assert merged.arxiv_id is not None
                _move_id(db, existing.id, merged.arxiv_id, stamp, alias=True)
                merged.id = merged.arxiv_id
            _write(db, merged, stamp, insert=False)
            counts.merged += 1
            gained = [source for source in merged.sources if source not in existing.sources]
            only_listed = after | {"sources": before["sources"]} == before
            if len(gained) == 1 and merged.id == existing.id and only_listed:
                counts.relisted[gained[0]] += 1
        counts.ids.append(merged.id)


def _settle_claim(
    db: sqlite3.Connection, existing: Paper, incoming: Paper, clash: str, stamp: str
) -> Paper | None:
    """Two papers claim one arXiv id or DOI (`clashing_claim`): they are not merged. A
    record from an arXiv source takes its arXiv id, and the paper that held it keeps
    everything (stars, notes, tags) under a `pd-` id without it; otherwise the incoming
    record gives the identifier up. Returns the paper the incoming one is the same as,
    if any other."""
    if clash == "arxiv" and incoming.arxiv_source:
        _give_up_arxiv_id(db, existing, stamp)
        return None
    if clash == "arxiv":
        if parse_arxiv_id(incoming.id) == incoming.arxiv_id:
            incoming.id = ""  # a `pd-` id instead
        incoming.arxiv_id = None
    else:
        incoming.doi = None
    return _find_same(db, incoming)


def _give_up_arxiv_id(db: sqlite3.Connection, paper: Paper, stamp: str) -> None:
    from paperdeck.core.models import Paper

    paper.arxiv_id = None
    new_id = _unused_id(db, Paper(title=paper.title, authors=paper.authors, doi=paper.doi))
    db.execute("UPDATE papers SET arxiv_id = NULL WHERE id = ?", (paper.id,))
    _move_id(db, paper.id, new_id, stamp, alias=False)  # the id was never its own


def _can_adopt(db: sqlite3.Connection, paper: Paper) -> bool:
    """Whether a paper that has learnt its arXiv id can take it as its id (the README's
    promise): no other paper has that id, nor had it."""
    new = paper.arxiv_id
    if not new or new == paper.id or exists(db, new):
        return False
    row = db.execute("SELECT paper_id FROM paper_aliases WHERE alias = ?", (new,))
    holder = row.fetchone()
    return holder is None or holder[0] == paper.id


def _move_id(db: sqlite3.Connection, old: str, new: str, stamp: str, *, alias: bool) -> None:
    """Give a paper a new id; its facets and earlier ids follow it. With ``alias`` the
    old id keeps naming it in every command (scripts keyed on it keep working)."""
    # Checked at commit, once the paper and everything naming it have moved.
    db.execute("PRAGMA defer_foreign_keys = ON")
    db.execute("UPDATE papers SET id = ?, changed_at = ? WHERE id = ?", (new, stamp, old))
    db.execute("UPDATE paper_facets SET paper_id = ? WHERE paper_id = ?", (new, old))
    db.execute("UPDATE paper_aliases SET paper_id = ? WHERE paper_id = ?", (new, old))
    db.execute("DELETE FROM paper_aliases WHERE alias = ?", (new,))
    if alias:
        db.execute(
            "INSERT OR REPLACE INTO paper_aliases (alias, paper_id) VALUES (?, ?)", (old, new)
        )
    log_change(db, old)  # gone: the search index drops it
    log_change(db, new)


def _find_same(db: sqlite3.Connection, paper: Paper) -> Paper | None:
    from paperdeck.core.merge import same_paper

    candidates: list[str] = []
    if paper.arxiv_id:
        candidates += _ids_where(db, "arxiv_id = ?", paper.arxiv_id)
        archive, slash, number = paper.arxiv_id.partition("/")
        if slash:  # stored before ids were canonical: "math.QA/9709040" for "math/9709040"
            candidates += _ids_where(db, "arxiv_id GLOB ?", f"{archive}.*/{number}")
    if paper.doi:
        # As `papers_doi` is written (`doi IS NOT NULL` lets SQLite use the partial index),
        # both sides folded by SQLite's `lower`, which leaves non-ASCII letters alone: a
        # stored "10.1000/ÉX" is found by itself (Python's "é" would miss it).
        candidates += _ids_where(db, "doi IS NOT NULL AND lower(doi) = lower(?)", paper.doi)
    candidates += _ids_where(db, "title_key = ?", normalise_title(paper.title))
    for existing in get_many(db, list(dict.fromkeys(candidates))):
        if same_paper(existing, paper):
            return existing
    return None


def _ids_where(db: sqlite3.Connection, clause: str, value: str) -> list[str]:
    return [r[0] for r in db.execute(f"SELECT id FROM papers WHERE {clause}", (value,))]


def _unused_id(db: sqlite3.Connection, paper: Paper) -> str:
    from paperdeck.core.merge import new_paper_id

    base = paper.id if paper.id and not exists(db, paper.id) else new_paper_id(paper)
    candidate, n = base, 1
    while exists(db, candidate):
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _write(
    db: sqlite3.Connection, paper: Paper, stamp: str, *, insert: bool, arrival: int | None = None
) -> None:
    from paperdeck.core.merge import first_author_key

    values = {
        "id": paper.id,
        "title": paper.title,
        "title_key": normalise_title(paper.title),
        "author_key": first_author_key(paper),
        **{name: _json_encoder().encode(getattr(paper, name)) for name in LIST_FIELDS},
        "authors_truncated": int(paper.authors_truncated),
        "abstract": paper.abstract,
        "date": paper.date,
        "date_inferred": int(paper.date_inferred),
        "has_code": int(paper.has_code),
        "arxiv_id": paper.arxiv_id,
        "doi": paper.doi,
        "venue": paper.venue,
        "bibtex_key": paper.bibtex_key,
        "bibtex_type": paper.bibtex_type,
        "bibtex_fields": _json_encoder().encode(paper.bibtex_fields),
        "upvotes": paper.upvotes,
        "added_at": paper.added_at or stamp,
        "starred_at": paper.starred_at if paper.starred else None,
        "note": paper.note,
        "read": int(paper.read),
        "changed_at": stamp,
    }
    if insert:
        values["arrival"] = arrival  # a merge keeps the paper's first arrival
        names = ", ".join(values)
        marks = ", ".join(f":{k}" for k in values)
        db.execute(f"INSERT INTO papers ({names}) VALUES ({marks})", values)
    else:
        assignments = ", ".join(f"{k} = :{k}" for k in values if k != "id")
        db.execute(f"UPDATE papers SET {assignments} WHERE id = :id", values)
        db.execute("DELETE FROM paper_facets WHERE paper_id = ? AND kind <> 'tag'", (paper.id,))
    facets = [
        ("category", paper.categories),
        ("affiliation", paper.affiliations),
        ("source", paper.sources),
    ]
    if insert:  # a new paper has no tags to replace: one statement for all its facets
        facets.append(("tag", paper.tags))
    db.executemany(
        "INSERT OR IGNORE INTO paper_facets (paper_id, kind, value, position) VALUES (?,?,?,?)",
        [(paper.id, kind, v, i) for kind, vs in facets for i, v in enumerate(vs)],
    )
    if not insert:
        set_tags(db, paper.id, paper.tags)
    log_change(db, paper.id)
