"""Schema 11: class lists stored as one subject class and abstracts stored with arXiv's
announcement preamble, as earlier paperdecks left them, come out in today's shape."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from paperdeck.core import legacy_values
from paperdeck.core.models import Paper
from paperdeck.core.schema import SCHEMA_VERSION
from paperdeck.core.search.index import SearchIndex
from paperdeck.core.store import Library
from testkit import migration_changes_nothing

# As paperdeck 10 stored them: (abstract, subject classes) of each paper, by title.
OLD = {
    "Learning by Play": (
        "arXiv:2405.01234v1 Announce Type: new Abstract: Robots learn grasping from play.",
        '["I.2.9; J.3"]',
    ),
    "Class Lists": ("Plain text.", '["68T05, 68T45", "68T45", "I.2.6"]'),
    "Citing": ("arXiv:2401.00001 showed that ties are rare.", '["68T05"]'),
    "Removed": (
        "arXiv:2405.09999v2 Announce Type: replace-cross Abstract: Trashed text.",
        '["90C25; 90C30"]',
    ),
}
USER_STATE = (
    "SELECT p.id, starred_at, note, read, read_at, group_concat(f.value)"
    " FROM papers p LEFT JOIN paper_facets f ON f.paper_id = p.id AND f.kind = 'tag'"
    " GROUP BY p.id ORDER BY p.id"
)


def library_of_schema_10(root: Path) -> list[str]:
    """A library as paperdeck 10 left it: the old values written as it wrote them, the
    user's stars, notes, tags and read marks, one paper in the trash, the index built."""
    with Library(root) as library:
        ids = library.add_papers([Paper(title=title) for title in OLD]).ids
        with library.transaction() as db:
            for paper_id, (abstract, classes) in zip(ids, OLD.values(), strict=True):
                db.execute(
                    "UPDATE papers SET abstract = ?, subject_classes = ? WHERE id = ?",
                    (abstract, classes, paper_id),
                )
        library.set_starred(ids[0], True)
        library.set_note(ids[0], "my note\nsecond line")
        library.add_tags(ids[0], ["robots", "to-read"])
        library.set_read(ids[1], True)
        library.set_note(ids[3], "kept in the trash")
        library.remove_papers([ids[3]])
        with SearchIndex(library) as index:
            index.ensure()
            assert index.search("announce").ids == [ids[0]]  # the preamble's words
    db = sqlite3.connect(root / "library.sqlite3")
    db.execute("PRAGMA user_version = 10")
    db.commit()
    db.close()
    return ids


def test_a_schema_10_library_gets_its_class_lists_and_abstracts_mended(tmp_path: Path) -> None:
    root = tmp_path / "old"
    ids = library_of_schema_10(root)
    db = sqlite3.connect(root / "library.sqlite3")
    user_state = {row[0]: row[1:] for row in db.execute(USER_STATE)}
    db.close()
    with Library(root) as library:
        mended = [(p.abstract, p.subject_classes) for p in library.get_many(ids[:3])]
        assert mended == [
            ("Robots learn grasping from play.", ["I.2.9", "J.3"]),
            ("Plain text.", ["68T05", "68T45", "I.2.6"]),
            ("arXiv:2401.00001 showed that ties are rare.", ["68T05"]),  # no preamble
        ]
        assert library.changes_after(0)[1] == [ids[0]]  # the one abstract that changed
        with SearchIndex(library) as index:
            index.sync()
            assert index.search("announce").ids == []
            assert index.search("grasping").ids == [ids[0]]
        assert library.restore_papers([ids[3]]) == [ids[3]]
        restored = library.get(ids[3])
        assert restored is not None
        assert (restored.abstract, restored.subject_classes, restored.note) == (
            "Trashed text.",
            ["90C25", "90C30"],
            "kept in the trash",
        )
    db = sqlite3.connect(root / "library.sqlite3")
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 12
    state = {row[0]: row[1:] for row in db.execute(USER_STATE)}
    db.close()
    # (starred at, note, read, read at, tags): as they were, and the restored paper's own.
    assert state == {**user_state, ids[3]: (None, "kept in the trash", 0, None, None)}
    assert state[ids[0]][1:] == ("my note\nsecond line", 0, None, "robots,to-read")
    assert state[ids[0]][0] is not None and state[ids[1]][2] == 1


def test_a_mending_that_fails_part_way_leaves_the_library_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "old"
    library_of_schema_10(root)
    db = sqlite3.connect(root / "library.sqlite3")
    before = list(db.iterdump())
    db.close()

    calls: list[list[str]] = []
    split = legacy_values.split_classes

    def failing(classes: list[str]) -> list[str]:
        calls.append(classes)
        if len(calls) == 2:  # the first paper's abstract and classes written, then a failure
            raise RuntimeError("interrupted")
        return split(classes)

    monkeypatch.setattr(legacy_values, "split_classes", failing)
    with pytest.raises(RuntimeError, match="interrupted"):
        Library(root)
    db = sqlite3.connect(root / "library.sqlite3")
    assert list(db.iterdump()) == before
    assert db.execute("PRAGMA user_version").fetchone()[0] == 10
    db.close()
    assert calls[0] == ["I.2.9; J.3"]


def test_the_mending_run_again_changes_nothing(tmp_path: Path) -> None:
    root = tmp_path / "old"
    library_of_schema_10(root)
    migration_changes_nothing(root, 11)
