"""The queries behind a view: which ids a paper set holds, in its order, and the sidebar's
counts (over the library or over search hits).

`core/catalog.py` evaluates a view (a paper set plus a search) by asking these; the SQL of
each filter is in `core/paperset.py`. Search hits travel as one JSON parameter
(``json_each``) rather than through a temporary table: 0.2 s for 98,000 hits against 2.7 s,
and nothing to clean up between threads.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from paperdeck.core.store.id_run import frozen
from paperdeck.core.store.reads import json_list
from paperdeck.core.store.records import Facets, LibraryError

if TYPE_CHECKING:
    from paperdeck.core.cancel import Cancel
    from paperdeck.core.paperset import PaperSet
    from paperdeck.core.store.newest_order import NewestOrder


# Every hit newest first by walking the whole date index, once they are 1/8 of the papers.
WALK_ALL_SHARE = 8


def first_ids(db: sqlite3.Connection, paperset: PaperSet, limit: int) -> list[str]:
    """The first ``limit`` ids of ``paperset`` (no search), in its order (-1: all).

    The reader's first screen needs only these: 0.2 ms at 100k papers through the date
    index, against 0.26 s for the whole list.
    """
    from paperdeck.core.paperset import Sort, filter_sql, order_sql

    where, params = filter_sql(paperset.filters, lambda name: affiliation_spellings(db, name))
    sort = paperset.effective_sort
    order = order_sql(Sort.NEWEST if sort is Sort.RELEVANCE else sort, paperset.filters)
    sql = f"SELECT p.id FROM papers p WHERE {where} ORDER BY {order} LIMIT ?"
    return [r[0] for r in db.execute(sql, [*params, limit])]


def select(
    db: sqlite3.Connection,
    paperset: PaperSet,
    hits: Sequence[str] | None = None,
    limit: int | None = None,
    newest: NewestOrder | None = None,
    stop: Cancel | None = None,
) -> Sequence[str]:
    """The ids of ``paperset`` in its order. ``hits``: search results, best first.
    ``limit``: only the first ones, found newest first without sorting every hit where
    the hits are many (`_walk_dates`). ``newest``: the order kept between searches, for
    every paper, or all of many hits, newest first (``stop``: asked as it is split or
    filtered)."""

    from paperdeck.core.paperset import ORDER_SQL, Sort, filter_sql

    where, params = filter_sql(paperset.filters, lambda name: affiliation_spellings(db, name))
    sort = paperset.effective_sort
    if hits is None:
        if limit is None and newest is not None and not paperset.filters and sort is Sort.NEWEST:
            return newest.every(db, ORDER_SQL[Sort.NEWEST], stop)  # a walk keeps the order
        return first_ids(db, paperset, -1 if limit is None else limit)
    if sort is Sort.RELEVANCE and not paperset.filters:
        # The index's hits are unique (a document per paper) and nothing changes them: kept,
        # not copied. Made unique here, a million hits took a 50 MB dict and two 8 MB lists
        # at the reader's peak of memory.
        listed = hits if isinstance(hits, list) or frozen(hits) else list(hits)
        return listed if limit is None else listed[:limit]
    if sort is Sort.NEWEST and not paperset.filters and _walk_dates(db, len(hits), limit):
        if limit is None and newest is not None:
            return newest.among(db, set(hits), ORDER_SQL[Sort.NEWEST], stop)
        return _first_by_date(db, set(hits), limit)
    if sort is Sort.RELEVANCE:
        sql = (
            "SELECT p.id FROM json_each(?) h JOIN papers p ON p.id = h.value"
            f" WHERE {where} ORDER BY h.key"
        )
    else:
        sql = (
            "SELECT p.id FROM papers p WHERE p.id IN (SELECT value FROM json_each(?))"
            f" AND {where} ORDER BY {ORDER_SQL[sort]}"
        )
    return [
        r[0]
        for r in db.execute(
            f"{sql} LIMIT ?", [json_list(hits), *params, -1 if limit is None else limit]
        )
    ]


def keep_newest_order(db: sqlite3.Connection, newest: NewestOrder) -> None:
    from paperdeck.core.paperset import ORDER_SQL, Sort

    newest.keep(db, ORDER_SQL[Sort.NEWEST])


def _first_by_date(db: sqlite3.Connection, hits: set[str], limit: int | None) -> list[str]:
    """The first ``limit`` of ``hits`` newest first (None: all of them): the date index read
    in its order until that many are met (the hits as a set here: handing them to SQL cost
    3-4x as much)."""
    from paperdeck.core.paperset import ORDER_SQL, Sort

    wanted = len(hits) if limit is None else min(limit, len(hits))
    found: list[str] = []
    if not wanted:
        return found
    rows = db.execute(f"SELECT p.id FROM papers p ORDER BY {ORDER_SQL[Sort.NEWEST]}")
    try:
        for (paper_id,) in rows:
            if paper_id in hits:
                found.append(paper_id)
                if len(found) >= wanted:
                    break
    finally:
        rows.close()
    return found


def _walk_dates(db: sqlite3.Connection, hits: int, limit: int | None) -> bool:
    """Whether the first ``limit`` of ``hits`` newest first (None: all) are found sooner by
    walking the date index until that many are met than by reading every hit's row and
    sorting them all. The first ``limit``: about limit x papers / hits entries are walked,
    each ~20x cheaper than a hit's row (at 100k papers, the first 200 of 18,000 hits in
    1-4 ms against 160-250 ms). All: the whole index, worth it once the hits are at least
    1/`WALK_ALL_SHARE` of the papers."""
    if not hits:
        return False
    papers = _about_the_count(db)
    if limit is None:
        return hits * WALK_ALL_SHARE >= papers
    return hits * hits * 20 >= limit * papers


def _about_the_count(db: sqlite3.Connection) -> int:
    """The papers' highest row number: about their count, without counting them."""
    return int(db.execute("SELECT max(rowid) FROM papers").fetchone()[0] or 0)


def facets(
    db: sqlite3.Connection, hits: Sequence[str] | None = None, new_since: int | None = None
) -> Facets:
    """Sidebar counts over the whole library, or over the search ``hits``; with
    ``new_since``, also how many arrived after it (`views["new"]`)."""

    from paperdeck.core.paperset import FACET_KINDS, VIEW_KINDS

    scope: list[str] = [] if hits is None else [json_list(hits)]
    in_hits = "WHERE {} IN (SELECT value FROM json_each(?))" if scope else ""
    # The counts are read from the small index `papers_state` (covering), and the notes
    # from the partial index `papers_noted` (only the noted hits' rows are read): over a
    # million hits, reading every hit's row took 3 s of the sidebar's counts, these 1.8 s.
    state = db.execute(
        "SELECT count(*), sum(p.read = 0), sum(p.starred_at IS NOT NULL), sum(p.has_code = 1),"
        f" sum(p.arrival > ?) FROM papers p INDEXED BY papers_state {in_hits.format('p.id')}",
        [-1 if new_since is None else new_since, *scope],
    ).fetchone()
    total, unread, starred, code, new = (value or 0 for value in state)
    noted = db.execute(
        "SELECT count(*) FROM papers p INDEXED BY papers_noted WHERE p.note <> ''"
        + (" AND p.id IN (SELECT value FROM json_each(?))" if scope else ""),
        scope,
    ).fetchone()[0]
    counts = Facets(total=total, new_since=new_since)
    counts.views = dict(zip(VIEW_KINDS, (unread, starred, noted, code), strict=True))
    if new_since is not None:
        counts.views["new"] = new
    counts.values = {kind: Counter() for kind in FACET_KINDS}
    # Hits that are most of the library: the values' index read whole, in the GROUP BY's
    # order, each entry looked up among the hits (1M hits: 3.8 -> 2.4 s); fewer: each hit's
    # entries found by its id, then sorted (200k hits: 0.85 s, against 1.6 s the other way).
    papers = _about_the_count(db)
    most = hits is not None and len(hits) * 2 > papers
    facets_from = "paper_facets f INDEXED BY paper_facets_value" if most else "paper_facets f"
    for kind, value, n in db.execute(
        f"SELECT f.kind, f.value, count(*) FROM {facets_from} {in_hits.format('f.paper_id')}"
        " GROUP BY f.kind, f.value",
        scope,
    ):
        counts.values[kind][value] = n
    counts.spellings = counts.values["affiliation"]
    counts.values["affiliation"] = _group_affiliations(db, counts.spellings, scope)
    return counts


def facets_outside(db: sqlite3.Connection, others: Sequence[str], totals: Facets) -> Facets:
    """The counts of every paper but ``others``: the library's ``totals`` (read in the same
    transaction) less the counts of ``others``, as `facets` would count the rest. A search
    that matches most of the library is counted so (`Catalog.counts`): at a million hits,
    `facets` took 4 s and 106 MB of the reader's memory."""
    from paperdeck.core.paperset import FACET_KINDS

    if totals.spellings is None:
        raise ValueError("the totals were not counted by `facets`")
    part = facets(db, others, totals.new_since)
    assert part.spellings is not None
    views = {kind: n - part.views.get(kind, 0) for kind, n in totals.views.items()}
    counts = Facets(totals.total - part.total, views, new_since=totals.new_since)
    counts.spellings = totals.spellings - part.spellings
    scope = [json_list(others)]
    counts.values = {
        kind: _group_affiliations(db, counts.spellings, scope, outside=True)
        if kind == "affiliation"
        else totals.values.get(kind, Counter()) - part.values[kind]
        for kind in FACET_KINDS
    }
    return counts


def _group_affiliations(
    db: sqlite3.Connection, counts: Counter[str], scope: list[str], outside: bool = False
) -> Counter[str]:
    """Spellings of one affiliation counted as one entry, under its most used spelling;
    a paper that has two spellings of it (from two sources) is counted once. ``outside``:
    the ``scope`` is the papers not counted."""

    from paperdeck.core.affiliations import group_spellings

    grouped: Counter[str] = Counter()
    for label, spellings in group_spellings(counts).items():
        if len(spellings) == 1:
            grouped[label] = spellings[label]
            continue
        within = " NOT IN" if outside else " IN"
        in_scope = f" AND paper_id{within} (SELECT value FROM json_each(?))" if scope else ""
        grouped[label] = db.execute(
            "SELECT count(DISTINCT paper_id) FROM paper_facets WHERE kind = 'affiliation'"
            f" AND value IN (SELECT value FROM json_each(?)){in_scope}",
            [json_list(list(spellings)), *scope],
        ).fetchone()[0]
    return grouped


def affiliation_spellings(db: sqlite3.Connection, name: str) -> list[str]:
    """Every spelling of the affiliation ``name`` held by some paper."""
    from paperdeck.core.affiliations import same_affiliation

    stored = db.execute("SELECT DISTINCT value FROM paper_facets WHERE kind = 'affiliation'")
    return same_affiliation(name, (row[0] for row in stored))


def source_names(db: sqlite3.Connection) -> list[str]:
    """Every source some paper lists, as stored (a file's path as imported, "feed:NAME")."""
    rows = db.execute("SELECT DISTINCT value FROM paper_facets WHERE kind = 'source'")
    return [value for (value,) in rows]


def source_papers(db: sqlite3.Connection, name: str) -> tuple[list[str], list[str]]:
    """(papers only ``name`` lists, papers other sources list too) for a source named
    as stored or by its file name, as the sidebar shows it; an unknown one raises."""
    from pathlib import PurePath

    values = source_names(db)
    from paperdeck.core.feeds.source_names import source_label

    matched = [v for v in values if v == name] or [
        v for v in values if name in (PurePath(v).name, source_label(v))
    ]
    if not matched:
        known = ", ".join(sorted({PurePath(v).name for v in values})) or "none"
        raise LibraryError(f"no source named {name!r} (sources: {known})")
    only: list[str] = []
    shared: list[str] = []
    marks = ",".join("?" * len(matched))
    for paper_id, others in db.execute(
        "SELECT f.paper_id, (SELECT count(*) FROM paper_facets o WHERE o.paper_id ="
        f" f.paper_id AND o.kind = 'source' AND o.value NOT IN ({marks}))"
        f" FROM paper_facets f WHERE f.kind = 'source' AND f.value IN ({marks})"
        " GROUP BY f.paper_id ORDER BY f.paper_id",
        [*matched, *matched],
    ):
        (shared if others else only).append(paper_id)
    return only, shared


def counter(db: sqlite3.Connection, name: str) -> int:
    """A counter of schema 2 and 5 ('papers', 'edits', 'arrivals', 'quit_arrival')."""
    row = db.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()
    return row[0] if row else 0


def raise_counter(db: sqlite3.Connection, name: str, value: int) -> None:
    """Set a counter to ``value`` unless it is already higher: a mark that only moves on."""
    db.execute("UPDATE counters SET value = max(value, ?) WHERE name = ?", (value, name))


def new_count(db: sqlite3.Connection, since: int) -> int:
    """Papers that arrived after ``since`` (through the partial index on arrivals)."""
    row = db.execute("SELECT count(*) FROM papers WHERE arrival > ?", (since,))
    return int(row.fetchone()[0])


def starred_count(db: sqlite3.Connection) -> int:
    """Through the partial index on starred papers: no scan of the table."""
    row = db.execute("SELECT count(*) FROM papers WHERE starred_at IS NOT NULL")
    return int(row.fetchone()[0])
