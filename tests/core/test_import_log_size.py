"""An import lets SQLite's write-ahead log grow with the library (`IMPORT_WAL_SHARE`): at
SQLite's default every batch of a large import was copied into the database at once, each
index page it changed written twice. Afterwards the connection's defaults are back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from paperdeck.core.models import Paper
from paperdeck.core.store import Library, importing


def papers(count: int) -> list[Paper]:
    return [
        Paper(title=f"Paper number {n}", authors=[f"Author {n}"], abstract="Words. " * 200)
        for n in range(count)
    ]


def test_the_log_grows_with_the_database_and_is_cut_back(tmp_path: Path, monkeypatch) -> None:
    seen: list[tuple[int, int, int]] = []  # (pages in the database, checkpoint, size limit)
    size_the_log = importing._size_the_log

    def noted(db: sqlite3.Connection) -> None:
        size_the_log(db)
        seen.append(
            (
                db.execute("PRAGMA page_count").fetchone()[0],
                db.execute("PRAGMA wal_autocheckpoint").fetchone()[0],
                db.execute("PRAGMA journal_size_limit").fetchone()[0],
            )
        )

    monkeypatch.setattr(importing, "_size_the_log", noted)
    monkeypatch.setattr(importing, "IMPORT_BATCH", 50)
    monkeypatch.setattr(importing, "IMPORT_WAL_PAGES", (5, 20))
    with Library(tmp_path / "lib") as library:
        page = library._db.execute("PRAGMA page_size").fetchone()[0]
        library.add_papers(papers(1000))
        assert library.count() == 1000
        # SQLite's own default again for whatever this connection writes next
        assert library._db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
        assert library._db.execute("PRAGMA journal_size_limit").fetchone()[0] == -1
    assert len(seen) == 20
    for pages, checkpoint, limit in seen:
        assert checkpoint == min(20, max(5, pages // importing.IMPORT_WAL_SHARE))
        assert limit == checkpoint * page
    assert seen[0][1] == 5 and seen[-1][1] == 20  # from the floor to the ceiling


def test_the_readers_commits_never_copy_the_log(tmp_path: Path, make_app) -> None:
    """The reader's UI thread writes stars and notes: copying a log a large import left
    (~400 MB) in one of those commits would freeze the screen. Other connections copy it."""
    with Library(tmp_path / "lib") as library:
        library.add_papers(papers(3))
    app = make_app(tmp_path / "lib")
    ui = app.library
    assert ui._db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
    ui.add_papers(papers(5))  # an import through it leaves it so
    assert ui._db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
    ui.close()
    with Library(tmp_path / "lib") as library:
        assert library._db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
