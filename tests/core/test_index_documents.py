"""The index holds exactly the fields `INDEXED_FIELDS` names, and only their changes are logged."""

from __future__ import annotations

import dataclasses

import pytest

from paperdeck.core.models import Paper
from paperdeck.core.search.documents import INDEXED_FIELDS, paper_document
from paperdeck.core.store import Library

BASE = Paper(
    title="Alpha",
    authors=["Ann Lee"],
    abstract="About graphs.",
    date="2024-01-02",
    categories=["cs.LG"],
    affiliations=["MIT"],
    id="p1",
    note="n",
    tags=["t"],
)


def changed(value: object) -> object:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, list):
        return [*value, "zz other"]
    if value is None:
        return "2021"
    return "2019-05-06" if value == BASE.date else f"{value} other"


@pytest.mark.parametrize("name", [f.name for f in dataclasses.fields(Paper)])
def test_a_field_changes_the_indexed_document_exactly_when_it_is_listed(name):
    other = dataclasses.replace(BASE, **{name: changed(getattr(BASE, name))})
    assert (paper_document(other) != paper_document(BASE)) is (name in INDEXED_FIELDS)


def test_stars_and_read_marks_log_nothing_for_the_index_notes_and_tags_do(tmp_path):
    with Library(tmp_path / "lib") as library:
        library.add_papers([dataclasses.replace(BASE, id="")])
        (paper_id,) = library.all_ids()
        before = library.last_change()
        library.set_starred(paper_id, True)
        library.toggle_star(paper_id)
        library.set_read(paper_id, True)
        library.mark_read([paper_id])
        assert library.last_change() == before
        library.set_note(paper_id, "new note")
        assert library.last_change() == before + 1
        library.add_tags(paper_id, ["x"])
        library.remove_tags(paper_id, ["x"])
        assert library.last_change() == before + 3
