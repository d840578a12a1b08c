"""arXiv's metadata snapshot (JSON Lines): real lines, and the shapes its records take.

Origin of `tests/fixtures/arxiv-snapshot.jsonl`: three real lines of arXiv's metadata
snapshot (`arxiv-metadata-oai-snapshot.json`, also on Kaggle as `Cornell-University/arxiv`),
found with the project's code-search tool in public GitHub files that quote them. Lines 2
(`0704.0002`) and 3 (`hep-th/9608091`, whose `authors_parsed` carries an affiliation as a
fourth item) are verbatim, each quoted whole on one line in a public Python script that looks
records up on Crossref. Line 1 (`0704.0001`) was quoted pretty-printed (one key per line) in a
public project README about a 2020-08-14 snapshot; it is re-joined here onto one line
(`json.dumps(separators=(",", ":"))`) with its values unchanged: its `authors_parsed` has
`Bal\u00e1zs` where later snapshots write the LaTeX `Bal\\'azs` that its `authors` keeps.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from file_parsing import parse_as_imported
from paperdeck.core.sources import parse_lines
from paperdeck.core.sources.base import ParseContext
from paperdeck.core.sources.jsonl import SOURCE

SNAPSHOT = Path(__file__).parents[1] / "fixtures" / "arxiv-snapshot.jsonl"
CONTEXT = ParseContext("arxiv.json", date(2026, 1, 1))


def _one(record: dict[str, object]) -> object:
    result = SOURCE.parse(json.dumps(record) + "\n" + json.dumps(record) + "\n", CONTEXT)
    assert result.warnings == []
    return result.papers[0]


def test_real_snapshot_lines() -> None:
    result = parse_as_imported(SNAPSHOT)
    assert result.warnings == []
    first, second, third = result.papers
    assert first.title == (
        "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    )
    # `authors_parsed` splits hyphenated initials as "C. -P."; its `authors` has "C.-P."
    assert first.authors == ["C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C.-P. Yuan"]
    assert (first.arxiv_id, first.doi, first.date) == (
        "0704.0001",
        "10.1103/PhysRevD.76.013009",
        "2007-04-02",  # version 1, not update_date 2008-11-26
    )
    assert (first.categories, first.venue) == (["hep-ph"], "Phys.Rev.D76:013009,2007")
    assert first.abstract.startswith("A fully differential calculation in perturbative quantum")
    assert first.abstract.endswith("judicious selection of events.")
    assert (second.authors, second.categories) == (
        ["Ileana Streinu", "Louis Theran"],
        ["math.CO", "cs.CG"],
    )
    assert (second.doi, second.venue, second.date) == (None, "", "2007-03-31")
    assert third.arxiv_id == "hep-th/9608091"
    assert third.authors == ["D. Fioravanti", "A. Mariottini", "E. Quattrini", "F. Ravanini"]
    assert third.affiliations == ["Bologna Univ. and INFN"]
    assert third.title == (
        "Excited State Destri - De Vega Equation for Sine-Gordon and Restricted Sine-Gordon Models"
    )


def test_snapshot_streams_a_line_at_a_time() -> None:
    lines = iter(SNAPSHOT.read_text(encoding="utf-8").splitlines(keepends=True))
    stream = parse_lines(lines, str(SNAPSHOT))
    assert stream.format == "json"
    assert next(stream.papers).arxiv_id == "0704.0001"
    assert len(list(lines)) == 1  # the third line is not read before it is wanted


def test_latex_names_and_the_authors_string_when_parsed_names_are_missing() -> None:
    paper = _one(
        {
            "id": "1234.5678",
            "title": "T",
            "authors": "J. Schr\\\"odinger and A. Bal\\'azs",
            "authors_parsed": "not a list",
            "update_date": "2020-05-06",
        }
    )
    assert paper.authors == ["J. Schrödinger", "A. Balázs"]
    assert paper.date == "2020-05-06"  # no versions: the update date


def test_parsed_names_in_latex_with_suffix() -> None:
    paper = _one(
        {
            "title": "T",
            "authors_parsed": [["Bal\\'azs", "C.", ""], ["King", "Martin Luther", "Jr"]],
            "versions": [{"version": "v1", "created": "not a date"}, "junk"],
        }
    )
    assert paper.authors == ["C. Balázs", "Martin Luther King Jr"]
    assert paper.date is None


def test_code_links_in_the_comments() -> None:
    paper = _one(
        {
            "title": "T",
            "comments": "12 pages. Code: github.com/org/repo ; data at https://example.org/d",
            "abstract": "See https://proj.example.org for more.",
            "versions": [{"version": "v1", "created": "Tue, 29 Jun 2004 10:00:00 GMT"}],
        }
    )
    assert paper.links == [
        "https://github.com/org/repo",
        "https://example.org/d",
        "https://proj.example.org",
    ]
    assert paper.has_code and paper.date == "2004-06-29"


def test_paperdecks_own_records_are_not_taken_for_snapshot_lines() -> None:
    paper = _one({"title": "Minimal", "authors": ["A. Person"], "date": "2024-02-03"})
    assert (paper.title, paper.authors, paper.date) == ("Minimal", ["A. Person"], "2024-02-03")


def test_a_snapshot_line_without_a_title_is_skipped_with_its_line() -> None:
    text = json.dumps({"id": "1", "update_date": "2020-01-01"}) + "\n"
    text += json.dumps({"id": "2", "title": "Kept", "update_date": "2020-01-01"}) + "\n"
    result = SOURCE.parse(text, CONTEXT)
    assert [p.title for p in result.papers] == ["Kept"]
    assert [str(w) for w in result.warnings] == ["arxiv.json:1: paper without a title; skipped"]


def test_et_al_in_the_parsed_names_ends_the_list_and_marks_it_truncated() -> None:
    paper = _one(
        {
            "title": "T",
            "authors": "V. M. Abazov, et al",
            "authors_parsed": [["Abazov", "V. M.", "", "D0 Collaboration"], ["al", "et", ""]],
            "update_date": "2020-05-06",
        }
    )
    assert (paper.authors, paper.authors_truncated) == (["V. M. Abazov"], True)
    assert paper.affiliations == ["D0 Collaboration"]


def test_et_al_and_suffixes_in_the_authors_string() -> None:
    paper = _one({"title": "T", "authors": "A. Lee, Jan van der Berg, Jr., and others"})
    assert (paper.authors, paper.authors_truncated) == (["A. Lee", "Jan van der Berg Jr."], True)
    assert _one({"title": "T", "authors": "A. Lee"}).authors_truncated is False


def test_accents_in_the_abstract_are_decoded_and_its_math_kept() -> None:
    paper = _one(
        {
            "title": 'Schr\\"odinger bridges',
            "abstract": '  We study Schr\\"odinger bridges of {\\AA}ngstr\\"om size, with $x^2$ and\n'
            "$\\hat{\\mu}$ kept.\n",
            "update_date": "2020-05-06",
        }
    )
    assert paper.title == "Schrödinger bridges"
    assert paper.abstract == (
        "We study Schrödinger bridges of Ångström size, with $x^2$ and $\\hat{\\mu}$ kept."
    )
