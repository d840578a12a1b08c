"""Format detection: by extension when telling, else by sniffing, for every seed and fixture."""

from __future__ import annotations

import codecs
from datetime import date
from pathlib import Path

import pytest

from file_parsing import parse_as_imported
from paperdeck.core.sources import SOURCES, ParseError, detect, parse_text

ROOT = Path(__file__).parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
DEMO = ROOT / "assets" / "demo"

SAMPLES = {
    DEMO / "daily-papers.txt": "daily",
    DEMO / "author-listing.txt": "listing",
    FIXTURES / "bibliography.bib": "bibtex",
    FIXTURES / "arxiv.atom": "atom",
    FIXTURES / "feeds" / "arxiv-announce-atom-cs.AI.xml": "arxiv-feed",
    FIXTURES / "feeds" / "arxiv-announce-rss.xml": "arxiv-feed",
    FIXTURES / "hf-daily-papers.json": "json",
    FIXTURES / "library-export.jsonl": "json",
}
COUNTS = {"daily": 106, "listing": 18, "bibtex": 73, "atom": 4}


def sniffers(text: str) -> list[str]:
    return [source.name for source in SOURCES if source.sniff(text)]


@pytest.mark.parametrize(("path", "name"), SAMPLES.items(), ids=lambda v: getattr(v, "name", v))
def test_detect_by_path_and_by_content(path: Path, name: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert detect(text, str(path)).name == name
    assert detect(text).name == name  # without an extension: sniffing alone
    assert detect(text, "renamed.txt").name == name  # a misleading extension


@pytest.mark.parametrize(("path", "name"), SAMPLES.items(), ids=lambda v: getattr(v, "name", v))
def test_only_the_right_sniffer_claims_each_sample(path: Path, name: str) -> None:
    assert sniffers(path.read_text(encoding="utf-8")) == [name]


@pytest.mark.parametrize(("path", "name"), SAMPLES.items(), ids=lambda v: getattr(v, "name", v))
def test_a_file_read_as_imported_is_detected_and_parsed(path: Path, name: str) -> None:
    result = parse_as_imported(path, today=date(2026, 11, 24))
    assert result.papers
    if path.name != "library-export.jsonl":  # our own export names its sources itself
        assert all(paper.sources == [str(path)] for paper in result.papers)
    if name in COUNTS:
        assert len(result.papers) == COUNTS[name]


def test_byte_order_mark_does_not_hide_the_format(tmp_path: Path) -> None:
    target = tmp_path / "refs.txt"
    target.write_bytes(codecs.BOM_UTF8 + (FIXTURES / "bibliography.bib").read_bytes())
    assert len(parse_as_imported(target).papers) == 73
    export = tmp_path / "export.dat"
    export.write_bytes(codecs.BOM_UTF8 + (FIXTURES / "library-export.jsonl").read_bytes())
    assert [p.line for p in parse_as_imported(export).papers] == [1, 2, 4]


def test_listing_with_bare_dates_is_a_listing_not_a_daily_page() -> None:
    text = "Jul 12, 2024\nA TitleJane Doe\n" + "An abstract that is long enough. " * 6
    assert sniffers(text)[0] == "listing"
    assert detect(text).name == "listing"


def test_unrecognised_text_is_a_parse_error() -> None:
    with pytest.raises(ParseError) as caught:
        detect("just a note\nwith two lines\n", "notes.txt")
    assert str(caught.value) == "notes.txt:1: unrecognised format (use --format to name it)"


def test_an_empty_file_is_called_empty_not_unrecognised() -> None:
    from paperdeck.core.sources import ParseError, parse_text

    with pytest.raises(ParseError) as caught:
        parse_text(" \n\n", "empty.txt")
    assert str(caught.value) == "empty.txt:1: the file is empty"


ABSTRACT = "An abstract of the paper, long enough to read as one on a page of papers. " * 2
DAILY_WITH_YEAR = (  # the reviewer's page (hand-written): a daily page's date with its year
    "Mar 11, 2025\n\n"
    "Troublemaker Learning for Low-Light Image Enhancement\n\n"
    f"{ABSTRACT}\n\n"
    "Chain-of-Note: Enhancing Robustness in Retrieval-Augmented Language Models\n\n"
    f"{ABSTRACT}\n"
)
LISTING_AFTER_PAGE_TEXT = (  # a listing copied with the page's own text above it
    "Papers by Kaiyan Zhang\n\n"
    "hep-thJan 5, 2024\n"
    "Holography and Branes in AdS$_5$Juan van der Berg, María de la Cruz et al. · CERN\n"
    "We study holography.\n"
    "math.AGFeb 29, 2024Code\n"
    "On Moduli Spaces of Curves of Genus 2J. R. R. Tolkien, A. N. Other\n"
    "Abstract text for moduli.\n"
)


def test_a_daily_page_whose_date_has_a_year_is_daily() -> None:
    assert sniffers(DAILY_WITH_YEAR) == ["daily"]
    result = parse_text(DAILY_WITH_YEAR, "page.txt")
    assert [(p.title, p.date, p.date_inferred, p.authors) for p in result.papers] == [
        ("Troublemaker Learning for Low-Light Image Enhancement", "2025-03-11", False, []),
        (
            "Chain-of-Note: Enhancing Robustness in Retrieval-Augmented Language Models",
            "2025-03-11",
            False,
            [],
        ),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "new\nGet trending papers in your email inbox!\nSubscribe\n\n" + DAILY_WITH_YEAR,
        # A first title that could split into title and a name ("Deep|Seek Coder ...") does
        # not make a listing: the date is followed by several papers.
        DAILY_WITH_YEAR.replace(
            "Troublemaker Learning for Low-Light Image Enhancement", "DeepSeek Coder Meets Python"
        ),
        DAILY_WITH_YEAR.replace("Mar 11, 2025", "March 11, 2025"),
    ],
    ids=["page-text", "title-splits", "month-name"],
)
def test_daily_pages_with_a_year_and_page_text_are_daily(text: str) -> None:
    assert sniffers(text) == ["daily"]


def test_a_listing_after_page_text_is_a_listing() -> None:
    assert sniffers(LISTING_AFTER_PAGE_TEXT) == ["listing"]
    result = parse_text(LISTING_AFTER_PAGE_TEXT, "listing.txt")
    assert [(p.title, p.authors, p.date, p.has_code) for p in result.papers] == [
        ("Holography and Branes in AdS$_5$", ["Juan van der Berg", "María de la Cruz"],
         "2024-01-05", False),
        ("On Moduli Spaces of Curves of Genus 2", ["J. R. R. Tolkien", "A. N. Other"],
         "2024-02-29", True),
    ]  # fmt: skip
    assert [(w.line, w.message) for w in result.warnings] == [
        (1, "text before the first 'CLJul 12, 2024' heading ignored")
    ]


@pytest.mark.parametrize(
    "text",
    [
        # Bare dated headings that recur after one entry each, below and above page text.
        "Kaiyan Zhang\nFollow\nPapers\nJul 12, 2024\nA TitleJane Doe, John Roe\nShort.\n"
        "Jul 13, 2024\nB TitleJane Doe\nShort too.\nLoad more\n",
        # One bare heading whose line splits into a title and its authors.
        f"Papers\n\nJul 12, 2024\nA TitleJane Doe, John Roe\n{ABSTRACT}\n",
        # An abstract in several paragraphs is still one entry.
        f"CLJul 12, 2024\nA TitleJane Doe\n{ABSTRACT}\nSecond paragraph.\n{ABSTRACT}\n",
    ],
    ids=["recurring-bare-headings", "one-bare-heading", "paragraphs"],
)
def test_listing_shapes_after_page_text_are_listings(text: str) -> None:
    assert sniffers(text)[0] == "listing"
    assert detect(text).name == "listing"


def test_a_heading_after_too_much_page_text_is_not_sniffed() -> None:
    text = "page text\n" * 40 + "CLJul 12, 2024\nA TitleJane Doe\nShort.\n"
    assert "listing" not in sniffers(text)
