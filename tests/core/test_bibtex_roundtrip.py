"""Real bibliographies written by others survive import → export → import with nothing lost.

The fixtures are real files (origins in tests/fixtures/README.md). The export is parsed with
bibtexparser, not with paperdeck's own reader, and every non-blank field of every source
entry is compared by value; the export is then imported into an empty library and every
paper compared field by field with the first import.
"""

from __future__ import annotations

from pathlib import Path

import bibtexparser
import pytest
from bibtexparser.model import Entry

from paperdeck.core.bibtex_writer import to_bibtex
from paperdeck.core.importer import import_file
from paperdeck.core.models import Paper
from paperdeck.core.sources.bibtex import split_authors
from paperdeck.core.sources.dates import month_number
from paperdeck.core.store import Library
from paperdeck.core.text import normalise_title

FIXTURES = Path(__file__).parents[1] / "fixtures"
BIBLIOGRAPHIES = ["thesis-references.bib", "ads-arxiv.bib"]
COMPARED = (
    "title", "authors", "authors_truncated", "date", "doi", "arxiv_id", "venue", "abstract",
    "categories", "subject_classes", "links", "bibtex_key", "bibtex_type", "bibtex_fields",
)  # fmt: skip


def _library(path: Path, bib: Path) -> list[Paper]:
    with Library(path) as library:
        report = import_file(library, bib)
        assert report.error is None and report.warnings == []
        return library.get_many(list(dict.fromkeys(report.ids)))


def _value(name: str, value: object) -> object:
    """A field's value as BibTeX reads it: white space folded, a month as its number, a
    name list as its people."""
    text = " ".join(str(value).split())
    if name == "month":
        return month_number(text.strip("{}"))
    if name in ("author", "editor"):
        return split_authors(text)
    return text


def _entries(text: str) -> list[Entry]:
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    return library.entries


@pytest.mark.parametrize("name", BIBLIOGRAPHIES)
def test_every_field_of_every_entry_survives_the_export(tmp_path: Path, name: str) -> None:
    source = _entries((FIXTURES / name).read_text(encoding="utf-8"))
    papers = _library(tmp_path / "lib", FIXTURES / name)
    exported = {entry.key: entry for entry in _entries(to_bibtex(papers))}
    assert len(exported) == len(papers)
    by_title = {normalise_title(str(e.fields_dict["title"].value)): e for e in exported.values()}
    own = {entry.key: entry for entry in source}
    compared = 0
    for entry in source:
        written = exported.get(entry.key)
        merged_into = None
        if written is None:  # merged with another entry: exported once, under that key
            written = by_title[normalise_title(str(entry.fields_dict["title"].value))]
            merged_into = own[written.key]
        fields = {field.key.lower(): field.value for field in written.fields}
        for field in entry.fields:
            key = field.key.lower()
            if not str(field.value).strip():
                continue
            if merged_into is not None and key in {f.key.lower() for f in merged_into.fields}:
                continue  # the kept entry's own value wins
            assert key in fields, (entry.key, key)
            assert _value(key, fields[key]) == _value(key, field.value), (entry.key, key)
            compared += 1
    assert compared >= 5 * len(source)  # every field of every entry, not a sample


@pytest.mark.parametrize("name", BIBLIOGRAPHIES)
def test_the_export_imports_back_as_the_same_papers(tmp_path: Path, name: str) -> None:
    first = _library(tmp_path / "first", FIXTURES / name)
    export = tmp_path / "export.bib"
    export.write_text(to_bibtex(first), encoding="utf-8")
    second = {paper.bibtex_key: paper for paper in _library(tmp_path / "second", export)}
    assert len(second) == len(first)
    for paper in first:
        again = second[paper.bibtex_key]
        for field in COMPARED:
            if field == "bibtex_fields":  # the export adds what paperdeck learnt, no more
                assert again.bibtex_fields.items() >= paper.bibtex_fields.items(), paper.id
            else:
                assert getattr(again, field) == getattr(paper, field), (paper.id, field)
