"""A saved announcement feed, imported: the papers `paperdeck fetch` reads from it, in either
form arXiv serves it (the recorded feeds of `tests/fixtures/feeds`, see ORIGIN.md there)."""

from __future__ import annotations

from pathlib import Path

import pytest

from feed_server import FIXTURES
from file_parsing import parse_as_imported
from paperdeck.core.importer import import_file
from paperdeck.core.models import Paper
from paperdeck.core.sources import SOURCES, ParseContext, ParseError, detect
from paperdeck.core.sources.announcements import parse_announcements
from paperdeck.core.sources.feed_xml import feed_kind
from paperdeck.core.store import Library

ATOM = FIXTURES / "arxiv-announce-atom-cs.AI.xml"
RSS = FIXTURES / "arxiv-announce-rss.xml"


def fetched(path: Path) -> tuple[list[Paper], list[Paper]]:
    """(papers, revisions) as `FeedRunner` takes them from the feed."""
    feed = parse_announcements(path.read_text(encoding="utf-8"), ParseContext.for_file(path))
    return (
        [a.paper for a in feed.announcements if not a.is_revision],
        [a.paper for a in feed.announcements if a.is_revision],
    )


def fields(papers: list[Paper]) -> list[dict[str, object]]:
    """What a parser gives, without where it came from (a file here, a feed name there)."""
    return [{**paper.to_json(), "sources": []} for paper in papers]


@pytest.mark.parametrize("path", [ATOM, RSS], ids=["atom", "rss"])
def test_a_saved_feed_imports_the_papers_fetch_reads(path: Path) -> None:
    result = parse_as_imported(path)
    papers, revisions = fetched(path)
    assert result.warnings == []
    assert fields(result.papers) == fields(papers)
    assert fields(result.revisions) == fields(revisions)
    assert all(paper.sources == [str(path)] for paper in result.papers)


def test_the_atom_form_imports_with_authors_and_clean_abstracts() -> None:
    result = parse_as_imported(ATOM)
    assert (len(result.papers), result.revisions) == (86, [])
    assert all(paper.authors for paper in result.papers)
    assert not any("Announce Type" in paper.abstract for paper in result.papers)
    dive = next(paper for paper in result.papers if paper.arxiv_id == "2508.13251")
    assert dive.authors[:3] == ["Di Zhang", "Xue Jia", "Tran Ba Hung"]
    assert dive.abstract.startswith("Data-driven artificial intelligence (AI) approaches")


def test_the_rss_form_imports_its_replacements_as_revisions() -> None:
    result = parse_as_imported(RSS)
    assert [p.arxiv_id for p in result.papers] == [
        "2411.17700",
        "2411.17701",
        "2411.17702",
        "2411.17703",
        "2202.06515",
        "2405.12090",
    ]
    assert [p.arxiv_id for p in result.revisions] == ["1401.3665", "1708.06999", "1712.07645"]


def test_each_form_is_told_by_its_shape_and_only_that_way() -> None:
    for path in (ATOM, RSS):
        text = path.read_text(encoding="utf-8")
        assert [s.name for s in SOURCES if s.sniff(text)] == ["arxiv-feed"]
        assert detect(text, "saved.txt").name == "arxiv-feed"
    api = (FIXTURES / "arxiv-api-query-start0.atom").read_text(encoding="utf-8")
    assert [s.name for s in SOURCES if s.sniff(api)] == ["atom"]


def test_a_replacement_revises_a_held_paper_and_adds_none(tmp_path: Path) -> None:
    held = Paper(title="An old title", arxiv_id="1401.3665", authors=["A. Author"])
    with Library(tmp_path / "lib") as library:
        library.add_papers([held])
        report = import_file(library, RSS)
        assert (report.added, report.revised, report.not_held) == (6, 1, 2)
        assert report.summary == (
            f"{RSS}: arxiv-feed: 6 added, 0 merged, 0 unchanged, 0 skipped; "
            "1 revised, 2 replacements not in the library"
        )
        assert library.get("1401.3665").title == next(
            p.title for p in fetched(RSS)[1] if p.arxiv_id == "1401.3665"
        )
        assert library.get("1708.06999") is None


def test_an_rss_1_feed_is_one_clear_error(tmp_path: Path) -> None:
    rdf = tmp_path / "cs.CL.rdf"
    rdf.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns="http://purl.org/rss/1.0/">\n<channel rdf:about="http://arxiv.org/">'
        "<title>cs.CL updates on arXiv.org</title></channel>\n"
        '<item rdf:about="http://arxiv.org/abs/2312.00001">'
        "<title>A Study of Things. (arXiv:2312.00001v1 [cs.CL])</title></item>\n</rdf:RDF>\n",
        encoding="utf-8",
    )
    with pytest.raises(ParseError) as caught:
        parse_as_imported(rdf)
    assert str(caught.value) == (
        f"{rdf}:1: an RSS 1.0 feed, arXiv's format before 2024, is not read: save the feed "
        "from rss.arxiv.org/rss/CATEGORY or rss.arxiv.org/atom/CATEGORY"
    )


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        ("<?xml version='1.0'?>\n<!-- saved --><feed xmlns='http://www.w3.org/2005/Atom'>", "atom"),
        ("\ufeff<!-- <rss> -->\n<atom:feed xmlns:atom='http://www.w3.org/2005/Atom'>", "atom"),
        ("<feed><entry><arxiv:announce_type>new</arxiv:announce_type>", "announcements"),
        (
            "<rss version='2.0' xmlns:arxiv='http://arxiv.org/schemas/atom'><channel/>",
            "announcements",
        ),
        ("<rss version='2.0'><channel><item><title>A blog post</title>", "rss"),
        ("<rdf:RDF xmlns='http://purl.org/rss/1.0/'>", "rss1"),
        ("<html><body><feed>", None),
        ("@misc{k, title = {<feed>}}", None),
    ],
)
def test_feed_kinds_by_their_root(head: str, kind: str | None) -> None:
    assert feed_kind(head) == kind
