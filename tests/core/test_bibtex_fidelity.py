"""What a reference manager must keep: fields, urls, date precision, categories, merges."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import bibtexparser
import pytest

from paperdeck.core.bibtex_writer import to_bibtex
from paperdeck.core.models import Paper
from paperdeck.core.sources.base import ParseContext
from paperdeck.core.sources.bibtex import SOURCE
from paperdeck.core.store import Library

CONTEXT = ParseContext("refs.bib", date(2026, 1, 1))


def parse(text: str) -> list[Paper]:
    result = SOURCE.parse(text, CONTEXT)
    assert result.warnings == []
    return result.papers


def fields(text: str) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    return {e.key: {f.key: str(f.value) for f in e.fields} for e in library.entries}


PREPRINT = """@misc{lee2024preprint,
  title = {Sparse Routing at Scale},
  author = {Lee, Anna and van der Berg, Jan},
  year = {2024},
  eprint = {2403.01234},
  archivePrefix = {arXiv},
  primaryClass = {cs.LG},
  note = {Preprint},
}"""
PUBLISHED = """@inproceedings{lee2024sparse,
  title = {Sparse Routing at Scale},
  author = {Lee, Anna and van der Berg, Jan},
  booktitle = {Proceedings of ICML},
  pages = {101--115},
  publisher = {PMLR},
  year = {2024},
  doi = {10.5555/ICML.2024.7},
  url = {https://proceedings.example.org/v1/lee24.html},
}"""


def test_every_source_field_is_written_back_verbatim() -> None:
    text = r"""@book{knuth,
  author = {Knuth, Donald E.},
  title = {The {\TeX}book},
  publisher = {Addison-Wesley},
  address = {Reading, MA},
  edition = {2nd},
  isbn = {0-201-13447-0},
  series = {Computers and Typesetting},
  volume = {A},
  year = 1984,
  month = feb,
  note = {Catalogued at www.worldcat.org},
  keywords = {typesetting, tex},
  file = {:knuth.pdf:PDF},
  urldate = {2024-01-05},
  x-custom = {anything {at} all},
}"""
    paper = parse(text)[0]
    assert paper.links == []  # a bare domain in free text is no link
    assert paper.categories == []  # keywords are keywords, not categories
    written = fields(to_bibtex([paper]))["knuth"]
    assert written == {
        "title": r"The {\TeX}book",
        "author": "Knuth, Donald E.",
        "publisher": "Addison-Wesley",
        "address": "Reading, MA",
        "edition": "2nd",
        "isbn": "0-201-13447-0",
        "series": "Computers and Typesetting",
        "volume": "A",
        "year": "1984",
        "month": "feb",
        "note": "Catalogued at www.worldcat.org",
        "keywords": "typesetting, tex",
        "file": ":knuth.pdf:PDF",
        "urldate": "2024-01-05",
        "x-custom": "anything {at} all",
    }


def test_a_source_url_stays_and_a_doi_does_not_replace_it() -> None:
    paper = parse(PUBLISHED)[0]
    written = fields(to_bibtex([paper]))["lee2024sparse"]
    assert written["url"] == "https://proceedings.example.org/v1/lee24.html"
    assert written["doi"] == "10.5555/ICML.2024.7"


def test_a_day_is_kept_as_biblatex_date_beside_year_and_month() -> None:
    paper = Paper(title="T", authors=["Ana de la Fuente"], date="2024-10-25", arxiv_id="2410.1")
    written = fields(to_bibtex([paper]))["fuente2024t"]
    assert (written["year"], written["month"], written["date"]) == ("2024", "oct", "2024-10-25")
    assert written["author"] == "de la Fuente, Ana"
    again = parse(to_bibtex([paper]))[0]
    assert (again.date, again.authors) == ("2024-10-25", ["Ana de la Fuente"])


def test_every_arxiv_category_survives_in_arxivcategories() -> None:
    paper = Paper(title="T", arxiv_id="2401.00001", categories=["cs.CL", "cs.LG", "stat.ML"])
    written = fields(to_bibtex([paper]))["anont"]
    assert (written["primaryClass"], written["arxivcategories"]) == (
        "cs.CL",
        "cs.CL, cs.LG, stat.ML",
    )
    assert parse(to_bibtex([paper]))[0].categories == ["cs.CL", "cs.LG", "stat.ML"]


def test_categories_come_from_primaryclass_and_eprintclass_only() -> None:
    zotero = """@article{z, title = {T}, keywords = {Computer Science - Machine Learning, cs.LG},
      journal = {arXiv:2401.00001 [cs]}, number = {arXiv:2401.00001}}"""
    biblatex = "@online{b, title = {U}, eprint = {2401.00002}, eprinttype = {arxiv}, eprintclass = {math.OC}}"
    first, second = parse(zotero + "\n" + biblatex)
    assert (first.arxiv_id, first.categories) == ("2401.00001", [])
    assert (second.arxiv_id, second.categories) == ("2401.00002", ["math.OC"])


def test_arxiv_ids_are_found_where_real_files_put_them() -> None:
    text = """
@article{scholar, title = {A}, journal = {arXiv preprint arXiv:2106.09685}, year = {2021}}
@article{dblp, title = {B}, journal = {CoRR}, volume = {abs/1810.04805}, year = {2018}}
@misc{note, title = {C}, note = {arXiv:1706.03762v5}}
@misc{how, title = {D}, howpublished = {\\url{https://arxiv.org/abs/2005.14165}}}
@article{num, title = {E}, number = {arXiv:2302.13971}}
@misc{other, title = {F}, eprint = {12345678}, eprinttype = {pubmed}}
"""
    assert [p.arxiv_id for p in parse(text)] == [
        "2106.09685", "1810.04805", "1706.03762", "2005.14165", "2302.13971", None,
    ]  # fmt: skip


def test_a_papers_own_doi_page_is_known_whatever_its_case() -> None:
    text = (
        "@article{d, title = {T}, doi = {10.1000/ABC.def}, url = {https://doi.org/10.1000/abc.DEF}}"
    )
    assert parse(text)[0].links == []


def test_a_merged_paper_is_exported_once_with_the_union_of_fields(tmp_path: Path) -> None:
    with Library(tmp_path / "lib") as library:
        library.add_papers(parse(PREPRINT))
        counts = library.add_papers(parse(PUBLISHED))
        assert counts.merged == 1
        paper = library.get_many(library.all_ids())[0]
    assert (paper.venue, paper.bibtex_type, paper.doi) == (
        "Proceedings of ICML",
        "inproceedings",
        "10.5555/ICML.2024.7",
    )
    assert paper.arxiv_id == "2403.01234"  # the record still knows its preprint
    assert fields(to_bibtex([paper])) == {
        "lee2024sparse": {
            "title": "Sparse Routing at Scale",
            "author": "Lee, Anna and van der Berg, Jan",
            "booktitle": "Proceedings of ICML",
            "pages": "101--115",
            "publisher": "PMLR",
            "year": "2024",
            "doi": "10.5555/ICML.2024.7",
            "url": "https://proceedings.example.org/v1/lee24.html",
            "eprint": "2403.01234",
            "archivePrefix": "arXiv",
            "primaryClass": "cs.LG",
            "note": "Preprint",
        }
    }


def test_tags_are_added_to_the_source_keywords() -> None:
    paper = parse("@misc{k, title = {T}, keywords = {graphs, GNN}}")[0]
    paper.tags = ["gnn", "to-read"]
    assert fields(to_bibtex([paper]))["k"]["keywords"] == "graphs, GNN, to-read"


def test_a_real_ads_arxiv_export_reads_exactly() -> None:
    """NASA ADS's arXiv export (tests/fixtures/README.md): braced surnames, "Jr", old-style
    ids, arXiv subject names and MSC codes in `keywords` (keywords, not categories)."""
    text = (Path(__file__).parents[1] / "fixtures" / "ads-arxiv.bib").read_text(encoding="utf-8")
    papers = {paper.bibtex_key: paper for paper in parse(text)}
    assert len(papers) == 20
    kitaev = papers["2012arXiv1206.2308B"]
    assert (kitaev.authors, kitaev.arxiv_id, kitaev.categories, kitaev.date) == (
        ["B. Balsam", "A. Kirillov Jr"],
        "1206.2308",
        ["math.QA"],
        "2012-06",
    )
    assert kitaev.bibtex_fields["keywords"] == (
        "Mathematics - Quantum Algebra, Mathematics - Geometric Topology, 57R56, 16T05"
    )
    assert papers["2018arXiv180505736B"].authors[3] == "E. C. Rowell"
    assert papers["Hay:CTDFSTC"].arxiv_id == "math/9904073"  # no archivePrefix: still arXiv
    assert papers["MR3059669"].categories == [] and papers["MR3059669"].doi == "10.4064/bc98-0-15"
    assert fields(to_bibtex([kitaev]))["2012arXiv1206.2308B"]["author"] == (
        "{Balsam}, B. and {Kirillov}, Jr, A."
    )


def test_what_bibtex_has_no_field_for_is_written_where_paperdeck_reads_it_back() -> None:
    """Every link (url, then BibDesk's bdsk-url-N), affiliations, subject classes, code known
    without a link, and an inferred year as an uncertain biblatex date, never as `year`."""
    paper = Paper(
        title=r"Scaling Laws for $\mathcal{O}(n)$ Models: Theory & Practice",
        authors=["The ATLAS Collaboration", "Jan van der Berg Jr."],
        date="2025-01-30",
        date_inferred=True,
        arxiv_id="2401.01234",
        categories=["cs.LG", "stat.ML"],
        subject_classes=["68T05", "62H30", "I.2.6", "I.5.1"],
        affiliations=["IAS, Princeton", "Univ. A; Dept. B"],
        links=["https://gitlab.com/grp/sub/proj", "https://org.github.io/proj/"],
        has_code=True,
    )
    marked = Paper(title="Marked", date="2025-05-02", has_code=True, links=["https://x.org/p"])
    text = to_bibtex([paper, marked])
    assert text == (
        "@misc{atlas2025scaling,\n"
        "  title = {{Scaling Laws for $\\mathcal{O}(n)$ Models: Theory \\& Practice}},\n"
        "  author = {{The ATLAS Collaboration} and van der Berg, Jr., Jan},\n"
        "  date = {2025-01-30?},\n"
        "  eprint = {2401.01234},\n"
        "  archivePrefix = {arXiv},\n"
        "  primaryClass = {cs.LG},\n"
        "  url = {https://arxiv.org/abs/2401.01234},\n"
        "  arxivcategories = {cs.LG, stat.ML},\n"
        "  affiliation = {IAS, Princeton; {Univ. A; Dept. B}},\n"
        "  subjectclasses = {68T05; 62H30; I.2.6; I.5.1},\n"
        "  bdsk-url-1 = {https://gitlab.com/grp/sub/proj},\n"
        "  bdsk-url-2 = {https://org.github.io/proj/}\n"
        "}\n"
        "\n"
        "@misc{anon2025marked,\n"
        "  title = {{Marked}},\n"
        "  year = {2025},\n"
        "  month = may,\n"
        "  date = {2025-05-02},\n"
        "  url = {https://x.org/p},\n"
        "  hascode = {true}\n"
        "}\n"
    )
    again, back = parse(text)
    fields = ("title", "authors", "date", "date_inferred", "categories", "subject_classes",
              "affiliations", "links", "has_code", "arxiv_id")  # fmt: skip
    assert [getattr(again, f) for f in fields] == [getattr(paper, f) for f in fields]
    assert (back.date, back.date_inferred, back.links, back.has_code) == (
        "2025-05-02", False, ["https://x.org/p"], True
    )  # fmt: skip


def test_links_learnt_from_a_merge_follow_the_source_fields_which_stay_verbatim() -> None:
    paper = parse(
        "@article{k, title = {T}, journal = {J}, note = {See \\url{https://a.org/x}},\n"
        "  bdsk-url-3 = {https://b.org/y}, affiliation = {Lab X; Lab Y}}"
    )[0]
    assert (paper.links, paper.affiliations) == (
        ["https://a.org/x", "https://b.org/y"], ["Lab X", "Lab Y"]
    )  # fmt: skip
    assert fields(to_bibtex([paper]))["k"] == {
        "title": "T", "journal": "J", "note": "See \\url{https://a.org/x}",
        "bdsk-url-3": "https://b.org/y", "affiliation": "Lab X; Lab Y",
    }  # fmt: skip
    paper.links.append("https://github.com/a/b")  # a merge brought a repository
    paper.affiliations.append("Lab Z")
    written = fields(to_bibtex([paper]))["k"]
    assert (written["note"], written["bdsk-url-4"], written["affiliation"]) == (
        "See \\url{https://a.org/x}", "https://github.com/a/b", "Lab X; Lab Y; Lab Z"
    )  # fmt: skip
    assert "url" not in written  # a BibTeX entry gets no url it did not have
    again = parse(to_bibtex([paper]))[0]
    assert (again.links, again.has_code, again.affiliations) == (
        paper.links, True, paper.affiliations
    )  # fmt: skip


def test_a_link_the_abstract_gives_is_not_written_twice_unless_its_place_needs_it() -> None:
    source = parse("@misc{k, title = {T}, abstract = {Code at https://github.com/a/b.}}")[0]
    assert source.links == ["https://github.com/a/b"]
    assert "bdsk-url" not in to_bibtex([source])
    # The repository comes first here, the abstract's link last: only the first is written.
    arxiv = Paper(
        title="T",
        arxiv_id="2401.00001",
        abstract="Data at https://data.example/set and code at https://github.com/c/d.",
        links=["https://github.com/c/d", "https://data.example/set"],
    )
    text = to_bibtex([arxiv])
    assert fields(text)["anont"]["bdsk-url-1"] == "https://github.com/c/d"
    assert "bdsk-url-2" not in fields(text)["anont"]
    assert parse(text)[0].links == arxiv.links


def test_a_published_entry_keeps_its_year_when_merged_with_its_earlier_preprint(tmp_path):
    """The arXiv record (2018-10-11) and the NAACL entry (June 2019) are one paper, dated
    by the preprint; the exported entry cites the proceedings with their own year, in
    either import order."""
    from paperdeck.core.export import to_bibtex
    from paperdeck.core.importer import import_file
    from paperdeck.core.store import Library

    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
        "<id>http://arxiv.org/abs/1810.04805v2</id><published>2018-10-11T00:50:01Z</published>"
        "<title>BERT: Pre-training of Deep Bidirectional Transformers for Language"
        " Understanding</title><author><name>Jacob Devlin</name></author></entry></feed>"
    )
    bib = (
        "@inproceedings{devlin-etal-2019-bert,\n"
        "    title = {{BERT}: Pre-training of Deep Bidirectional Transformers for Language"
        " Understanding},\n"
        '    author = "Devlin, Jacob",\n'
        '    booktitle = "Proceedings of NAACL-HLT 2019",\n'
        "    month = jun,\n"
        '    year = "2019",\n'
        '    eprint = "1810.04805",\n'
        "}\n"
    )
    for order in ((("api.atom", atom), ("acl.bib", bib)), (("acl.bib", bib), ("api.atom", atom))):
        with Library(tmp_path / order[0][0]) as library:
            for name, text in order:
                import_file(library, name, text=text)
            (paper,) = library.iter_papers()
            assert paper.date == "2018-10-11"
            entry = to_bibtex([paper])
        assert "  month = jun,\n  year = {2019},\n" in entry, entry
        assert "2018" not in entry, entry


def test_a_published_entry_is_not_dated_by_its_preprints_month() -> None:
    """`year = 2019` of the proceedings and a preprint of 2019-02-10 merged: the entry keeps
    its year alone (the proceedings did not appear in February)."""
    paper = Paper(
        title="T",
        date="2019-02-10",
        venue="Proc. X",
        bibtex_type="inproceedings",
        bibtex_key="k",
        bibtex_fields={"title": "{T}", "booktitle": "{Proc. X}", "year": "2019"},
    )
    entry = to_bibtex([paper])
    assert "year = {2019}" in entry and "month" not in entry and "2019-02-10" not in entry


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("Jake VanderPlas", "VanderPlas, Jake"),  # people whose surname has a capital inside
        ("Mohammed AlQuraishi", "AlQuraishi, Mohammed"),
        ("Danny DeVito", "DeVito, Danny"),
        ("Google DeepMind", "{Google DeepMind}"),  # an organisation stays whole
    ],
)
def test_surnames_with_inner_capitals_are_people(name: str, written: str) -> None:
    entry = to_bibtex([Paper(title="T", authors=[name], date="2024")])
    assert f"  author = {{{written}}},\n" in entry, entry
