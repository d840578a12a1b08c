"""Reading what the feeds answer: recorded real responses, parsed to exact values."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feed_server import fixture
from paperdeck.core.feeds.arxiv_api import arxiv_ids, id_list_url, query_url, total_results
from paperdeck.core.feeds.daily_papers import daily_url, parse_daily
from paperdeck.core.feeds.http import FetchError
from paperdeck.core.sources import ParseContext, ParseError, parse_text
from paperdeck.core.sources.announcements import parse_announcements

CONTEXT = ParseContext.for_file("http://127.0.0.1/atom/cs.CL")


def text(name: str) -> str:
    return fixture(name).decode("utf-8")


def test_the_announcement_feed_tells_new_cross_lists_and_replacements_apart():
    feed = parse_announcements(text("arxiv-announce-rss.xml"), CONTEXT)
    assert feed.warnings == []
    assert [(a.kind, a.paper.arxiv_id) for a in feed.announcements] == [
        ("new", "2411.17700"),
        ("new", "2411.17701"),
        ("new", "2411.17702"),
        ("new", "2411.17703"),
        ("cross", "2202.06515"),
        ("cross", "2405.12090"),
        ("replace", "1401.3665"),
        ("replace", "1708.06999"),
        ("replace", "1712.07645"),
    ]
    assert [a.is_revision for a in feed.announcements] == [False] * 6 + [True] * 3


def test_an_announced_paper_has_its_fields_without_the_announcement_preamble():
    feed = parse_announcements(text("arxiv-announce-rss.xml"), CONTEXT)
    third, cross = feed.announcements[2].paper, feed.announcements[4].paper
    assert third.title == (
        'Finding "Good Views" of Electrocardiogram Signals for Inferring Abnormalities '
        "in Cardiac Condition"
    )
    assert third.authors == ["Hyewon Jeong", "Suyeol Yun", "Hammaad Adam"]
    assert third.abstract.startswith("Electrocardiograms (ECGs) are an established technique")
    assert third.date == "2024-11-28"
    assert third.categories == ["eess.SP", "cs.LG"]
    assert third.links == ["https://github.com/mandiehyewon/goodviews_ecg"]  # from the abstract
    assert (cross.doi, cross.venue) == ("10.1063/5.0236964", "Physics of Fluids 36, 117158 (2024)")


def test_a_feed_for_an_unknown_category_is_an_error_not_an_empty_day():
    with pytest.raises(ParseError) as caught:
        parse_announcements(text("arxiv-announce-error.xml"), CONTEXT)
    assert str(caught.value).startswith(
        "http://127.0.0.1/atom/cs.CL:1: Feed error for query: http://rss.arxiv.org/rss/astroph: "
        "Bad archive 'astroph'."
    )


def test_a_recorded_atom_announcement_feed_tells_new_and_cross_lists_apart():
    feed = parse_announcements(text("arxiv-announce-atom-cs.AI.xml"), CONTEXT)
    assert feed.warnings == []
    kinds = [a.kind for a in feed.announcements]
    assert (len(kinds), kinds.count("new"), kinds.count("cross")) == (86, 41, 45)
    assert kinds == ["new"] * 41 + ["cross"] * 45  # arXiv lists the new ones first
    assert [a.paper.arxiv_id for a in feed.announcements[:3]] == [
        "2508.13167",
        "2508.13171",
        "2508.13174",
    ]
    assert not any(a.is_revision for a in feed.announcements)
    first, cross = feed.announcements[0].paper, feed.announcements[41].paper
    assert first.title == (
        "Chain-of-Agents: End-to-End Agent Foundation Models via Multi-Agent Distillation "
        "and Agentic RL"
    )
    assert (len(first.authors), first.authors[:2], first.authors[-1]) == (
        30,
        ["Weizhen Li", "Jianbo Lin"],
        "Wangchunshu Zhou",
    )
    assert (first.date, first.categories) == ("2025-08-20", ["cs.AI", "cs.CL"])
    assert first.abstract.startswith("Recent advances in large language models (LLMs) and multi")
    assert first.abstract.endswith("research on agent models and agentic RL.")
    assert (cross.arxiv_id, cross.title) == (
        "2508.00875",
        "Preliminary suggestions for rigorous GPAI model evaluations",
    )
    assert cross.authors == ["Patricia Paskov", "Michael J. Byun", "Kevin Wei", "Toby Webster"]
    assert cross.categories == ["cs.CY", "cs.AI"]


def test_tex_accents_in_a_feeds_author_names_are_decoded():
    feed = parse_announcements(text("arxiv-announce-atom-cs.AI.xml"), CONTEXT)
    authors = {a.paper.arxiv_id: a.paper.authors for a in feed.announcements}
    # The recording says "Nikola Pi\v{z}urica, Nikola Milovi\'c, Igor Jovan\v{c}evi\'c, ..."
    assert authors["2508.13177"] == [
        "Nikola Pižurica",
        "Nikola Milović",
        "Igor Jovančević",
        "Conor Heins",
        "Miguel de Prado",
    ]
    assert authors["2508.13247"] == ["Nina Rajcic", "Anders Søgaard"]
    assert authors["2508.13811"] == ["Jan Jakubův", "Mikoláš Janota"]
    assert authors["2508.13429"] == ["Paulo André Lima de Castro"]
    assert "Hendrik Kraß" in authors["2508.13197"]
    assert "Alán Aspuru-Guzik" in authors["2508.13197"]
    assert not any("\\" in name or "{" in name for names in authors.values() for name in names)


def test_the_atom_form_of_a_replacement_reads_as_the_rss_form_does():
    # The recording above has no replacements (cut before them): this entry is written from
    # arXiv's RSS specification, in the shape of the recorded entries.
    atom = """<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom"
      xmlns:dc="http://purl.org/dc/elements/1.1/">
  <id>http://rss.arxiv.org/atom/math.OC</id>
  <title>math.OC updates on arXiv.org</title>
  <entry>
    <id>oai:arXiv.org:2203.01250v3</id>
    <title>Mass concentration in rescaled first order integral functionals</title>
    <updated>2024-02-23T16:08:30.942190+00:00</updated>
    <link href="https://arxiv.org/abs/2203.01250" rel="alternate" type="text/html"/>
    <summary>arXiv:2203.01250v3 Announce Type: replace-cross
Abstract: We consider first order local minimization problems.</summary>
    <category term="math.OC"/>
    <category term="math.AP"/>
    <published>2024-02-23T00:00:00-05:00</published>
    <arxiv:announce_type>replace-cross</arxiv:announce_type>
    <dc:creator>Antonin Monteil, Paolo Tilli</dc:creator>
  </entry>
</feed>"""
    feed = parse_announcements(atom, CONTEXT)
    (announcement,) = feed.announcements
    paper = announcement.paper
    assert (announcement.kind, announcement.is_revision) == ("replace-cross", True)
    assert (paper.arxiv_id, paper.date) == ("2203.01250", "2024-02-23")
    assert paper.authors == ["Antonin Monteil", "Paolo Tilli"]
    assert paper.abstract == "We consider first order local minimization problems."
    assert paper.categories == ["math.OC", "math.AP"]


def test_announcements_are_hardened_as_imported_xml_is():
    with pytest.raises(ParseError, match="DOCTYPE and ENTITY declarations are not allowed"):
        parse_announcements('<!DOCTYPE x [<!ENTITY a "b">]><rss><channel/></rss>', CONTEXT)
    truncated = text("arxiv-announce-rss.xml")[:3000]
    with pytest.raises(ParseError) as caught:
        parse_announcements(truncated, CONTEXT)
    assert str(caught.value).startswith("http://127.0.0.1/atom/cs.CL:")
    assert "malformed XML: " in str(caught.value)


def test_control_sequences_in_a_feed_never_reach_the_library():
    # XML refuses ESC itself; an 8-bit CSI and a bidi override are valid XML characters.
    hostile = text("arxiv-announce-rss.xml").replace(
        "<title>Exploring", "<title>&#x9b;31m&#x202e;Exploring", 1
    )
    paper = parse_announcements(hostile, CONTEXT).announcements[0].paper
    assert paper.title.startswith("Exploring the Impact of Generative AI")


def test_arxiv_api_pages_parse_with_the_atom_importer():
    first = parse_text(text("arxiv-api-query-start0.atom"), "page", format="atom")
    assert total_results(text("arxiv-api-query-start0.atom")) == 214881
    assert [p.arxiv_id for p in first.papers] == [
        "2202.12139",
        "2405.13786",
        "2005.14124",
        "2204.08348",
        "2302.03287",
        "1202.4527",
        "2503.05378",
        "1205.1866",
        "2502.07719",
        "1812.11470",
    ]
    paper = first.papers[0]
    assert paper.title.startswith("Testing Deep Learning Models: A First Comparative")
    assert (paper.date, paper.categories) == ("2022-02-24", ["cs.SE", "cs.LG"])


def test_arguments_that_are_all_arxiv_ids_are_ids_in_any_spelling():
    assert arxiv_ids(["2401.00001v2", "https://arxiv.org/abs/hep-th/9901001", "arXiv:1706.03762"])
    assert arxiv_ids(["2401.00001v2", "https://arxiv.org/pdf/2402.00002v1"]) == [
        "2401.00001",
        "2402.00002",
    ]
    assert arxiv_ids(["au:Zhang", "AND", "ti:reinforcement"]) is None
    assert arxiv_ids(["2401.00001", "transformers"]) is None


def test_request_shapes_are_those_the_issue_names():
    base = "https://export.arxiv.org/api/query"
    assert query_url(base, "ti:reinforcement AND cat:cs.LG", 100, 50) == (
        base + "?search_query=ti%3Areinforcement+AND+cat%3Acs.LG&start=100&max_results=50"
    )
    assert id_list_url(base, ["2401.00001", "hep-th/9901001"], 0, 2) == (
        base + "?id_list=2401.00001%2Chep-th%2F9901001&start=0&max_results=2"
    )
    from datetime import date

    assert daily_url("https://huggingface.co/api/daily_papers", date(2026, 3, 6)) == (
        "https://huggingface.co/api/daily_papers?date=2026-03-06"
    )


def test_a_daily_papers_item_keeps_upvotes_repository_and_project_page():
    papers, warnings = parse_daily(text("hf-daily-papers-2026-03-06.json"), "day")
    assert warnings == []
    (paper,) = papers
    assert paper.arxiv_id == "2602.23229"
    assert paper.title == "Large Multimodal Models as General In-Context Classifiers"
    assert paper.authors == [
        "Marco Garosi",
        "Matteo Farina",
        "Alessandro Conti",
        "Massimiliano Mancini",
        "Elisa Ricci",
    ]
    assert (paper.date, paper.upvotes, paper.has_code) == ("2026-02-26", 10, True)
    assert paper.links == [
        "https://github.com/marco-garosi/CIRCLE",
        "https://circle-lmm.github.io/",
    ]


def test_a_recorded_daily_papers_answer_reads_to_exact_values():
    papers, warnings = parse_daily(text("hf-daily-papers-2024-10-25.json"), "day")
    assert warnings == []
    assert [(p.arxiv_id, p.date, p.upvotes, p.links) for p in papers] == [
        ("2410.17243", "2024-10-22", 64, []),
        ("2410.16251", "2024-10-21", 41, []),
    ]
    first, second = papers
    # The paper's title is wrapped as arXiv wraps it ("...Scaling for\n  Contrastive Loss").
    assert first.title == (
        "Breaking the Memory Barrier: Near Infinite Batch Size Scaling for Contrastive Loss"
    )
    assert first.authors == [
        "Zesen Cheng",
        "Hang Zhang",
        "Kehan Li",
        "Sicong Leng",
        "Zhiqiang Hu",
        "Fei Wu",
        "Deli Zhao",
        "Xin Li",
        "Lidong Bing",
    ]
    assert first.abstract.startswith(
        "Contrastive loss is a powerful approach for representation learning, where larger "
        "batch sizes"
    )
    assert first.abstract.endswith("The code will be made publicly available.")
    assert second.title == "Can Knowledge Editing Really Correct Hallucinations?"
    assert second.authors == [
        "Baixiang Huang",
        "Canyu Chen",
        "Xiongxiao Xu",
        "Ali Payani",
        "Kai Shu",
    ]
    assert not second.has_code


def test_a_daily_papers_error_object_is_one_line_and_bad_json_names_the_line():
    with pytest.raises(FetchError, match="Hugging Face: Invalid date"):
        parse_daily('{"error": "Invalid date"}', "day")
    with pytest.raises(ParseError) as caught:
        parse_daily(text("hf-daily-papers-2026-03-06.json")[:900], "day")
    assert str(caught.value).startswith("day:")
    assert "invalid JSON" in str(caught.value)


@settings(max_examples=80, deadline=None)
@given(cut=st.integers(min_value=0, max_value=17000), junk=st.text(max_size=40))
def test_an_announcement_feed_cut_anywhere_raises_only_parse_error(cut, junk):
    broken = text("arxiv-announce-rss.xml")[:cut] + junk
    try:
        parse_announcements(broken, CONTEXT)
    except ParseError as error:
        assert str(error).startswith(f"{CONTEXT.path}:{error.line}: ") and "\n" not in str(error)


@settings(max_examples=80, deadline=None)
@given(cut=st.integers(min_value=0, max_value=9000), junk=st.text(max_size=40))
def test_a_daily_papers_answer_cut_anywhere_raises_only_parse_or_fetch_error(cut, junk):
    broken = text("hf-daily-papers-2026-03-06.json")[:cut] + junk
    try:
        parse_daily(broken, "day")
    except (ParseError, FetchError) as error:
        assert "\n" not in str(error)


def test_the_atom_announcement_feed_reads_doi_and_journal_reference():
    # <arxiv:DOI> and <arxiv:journal_reference>, as the RSS form writes them: not the API's
    # <arxiv:doi> and <arxiv:journal_ref>.
    feed = parse_announcements(text("arxiv-announce-atom-cs.AI.xml"), CONTEXT)
    papers = {a.paper.arxiv_id: a.paper for a in feed.announcements}
    assert (papers["2508.00875"].doi, papers["2508.00875"].venue) == ("10.7249/PEA3971-1", "")
    assert (papers["2508.13303"].doi, papers["2508.13303"].venue) == (
        None,
        "2025 IEEE/RSJ international conference on intelligent robots and systems (IROS)",
    )
    assert sum(1 for p in papers.values() if p.doi) == 1
    assert sum(1 for p in papers.values() if p.venue) == 1


def test_tex_in_announced_titles_and_abstracts_is_decoded():
    rss = """<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/"
     version="2.0"><channel><title>quant-ph updates on arXiv.org</title>
  <item>
    <title>Solving the Schr\\"odinger Equation with Neural Networks</title>
    <link>https://arxiv.org/abs/1001.0002</link>
    <description>arXiv:1001.0002v2 Announce Type: replace
Abstract: Schr\\"odinger's $\\hat{H}\\psi = E\\psi$ for G\\"odel.</description>
    <guid isPermaLink="false">oai:arXiv.org:1001.0002v2</guid>
    <arxiv:announce_type>replace</arxiv:announce_type>
    <dc:creator>Jan Hermann</dc:creator>
  </item>
</channel></rss>"""
    (rss_paper,) = [a.paper for a in parse_announcements(rss, CONTEXT).announcements]
    assert rss_paper.title == "Solving the Schrödinger Equation with Neural Networks"
    assert rss_paper.abstract == "Schrödinger's $\\hat{H}\\psi = E\\psi$ for Gödel."
    atom = """<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom"
      xmlns:dc="http://purl.org/dc/elements/1.1/"><title>quant-ph updates on arXiv.org</title>
  <entry>
    <id>oai:arXiv.org:1001.0002v2</id>
    <title>Solving the Schr\\"odinger Equation with Neural Networks</title>
    <summary>arXiv:1001.0002v2 Announce Type: replace
Abstract: Schr\\"odinger's $\\hat{H}\\psi = E\\psi$ for G\\"odel.</summary>
    <arxiv:announce_type>replace</arxiv:announce_type>
    <dc:creator>Jan Hermann</dc:creator>
  </entry>
</feed>"""
    (atom_paper,) = [a.paper for a in parse_announcements(atom, CONTEXT).announcements]
    assert (atom_paper.arxiv_id, atom_paper.title, atom_paper.abstract) == (
        "1001.0002",
        rss_paper.title,
        rss_paper.abstract,
    )
