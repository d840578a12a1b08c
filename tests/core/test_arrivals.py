"""What counts as new (papers added since the reader last quit), and the mark that records it."""

from __future__ import annotations

import sqlite3

from paperdeck.core.arrivals import last_quit, newest_arrival, record_quit
from paperdeck.core.models import Paper
from paperdeck.core.paperset import PaperSet
from paperdeck.core.store import Library


def paper(title: str, **fields: object) -> Paper:
    return Paper(title=title, authors=["Ann Lee"], **fields)  # type: ignore[arg-type]


def test_each_import_that_adds_papers_is_one_arrival(tmp_path):
    with Library(tmp_path / "lib") as lib:
        assert newest_arrival(lib) == 0
        first = lib.add_papers([paper("Alpha"), paper("Beta")]).ids
        assert newest_arrival(lib) == 1
        lib.add_papers([paper("Alpha", abstract="now with an abstract")])  # a merge only
        assert newest_arrival(lib) == 1
        second = lib.add_papers([paper("Alpha"), paper("Gamma")]).ids
        assert newest_arrival(lib) == 2
        assert lib.select(PaperSet().new_since(0)) == [*first, second[1]]  # by title: no dates
        assert lib.select(PaperSet().new_since(1)) == [second[1]]
        assert lib.select(PaperSet().new_since(2)) == []
        assert lib.new_count(1) == 1


def test_a_merged_paper_keeps_its_first_arrival_whatever_dates_the_source_gives(tmp_path):
    with Library(tmp_path / "lib") as lib:
        (old,) = lib.add_papers([paper("Alpha", added_at="2020-01-01T00:00:00")]).ids
        record_quit(lib, newest_arrival(lib))
        lib.add_papers([paper("Alpha", abstract="replaced version")])
        (recent,) = lib.add_papers([paper("Beta", added_at="1999-01-01T00:00:00")]).ids
        assert lib.select(PaperSet().new_since(last_quit(lib))) == [recent]
        assert old != recent


def test_the_quit_mark_only_moves_forward(tmp_path):
    """Two readers quitting in either order leave the later mark."""
    with Library(tmp_path / "lib") as lib:
        assert last_quit(lib) == 0
        record_quit(lib, 5)
        record_quit(lib, 3)  # a reader that started earlier quits later
        assert last_quit(lib) == 5
        record_quit(lib, 7)
    with Library(tmp_path / "lib") as lib:  # kept in the library itself
        assert last_quit(lib) == 7


def test_facets_count_the_new_papers_only_when_asked(tmp_path):
    with Library(tmp_path / "lib") as lib:
        lib.add_papers([paper("Alpha"), paper("Beta")])
        lib.add_papers([paper("Gamma")])
        assert "new" not in lib.facets().views
        facets = lib.facets(new_since=1)
        assert (facets.views["new"], facets.new_since, facets.total) == (1, 1, 3)
        ids = lib.select(PaperSet())
        assert lib.facets(ids[:1], new_since=0).views["new"] == 1


def test_the_new_filter_says_new_not_its_number():
    assert PaperSet().new_since(12).unread().description == "New · Unread"


def test_papers_of_an_older_library_are_not_new(tmp_path):
    """Schema 5 numbers arrivals from the migration on: what was there before is not new."""
    root = tmp_path / "lib"
    with Library(root) as lib:
        lib.add_papers([paper("Alpha")])
    db = sqlite3.connect(root / "library.sqlite3")
    db.execute("UPDATE papers SET arrival = NULL")  # as the migration leaves old papers
    db.commit()
    db.close()
    with Library(root) as lib:
        lib.add_papers([paper("Beta")])
        assert lib.get_many(lib.select(PaperSet().new_since(0)))[0].title == "Beta"


def test_mark_read_and_first_unread(tmp_path):
    with Library(tmp_path / "lib") as lib:
        ids = lib.add_papers([paper(f"Paper {n}") for n in range(5)]).ids
        lib.set_read(ids[1], True)
        assert lib.first_unread(ids[1:]) == ids[2]
        assert lib.first_unread(list(reversed(ids))) == ids[4]
        assert lib.mark_read(ids[:3]) == 2  # ids[1] was read already
        assert lib.first_unread(ids) == ids[3]
        assert lib.mark_read(ids) == 2
        assert lib.first_unread(ids) is None
        assert lib.facets().views["unread"] == 0


def test_a_reader_quitting_while_an_import_runs_leaves_the_later_batches_new(tmp_path):
    """An import commits in batches; the quit mark can fall between two of them."""
    from paperdeck.core.store.importing import IMPORT_BATCH

    root = tmp_path / "lib"
    total = IMPORT_BATCH * 2 + 7
    with Library(root) as lib, Library(root) as reader:

        def incoming():
            for n in range(total):
                if n == IMPORT_BATCH:  # the first batch is committed; a reader quits now
                    record_quit(reader, newest_arrival(reader))
                yield paper(f"Paper number {n}")

        lib.add_papers(incoming())
        assert lib.count() == total
        assert lib.new_count(last_quit(lib)) == total - IMPORT_BATCH
