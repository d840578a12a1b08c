"""Format detection: by extension when telling, else by sniffing, for every seed and fixture."""

from __future__ import annotations

import codecs
from datetime import date
from pathlib import Path

import pytest

from file_parsing import parse_as_imported
from paperdeck.core.sources import SOURCES, ParseError, detect

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
