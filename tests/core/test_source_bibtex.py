"""The BibTeX parser, against a large mixed-style bibliography and small invented entries."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from file_parsing import parse_as_imported
from paperdeck.core.bibtex_writer import to_bibtex
from paperdeck.core.models import Paper
from paperdeck.core.sources import ParseError, ParseResult
from paperdeck.core.sources.base import ParseContext
from paperdeck.core.sources.bibtex import SOURCE, evaluate, latex_to_unicode, split_authors

FIXTURE = Path(__file__).parents[1] / "fixtures" / "bibliography.bib"
CONTEXT = ParseContext("refs.bib", date(2026, 1, 1))


@pytest.fixture(scope="module")
def bib() -> ParseResult:
    return parse_as_imported(FIXTURE, format="bibtex")


def at(result: ParseResult, line: int) -> Paper:
    return next(paper for paper in result.papers if paper.line == line)


def parse(text: str) -> ParseResult:
    return SOURCE.parse(text, CONTEXT)


def test_counts_and_warnings(bib: ParseResult) -> None:
    assert len(bib.papers) == 73
    assert [(w.line, w.message) for w in bib.warnings] == [
        (
            591,
            "broken BibTeX entry: Unexpected block start: `@inproceedings`. "
            "Was still looking for field-value closing `,` or `}`",
        ),
        (674, "entry 'notitle2020' has no title; skipped"),
    ]
    assert bib.papers[0].line == 16 and bib.papers[-1].line == 813


def test_macros_arxiv_fields_and_latex_names(bib: ParseResult) -> None:
    paper = at(bib, 16)
    assert paper.title == "Attention Is All You Need"
    assert paper.authors == [
        "Ashish Vaswani", "Noam Shazeer", "Niki Parmar", "Jakob Uszkoreit", "Llion Jones",
        "Aidan N. Gomez", "Łukasz Kaiser", "Illia Polosukhin",
    ]  # fmt: skip
    assert paper.venue == "Advances in Neural Information Processing Systems"
    assert (paper.arxiv_id, paper.categories) == ("1706.03762", ["cs.CL"])
    assert (paper.date, paper.date_inferred) == ("2017", False)  # only a year: no day made up
    assert (paper.links, paper.has_code, paper.authors_truncated) == ([], False, False)


def test_citation_keys_and_entry_types_are_kept(bib: ParseResult) -> None:
    assert (at(bib, 16).bibtex_key, at(bib, 16).bibtex_type) == (
        "vaswani2017attention",
        "inproceedings",
    )
    assert at(bib, 28).bibtex_key == "devlin-etal-2019-bert"
    upper = parse("@ARTICLE{Key:2001, title = {T}, year = 2001}").papers[0]
    assert (upper.bibtex_key, upper.bibtex_type) == ("Key:2001", "article")


def test_acl_anthology_style(bib: ParseResult) -> None:
    paper = at(bib, 28)
    assert paper.title == (
        "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"
    )
    assert paper.authors == ["Jacob Devlin", "Ming-Wei Chang", "Kenton Lee", "Kristina Toutanova"]
    assert (paper.date, paper.date_inferred) == ("2019-06", False)
    assert paper.doi == "10.18653/v1/N19-1423"
    assert paper.links == ["https://aclanthology.org/N19-1423"]
    assert paper.venue.startswith("Proceedings of the 2019 Conference of the North American")


def test_diacritics(bib: ParseResult) -> None:
    assert at(bib, 54).authors == ["Erwin Schrödinger"]
    assert at(bib, 54).date == "1926-12"
    assert at(bib, 66).authors == ["Paul Erdős", "Alfréd Rényi"]
    assert at(bib, 66).title == "On Random Graphs I"
    assert at(bib, 75).title == "Zur Elektrodynamik bewegter Körper"
    assert at(bib, 237).authors[5:7] == ["Timothée Lacroix", "Baptiste Rozière"]
    assert at(bib, 597).authors == ["Leonardo de Moura", "Nikolaj Bjørner"]
    assert at(bib, 609).authors == ["François Chollet"]
    assert at(bib, 618).authors == ["Hervé Jégou", "Matthijs Douze", "Cordelia Schmid"]
    assert at(bib, 630).authors == ["Bernhard Schölkopf", "Alexander J. Smola"]
    assert at(bib, 700).authors[0] == "Łukasz Kaiser"  # "First Last" order in the file


def test_double_braces_and_math(bib: ParseResult) -> None:
    """Formulas stay LaTeX, as arXiv gives titles (the reader renders them): these were
    "The Large N Limit", "n-Person" and "β-VAE", so a title read from BibTeX differed from the
    same paper's arXiv title and did not survive an export of the arXiv record."""
    assert at(bib, 108).title == "Computing Machinery and Intelligence"
    assert (
        at(bib, 445).title
        == "The Large $N$ Limit of Superconformal Field Theories and Supergravity"
    )
    assert at(bib, 569).title == "Equilibrium Points in $n$-Person Games"
    assert at(bib, 751).title == (
        "$\\beta$-VAE: Learning Basic Visual Concepts with a Constrained Variational Framework"
    )


def test_truncated_and_corporate_authors(bib: ParseResult) -> None:
    silver = at(bib, 184)
    assert silver.authors == ["David Silver", "Aja Huang", "Chris J. Maddison", "Arthur Guez"]
    assert silver.authors_truncated is True
    assert (at(bib, 197).authors_truncated, at(bib, 197).doi) == (True, "10.1038/nature14236")
    assert (at(bib, 519).authors, at(bib, 519).authors_truncated) == (["B. P. Abbott"], True)
    assert at(bib, 228).authors == ["OpenAI"]
    assert at(bib, 535).authors == ["ATLAS Collaboration"]
    assert at(bib, 709).authors == ["Gemini Team", "Rohan Anil", "Sebastian Borgeaud"]
    assert at(bib, 646).authors == ["Guy L. Steele Jr."]
    assert at(bib, 581).authors == ["Laurens van der Maaten", "Geoffrey Hinton"]


def test_month_forms(bib: ParseResult) -> None:
    assert at(bib, 44).date == "2016-06"  # {June}
    assert at(bib, 315).date == "2015-07"  # "Jul"
    assert at(bib, 759).date == "2016-08"  # {Aug.}
    assert at(bib, 771).date == "2015-05"  # may # "~27"
    assert at(bib, 791).date == "2001-10"  # {10}
    assert (at(bib, 680).date, at(bib, 680).date_inferred) == ("2021-07-07", False)  # biblatex date


def test_string_concatenation_and_series(bib: ParseResult) -> None:
    assert (
        at(bib, 315).venue
        == "Proceedings of the International Conference on Machine Learning (ICML)"
    )
    assert at(bib, 366).venue == "Communications of the ACM"
    assert at(bib, 470).venue == "Physical Review Letters"


def test_arxiv_ids_from_every_place(bib: ParseResult) -> None:
    assert at(bib, 160).arxiv_id == "1412.6980"  # DBLP url field; the abs link is not kept
    assert at(bib, 160).links == []
    assert at(bib, 237).arxiv_id == "2302.13971"  # journal = "arXiv preprint arXiv:..."
    assert (at(bib, 422).arxiv_id, at(bib, 422).categories) == ("quant-ph/9508027", ["quant-ph"])
    assert (at(bib, 549).arxiv_id, at(bib, 549).categories) == ("math/0211159", ["math.DG"])
    assert (at(bib, 680).arxiv_id, at(bib, 680).categories) == ("2107.03374", ["cs.LG"])
    assert at(bib, 436).arxiv_id == "quant-ph/9605043"  # eprint without archivePrefix
    assert at(bib, 54).arxiv_id is None


def test_links_and_code(bib: ParseResult) -> None:
    llama = at(bib, 237)
    assert (llama.links, llama.has_code) == (["https://github.com/facebookresearch/llama"], True)
    diffusion = at(bib, 267)
    assert diffusion.links == ["https://github.com/hojonathanho/diffusion"]
    assert diffusion.has_code is True
    assert diffusion.abstract.endswith(
        "Our implementation is available at <https://github.com/hojonathanho/diffusion>."
    )
    assert at(bib, 738).links == ["https://github.com/OpenAI/CLIP"]  # from the note
    assert at(bib, 638).links == ["http://www.deeplearningbook.org"]  # \url in the note
    assert at(bib, 680).links == ["https://github.com/openai/human-eval"]
    assert at(bib, 597).doi == "10.1007/978-3-540-78800-3_24"  # escaped underscore
    assert sum(paper.has_code for paper in bib.papers) == 4


def test_duplicate_keys_are_both_imported(bib: ParseResult) -> None:
    assert at(bib, 654).title == "RoBERTa: A Robustly Optimized BERT Pretraining Approach"
    assert at(bib, 664).title == "DARTS: Differentiable Architecture Search"
    assert at(bib, 664).venue == "International Conference on Learning Representations"


def test_keywords_do_not_become_tags(bib: ParseResult) -> None:
    assert all(paper.tags == [] and paper.note == "" for paper in bib.papers)


def test_invented_entries() -> None:
    text = r"""
@string{conf = "Conf"}
@string{full = conf # " on Things"}
@article{a,
  title = {Tom \& Jerry at 50% {\"U}ber {$O(n^2)$}},
  author = {{Barnes and Noble} and Smith, John and Doe, Jr., Jane and {Barack Obama} and Others},
  journal = full # " " # 2024,
  year = 2024, month = 13,
  url = {https://github.com/a/b\_c},
}
@misc{b, title = "No Year", journal = UNDEFINED}
"""
    result = parse(text)
    first, second = result.papers
    assert first.title == "Tom & Jerry at 50% Über $O(n^2)$"  # the formula kept (see above)
    assert (first.authors, first.authors_truncated) == (
        ["Barnes and Noble", "John Smith", "Jane Doe Jr.", "Barack Obama"],
        True,
    )
    assert first.venue == "Conf on Things 2024"
    assert (first.date, first.date_inferred) == ("2024", False)  # month 13 is no month
    assert (first.links, first.has_code, first.line) == (["https://github.com/a/b_c"], True, 4)
    assert (second.date, second.venue, second.line) == (None, "UNDEFINED", 11)
    assert result.warnings == []


def test_an_old_style_eprint_with_its_subject_class_is_the_archive_id() -> None:
    text = "@misc{k, title = {T}, eprint = {math.QA/9709040}, archivePrefix = {arXiv}}"
    (paper,) = parse(text).papers
    assert (paper.arxiv_id, paper.categories) == ("math/9709040", ["math.QA"])


def test_et_al_written_as_an_author_is_and_others() -> None:
    for field in ("Smith, John and Doe, Jane and et al.", "Smith, John and Doe, Jane and others"):
        (paper,) = parse(f"@misc{{k, title = {{T}}, author = {{{field}}}}}").papers
        assert (paper.authors, paper.authors_truncated) == (["John Smith", "Jane Doe"], True)


def test_text_commands_and_logos_keep_their_text() -> None:
    """pylatexenc drops these, arguments and all: a title "\\texttt{BERT}" was empty."""
    text = r"""
@book{knuth, title = "The {\TeX}book", author = "Donald E. Knuth", year = 1984}
@misc{m, title = {\texttt{torch.compile} and \mbox{GPT-4} on \LaTeX{} with \BibTeX},
  author = {\textsf{Ada} Lovelace and \textcolor{red}{Grace} Hopper}}
"""
    knuth, misc = parse(text).papers
    assert knuth.title == "The TeXbook"
    assert misc.title == "torch.compile and GPT-4 on LaTeX with BibTeX"
    assert misc.authors == ["Ada Lovelace", "Grace Hopper"]
    assert latex_to_unicode(r"\textcolor[rgb]{1,0,0}{warm} \colorbox{yellow}{hi}") == "warm hi"
    assert latex_to_unicode(r"\textup{Up} \textmd{Md} \LaTeXe{} \texttt{}") == "Up Md LaTeX2e"


def test_repeated_field_keeps_the_first() -> None:
    result = parse("@misc{k, title = {First}, title = {Second}, year = 2001}")
    assert [(p.title, p.date) for p in result.papers] == [("First", "2001")]


def test_not_bibtex_is_a_parse_error() -> None:
    with pytest.raises(ParseError) as caught:
        parse("just some words\nno entries\n")
    assert str(caught.value) == "refs.bib:1: no BibTeX entries (nothing starts with '@')"
    assert parse("") == ParseResult()


def test_helpers() -> None:
    assert latex_to_unicode(r"Schr{\"o}dinger") == "Schrödinger"
    assert latex_to_unicode(r"Erd{\H{o}}s and {\L}ukasz") == "Erdős and Łukasz"
    assert (
        latex_to_unicode(r"See \href{http://x.y/a%20b}{the site}")
        == "See the site <http://x.y/a%20b>"
    )
    assert latex_to_unicode("plain  text\n") == "plain text"
    assert evaluate('{a} # "b" # 12 # jan', {"jan": "January"}) == "ab12January"
    assert split_authors("A and and B AND Anderson, C and") == (["A", "B", "C Anderson"], False)


def test_sniff() -> None:
    assert SOURCE.sniff(FIXTURE.read_text(encoding="utf-8"))
    assert SOURCE.sniff("  @Article ( key,\n")
    assert not SOURCE.sniff("Contact me at someone@example.org {soon}")


ALPHABET = st.sampled_from(
    ["@article{", "@string{", "@comment{", "@preamble{", "k,", "title", "author", "=", "{", "}",
     '"', "#", ",", " and ", "others", "\\", r"{\"o}", "$", "%", "month", "jan", "2020", "\n",
     "eprint", "arXiv:2401.01234", "url", "https://github.com/a/b", "Ž", "\x00"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_fuzz_shaped_bibtex_raises_only_parse_error(text: str) -> None:
    try:
        result = SOURCE.parse(text, CONTEXT)
    except ParseError:
        return
    assert all(paper.title and paper.line >= 1 for paper in result.papers)


def test_ads_journal_macros_are_read_as_their_abbreviations() -> None:
    """NASA ADS writes journals as aas_macros.sty macros; decoded as unknown commands they
    were dropped and the paper had no venue."""
    text = r"""
@article{a, title = {A}, journal = {\apjl}}
@article{b, title = {B}, journal = {{\mnras}}}
@article{c, title = {C}, journal = "\aap"}
@article{d, title = {D}, journal = {\prd}}
@article{e, title = {E}, journal = {\nat}}
@article{f, title = {F}, journal = {\myjournal}}
@inproceedings{g, title = {G}, booktitle = {\procspie, Vol. 9}}
"""
    assert [paper.venue for paper in parse(text).papers] == [
        "ApJL", "MNRAS", "A&A", "Phys. Rev. D", "Nature", "myjournal", "Proc. SPIE, Vol. 9",
    ]  # fmt: skip


def test_an_ads_journal_macro_is_written_back_as_it_was() -> None:
    paper = parse(r"@article{ads, title = {T}, journal = {\apjl}, year = 2019}").papers[0]
    assert "  journal = {\\apjl},\n" in to_bibtex([paper])


def test_a_missing_comma_between_fields_skips_the_entry_with_a_warning() -> None:
    """bibtexparser glued the next field into the value: the title was "Missing Comma Entry
    author = Smith, John" and the paper had no authors. Reported like any broken entry."""
    text = """@article{missingcomma,
  title = {Missing Comma Entry}
  author = {Smith, John}, year = {2020}}
@misc{quoted, title = "Quoted" note = {x}}
@misc{number, title = {Number}, year = 2020 month = jan}
@misc{stray, title = {Stray} junk}
@misc{fine, title = {Fine} # " " # {Still}, month = jan # "~15", year = 2020}
@misc{quote, title = "M\\"uller's {"}Quote{"}", pages = 1--10}
"""
    result = parse(text)
    assert [(w.line, w.message) for w in result.warnings] == [
        (2, "broken BibTeX entry 'missingcomma': no ',' before field 'author'; skipped"),
        (4, "broken BibTeX entry 'quoted': no ',' before field 'note'; skipped"),
        (5, "broken BibTeX entry 'number': no ',' before field 'month'; skipped"),
        (6, "broken BibTeX entry 'stray': unexpected 'junk' after the value; skipped"),
    ]
    assert [(p.title, p.date) for p in result.papers] == [
        ("Fine Still", "2020-01"),
        ('Müller\'s "Quote"', None),
    ]


def test_a_crossref_to_an_entry_the_file_lacks_is_kept_and_exported() -> None:
    """Unresolved, it is all that links the paper to its volume: kept, and written back."""
    (child,) = parse("@inproceedings{lee2020, crossref = {icml2020}, title = {T},\n"
                     "  author = {Lee, A}, pages = {1--2}}").papers  # fmt: skip
    assert child.bibtex_fields["crossref"] == "icml2020" and not child.venue
    assert "  crossref = {icml2020},\n" in to_bibtex([child])


CROSSREF = """@inproceedings{child, crossref = {Proc2021}, title = {Child Paper},
  author = {Doe, Jane}, pages = {1--10}}
@inproceedings{own, crossref = {proc2021}, title = {Own Venue}, booktitle = {Workshop W},
  year = 2020}
@proceedings{proc2021, title = {Proc. of X}, year = 2021, month = dec, publisher = {PMLR},
  editor = {Editor, Ed}, doi = {10.5555/proc.2021}, url = {https://proc.example.org}}
@book{lonely, title = {A Book Nobody Cross-References}, author = {Roe, R.}, year = 1999}
"""


def test_crossref_fields_are_inherited_and_the_volume_is_no_paper() -> None:
    """BibTeX semantics: what the child lacks comes from the entry it names, the parent's
    title as its booktitle; the parent's DOI and url are the volume's, not the paper's. The
    resolved `crossref` is not kept: the child holds what it took and stands alone."""
    child, own, book = parse(CROSSREF).papers
    assert (child.title, child.venue, child.date, child.doi, child.links) == (
        "Child Paper", "Proc. of X", "2021-12", None, []
    )  # fmt: skip
    assert child.bibtex_fields == {
        "title": "Child Paper",
        "author": "Doe, Jane",
        "pages": "1--10",
        "booktitle": "Proc. of X",
        "year": "2021",
        "month": "December",
        "publisher": "PMLR",
        "editor": "Editor, Ed",
    }
    assert (own.venue, own.date) == ("Workshop W", "2020")  # its own fields win
    assert book.title == "A Book Nobody Cross-References"  # a book no entry names is a paper


def test_a_crossref_child_exports_its_own_fields_verbatim_and_what_it_inherited() -> None:
    """Its resolved `crossref` is left out (it used to be written): the volume it names is
    no paper of the library, so BibTeX and biber would warn of an unknown entry, and what
    the child took from it is in the entry already."""
    child = parse(CROSSREF).papers[0]
    assert to_bibtex([child]) == (
        "@inproceedings{child,\n"
        "  title = {Child Paper},\n"
        "  author = {Doe, Jane},\n"
        "  pages = {1--10},\n"
        "  booktitle = {Proc. of X},\n"
        "  year = {2021},\n"
        "  month = dec,\n"
        "  publisher = {PMLR},\n"
        "  editor = {Editor, Ed}\n"
        "}\n"
    )
