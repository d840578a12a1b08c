"""The Atom parser, against an arXiv API response and broken or hostile XML."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from file_parsing import parse_as_imported
from paperdeck.core.sources import ParseError, ParseResult
from paperdeck.core.sources.atom import SOURCE
from paperdeck.core.sources.base import ParseContext

FIXTURE = Path(__file__).parents[1] / "fixtures" / "arxiv.atom"
CONTEXT = ParseContext("feed.xml", date(2026, 1, 1))
FEED = '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n{}\n</feed>\n'


@pytest.fixture(scope="module")
def feed() -> ParseResult:
    return parse_as_imported(FIXTURE, format="atom")


def test_fixture_papers(feed: ParseResult) -> None:
    assert feed.warnings == []
    assert [paper.arxiv_id for paper in feed.papers] == [
        "1706.03762",
        "2006.11239",
        "1512.03385",
        "hep-th/9711200",
    ]
    assert [paper.line for paper in feed.papers] == [10, 57, 89, 120]


def test_fixture_first_entry(feed: ParseResult) -> None:
    paper = feed.papers[0]
    assert paper.title == "Attention Is All You Need"
    assert paper.authors == [
        "Ashish Vaswani", "Noam Shazeer", "Niki Parmar", "Jakob Uszkoreit", "Llion Jones",
        "Aidan N. Gomez", "Lukasz Kaiser", "Illia Polosukhin",
    ]  # fmt: skip
    assert paper.affiliations == ["Google Brain", "Google Research", "University of Toronto"]
    assert paper.abstract.startswith(
        "The dominant sequence transduction models are based on complex recurrent or "
        "convolutional neural networks in an encoder-decoder configuration."
    )
    assert paper.abstract.endswith("dispensing with recurrence and convolutions entirely.")
    assert (paper.date, paper.date_inferred) == ("2017-06-12", False)
    assert paper.categories == ["cs.CL", "cs.LG"]
    assert (paper.links, paper.has_code, paper.doi, paper.venue) == ([], False, None, "")
    assert paper.primary_link == "https://arxiv.org/abs/1706.03762"


def test_fixture_links_from_abstract_and_comment(feed: ParseResult) -> None:
    diffusion, resnet = feed.papers[1], feed.papers[2]
    assert diffusion.links == ["https://github.com/hojonathanho/diffusion"]
    assert diffusion.has_code is True
    assert diffusion.categories == ["cs.LG", "stat.ML"]
    assert diffusion.affiliations == ["UC Berkeley"]
    assert resnet.title == "Deep Residual Learning for Image Recognition"  # two lines in the feed
    assert resnet.links == ["https://github.com/KaimingHe/deep-residual-networks"]
    assert (resnet.has_code, resnet.date, resnet.categories) == (True, "2015-12-10", ["cs.CV"])


def test_fixture_old_style_id_doi_and_journal(feed: ParseResult) -> None:
    paper = feed.papers[3]
    assert paper.title == "The Large N Limit of Superconformal Field Theories and Supergravity"
    assert paper.authors == ["Juan M. Maldacena"]
    assert paper.doi == "10.1023/A:1026654312961"
    assert paper.venue == "Adv.Theor.Math.Phys.2:231-252,1998"
    assert (paper.date, paper.categories, paper.links) == ("1997-11-27", ["hep-th"], [])
    assert paper.abstract.startswith("We show that the large $N$ limit")


def test_malformed_xml_reports_its_line() -> None:
    text = FEED.format("<entry>\n<title>Broken</titel>\n</entry>")
    with pytest.raises(ParseError) as caught:
        SOURCE.parse(text, CONTEXT)
    assert caught.value.line == 4
    assert str(caught.value) == "feed.xml:4: malformed XML: mismatched tag"


def test_entity_declarations_are_refused() -> None:
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&lol2;</title></entry></feed>'
    )
    with pytest.raises(ParseError) as caught:
        SOURCE.parse(bomb, CONTEXT)
    assert (caught.value.line, caught.value.message) == (
        2,
        "DOCTYPE and ENTITY declarations are not allowed in a feed",
    )


def test_other_xml_is_not_a_feed() -> None:
    with pytest.raises(ParseError) as caught:
        SOURCE.parse("<opml><body/></opml>", CONTEXT)
    assert caught.value.message == "not an Atom feed (root element <opml>)"
    # An RSS feed that is not arXiv's (arXiv's are read by `announcements`): said so.
    with pytest.raises(ParseError) as caught:
        SOURCE.parse("<rss><channel/></rss>", CONTEXT)
    assert caught.value.message == (
        "an RSS feed, but not arXiv's announcement feed: no other RSS feed is read"
    )


def test_entry_without_title_is_skipped_with_a_warning() -> None:
    text = FEED.format(
        "<entry><id>http://arxiv.org/abs/2401.00001v1</id><title> </title></entry>\n"
        "<entry><id>http://arxiv.org/abs/2401.00002v3</id><title>Kept</title>"
        "<published>2024-01-02T10:00:00Z</published></entry>"
    )
    result = SOURCE.parse(text, CONTEXT)
    assert [(p.title, p.arxiv_id, p.date, p.line) for p in result.papers] == [
        ("Kept", "2401.00002", "2024-01-02", 4)
    ]
    assert [(w.line, w.message) for w in result.warnings] == [(3, "entry without a title; skipped")]


def test_arxiv_api_error_entry_becomes_a_warning() -> None:
    text = FEED.format(
        "<entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_1234</id>"
        "<title>Error</title><summary>incorrect id format for 1234</summary></entry>"
    )
    result = SOURCE.parse(text, CONTEXT)
    assert result.papers == []
    assert [w.message for w in result.warnings] == ["arXiv API error: incorrect id format for 1234"]


def test_feed_without_namespace_and_single_entry_document() -> None:
    bare = (
        "<feed><entry><title>No Namespace</title><author><name>A B</name></author></entry></feed>"
    )
    assert [(p.title, p.authors) for p in SOURCE.parse(bare, CONTEXT).papers] == [
        ("No Namespace", ["A B"])
    ]
    single = '<entry xmlns="http://www.w3.org/2005/Atom"><title>Alone</title></entry>'
    assert [p.title for p in SOURCE.parse(single, CONTEXT).papers] == ["Alone"]


def test_empty_feed_has_no_papers() -> None:
    result = SOURCE.parse(FEED.format(""), CONTEXT)
    assert (result.papers, result.warnings) == ([], [])


def test_sniff() -> None:
    assert SOURCE.sniff(FIXTURE.read_text(encoding="utf-8"))
    assert SOURCE.sniff("\ufeff  <feed xmlns='http://www.w3.org/2005/Atom'>")
    assert not SOURCE.sniff("<html><body>feed</body></html>")
    assert not SOURCE.sniff("@article{x, title={<feed>}}")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["<feed>", "</feed>", "<entry>", "</entry>", "<title>", "</title>", "T", "<id>",
             "</id>", "http://arxiv.org/abs/2401.00001v2", "<author><name>N</name></author>",
             "<published>2024-13-45</published>", "&amp;", "&bogus;", "<![CDATA[x]]>", "\n"]
        ),
        max_size=25,
    ).map("".join)
)  # fmt: skip
def test_fuzz_shaped_xml_raises_only_parse_error(text: str) -> None:
    try:
        result = SOURCE.parse(text, CONTEXT)
    except ParseError:
        return
    assert all(paper.title for paper in result.papers)


def test_msc_and_acm_terms_are_kept_apart_from_arxiv_categories() -> None:
    entry = (
        "<entry><id>http://arxiv.org/abs/2101.00001v1</id><title>T</title>"
        '<category term="cs.CL"/><category term="68T50"/><category term="I.2.7"/>'
        '<category term="math.OC"/><category term="F.2.2; I.2.6"/></entry>'
    )
    paper = SOURCE.parse(FEED.format(entry), CONTEXT).papers[0]
    assert paper.categories == ["cs.CL", "math.OC"]
    # One term may list several classes, split as one class each.
    assert paper.subject_classes == ["68T50", "I.2.7", "F.2.2", "I.2.6"]


def test_acm_and_msc_lists_in_one_term_are_separate_classes() -> None:
    entry = (
        "<entry><id>http://arxiv.org/abs/2101.00002v1</id><title>T</title>"
        '<category term="cs.RO"/><category term="I.2.9; J.3"/>'
        '<category term="68T05, 62H30"/><category term=" ; J.3 ,"/></entry>'
    )
    paper = SOURCE.parse(FEED.format(entry), CONTEXT).papers[0]
    assert paper.categories == ["cs.RO"]
    assert paper.subject_classes == ["I.2.9", "J.3", "68T05", "62H30"]


def test_et_al_given_as_an_author_ends_the_list() -> None:
    entry = (
        "<entry><title>T</title><author><name>V. M. Abazov</name></author>"
        "<author><name>et al.</name></author></entry>"
    )
    paper = SOURCE.parse(FEED.format(entry), CONTEXT).papers[0]
    assert (paper.authors, paper.authors_truncated) == (["V. M. Abazov"], True)


def test_tex_in_an_arxiv_entry_is_read_as_the_snapshot_reads_it() -> None:
    # The arXiv API gives titles and abstracts as their authors wrote them, in TeX.
    entry = (
        "<entry><id>http://arxiv.org/abs/1001.0002v1</id>"
        '<title>Solving the Schr\\"odinger Equation for $\\alpha$-Stable Noise</title>'
        '<summary>We solve Schr{\\"o}dinger\'s equation for $x^2$ and $\\"u$, 80\\% of'
        " \\textbf{all} cases.</summary></entry>"
    )
    paper = SOURCE.parse(FEED.format(entry), CONTEXT).papers[0]
    # Accents read as text, the formula kept as LaTeX: as a BibTeX title of the same paper
    # reads, so both have one title key and merge (the reader shows the formula as text)
    assert paper.title == "Solving the Schrödinger Equation for $\\alpha$-Stable Noise"
    assert paper.abstract == (
        "We solve Schrödinger's equation for $x^2$ and $\\\"u$, 80\\% of \\textbf{all} cases."
    )


def test_an_atom_feed_from_elsewhere_is_not_read_as_tex() -> None:
    entry = "<entry><id>urn:uuid:1</id><title>C++ -- $5 deals</title></entry>"
    assert SOURCE.parse(FEED.format(entry), CONTEXT).papers[0].title == "C++ -- $5 deals"
