"""The JSON / JSONL parser: our own export (round trip) and the Hugging Face API shape."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from file_parsing import parse_as_imported
from paperdeck.core.models import Paper
from paperdeck.core.sources import ParseError, ParseResult
from paperdeck.core.sources.base import ParseContext
from paperdeck.core.sources.jsonl import SOURCE

FIXTURES = Path(__file__).parents[1] / "fixtures"
HF = FIXTURES / "hf-daily-papers.json"
EXPORT = FIXTURES / "library-export.jsonl"
CONTEXT = ParseContext("papers.json", date(2026, 1, 1))


def parse(text: str) -> ParseResult:
    return SOURCE.parse(text, CONTEXT)


@pytest.fixture(scope="module")
def hf() -> ParseResult:
    return parse_as_imported(HF, format="json")


def test_hugging_face_wrapped_item(hf: ParseResult) -> None:
    assert (len(hf.papers), hf.warnings) == (3, [])
    paper = hf.papers[0]
    assert paper.title == (
        "OpenELM: An Efficient Language Model Family with Open-source Training and Inference "
        "Framework"
    )
    assert paper.arxiv_id == "2404.14619"
    assert len(paper.authors) == 11
    assert paper.authors[:2] == ["Sachin Mehta", "Mohammad Hossein Sekhavat"]
    assert paper.authors[-1] == "Mohammad Rastegari"  # "hidden" authors are still authors
    assert (paper.date, paper.date_inferred) == ("2024-04-22", False)  # the paper's date
    assert paper.links == [
        "https://github.com/apple/corenet",
        "https://huggingface.co/apple/OpenELM",
    ]
    assert paper.has_code is True
    assert paper.abstract.startswith("The reproducibility and transparency of large language")
    assert "\n" not in paper.abstract
    assert (paper.tags, paper.categories, paper.line) == ([], [], 2)


def test_hugging_face_item_without_links(hf: ParseResult) -> None:
    paper = hf.papers[1]
    assert (
        paper.title == "Chain-of-Note: Enhancing Robustness in Retrieval-Augmented Language Models"
    )
    assert paper.authors == [
        "Wenhao Yu", "Hongming Zhang", "Xiaoman Pan", "Kaixin Ma", "Hongwei Wang", "Dong Yu",
    ]  # fmt: skip
    assert (paper.arxiv_id, paper.date, paper.links, paper.has_code) == (
        "2311.09210",
        "2023-11-15",
        [],
        False,
    )
    assert paper.line == 35


def test_hugging_face_paper_without_wrapper(hf: ParseResult) -> None:
    paper = hf.papers[2]
    assert paper.title == "Denoising Diffusion Probabilistic Models"
    assert paper.authors == ["Jonathan Ho", "Ajay Jain", "Pieter Abbeel"]
    assert paper.links == [
        "https://github.com/hojonathanho/diffusion",
        "https://hojonathanho.github.io/diffusion",
    ]
    assert (paper.arxiv_id, paper.date, paper.has_code, paper.line) == (
        "2006.11239",
        "2020-06-19",
        True,
        57,
    )


def test_hugging_face_title_from_the_wrapper() -> None:
    item = {
        "paper": {"id": "2401.00001v2", "summary": "S."},
        "title": "Outer",
        "publishedAt": "2024-01-05T00:00:00Z",
    }
    paper = parse(json.dumps(item)).papers[0]
    assert (paper.title, paper.arxiv_id, paper.abstract, paper.date) == (
        "Outer",
        "2401.00001",
        "S.",
        "2024-01-05",
    )


def test_own_export_jsonl_carries_user_state() -> None:
    result = parse_as_imported(EXPORT, format="json")
    assert result.warnings == []
    first, second, third = result.papers
    assert first.to_json() == {
        "id": "p-0001",
        "title": "Attention Is All You Need",
        "authors": ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"],
        "authors_truncated": True,
        "abstract": "The dominant sequence transduction models are based on complex recurrent or "
        "convolutional neural networks.",
        "date": "2017-06-12",
        "date_inferred": False,
        "categories": ["cs.CL", "cs.LG"],
        "subject_classes": [],
        "affiliations": ["Google Brain"],
        "links": [],
        "has_code": False,
        "arxiv_id": "1706.03762",
        "doi": None,
        "venue": "NeurIPS 2017",
        "bibtex_key": "",  # an export from before these were kept
        "bibtex_type": "",
        "bibtex_fields": {},
        "upvotes": None,
        "starred": True,
        "starred_at": "2026-02-01T09:30:00+00:00",
        "tags": ["transformers", "to-read"],
        "note": "Read section 3 again.\nCompare with RNN baselines.",
        "read": True,
        "added_at": "2026-01-15T08:00:00+00:00",
        "sources": ["arxiv.atom"],  # an export keeps the sources it names
    }
    assert (second.links, second.has_code, second.date_inferred) == (
        ["https://github.com/Rainbowman0/TML_LLIE"],
        True,
        True,
    )
    assert (third.doi, third.tags, third.line) == ("10.1103/PhysRev.28.1049", ["physics"], 4)
    assert third.sources == ["bibliography.bib", "old.bib"]


def parsed_papers_with_state() -> list[Paper]:
    """Papers as the parsers make them, with user state as the store would add it."""
    papers = parse_as_imported(FIXTURES / "bibliography.bib").papers[:5]
    papers += parse_as_imported(FIXTURES / "arxiv.atom").papers
    for number, paper in enumerate(papers):
        paper.id = f"id-{number}"
        paper.starred = number % 2 == 0
        paper.starred_at = "2026-01-02T03:04:05+00:00" if paper.starred else None
        paper.tags = ["physics", "to-read"][: number % 3]
        paper.note = f"Note {number}\nsecond line" if number % 2 else ""
        paper.read = number % 3 == 0
        paper.added_at = "2026-01-01T00:00:00+00:00"
    return papers


def shapes(exported: list[dict[str, Any]]) -> list[str]:
    return [
        json.dumps(exported),
        json.dumps(exported, indent=2, ensure_ascii=False),
        json.dumps({"papers": exported}, indent=1),
        "\n".join(json.dumps(item) for item in exported) + "\n",
    ]


@pytest.mark.parametrize("shape", range(4))
def test_round_trip_of_our_export(shape: int) -> None:
    papers = parsed_papers_with_state()
    exported = [paper.to_json() for paper in papers]
    result = parse(shapes(exported)[shape])
    assert result.warnings == []
    assert [paper.to_json() for paper in result.papers] == exported


def test_single_object_round_trip() -> None:
    paper = parsed_papers_with_state()[1]
    assert parse(json.dumps(paper.to_json())).papers[0].to_json() == paper.to_json()


def test_item_lines_in_a_pretty_printed_array() -> None:
    text = json.dumps([{"title": "A"}, {"title": "B"}], indent=2)
    assert [(p.title, p.line) for p in parse(text).papers] == [("A", 2), ("B", 5)]
    wrapped = json.dumps({"meta": {}, "papers": [{"title": "C"}]}, indent=2)
    assert [(p.title, p.line) for p in parse(wrapped).papers] == [("C", 4)]


def test_bad_jsonl_line_is_skipped_with_a_warning() -> None:
    text = '{"title": "One"}\n{"title": "Two",\n\n[1, 2]\n{"title": "Three"}\n'
    result = parse(text)
    assert [(p.title, p.line) for p in result.papers] == [("One", 1), ("Three", 5)]
    assert [(w.line, w.message) for w in result.warnings] == [
        (2, "invalid JSON line: Expecting property name enclosed in double quotes"),
        (4, "not a paper object; skipped"),
    ]


def test_jsonl_with_bom_crlf_and_line_separators_inside_strings() -> None:
    lines = [{"title": "One", "abstract": "a\u2028b"}, {"title": "Two\u2029"}]
    text = "\ufeff" + "\r\n".join(json.dumps(item, ensure_ascii=False) for item in lines)
    result = parse(text)
    assert [(p.title, p.abstract, p.line) for p in result.papers] == [
        ("One", "a b", 1),
        ("Two", "", 2),
    ]


def test_invalid_json_document_is_a_parse_error_with_its_line() -> None:
    text = '[\n  {"title": "A"},\n  {"title": "B",}\n]\n'
    with pytest.raises(ParseError) as caught:
        parse(text)
    assert caught.value.line == 3
    assert caught.value.message.startswith("invalid JSON: ")


def test_other_documents_are_parse_errors() -> None:
    for text in ("42", '"just a string"', "[" * 100_000):
        with pytest.raises(ParseError):
            parse(text)


def test_items_without_title_or_not_objects_warn() -> None:
    result = parse(json.dumps([{"title": "  "}, "text", None, {"title": "Kept"}], indent=0))
    assert [p.title for p in result.papers] == ["Kept"]
    assert [(w.line, w.message) for w in result.warnings] == [
        (2, "paper without a title; skipped"),
        (5, "not a paper object; skipped"),
        (6, "not a paper object; skipped"),
    ]


def test_items_sharing_a_line_are_named_by_their_place_in_the_array() -> None:
    # Lines alone would give three identical warnings; an element on a line of its own
    # (the pretty-printed case above) needs no more than its line.
    result = parse('[1, 2, "x"]\n')
    assert [str(w) for w in result.warnings] == [
        "papers.json:1: item 1: not a paper object; skipped",
        "papers.json:1: item 2: not a paper object; skipped",
        "papers.json:1: item 3: not a paper object; skipped",
    ]
    mixed = parse('{"papers": [\n  {"title": "Kept"},\n  {"title": ""}, 7,\n  null\n]}\n')
    assert [p.title for p in mixed.papers] == ["Kept"]
    assert [(w.line, w.message) for w in mixed.warnings] == [
        (3, "item 2: paper without a title; skipped"),
        (3, "item 3: not a paper object; skipped"),
        (4, "not a paper object; skipped"),
    ]


def test_wrong_field_types_are_tolerated() -> None:
    item = {
        "title": "Typed Badly",
        "authors": "Ann Lee, Bo Chen and Cy Dee et al.",
        "tags": "Single Tag",
        "date": "2024",
        "categories": ["CL", 3, "hep-th"],
        "starred": "yes",
        "links": "www.example.org/paper",
        "note": ["not", "text"],
        "doi": "https://doi.org/10.1000/XYZ",
        "arxiv_id": "arXiv:2401.01234v3",
    }
    paper = parse(json.dumps(item)).papers[0]
    assert (paper.authors, paper.authors_truncated) == (["Ann Lee", "Bo Chen", "Cy Dee"], True)
    assert (paper.tags, paper.date, paper.date_inferred) == (["single-tag"], "2024", False)
    assert (paper.categories, paper.starred, paper.note) == (["cs.CL", "hep-th"], False, "")
    assert paper.links == ["https://www.example.org/paper"]
    assert (paper.doi, paper.arxiv_id) == ("10.1000/XYZ", "2401.01234")


def test_sniff() -> None:
    assert SOURCE.sniff(HF.read_text(encoding="utf-8"))
    assert SOURCE.sniff(EXPORT.read_text(encoding="utf-8"))
    assert SOURCE.sniff("\ufeff\n  [")
    assert not SOURCE.sniff("@article{x,")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(
        st.sampled_from(
            ["title", "authors", "date", "paper", "papers", "summary", "tags", "links", "name",
             "publishedAt", "githubRepo", "id", "note", "arxiv_id", "doi", "categories"]
        ),
        children,
        max_size=6,
    ),
    max_leaves=20,
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(JSON_VALUES, st.booleans())
def test_fuzz_json_values_raise_only_parse_error(value: Any, as_lines: bool) -> None:
    text = json.dumps(value)
    if as_lines and isinstance(value, list):
        text = "\n".join(json.dumps(item) for item in value)
    try:
        result = SOURCE.parse(text, CONTEXT)
    except ParseError:
        return
    assert all(paper.title for paper in result.papers)
