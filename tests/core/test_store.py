import os
import sqlite3
import stat

import pytest

from paperdeck.core.models import Paper
from paperdeck.core.paperset import PaperSet, Sort
from paperdeck.core.schema import SCHEMA_VERSION, NewerSchemaError
from paperdeck.core.store import Library, LibraryError
from testkit import migration_changes_nothing


def papers() -> list[Paper]:
    return [
        Paper(
            title="Alpha",
            authors=["Ann Lee"],
            date="2024-01-02",
            categories=["cs.CL"],
            affiliations=["pku"],
            links=["https://github.com/a/alpha"],
            has_code=True,
            arxiv_id="2401.00001",
            sources=["a.txt"],
        ),
        Paper(
            title="Beta",
            authors=["Bo Chen"],
            date="2025-05-06",
            categories=["cs.LG", "cs.CL"],
            sources=["a.txt"],
        ),
        Paper(title="Gamma", date=None, sources=["b.txt"]),
    ]


@pytest.fixture
def library(tmp_path):
    with Library(tmp_path / "lib") as lib:
        lib.add_papers(papers())
        yield lib


def test_add_is_idempotent(library):
    counts = library.add_papers(papers())
    assert (counts.added, counts.merged, counts.unchanged) == (0, 0, 3)
    assert library.count() == 3


def test_select_orders_and_filters(library):
    assert [p.title for p in library.get_many(library.select(PaperSet()))] == [
        "Beta",
        "Alpha",
        "Gamma",
    ]
    oldest = library.select(PaperSet().sorted_by(Sort.OLDEST))
    assert [p.title for p in library.get_many(oldest)] == ["Alpha", "Beta", "Gamma"]
    assert library.select(PaperSet().narrowed("code")) == ["2401.00001"]
    assert len(library.select(PaperSet().narrowed("category", "cs.CL"))) == 2
    assert len(library.select(PaperSet().narrowed("source", "b.txt"))) == 1


def test_select_with_hits_keeps_relevance_order_and_filters(library):
    ids = library.select(PaperSet())
    hits = [ids[2], ids[0]]
    assert library.select(PaperSet().matching("q"), hits) == hits
    assert library.select(PaperSet().matching("q").sorted_by(Sort.TITLE), hits) == [ids[0], ids[2]]
    assert library.select(PaperSet().matching("q").narrowed("code"), hits) == []
    newest = library.select(PaperSet().matching("q").sorted_by(Sort.NEWEST), hits)
    assert newest == [ids[0], ids[2]]


def test_user_state_round_trip_and_change_log(library):
    pid = "2401.00001"
    seq = library.last_change()
    assert library.toggle_star(pid) is True
    assert library.set_note(pid, "My *note*\x1b[31m") == "My *note*"
    assert library.add_tags(pid, ["+RL", "reading list"]) == ["rl", "reading-list"]
    assert library.remove_tags(pid, ["RL"]) == ["reading-list"]
    assert library.set_read(pid, True) is True
    paper = library.get(pid)
    assert (paper.starred, paper.note, paper.tags, paper.read) == (
        True,
        "My *note*",
        ["reading-list"],
        True,
    )
    assert paper.starred_at is not None
    newest, changed = library.changes_after(seq)
    assert changed == [pid] and newest > seq
    assert library.toggle_star(pid) is False
    assert library.select(PaperSet().starred()) == []


def test_facets_count_views_and_values(library):
    library.toggle_star("2401.00001")
    library.add_tags("2401.00001", ["rl"])
    facets = library.facets()
    assert facets.total == 3
    assert facets.views == {"unread": 3, "starred": 1, "notes": 0, "code": 1}
    assert facets.values["category"] == {"cs.CL": 2, "cs.LG": 1}
    assert facets.values["tag"] == {"rl": 1}
    assert facets.values["source"] == {"a.txt": 2, "b.txt": 1}
    scoped = library.facets(hits=["2401.00001"])
    assert scoped.total == 1 and scoped.values["category"] == {"cs.CL": 1}


def test_resolve_id(library):
    assert library.resolve_id("2401.00001v3") == "2401.00001"
    assert library.resolve_id("https://arxiv.org/abs/2401.00001") == "2401.00001"
    gamma = library.select(PaperSet().narrowed("source", "b.txt"))[0]
    assert library.resolve_id(gamma[:6]) == gamma
    with pytest.raises(LibraryError, match="no paper"):
        library.resolve_id("nope")
    with pytest.raises(LibraryError, match="no paper"):
        library.set_note("nope", "x")


def test_library_is_private(tmp_path):
    with Library(tmp_path / "lib") as lib:
        lib.add_papers(papers())
    assert stat.S_IMODE(os.stat(tmp_path / "lib").st_mode) == 0o700
    for name in os.listdir(tmp_path / "lib"):
        if name.startswith("library.sqlite3"):
            assert stat.S_IMODE(os.stat(tmp_path / "lib" / name).st_mode) == 0o600


def test_newer_schema_is_refused_and_left_alone(tmp_path):
    Library(tmp_path / "lib").close()
    db = sqlite3.connect(tmp_path / "lib" / "library.sqlite3")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    before = (tmp_path / "lib" / "library.sqlite3").read_bytes()
    with pytest.raises(NewerSchemaError, match="newer paperdeck"):
        Library(tmp_path / "lib")
    assert (tmp_path / "lib" / "library.sqlite3").read_bytes() == before


def test_failed_batch_adds_nothing(tmp_path):
    class Boom(Exception):
        pass

    def batch():
        yield Paper(title="First")
        raise Boom

    with Library(tmp_path / "lib") as lib:
        with pytest.raises(Boom):
            lib.add_papers(batch())
        assert lib.count() == 0


def test_counts_hold_only_the_batches_committed(tmp_path, monkeypatch):
    """A batch that fails inside its transaction is rolled back: the counts (and the ids an
    `import --json` report lists as added) say what the library holds."""
    from paperdeck.core.store import ImportCounts, importing

    monkeypatch.setattr(importing, "IMPORT_BATCH", 2)
    write = importing._write

    def failing(db, paper, *args, **options):
        if paper.title == "Third":
            raise sqlite3.OperationalError("database or disk is full")
        write(db, paper, *args, **options)

    monkeypatch.setattr(importing, "_write", failing)
    counts = ImportCounts()
    with Library(tmp_path / "lib") as lib:
        titles = ["First", "Second", "Fourth", "Third"]
        with pytest.raises(sqlite3.OperationalError):
            lib.add_papers([Paper(title=t) for t in titles], counts=counts)
        assert lib.count() == 2
        assert (counts.added, sorted(counts.new_ids)) == (2, sorted(lib.all_ids()))
        assert counts.ids == counts.new_ids


def test_hostile_text_is_cleaned_at_the_boundary(tmp_path):
    with Library(tmp_path / "lib") as lib:
        lib.add_papers(
            [Paper(title="[b]x[/b]\x1b]52;c;ZXZpbA==\x07\u202e", authors=["E\x1b[1mve"])]
        )
        paper = lib.get_many(lib.all_ids())[0]
    assert paper.title == "[b]x[/b]"
    assert paper.authors == ["Eve"]


def test_a_failed_commit_rolls_back_and_leaves_the_connection_usable(tmp_path):
    with Library(tmp_path / "lib") as lib:
        with pytest.raises(sqlite3.IntegrityError), lib.transaction() as db:
            db.execute("PRAGMA defer_foreign_keys = ON")  # the violation surfaces at COMMIT
            db.execute(
                "INSERT INTO paper_facets (paper_id, kind, value) VALUES ('ghost', 'tag', 'x')"
            )
        lib.add_papers([Paper(title="After the failure")])
        assert lib.count() == 1
        assert lib.tag_names() == []


def test_a_short_busy_timeout_fails_fast_while_another_process_writes(tmp_path):
    Library(tmp_path / "lib").close()
    other = sqlite3.connect(tmp_path / "lib" / "library.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with (
            Library(tmp_path / "lib", busy_timeout_ms=100) as lib,
            pytest.raises(sqlite3.OperationalError, match="locked"),
        ):
            lib.add_papers([Paper(title="Waits at most 0.1 s")])
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_resolve_id_takes_every_arxiv_spelling(library):
    for spelling in (
        "2401.00001",
        "arXiv:2401.00001",
        "https://arxiv.org/pdf/2401.00001v2",
        "https://arxiv.org/abs/2401.00001v3/",
    ):
        assert library.resolve_id(spelling) == "2401.00001", spelling
    with pytest.raises(LibraryError, match="no paper id"):
        library.resolve_id("  ")


def test_pending_papers_counts_the_change_log(library):
    assert library.pending_papers() == 3
    library.toggle_star("2401.00001")
    library.toggle_star("2401.00001")
    assert library.pending_papers() == 3  # distinct papers, not changes
    library.prune_changes(library.last_change())
    assert library.pending_papers() == 0


def test_the_paper_count_is_kept_through_adds_merges_and_failed_batches(tmp_path):
    with Library(tmp_path / "lib") as lib:
        assert lib.count() == 0 and lib.is_empty()
        lib.add_papers(papers())
        lib.add_papers(papers())  # the same papers again: merged, not added
        assert lib.count() == 3 and not lib.is_empty()
        with pytest.raises(sqlite3.IntegrityError), lib.transaction() as db:
            db.execute(
                "INSERT INTO papers (id, title, title_key, author_key, authors, categories,"
                " affiliations, links, sources, added_at) VALUES ('x', 't', 't', '', '[]',"
                " '[]', '[]', '[]', '[]', 'now')"
            )
            db.execute("INSERT INTO papers (id) VALUES ('y')")  # NOT NULL: the batch fails
        assert lib.count() == 3
        with lib.transaction() as db:
            db.execute("DELETE FROM papers WHERE title = 'Gamma'")
        assert lib.count() == 2
        raw = sqlite3.connect(lib.db_path)
        assert raw.execute("SELECT count(*) FROM papers").fetchone()[0] == 2
        raw.close()


def downgrade(db: sqlite3.Connection, version: int) -> None:
    """Undo the migrations after ``version``: a library as that paperdeck left it."""
    if version < 12:
        db.execute("DROP INDEX papers_doi")
        db.execute("CREATE INDEX papers_doi ON papers(doi) WHERE doi IS NOT NULL")
    if version < 11:
        pass  # schema 11 mended data only (`legacy_values`): nothing to undo
    if version < 10:
        for index in ("papers_date", "papers_state", "papers_noted"):
            db.execute(f"DROP INDEX {index}")
        db.execute("CREATE INDEX papers_date ON papers(date DESC, title)")
    if version < 9:
        pass  # schema 9 moved data only (class terms out of categories): nothing to undo
    if version < 8:
        db.execute("ALTER TABLE papers DROP COLUMN upvotes")
        db.execute("DROP TABLE feed_validators")
    if version < 7:
        db.execute("ALTER TABLE papers DROP COLUMN bibtex_fields")
        db.execute("ALTER TABLE papers DROP COLUMN subject_classes")
        db.execute("DROP TABLE paper_aliases")
    if version < 6:
        db.execute("DROP TABLE trash")
    if version < 5:
        for trigger in ("papers_edited", "tags_added", "tags_removed"):
            db.execute(f"DROP TRIGGER {trigger}")
        db.execute("DROP INDEX papers_arrival")
        db.execute("ALTER TABLE papers DROP COLUMN arrival")
        db.execute("DELETE FROM counters WHERE name IN ('arrivals', 'quit_arrival', 'edits')")
    if version < 4:
        db.execute("ALTER TABLE papers DROP COLUMN bibtex_key")
        db.execute("ALTER TABLE papers DROP COLUMN bibtex_type")
    if version < 2:
        db.execute("DROP TRIGGER papers_counted_in")
        db.execute("DROP TRIGGER papers_counted_out")
        db.execute("DROP TABLE counters")
    db.execute(f"PRAGMA user_version = {version}")
    db.commit()


def test_a_schema_1_library_is_migrated_with_its_papers_counted(tmp_path):
    from paperdeck.core.schema import MIGRATIONS, _statements

    root = tmp_path / "old"
    root.mkdir()
    db = sqlite3.connect(root / "library.sqlite3")
    for statement in _statements(MIGRATIONS[1]):
        db.execute(statement)
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    with Library(root) as lib:
        lib.add_papers(papers()[:2])
    db = sqlite3.connect(root / "library.sqlite3")
    downgrade(db, 1)  # as if written by the last paperdeck of schema 1: no counters
    db.close()
    with Library(root) as lib:
        assert lib.count() == 2
        lib.add_papers(papers()[2:])
        assert lib.count() == 3
    db = sqlite3.connect(root / "library.sqlite3")
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 12
    db.close()


def test_a_schema_2_library_gets_its_made_up_first_of_january_back_as_a_year(tmp_path):
    root = tmp_path / "old"
    with Library(root) as lib:
        ids = lib.add_papers(
            [
                Paper(title="Year only", sources=["refs.bib", "old.JSON"]),
                Paper(title="Listing day", date="2024-03-11", date_inferred=True),
                Paper(title="Real new year", date="2024-01-01", sources=["refs.bib"]),
                Paper(title="Undated"),
                Paper(title="Listing new year", sources=["daily.txt", "refs.bib"]),
            ]
        ).ids
    db = sqlite3.connect(root / "library.sqlite3")
    downgrade(db, 2)
    for made_up in (ids[0], ids[4]):  # as the earlier paperdeck stored "year = 2024"
        db.execute(
            "UPDATE papers SET date = '2024-01-01', date_inferred = 1 WHERE id = ?", (made_up,)
        )
    db.commit()
    db.close()
    with Library(root) as lib:
        dates = [(p.date, p.date_inferred) for p in lib.get_many(ids)]
    assert dates == [
        ("2024", False),
        ("2024-03-11", True),
        ("2024-01-01", False),
        (None, False),
        ("2024-01-01", True),  # a listing's 1 January, maybe: left as it was
    ]


def mixed_library_before_schema_7(root) -> list[str]:
    """A library as the last paperdeck of schema 6 left it: MSC and ACM class terms stored
    among the arXiv categories (its parsers did not tell them apart), one such paper in the
    trash, and the index up to date (an empty change log)."""
    with Library(root) as lib:
        ids = lib.add_papers(
            [
                Paper(
                    title="Mixed", categories=["cs.LG", "68T05", "I.2.7", "stat.ML"], tags=["kept"]
                ),
                Paper(title="Clean", categories=["cs.CL", "hep-th"], tags=["kept", "other"]),
                Paper(title="Classes only", categories=["35Q30"]),
                Paper(title="Trashed", categories=["math.OC", "90C25"], note="my note"),
            ]
        ).ids
        lib.remove_papers([ids[3]])
        lib.prune_changes(lib.last_change())
    db = sqlite3.connect(root / "library.sqlite3")
    downgrade(db, 6)
    db.execute("UPDATE trash SET record = json_remove(record, '$.subject_classes')")
    db.commit()
    db.close()
    return ids


def test_a_library_from_before_schema_7_gets_its_class_terms_out_of_its_categories(tmp_path):
    root = tmp_path / "old"
    ids = mixed_library_before_schema_7(root)
    with Library(root) as lib:
        papers_now = lib.get_many(ids[:3])
        assert [p.categories for p in papers_now] == [["cs.LG", "stat.ML"], ["cs.CL", "hep-th"], []]
        assert [p.subject_classes for p in papers_now] == [["68T05", "I.2.7"], [], ["35Q30"]]
        counts = lib.facets()
        assert dict(counts.values["category"]) == {
            "cs.LG": 1,
            "stat.ML": 1,
            "cs.CL": 1,
            "hep-th": 1,
        }
        assert dict(counts.values["tag"]) == {"kept": 2, "other": 1}
        assert lib.tag_names() == ["kept", "other"]
        assert lib.changes_after(0)[1] == [ids[0], ids[2]]  # the index re-reads their categories
        assert lib.restore_papers([ids[3]]) == [ids[3]]
        restored = lib.get(ids[3])
        assert restored is not None
        assert (restored.categories, restored.subject_classes, restored.note) == (
            ["math.OC"],
            ["90C25"],
            "my note",
        )
    db = sqlite3.connect(root / "library.sqlite3")
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 12
    positions = db.execute(
        "SELECT value, position FROM paper_facets WHERE paper_id = ? AND kind = 'category'"
        " ORDER BY position",
        (ids[0],),
    ).fetchall()
    assert positions == [("cs.LG", 0), ("stat.ML", 1)]
    db.close()


def test_the_class_terms_migration_run_again_changes_nothing(tmp_path):
    root = tmp_path / "old"
    mixed_library_before_schema_7(root)
    migration_changes_nothing(root, 9)


def test_a_class_terms_migration_that_fails_part_way_leaves_the_library_as_it_was(
    tmp_path, monkeypatch
):
    from paperdeck.core.sources import categories

    root = tmp_path / "old"
    ids = mixed_library_before_schema_7(root)
    db = sqlite3.connect(root / "library.sqlite3")
    before = db.execute("SELECT id, categories FROM papers ORDER BY id").fetchall()
    db.close()
    calls = []
    split = categories.split_categories

    def failing(codes):
        calls.append(codes)
        if len(calls) == 3:  # two papers classified (one with class terms), then a failure
            raise RuntimeError("interrupted")
        return split(codes)

    monkeypatch.setattr(categories, "split_categories", failing)
    with pytest.raises(RuntimeError, match="interrupted"):
        Library(root)
    db = sqlite3.connect(root / "library.sqlite3")
    assert db.execute("PRAGMA user_version").fetchone()[0] == 8  # 7 and 8 committed, 9 not
    assert db.execute("SELECT id, categories FROM papers ORDER BY id").fetchall() == before
    assert '"68T05"' in dict(before)[ids[0]]
    assert db.execute("SELECT count(*) FROM changes").fetchone()[0] == 0
    db.close()
    monkeypatch.setattr(categories, "split_categories", split)
    with Library(root) as lib:
        assert lib.get(ids[0]).categories == ["cs.LG", "stat.ML"]


def test_an_import_uses_a_big_page_cache_and_gives_it_back(tmp_path):
    from paperdeck.core.store import importing

    with Library(tmp_path / "lib") as lib:
        before = lib._db.execute("PRAGMA cache_size").fetchone()[0]
        seen: list[int] = []

        def batch():
            yield papers()[0]
            seen.append(lib._db.execute("PRAGMA cache_size").fetchone()[0])
            yield papers()[1]

        lib.add_papers(batch())
        assert seen == [importing.IMPORT_CACHE_SIZE]
        assert lib._db.execute("PRAGMA cache_size").fetchone()[0] == before
