"""Views of a large library: the whole list and the library's counts read small covering
indexes (schema 10), and SQL a newer keystroke replaced stops (`Library.stopped_by`)."""

from __future__ import annotations

import json
import sqlite3
import threading

import pytest

from paperdeck.core.cancel import SearchCancelled
from paperdeck.core.catalog import Catalog
from paperdeck.core.models import Paper
from paperdeck.core.paperset import PaperSet, Sort
from paperdeck.core.store import Library

# A query that runs for seconds in SQLite itself (no rows, so no Python between its steps).
LONG_SQL = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000000)"
    " SELECT count(*) FROM n"
)


@pytest.fixture
def library(tmp_path):
    with Library(tmp_path / "lib") as lib:
        lib.add_papers(
            [
                Paper(title="beta", date="2022-01-01", id="b"),
                Paper(title="Alpha", date="2022-01-01", id="a"),
                Paper(title="Gamma", date="2021-01-01", id="c", note="read later"),
                Paper(title="Delta", date=None, id="d"),
            ]
        )
        lib.set_starred("c", True)
        lib.mark_read(["a"])
        yield lib


def plan(library: Library, sql: str, params: list[object]) -> str:
    rows = library._db.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    return " | ".join(row[-1] for row in rows)


def test_the_whole_list_in_date_order_reads_only_the_date_index(library):
    from paperdeck.core.paperset import ORDER_SQL, Sort

    sql = f"SELECT p.id FROM papers p WHERE 1 ORDER BY {ORDER_SQL[Sort.NEWEST]} LIMIT ?"
    assert plan(library, sql, [-1]) == "SCAN p USING COVERING INDEX papers_date"
    # Newest first, a date's titles without regard to case, undated papers last.
    assert library.select(PaperSet()) == ["a", "b", "c", "d"]


def _counting_plans(library: Library, hits: list[str] | None) -> list[str]:
    """The query plan of each statement that counts ``hits`` (or the library)."""
    statements: list[str] = []
    library._db.set_trace_callback(statements.append)
    library.facets(hits)
    library._db.set_trace_callback(None)
    found = []
    for statement in statements:
        if "sum(p.read = 0)" in statement or "note <> ''" in statement:
            params: list[object] = [-1] if "> -1" in statement else []
            sql = statement.replace("> -1", "> ?")
            if hits is not None:
                sql = sql.replace(f"'{json.dumps(hits)}'", "?")
                params.append(json.dumps(hits))
            found.append(plan(library, sql, params))
    return found


@pytest.mark.parametrize("hits", [None, ["a", "c"], ["a", "b", "c", "d", "zz"]])
def test_counts_read_the_state_and_notes_indexes_not_the_rows(library, hits) -> None:
    """Over the library and over hits, few or most: the state from its covering index,
    the notes from theirs; no scan of the papers, no paper looked up by its id."""
    with library.stopped_by(lambda: False):
        totals = Catalog(library).totals(None)
    assert (totals.total, totals.views["unread"], totals.views["starred"]) == (4, 3, 1)
    assert totals.views["notes"] == 1
    counted = library.facets(hits)
    expected = {None: (4, 3, 1, 1), 2: (2, 1, 1, 1), 5: (4, 3, 1, 1)}[hits and len(hits)]
    views = counted.views
    assert (counted.total, views["unread"], views["starred"], views["notes"]) == expected
    state, notes = _counting_plans(library, hits)
    assert "COVERING INDEX papers_state" in state
    assert "papers_noted" in notes
    for step in [*state.split(" | "), *notes.split(" | ")]:
        assert step != "SCAN p" and "sqlite_autoindex_papers" not in step


def test_counts_over_few_and_most_hits_are_what_plain_sql_counts(tmp_path) -> None:
    """Both ways of counting the values (most of the library or few hits) against the
    simplest SQL, with duplicates and ids that are not papers among the hits."""
    with Library(tmp_path / "lib") as lib:
        lib.add_papers(
            [
                Paper(
                    title=f"Paper {n}",
                    id=f"p{n}",
                    categories=[f"cs.{'AI' if n % 2 else 'LG'}", *(["stat.ML"] * (n % 3 == 0))],
                    affiliations=[["MIT", "Mit", "ETH Zürich"][n % 3]],
                    note="seen" if n % 4 == 0 else "",
                )
                for n in range(12)
            ]
        )
        lib.add_tags("p1", ["rl"])
        everyone = [f"p{n}" for n in range(12)]
        for hits in (["p1", "p2", "p1", "zz"], [*everyone, "p3", "zz"]):
            counted = lib.facets(hits)
            scope = json.dumps(sorted(set(hits)))
            rows = lib._db.execute(
                "SELECT kind, value, count(*) FROM paper_facets"
                " WHERE paper_id IN (SELECT value FROM json_each(?)) GROUP BY kind, value",
                [scope],
            ).fetchall()
            plain = {(kind, value): n for kind, value, n in rows if kind != "affiliation"}
            mine = {
                (kind, value): n
                for kind, values in counted.values.items()
                if kind != "affiliation"
                for value, n in values.items()
            }
            assert mine == plain
            papers = len(set(hits) & set(everyone))
            noted = sum(1 for h in set(hits) & set(everyone) if int(h[1:]) % 4 == 0)
            assert (counted.total, counted.views["notes"]) == (papers, noted)


def test_sql_stops_soon_after_the_cancel_check_says_so(library):
    stop = threading.Event()
    threading.Timer(0.05, stop.set).start()
    with pytest.raises(SearchCancelled), library.stopped_by(stop.is_set):
        library._db.execute(LONG_SQL).fetchone()
    # The check is gone afterwards: the same connection reads again, whatever it says.
    assert library.count() == 4


def test_sql_that_is_not_cancelled_runs_to_its_end(library):
    with library.stopped_by(lambda: False):
        row = library._db.execute(LONG_SQL.replace("200000000", "100000")).fetchone()
    assert row[0] == 100000


def test_an_interrupt_nobody_asked_for_is_not_taken_for_a_cancel(library):
    timer = threading.Timer(0.05, library._db.interrupt)
    timer.start()
    with (
        pytest.raises(sqlite3.OperationalError, match="interrupted"),
        library.stopped_by(lambda: False),
    ):
        library._db.execute(LONG_SQL).fetchone()


@pytest.mark.parametrize(
    ("narrow", "index"),
    [
        (lambda s: s.new_since(0), "papers_arrival"),
        (lambda s: s.starred(), "papers_starred"),
        (lambda s: s.narrowed("notes"), "papers_noted"),
    ],
)
def test_a_filter_with_its_own_index_reads_it_not_the_whole_date_index(library, narrow, index):
    """Walking the date index (which gives the order) and checking each paper was SQLite's
    choice once schema 10 made that index cover the order: the New view of a million
    papers took 80 s instead of 12 ms."""
    paperset = narrow(PaperSet())
    statements: list[str] = []
    library._db.set_trace_callback(statements.append)
    listed = library.select(paperset)
    library._db.set_trace_callback(None)
    listing = next(s for s in statements if s.startswith("SELECT p.id FROM papers p"))
    assert index in plan(library, listing, [])
    assert "papers_date" not in plan(library, listing, [])
    # Still in the view's order: newest first, a date's titles without regard to case.
    everything = library.select(PaperSet())
    assert listed == [i for i in everything if i in set(listed)]
    assert listed


def test_an_unindexed_filter_still_reads_the_date_index_in_order(library):
    statements: list[str] = []
    library._db.set_trace_callback(statements.append)
    assert library.select(PaperSet().unread()) == ["b", "c", "d"]
    library._db.set_trace_callback(None)
    listing = next(s for s in statements if s.startswith("SELECT p.id FROM papers p"))
    assert "papers_date" in plan(library, listing, [])


def test_every_hit_newest_first_walks_the_date_index_only_when_hits_are_many(tmp_path, monkeypatch):
    """All of a view's hits newest first: walking the whole date index with the hits in a
    set, or SQL reading each hit's row, list the same papers in the same order (ties on
    date by title; undated last; hits no longer in the library left out)."""
    from paperdeck.core.store import views

    dates = ["2024-05-01", "2023-01-01", None, "2024-05-01", "2022-12-31"]
    titles = ["beta", "Alpha", "zeta", "alpha", "Gamma"]
    with Library(tmp_path / "lib") as library:
        library.add_papers(
            [
                Paper(title=f"{titles[n % 5]} {n:02d}", date=dates[n % 5], id=f"p{n:02d}")
                for n in range(40)
            ]
        )
        newest = PaperSet().matching("x").sorted_by(Sort.NEWEST)
        many = [f"p{n:02d}" for n in range(0, 40, 2)] + ["gone", "p02"]
        few = ["p07", "p03", "p05"]
        assert views._walk_dates(library._db, len(many), None) is True
        assert views._walk_dates(library._db, len(few), None) is False
        listed = {}
        for share in (0, 10**6):  # never walk, always walk
            monkeypatch.setattr(views, "WALK_ALL_SHARE", share)
            listed[share] = [library.select(newest, hits) for hits in (many, few)]
        assert library.count() == 40
        assert listed[0] == listed[10**6]
        walked_many = listed[10**6][0]
        assert len(walked_many) == 20 and "gone" not in walked_many
        assert walked_many[:4] == ["p08", "p18", "p28", "p38"]  # "alpha NN" of 2024-05-01
        assert walked_many[-4:] == ["p02", "p12", "p22", "p32"]  # undated
        assert listed[0][1] == ["p03", "p05", "p07"]


@pytest.mark.parametrize("limit", [1, 2, 3, 4, None])
def test_the_first_hits_newest_first_are_those_of_the_whole_sorted_list(library, limit):
    """With a limit and many hits, the date index is walked until the limit is met (ties
    on date broken by title, as the index holds them; undated papers last)."""
    from paperdeck.core.store import views

    hits = ["d", "c", "b", "a"]  # in relevance order, say
    newest = PaperSet().matching("x").sorted_by(Sort.NEWEST)
    everything = library.select(newest, hits)
    assert everything == ["a", "b", "c", "d"]
    assert views._walk_dates(library._db, len(hits), limit) is True  # every paper a hit
    assert library.select(newest, hits, limit) == everything[:limit]
    assert library.select(newest, hits[1:3], limit) == ["b", "c"][:limit]
    statements: list[str] = []
    library._db.set_trace_callback(statements.append)
    library.select(newest, hits, limit)
    assert "json_each" not in statements[-1]  # the hits stay in Python: a set
    from paperdeck.core.paperset import ORDER_SQL

    sql = f"SELECT p.id FROM papers p ORDER BY {ORDER_SQL[Sort.NEWEST]}"
    assert plan(library, sql, []) == "SCAN p USING COVERING INDEX papers_date"  # no sort


@pytest.mark.parametrize("size", [0, 1, 2, 5, 6, 7])
def test_hits_are_encoded_a_slice_at_a_time_as_one_array(monkeypatch, size: int) -> None:
    """`json_list` gives what one `json.dumps` gives, whatever the slices."""
    import json

    from paperdeck.core.store import reads

    monkeypatch.setattr(reads, "JSON_SLICE", 3)
    ids = [f"2501.{n:05d}" for n in range(size - 1)] + ['é "quoted" \\ ✓'] * (size > 0)
    assert reads.json_list(ids) == json.dumps(ids)
    assert json.loads(reads.json_list(ids)) == ids


def test_counts_and_filters_over_many_hits_read_every_slice(library, monkeypatch) -> None:
    from paperdeck.core.store import reads

    monkeypatch.setattr(reads, "JSON_SLICE", 1)
    hits = ["d", "c", "b", "zz", "a"]
    assert library.facets(hits).total == 4
    assert library.select(PaperSet(sort=Sort.NEWEST).starred(), hits) == ["c"]
    assert library.existing(hits) == {"a", "b", "c", "d"}
