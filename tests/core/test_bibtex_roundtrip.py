"""Real bibliographies written by others survive import → export → import with nothing lost.

The fixtures are real files (origins in tests/fixtures/README.md). The export is parsed with
bibtexparser, not with paperdeck's own reader, and every non-blank field of every source
entry is compared by value; the export is then imported into an empty library and every
paper compared field by field with the first import. Papers of every other format (listings,
daily pages, arXiv Atom, Hugging Face and paperdeck JSON) are exported and imported back the
same way, every bibliographic field compared.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import bibtexparser
import pytest
from bibtexparser.model import Entry

from paperdeck.core.bibtex_latex import latex_source
from paperdeck.core.bibtex_writer import bibtex_keys, to_bibtex
from paperdeck.core.importer import import_file
from paperdeck.core.models import Paper
from paperdeck.core.sources.bibtex import split_authors
from paperdeck.core.sources.dates import month_number
from paperdeck.core.sources.latex import MATH, latex_keeping_math
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


CHILDREN = """@inproceedings{first, crossref = {vol}, title = {First Child}, author = {Doe, Jane}}
@inproceedings{second, crossref = {Vol}, title = {Second Child}, author = {Roe, Rich},
  booktitle = {Own Workshop}}
@proceedings{vol, title = {Proc. of X}, year = 2021, month = dec, publisher = {PMLR}}
"""
VOLUME = "@proceedings{vol, title = {Proc. of X}, year = 2021, publisher = {PMLR}}\n"


@pytest.mark.parametrize("with_volume", [False, True])
def test_an_export_with_crossref_children_is_self_contained(
    tmp_path: Path, with_volume: bool
) -> None:
    """A child's resolved `crossref` is not kept (nor written): the fields it names are in
    the child already, and a volume exported too (a paper of its own, from a file that did not cross-reference
    it) stays a paper when read back, where a crossref to it would make it a volume."""
    (tmp_path / "children.bib").write_text(CHILDREN, encoding="utf-8")
    (tmp_path / "volume.bib").write_text(VOLUME, encoding="utf-8")
    files = [tmp_path / "children.bib", *([tmp_path / "volume.bib"] if with_volume else [])]
    with Library(tmp_path / "first") as library:
        ids = [i for file in files for i in import_file(library, file).ids]
        first = library.get_many(ids)
    assert [p.title for p in first] == ["First Child", "Second Child", "Proc. of X"][
        : 2 + with_volume
    ]
    text = to_bibtex(first)
    entries = _entries(text)
    assert len(entries) == len(first)
    assert [e.key for e in entries if "crossref" in e.fields_dict] == []
    export = tmp_path / "export.bib"
    export.write_text(text, encoding="utf-8")
    second = _library(tmp_path / "second", export)
    assert len(second) == len(first)
    for paper, again in zip(first, second, strict=True):
        for field in COMPARED:
            assert getattr(again, field) == getattr(paper, field), (paper.id, field)
    assert (second[0].venue, second[0].date, second[1].venue) == (
        "Proc. of X", "2021-12", "Own Workshop"
    )  # fmt: skip


# -- every source format ------------------------------------------------------------------

DEMO = Path(__file__).parents[2] / "assets" / "demo"
TODAY = date(2026, 11, 24)
BIBLIOGRAPHIC = (
    "title", "authors", "authors_truncated", "abstract", "date", "date_inferred", "categories",
    "subject_classes", "affiliations", "links", "has_code", "arxiv_id", "doi", "venue",
)  # fmt: skip
# Hand-written: what the recorded files lack. An arXiv entry with a formula in its title,
# subject classes, affiliations, a project page and a repository in its comment.
ATOM = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <entry>
    <id>http://arxiv.org/abs/2401.01234v2</id>
    <published>2024-01-03T10:00:00Z</published>
    <title>Scaling Laws for $\\mathcal{O}(n)$ Models: Theory &amp; Practice</title>
    <summary>We fit $L(N) \\propto N^{-\\alpha}$ -- see https://org.github.io/proj/ .</summary>
    <author><name>The ATLAS Collaboration</name></author>
    <author><name>Jan van der Berg Jr.</name>
      <arxiv:affiliation>IAS, Princeton</arxiv:affiliation>
      <arxiv:affiliation>Univ. A; Dept. B</arxiv:affiliation></author>
    <arxiv:comment>Code: https://gitlab.com/grp/sub/proj and https://huggingface.co/org/model-7b</arxiv:comment>
    <arxiv:primary_category term="cs.LG"/>
    <category term="cs.LG"/><category term="stat.ML"/>
    <category term="68T05, 62H30"/><category term="I.2.6; I.5.1"/>
  </entry>
</feed>
"""
# A listing record with a [code] mark and no link, and a paper the listing and a Hugging Face
# record share: the merged paper has the listing's date and Hugging Face's repository.
LISTING = """LGMay 2, 2025Code
Marked Code PaperJane Doe, Richard Roe
An abstract with no link at all.
CLMar 5, 2024
Merged Listing PaperAnn Lee, Bo Chen
The listing's abstract.
"""
HF = """[{"paper": {"id": "2403.00002", "title": "Merged Listing Paper",
  "authors": [{"name": "Ann Lee"}, {"name": "Bo Chen"}], "publishedAt": "2024-03-05T00:00:00Z",
  "summary": "The listing's abstract.", "githubRepo": "https://github.com/lee/merged",
  "projectPage": "https://lee.github.io/merged"}}]
"""
# Each group of files is imported into one library (a group of two merges its papers).
FORMATS = {
    "listing": [(DEMO / "author-listing.txt",)],
    "daily": [(DEMO / "daily-papers.txt",)],  # every date's year inferred
    "atom": [(FIXTURES / "arxiv.atom",), (FIXTURES / "feeds" / "arxiv-announce-atom-cs.AI.xml",)],
    "hf json": [(FIXTURES / "hf-daily-papers.json",)],
    "json": [(FIXTURES / "library-export.jsonl",), (FIXTURES / "arxiv-snapshot.jsonl",)],
    "bibtex": [(FIXTURES / "bibliography.bib",)],
    "hand-written": [(Path("entry.atom"),), (Path("listing.txt"), Path("hf.json"))],
}
# Text-mode LaTeX in arXiv's abstracts ("20\%", "\textit{Fourier Series}") is LaTeX in the
# export too, and BibTeX's LaTeX is read as text: it comes back as the text it stands for.
# Formulas come back as they were. How many titles and abstracts per format hold such LaTeX:
DECODED = {"listing": 5, "daily": 2, "atom": 4}
_TEXT_LATEX = re.compile(r"\\[A-Za-z%&_#$\"'`^~{}]")


def _write_inputs(folder: Path) -> None:
    (folder / "entry.atom").write_text(ATOM, encoding="utf-8")
    (folder / "listing.txt").write_text(LISTING, encoding="utf-8")
    (folder / "hf.json").write_text(HF, encoding="utf-8")


def _imported(root: Path, files: list[Path]) -> list[Paper]:
    with Library(root) as library:
        ids: list[str] = []
        for file in files:
            report = import_file(library, file, today=TODAY)
            assert report.error is None, file
            assert report.warnings == [] or file.name == "bibliography.bib"  # 2 broken entries
            ids += report.ids
        return library.get_many(list(dict.fromkeys(ids)))


@pytest.mark.parametrize("kind", FORMATS)
def test_papers_of_every_format_survive_a_bibtex_export(tmp_path: Path, kind: str) -> None:
    _write_inputs(tmp_path)
    first: list[Paper] = []
    for n, group in enumerate(FORMATS[kind]):
        first += _imported(tmp_path / f"first{n}", [tmp_path / file for file in group])
    export = tmp_path / "export.bib"
    export.write_text(to_bibtex(first), encoding="utf-8")
    second = {paper.bibtex_key: paper for paper in _imported(tmp_path / "second", [export])}
    assert len(second) == len(first)
    decoded = 0
    for paper, key in zip(first, bibtex_keys(first), strict=True):
        back = second[key]
        for field in BIBLIOGRAPHIC:
            before, after = getattr(paper, field), getattr(back, field)
            if field in ("title", "abstract") and _TEXT_LATEX.search(MATH.sub("", before)):
                assert after == latex_keeping_math(latex_source(before)), (key, field)
                decoded += 1
            else:
                assert after == before, (key, field)
    assert decoded == DECODED.get(kind, 0)
    if kind == "hand-written":
        atom, marked, merged = first
        assert (atom.subject_classes, atom.affiliations, atom.links) == (
            ["68T05", "62H30", "I.2.6", "I.5.1"],  # the API's class lists, split at import
            ["IAS, Princeton", "Univ. A; Dept. B"],
            ["https://gitlab.com/grp/sub/proj", "https://huggingface.co/org/model-7b",
             "https://org.github.io/proj/"],
        )  # fmt: skip
        assert (marked.has_code, marked.links) == (True, [])
        assert (merged.links, merged.date) == (
            ["https://github.com/lee/merged", "https://lee.github.io/merged"],
            "2024-03-05",
        )
