"""Exports: a golden Markdown reading list, hostile text kept inert, BibTeX that parses, JSON."""

from __future__ import annotations

import json
import os
import re
import stat
from collections import Counter
from datetime import date
from pathlib import Path

import bibtexparser
import pytest
from markdown_it import MarkdownIt

from paperdeck.core.atomic import write_atomic
from paperdeck.core.export import (
    bibtex_keys,
    latex_text,
    markdown_link,
    markdown_text,
    safe_url,
    to_bibtex,
    to_json,
    to_markdown,
)
from paperdeck.core.models import Paper
from paperdeck.core.sources.base import ParseContext
from paperdeck.core.sources.bibtex import SOURCE as SOURCE_BIBTEX

GOLDEN = Path(__file__).parent.parent / "golden" / "starred.md"


def starred_papers() -> list[Paper]:
    """A fixed reading list touching every part of the Markdown layout."""
    return [
        Paper(
            id="2504.16084",
            title="TTRL: Test-Time Reinforcement Learning",
            authors=["Yuxin Zuo", "Kaiyan Zhang", "Li Sheng"],
            authors_truncated=True,
            date="2025-04-22",
            categories=["cs.CL", "cs.LG"],
            links=["https://github.com/PRIME-RL/TTRL", "https://ttrl.github.io/demo page"],
            has_code=True,
            arxiv_id="2504.16084",
            starred=True,
            tags=["rl", "test-time"],
            note="Majority voting as the reward.\n- try on AIME\n1. read section 3\n\nGood baseline.",
        ),
        Paper(
            id="pd-5c1f0e2a9b",
            title="MedXpertQA: Benchmarking Expert-Level Medical Reasoning and Understanding",
            authors=["Yuxin Zuo", "Shang Qu"],
            date="2025-01-30",
            date_inferred=True,
            categories=["AI"],
            links=["https://github.com/TsinghuaC3I/MedXpertQA"],
            has_code=True,
            starred=True,
        ),
        Paper(
            id="pd-0a1b2c3d4e",
            title="A Survey of Large Language Models",
            authors=["Wayne Xin Zhao"],
            date="2023-03-31",
            venue="Journal of Surveys",
            doi="10.1000/xyz_123",
            starred=True,
            tags=["survey"],
        ),
        Paper(id="pd-9f8e7d6c5b", title="Untitled Workshop Notes", starred=True),
    ]


def test_markdown_matches_the_golden_file() -> None:
    text = to_markdown(
        starred_papers(),
        title="Starred papers",
        description="Starred · newest first",
        generated=date(2026, 1, 15),
    )
    if os.environ.get("PAPERDECK_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_markdown_is_deterministic_without_a_date() -> None:
    first = to_markdown(starred_papers(), title="Starred papers")
    assert first == to_markdown(starred_papers(), title="Starred papers")
    assert first.splitlines()[:3] == ["# Starred papers", "", "4 papers"]
    assert "exported" not in first


def test_markdown_heading_links_to_the_papers_own_page_never_its_code() -> None:
    # Was: arXiv, else the code repository (MedXpertQA's heading linked to GitHub), and a
    # paper with only a DOI had a plain heading. Now the page `y` copies: arXiv, DOI, or a
    # link that is not code; a paper with only a code link has a plain heading.
    page_only = Paper(
        title="Project Paper", links=["https://github.com/a/b", "https://p.org/paper"]
    )
    text = to_markdown([*starred_papers(), page_only], title="t")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## [TTRL: Test-Time Reinforcement Learning](https://arxiv.org/abs/2504.16084)",
        "## MedXpertQA: Benchmarking Expert-Level Medical Reasoning and Understanding",
        "## [A Survey of Large Language Models](https://doi.org/10.1000/xyz_123)",
        "## Untitled Workshop Notes",
        "## [Project Paper](https://p.org/paper)",
    ]
    assert "- **Code:** <https://github.com/TsinghuaC3I/MedXpertQA>" in text.splitlines()


def test_empty_list_still_has_a_heading_and_a_count() -> None:
    assert to_markdown([], title="Starred papers") == "# Starred papers\n\n0 papers\n"


HOSTILE = [
    "<script>alert(1)</script>",
    "[click me](javascript:alert(1))",
    "![img](https://evil.example/x.png)",
    "<img src=x onerror=alert(1)>",
    "**bold** _it_ `code` ~~strike~~ $x^2$",
    "a | table | row",
    "# not a heading",
    "&lt;script&gt; already escaped",
    "<https://evil.example>",
    "back\\slash ] bracket [",
]


@pytest.mark.parametrize("title", HOSTILE)
def test_hostile_text_renders_as_text(title: str) -> None:
    paper = Paper(title=title, authors=[title], tags=[title.replace(" ", "-")])
    text = to_markdown([paper], title=title)
    escaped = markdown_text(title)
    assert f"# {escaped}" in text.splitlines()
    assert f"## {escaped}" in text.splitlines()
    assert f"- **Authors:** {escaped}" in text.splitlines()
    # Nothing in the escaped text can start emphasis, code, math, a link, an image or a table.
    assert not re.search(r"(?<!\\)[*_`$|~#\[\]]", escaped.replace("\\\\", ""))
    # No raw HTML anywhere: a < or > in the file is either an entity or a block-quote marker.
    assert "<" not in text
    assert ">" not in re.sub(r"^>", "", text, flags=re.MULTILINE)


SAFE_TAGS = {"h1", "h2", "p", "ul", "ol", "li", "strong", "code", "a", "blockquote", "br"}


def render_html(markdown: str) -> str:
    """CommonMark plus GitHub's tables and strikethrough: what a reader of the file would see."""
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)


@pytest.mark.parametrize("title", HOSTILE)
def test_hostile_text_renders_to_plain_html(title: str) -> None:
    paper = Paper(
        title=title,
        authors=[title],
        tags=[title.replace(" ", "-")],
        links=["https://github.com/a/b"],
    )
    html = render_html(to_markdown([paper], title=title))
    tags = set(re.findall(r"</?([a-z0-9]+)", html))
    assert tags <= SAFE_TAGS
    # The only link is the one we wrote (the Code line: a code link is not the paper's page,
    # so the heading has none), never one from the text.
    assert re.findall(r'href="([^"]*)"', html) == ["https://github.com/a/b"]


def test_golden_file_renders_with_only_expected_links() -> None:
    html = render_html(GOLDEN.read_text(encoding="utf-8"))
    assert set(re.findall(r"</?([a-z0-9]+)", html)) <= SAFE_TAGS
    assert re.findall(r'href="([^"]*)"', html) == [
        "https://arxiv.org/abs/2504.16084",
        "https://github.com/PRIME-RL/TTRL",
        "https://ttrl.github.io/demo%20page",
        "https://github.com/TsinghuaC3I/MedXpertQA",
        "https://doi.org/10.1000/xyz_123",
        "https://doi.org/10.1000/xyz_123",
    ]


def test_markdown_text_escapes_exactly_what_matters() -> None:
    assert markdown_text("<script>") == "&lt;script&gt;"
    assert markdown_text("A & B") == "A &amp; B"
    assert markdown_text("[x](y)") == r"\[x\](y)"
    assert markdown_text("*a* _b_ `c` #d |e ~f $g\\") == r"\*a\* \_b\_ \`c\` \#d \|e \~f \$g\\"
    # Ordinary punctuation stays readable in the raw file.
    assert (
        markdown_text("Test-Time Scaling (TTS): 2.5x, +7.9!")
        == "Test-Time Scaling (TTS): 2.5x, +7.9!"
    )


def note_of(note: str) -> list[str]:
    text = to_markdown([Paper(title="t", note=note)], title="t")
    return text.split("## t\n\n", 1)[1].splitlines()


def test_a_note_is_written_as_markdown() -> None:
    note = "**Key**: _reward_ = votes\n- try AIME\n1. read [sec 3](https://x.org/a?b=1)\n\n# Head"
    assert note_of(note) == [
        "> **Key**: _reward_ = votes",
        "> - try AIME",
        "> 1. read [sec 3](https://x.org/a?b=1)",
        ">",
        "> # Head",
    ]


def test_a_note_cannot_inject_html_or_other_links() -> None:
    note = (
        "<script>alert(1)</script> [x](javascript:alert(1)) <javascript:x> a@b.org\n"
        "[ref]: javascript:alert(1)\n"
        "![pixel](https://evil.example/p.png) <https://ok.example.org> &#x6A;s\n"
        "`<b>` and ``<i>`` stay code; a lone ` is text\n"
        "```html\n<b>inside a fence</b>"
    )
    assert note_of(note) == [
        "> &lt;script&gt;alert(1)&lt;/script&gt; \\[x\\](javascript:alert(1)) "
        "&lt;javascript:x&gt; a\\@b.org",
        "> \\[ref\\]: javascript:alert(1)",
        "> [pixel](https://evil.example/p.png) <https://ok.example.org> &amp;#x6A;s",
        "> `<b>` and ``<i>`` stay code; a lone \\` is text",
        "> ```html",
        "> <b>inside a fence</b>",
        "> ```",  # closed: the rest of the file is not code
    ]
    html = render_html(to_markdown([Paper(title="t", note=note)], title="t"))
    assert re.findall(r'href="([^"]*)"', html) == [
        "https://evil.example/p.png",
        "https://ok.example.org",
    ]
    assert "<script" not in html and "<img" not in html and "<b>" not in html


def test_links_are_http_only_and_cannot_break_out() -> None:
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("data:text/html,<script>") is None
    assert safe_url("ftp://example.org/x") is None
    assert safe_url("https:///nohost") is None
    assert (
        safe_url('https://example.org/a b)c<d>e"f') == "https://example.org/a%20b%29c%3Cd%3Ee%22f"
    )
    assert markdown_link("https://x.org/(a)", "T [1]") == r"[T \[1\]](https://x.org/%28a%29)"
    assert markdown_link("https://x.org/a") == "<https://x.org/a>"
    assert markdown_link("javascript:x", "T") == ""


def test_hostile_links_and_ids_are_dropped_or_encoded() -> None:
    paper = Paper(
        title="T",
        arxiv_id="2401.00001) <script>",
        links=["javascript:alert(1)", "https://github.com/a/b)<x>", "https://ok.example/p q"],
        doi="10.1/a)b",
    )
    text = to_markdown([paper], title="t")
    assert "javascript" not in text
    assert "(https://arxiv.org/abs/2401.00001%29%20%3Cscript%3E)" in text
    assert "- **Code:** <https://github.com/a/b%29%3Cx%3E>" in text
    assert "- **Project:** <https://ok.example/p%20q>" in text
    assert "<script>" not in text


def test_authors_truncated_and_capped() -> None:
    many = Paper(title="Big", authors=[f"Author {n}" for n in range(30)])
    text = to_markdown([many], title="t")
    line = next(line for line in text.splitlines() if line.startswith("- **Authors:**"))
    assert line.endswith("Author 19 et al.")
    assert "Author 20" not in line


# -- BibTeX -------------------------------------------------------------------------------


def test_bibtex_entries_parse_and_carry_the_fields() -> None:
    papers = starred_papers()
    text = to_bibtex(papers)
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    entries = {entry.key: entry for entry in library.entries}
    assert list(entries) == ["zuo2025ttrl", "zuo2025medxpertqa", "zhao2023survey", "anonuntitled"]
    ttrl = entries["zuo2025ttrl"]
    assert ttrl.entry_type == "misc"
    assert ttrl["title"] == "{TTRL: Test-Time Reinforcement Learning}"
    assert ttrl["author"] == "Zuo, Yuxin and Zhang, Kaiyan and Sheng, Li and others"
    assert ttrl["eprint"] == "2504.16084"
    assert ttrl["archivePrefix"] == "arXiv"
    assert ttrl["primaryClass"] == "cs.CL"
    assert ttrl["year"] == "2025"
    assert ttrl["url"] == "https://arxiv.org/abs/2504.16084"
    assert ttrl["keywords"] == "rl, test-time"
    assert "note" not in ttrl.fields_dict  # the private note stays private
    assert "Majority voting" not in text
    survey = entries["zhao2023survey"]
    assert survey.entry_type == "article"
    assert survey["journal"] == "Journal of Surveys"
    assert survey["doi"] == "10.1000/xyz_123"
    assert survey["url"] == "https://doi.org/10.1000/xyz_123"


def test_bibtex_month_is_a_macro() -> None:
    assert "  month = apr,\n" in to_bibtex(starred_papers()[:1])


def test_bibtex_keys_deduplicate_in_order() -> None:
    twin = Paper(title="The Same Title", authors=["Ann Lee"], date="2024-01-01")
    other = Paper(title="Different", authors=["Bo Chen"], date="2024-01-01")
    assert bibtex_keys([twin, other, twin, twin]) == [
        "lee2024samea",
        "chen2024different",
        "lee2024sameb",
        "lee2024samec",
    ]
    # A suffixed key never collides with another paper's natural key.
    natural = Paper(title="Samea", authors=["Ann Lee"], date="2024-01-01")
    keys = bibtex_keys([twin, twin, natural])
    assert len(set(keys)) == 3


def test_bibtex_keys_fold_accents_and_handle_missing_parts() -> None:
    paper = Paper(title="Über Große Modelle", authors=["Zoë Müller"], date="2024-05-01")
    assert bibtex_keys([paper]) == ["muller2024uber"]
    assert bibtex_keys([Paper(title="!!!")]) == ["anon"]
    assert bibtex_keys([Paper(title="On the Move", authors=["Lee, Ann"])]) == ["leemove"]


def test_latex_special_characters_are_escaped() -> None:
    assert latex_text("50% of {x} & $y$ #1 a_b ~ ^ \\") == (
        r"50\% of \{x\} \& \$y\$ \#1 a\_b \textasciitilde{} \textasciicircum{} \textbackslash{}"
    )
    hostile = Paper(
        title="Evil } @misc{injected, title={x}",
        authors=["A } and B", "Research and Development Team"],
        tags=["a}b"],
        abstract="100% {unbalanced",
    )
    text = to_bibtex([hostile])
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    assert len(library.entries) == 1
    entry = library.entries[0]
    assert entry["title"] == r"{Evil \} @misc\{injected, title=\{x\}}"
    assert entry["author"] == r"{A \} and B} and {Research and Development Team}"
    assert entry["abstract"] == r"100\% \{unbalanced"


# -- JSON and atomic writes ---------------------------------------------------------------


def test_json_is_an_array_of_paper_objects() -> None:
    papers = starred_papers()
    text = to_json(papers)
    assert text.startswith('[\n  {\n    "id": "2504.16084",')
    assert json.loads(text) == [paper.to_json() for paper in papers]
    assert to_json([]) == "[]\n"


def test_write_atomic_replaces_and_keeps_permissions(tmp_path: Path) -> None:
    target = tmp_path / "list.md"
    write_atomic(target, "first")
    assert target.read_text() == "first"
    os.chmod(target, 0o640)
    write_atomic(target, "second ✓")
    assert target.read_text(encoding="utf-8") == "second ✓"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["list.md"]  # no temp file left behind


def test_write_atomic_follows_symlinks(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    write_atomic(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


def test_write_atomic_leaves_the_old_file_when_writing_fails(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "list.md"
    target.write_text("old")

    def broken_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["list.md"]


def test_export_heading_is_the_same_from_the_cli_and_the_reader():
    from paperdeck.core.export import export_heading
    from paperdeck.core.paperset import PaperSet, Sort
    from paperdeck.core.query_words import with_default_sort

    assert export_heading(with_default_sort(PaperSet().starred())) == (
        "Starred papers",
        "Starred · newest first",
    )
    assert export_heading(PaperSet(sort=Sort.RELEVANCE).matching("rl")) == (
        "Papers matching “rl”",
        "matching “rl” · best match first",
    )
    assert export_heading(PaperSet(sort=Sort.TITLE)) == ("All papers", "All papers · by title")
    tagged = with_default_sort(PaperSet().starred().tagged("llm"))
    assert export_heading(tagged) == ("Starred · tag: llm", "Starred · tag: llm · newest first")


def test_bibtex_keeps_the_source_key_and_type_and_round_trips() -> None:
    from file_parsing import parse_as_imported

    fixture = Path(__file__).parents[1] / "fixtures" / "bibliography.bib"
    papers = parse_as_imported(fixture).papers
    text = to_bibtex(papers)
    assert "@inproceedings{vaswani2017attention,\n" in text
    assert "  booktitle = {Advances in Neural Information Processing Systems},\n" in text
    again = SOURCE_BIBTEX.parse(text, ParseContext("out.bib", date(2026, 1, 1))).papers
    assert [p.title for p in again] == [p.title for p in papers]
    assert [p.bibtex_type for p in again] == [p.bibtex_type for p in papers]
    repeated = {key for key, n in Counter(p.bibtex_key for p in papers).items() if n > 1}
    assert repeated == {"liu2019"}  # the file uses one key twice: the export tells them apart
    liu = [
        after.bibtex_key
        for before, after in zip(papers, again, strict=True)
        if before.bibtex_key in repeated
    ]
    assert liu == ["liu2019", "liu2019a"]  # the first keeps the key it is cited by
    for before, after in zip(papers, again, strict=True):
        if before.bibtex_key not in repeated:
            assert after.bibtex_key == before.bibtex_key
    assert len({p.bibtex_key for p in again}) == len(again)


def test_bibtex_made_up_keys_and_types_where_the_source_gave_none_or_bad_ones() -> None:
    plain = Paper(title="Deep Nets", authors=["Ann Lee"], date="2024-05-01", venue="J. Nets")
    spaced = Paper(title="Other", authors=["Bo Li"], date="2023", bibtex_key="has space")
    thesis = Paper(title="A Thesis", venue="MIT", bibtex_key="lee2020", bibtex_type="phdthesis")
    twin = Paper(title="Twin", bibtex_key="lee2020", bibtex_type="weird type")
    text = to_bibtex([plain, spaced, thesis, twin])
    assert "@article{lee2024deep,\n" in text and "  journal = {J. Nets},\n" in text
    assert "@misc{li2023other,\n" in text
    assert "@phdthesis{lee2020,\n" in text and "  school = {MIT}\n" in text
    assert "@misc{lee2020a,\n" in text  # a type BibTeX does not know: made up


def test_bibtex_source_keys_win_over_made_up_ones_and_case_does_not_tell_keys_apart() -> None:
    cited = Paper(title="Year", authors=["Ann Smith"], date="2020", bibtex_key="smith2020year")
    made_up = Paper(title="Year", authors=["Ann Smith"], date="2020")  # also smith2020year
    upper = Paper(title="X", bibtex_key="Smith2020year")
    assert bibtex_keys([made_up, cited, upper]) == [
        "smith2020yeara",
        "smith2020year",
        "Smith2020yearb",
    ]


def test_bibtex_source_keys_are_kept_unless_they_cannot_be_written() -> None:
    """A document cites the source's key: UTF-8 and punctuation such as & _ - : / stay (biber
    reads them); only a key BibTeX or LaTeX cannot take is made up, the same way each time."""
    kept = ["Müller2019deep", "smith_2019-deep&wide", "doi:10.1000/abc", "Zhang+Li@2020!", "日本語"]
    bad = ["has space", "a,b", "a{b}", "50%", "a#1", 'q"t', "x\\y", "t~x", "a=b", "p(q)", "z\u202e"]
    papers = [Paper(title="T", bibtex_key=key) for key in kept]
    papers += [
        Paper(title=f"Title {n}", authors=["Ann Lee"], bibtex_key=k) for n, k in enumerate(bad)
    ]
    keys = bibtex_keys(papers)
    assert keys[: len(kept)] == kept
    assert keys[len(kept) :] == ["leetitle" + letter for letter in "abcdefghijk"]
    assert bibtex_keys(papers) == keys
    again = SOURCE_BIBTEX.parse(to_bibtex(papers), ParseContext("out.bib", date(2026, 1, 1)))
    assert [p.bibtex_key for p in again.papers] == keys
