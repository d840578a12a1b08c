"""The daily-papers page parser, against the real seed page and invented edge cases."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from file_parsing import parse_as_imported
from paperdeck.core.sources import ParseError, ParseResult, parse_text
from paperdeck.core.sources.base import ParseContext
from paperdeck.core.sources.daily import SOURCE

DEMO = Path(__file__).parents[2] / "assets" / "demo"
DAILY = DEMO / "daily-papers.txt"
LISTING = DEMO / "author-listing.txt"
FIXTURES = Path(__file__).parents[1] / "fixtures"
TODAY = date(2026, 11, 24)
ABSTRACT = "A long abstract sentence that goes on. " * 5


@pytest.fixture(scope="module")
def seed() -> ParseResult:
    return parse_as_imported(DAILY, format="daily", today=TODAY)


def by_title(result: ParseResult, title: str):
    return next(paper for paper in result.papers if paper.title == title)


def test_seed_has_106_papers_and_no_warnings(seed: ParseResult) -> None:
    assert len(seed.papers) == 106
    assert seed.warnings == []


def test_seed_titles_abstracts_and_lines(seed: ParseResult) -> None:
    first, second, last = seed.papers[0], seed.papers[1], seed.papers[-1]
    assert first.title == "Troublemaker Learning for Low-Light Image Enhancement"
    assert first.line == 11
    assert first.abstract.startswith(
        "Low-light image enhancement (LLIE) restores the color and brightness of underexposed "
        "images. Supervised methods"
    )
    assert second.title == (
        "Enhancing Knowledge Retrieval with In-Context Learning and Semantic Search through "
        "Generative AI"
    )
    assert second.line == 15
    assert seed.papers[2].title == (
        "Chain-of-Note: Enhancing Robustness in Retrieval-Augmented Language Models"
    )
    assert last.title == "Can LLMs Learn by Teaching? A Preliminary Study"
    assert last.line == 431
    assert last.abstract.endswith(
        "The code is available at https://github.com/imagination-research/lbt."
    )
    assert all(paper.authors == [] and paper.categories == [] for paper in seed.papers)


def test_seed_header_lines_are_not_papers(seed: ParseResult) -> None:
    titles = {paper.title for paper in seed.papers}
    assert not titles & {"new", "Subscribe", "Get trending papers in your email inbox!", "Mar 11"}


def test_seed_date_is_inferred_from_today(seed: ParseResult) -> None:
    assert {paper.date for paper in seed.papers} == {"2026-03-11"}
    assert all(paper.date_inferred for paper in seed.papers)


def test_seed_year_before_the_day_comes_round() -> None:
    result = parse_as_imported(DAILY, format="daily", today=date(2026, 3, 1))
    assert {paper.date for paper in result.papers} == {"2025-03-11"}
    on_the_day = parse_as_imported(DAILY, format="daily", today=date(2026, 3, 11))
    assert on_the_day.papers[0].date == "2026-03-11"


def test_seed_year_option_overrides_inference() -> None:
    result = parse_as_imported(DAILY, format="daily", today=TODAY, year=2024)
    assert {paper.date for paper in result.papers} == {"2024-03-11"}
    assert all(paper.date_inferred for paper in result.papers)


def test_seed_links(seed: ParseResult) -> None:
    all_links = [url for paper in seed.papers for url in paper.links]
    assert len(all_links) == 32
    assert len(set(all_links)) == 32
    assert sum(1 for paper in seed.papers if paper.links) == 31
    openelm = by_title(
        seed,
        "OpenELM: An Efficient Language Model Family with Open-source Training and Inference "
        "Framework",
    )
    assert openelm.links == [
        "https://github.com/apple/corenet",
        "https://huggingface.co/apple/OpenELM",
    ]
    llmrec = by_title(
        seed, "LLMRec: Large Language Models with Graph Augmentation for Recommendation"
    )
    assert llmrec.links == ["https://github.com/HKUDS/LLMRec"]
    lara = next(paper for paper in seed.papers if paper.title.startswith("LaRA:"))
    assert lara.links == ["https://github.com/Alibaba-NLP/LaRA"]
    assert seed.papers[0].links == ["https://github.com/Rainbowman0/TML_LLIE"]
    assert seed.papers[-1].links == ["https://github.com/imagination-research/lbt"]
    assert "https://huggingface.co/PKU-Baichuan-MLSystemLab/Llama3-PBM-Nova-70B" in all_links
    assert (
        "https://github.com/modelscope/data-juicer/blob/main/docs/awesome_llm_data.md" in all_links
    )


def test_seed_has_code_follows_repository_links(seed: ParseResult) -> None:
    assert sum(paper.has_code for paper in seed.papers) == 29
    stacking = next(paper for paper in seed.papers if paper.title.startswith("Stacking Your"))
    assert stacking.links == ["https://llm-stacking.github.io/"]
    assert stacking.has_code is False
    rlhf = next(paper for paper in seed.papers if paper.title.startswith("MM-RLHF"))
    assert rlhf.links == ["https://mm-rlhf.github.io"]
    assert rlhf.has_code is False


def parse(text: str, today: date = TODAY, year: int | None = None) -> ParseResult:
    return SOURCE.parse(text, ParseContext("page.txt", today, year))


def test_several_date_sections() -> None:
    text = (
        f"Header\n\nMar 11\n\nFirst Title\n\n{ABSTRACT}\n\nMarch 12\n\nSecond Title\n\n{ABSTRACT}\n"
    )
    result = parse(text)
    assert [(p.title, p.date, p.line) for p in result.papers] == [
        ("First Title", "2026-03-11", 5),
        ("Second Title", "2026-03-12", 11),
    ]


def test_crlf_trailing_spaces_and_no_blank_lines() -> None:
    text = f"Sept 3  \r\nOne Title  \r\n{ABSTRACT}  \r\nTwo Title\r\n{ABSTRACT}\r\n"
    result = parse(text)
    assert [p.title for p in result.papers] == ["One Title", "Two Title"]
    assert result.papers[0].abstract == ABSTRACT.strip()
    assert result.papers[1].date == "2026-09-03"


def test_block_without_abstract_imports_with_empty_abstract() -> None:
    text = f"Mar 11\n\nLonely Title\n\nNext Title\n\n{ABSTRACT}\n\nLast Title At The End\n"
    result = parse(text)
    assert [(p.title, p.abstract[:6]) for p in result.papers] == [
        ("Lonely Title", ""),
        ("Next Title", "A long"),
        ("Last Title At The End", ""),
    ]
    assert result.warnings == []


def test_short_abstract_is_still_paired_with_its_title() -> None:
    result = parse("Mar 11\nA Title\nShort abstract without a stop\nB Title\nAnother one.\n")
    assert [(p.title, p.abstract) for p in result.papers] == [
        ("A Title", "Short abstract without a stop"),
        ("B Title", "Another one."),
    ]


def test_leap_day_is_inferred_to_the_last_leap_year() -> None:
    assert parse(f"Feb 29\nLeap Paper\n{ABSTRACT}", today=date(2026, 3, 1)).papers[0].date == (
        "2024-02-29"
    )


def test_date_line_with_a_year_is_not_inferred() -> None:
    paper = parse(f"Mar 11, 2023\nDated Paper\n{ABSTRACT}").papers[0]
    assert (paper.date, paper.date_inferred) == ("2023-03-11", False)


def test_impossible_date_warns_and_leaves_the_date_empty() -> None:
    result = parse(f"Feb 30\nOdd Paper\n{ABSTRACT}")
    assert result.papers[0].date is None
    assert [(w.line, w.message) for w in result.warnings] == [
        (1, "'Feb 30' is not a real date; the papers under it have none")
    ]


def test_no_date_line_is_a_parse_error() -> None:
    with pytest.raises(ParseError) as caught:
        parse(f"Just A Title\n{ABSTRACT}")
    assert str(caught.value) == "page.txt:1: no date line (like 'Mar 11') before the papers"


def test_unsafe_text_is_cleaned() -> None:
    paper = parse(f"Mar 11\nEvil \x1b[31mRed\x1b[0m Title\u202e\n{ABSTRACT}\x07").papers[0]
    assert paper.title == "Evil Red Title"
    assert "\x07" not in paper.abstract


def test_sniff() -> None:
    assert SOURCE.sniff(DAILY.read_text(encoding="utf-8"))
    assert not SOURCE.sniff(LISTING.read_text(encoding="utf-8"))
    assert not SOURCE.sniff((FIXTURES / "bibliography.bib").read_text(encoding="utf-8"))
    assert not SOURCE.sniff("Mar 11\nA Title\nshort\n")


def test_parse_text_by_format_name() -> None:
    result = parse_text(f"Mar 11\nNamed\n{ABSTRACT}", "x.txt", format="daily", today=TODAY)
    assert [(p.title, p.sources) for p in result.papers] == [("Named", ["x.txt"])]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["Mar 11", "Feb 29", "Dec 31, 1999", "Title", ABSTRACT, "", " ", "\r"]),
        max_size=12,
    ).map("\n".join)
)
def test_fuzz_shaped_text_raises_only_parse_error(text: str) -> None:
    try:
        result = SOURCE.parse(text, ParseContext("f", TODAY))
    except ParseError:
        return
    assert all(paper.title and paper.line >= 1 for paper in result.papers)
