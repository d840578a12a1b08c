"""Finding the stored paper an incoming one is: by arXiv id, DOI or title, through indexes.

Each lookup must read only the rows it finds: one that reads every paper's row makes an
import quadratic (the arXiv snapshot holds ~1M DOIs). The work is counted in SQLite's own
steps (its progress handler), not timed: the same import into a library ten times as large
must cost about the same.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from paperdeck.core.models import Paper
from paperdeck.core.store import Library


def stored(count: int) -> list[Paper]:
    """Papers with every identifier a lookup uses, the old arXiv scheme included."""
    return [
        Paper(
            title=f"Stored paper number {n}",
            authors=[f"Author {n}"],
            arxiv_id=f"hep-th/99{n:05d}" if n % 2 else f"2401.{n:05d}",
            doi=f"10.1103/PhysRevD.{n}.013009",
            abstract="Text.",
        )
        for n in range(count)
    ]


def incoming() -> list[Paper]:
    """A new paper carrying each kind of identifier, and one already stored."""
    return [
        Paper(
            title="A paper nobody has yet",
            authors=["Ada Newcomer"],
            arxiv_id="math/0701001",
            doi="10.1000/NEW.1",
        ),
        Paper(title="Stored paper number 8 (published)", doi="10.1103/physrevd.8.013009"),
    ]


def steps_to_import(library: Library, papers: list[Paper]) -> int:
    """SQLite's virtual machine steps (in hundreds) spent adding ``papers``."""
    counted = [0]

    def count() -> int:
        counted[0] += 1
        return 0  # go on

    db: sqlite3.Connection = library._db
    db.set_progress_handler(count, 100)
    try:
        library.add_papers(papers)
    finally:
        db.set_progress_handler(None, 0)
    return counted[0]


@pytest.mark.parametrize("size", [200, 2000])
def test_a_doi_in_another_case_finds_the_stored_paper(tmp_path: Path, size: int) -> None:
    with Library(tmp_path / "lib") as library:
        library.add_papers(stored(size))
        before = library.count()
        library.add_papers(incoming())
        assert library.count() == before + 1  # the published version merged into number 8
        assert library.resolve_id("2401.00008") == "2401.00008"
        merged = library.get("2401.00008")
        assert merged is not None and merged.doi == "10.1103/PhysRevD.8.013009"


def test_an_import_reads_as_much_in_a_library_ten_times_as_large(tmp_path: Path) -> None:
    steps = []
    for size in (200, 2000):
        with Library(tmp_path / str(size)) as library:
            library.add_papers(stored(size))
            library.remove_papers(["2401.00010"])  # the trash is looked in too, when not empty
            steps.append(steps_to_import(library, incoming()))
    small, large = steps
    # Reading every row for a DOI took 8-9x the steps in the larger library (19 -> 163).
    assert large <= small * 1.5, steps


def test_a_schema_11_library_gets_its_dois_indexed_as_looked_up(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    with Library(root) as library:
        library.add_papers(stored(3))
    db = sqlite3.connect(root / "library.sqlite3")  # as the last paperdeck of schema 11 left it
    db.execute("DROP INDEX papers_doi")
    db.execute("CREATE INDEX papers_doi ON papers(doi) WHERE doi IS NOT NULL")
    db.execute("PRAGMA user_version = 11")
    db.commit()
    db.close()
    with Library(root) as library:
        plan = library._db.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM papers WHERE doi IS NOT NULL AND lower(doi) = ?",
            ("10.1103/physrevd.2.013009",),
        ).fetchall()
        # `(<expr>=?)`: the index of lower(doi) looked into, not the old one read whole.
        assert "USING INDEX papers_doi (<expr>=?)" in " ".join(str(row[3]) for row in plan)
        library.add_papers([Paper(title="Number 2, published", doi="10.1103/PHYSREVD.2.013009")])
        assert library.count() == 3  # merged into the stored paper
    db = sqlite3.connect(root / "library.sqlite3")
    assert db.execute("PRAGMA user_version").fetchone()[0] == 12
    db.close()


def test_a_doi_with_letters_beyond_ascii_finds_its_paper(tmp_path: Path) -> None:
    """SQLite's `lower` folds ASCII letters only; the lookup folds both sides with it."""
    with Library(tmp_path / "lib") as library:
        library.add_papers([Paper(title="Études in graph theory", doi="10.5169/SEALS-ÉTUDE")])
        library.add_papers([Paper(title="Etudes in Graph Theory II", doi="10.5169/seals-ÉTUDE")])
        assert library.count() == 1
        plan = library._db.execute(
            "EXPLAIN QUERY PLAN"
            " SELECT id FROM papers WHERE doi IS NOT NULL AND lower(doi) = lower(?)",
            ("x",),
        ).fetchall()
        assert "USING INDEX papers_doi (<expr>=?)" in " ".join(str(row[3]) for row in plan)
