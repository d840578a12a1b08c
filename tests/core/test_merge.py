import pytest

from paperdeck.core.merge import merge_papers, merged_date, new_paper_id, same_paper
from paperdeck.core.models import Paper


def test_same_title_different_first_author_is_a_different_paper():
    a = Paper(title="Personal communication", authors=["Ada Lovelace"])
    b = Paper(title="Personal Communication", authors=["Alan Turing"])
    assert not same_paper(a, b)


def test_same_title_and_missing_authors_is_the_same_paper():
    a = Paper(title="TTRL: Test-Time Reinforcement Learning")
    b = Paper(title="TTRL: test-time reinforcement learning", authors=["Yuxin Zuo"])
    assert same_paper(a, b)


def test_arxiv_ids_decide_when_both_known():
    a = Paper(title="Same", arxiv_id="2401.00001")
    b = Paper(title="Same", arxiv_id="2401.00002")
    assert not same_paper(a, b)
    assert same_paper(Paper(title="A", doi="10.1/X"), Paper(title="B", doi="10.1/x"))


@pytest.mark.parametrize(
    ("kept", "incoming", "merged"),
    [
        (("2026-03-11", True), ("2024-07-12", False), ("2024-07-12", False)),  # known year wins
        (("2024", False), ("2024-07-12", False), ("2024-07-12", False)),  # fuller, agreeing
        (("2024-07", False), ("2024-07-12", True), ("2024-07-12", False)),  # year confirmed
        (("2024-07-12", True), ("2024", False), ("2024-07-12", False)),  # year confirmed
        (("2025-07-12", True), ("2024", False), ("2024", False)),  # the guess was wrong
        (("2024", False), ("2025-07-12", True), ("2024", False)),  # a guess never wins
        (("2024-07-12", False), ("2024-08-01", False), ("2024-07-12", False)),  # the earlier
        (("2019-06", False), ("2018-10-11", False), ("2018-10-11", False)),  # in either order
        (("2018-10-11", False), ("2019-06", False), ("2018-10-11", False)),
        (("2024-07-12", False), ("2024-07", False), ("2024-07-12", False)),  # fuller, agreeing
        (("2024-08-01", True), ("2024-07-12", True), ("2024-08-01", True)),  # guesses: first
        (("2024-07-12", True), ("2024-07-12", True), ("2024-07-12", True)),
        ((None, False), ("2024-07", False), ("2024-07", False)),
        (("2024-07", False), (None, False), ("2024-07", False)),
    ],
)
def test_merged_date(kept, incoming, merged):
    a = Paper(title="T", date=kept[0], date_inferred=kept[1])
    b = Paper(title="T", date=incoming[0], date_inferred=incoming[1])
    assert merged_date(a, b) == merged
    assert (merge_papers(a, b).date, merge_papers(a, b).date_inferred) == merged


def test_merge_prefers_full_date_fuller_authors_and_unites_lists():
    kept = Paper(
        id="pd-1",
        title="T",
        authors=["A One", "B Two"],
        authors_truncated=True,
        date="2026-03-11",
        date_inferred=True,
        links=["https://github.com/a/b"],
        affiliations=["pku"],
        sources=["daily.txt"],
        tags=["x"],
    )
    incoming = Paper(
        title="T",
        authors=["A One", "B Two", "C Three"],
        date="2024-07-12",
        links=["https://example.org", "https://github.com/a/b"],
        affiliations=["tsinghua", "pku"],
        sources=["listing.txt"],
        abstract="longer",
    )
    merged = merge_papers(kept, incoming)
    assert merged.id == "pd-1"
    assert merged.authors == ["A One", "B Two", "C Three"]
    assert not merged.authors_truncated
    assert (merged.date, merged.date_inferred) == ("2024-07-12", False)
    assert merged.links == ["https://github.com/a/b", "https://example.org"]
    assert merged.affiliations == ["pku", "tsinghua"]
    assert merged.sources == ["daily.txt", "listing.txt"]
    assert merged.abstract == "longer"
    assert merged.has_code


def test_a_truncated_list_loses_to_a_complete_one_even_if_longer():
    kept = Paper(title="T", authors=["A", "B", "C"], authors_truncated=True)
    incoming = Paper(title="T", authors=["A", "B"])
    assert merge_papers(kept, incoming).authors == ["A", "B"]


def test_new_paper_id_is_stable_and_prefers_arxiv():
    assert new_paper_id(Paper(title="X", arxiv_id="2401.12345")) == "2401.12345"
    one = new_paper_id(Paper(title="Hello, World", authors=["Ann Lee"]))
    assert one == new_paper_id(Paper(title="hello world", authors=["Bob Lee"]))
    assert one.startswith("pd-") and len(one) == 13


def test_the_entry_type_follows_the_venue():
    preprint = Paper(title="T", bibtex_key="v2017", bibtex_type="misc")
    published = Paper(title="T", venue="NeurIPS", bibtex_key="v2017b", bibtex_type="inproceedings")
    merged = merge_papers(preprint, published)
    # Exported once, under the key of the entry whose venue and type the record keeps.
    assert (merged.venue, merged.bibtex_type, merged.bibtex_key) == (
        "NeurIPS",
        "inproceedings",
        "v2017b",
    )
    assert merge_papers(published, preprint).bibtex_type == "inproceedings"


def test_an_import_never_drops_a_note_that_differs_from_the_one_here(tmp_path):
    """A backup or another machine's export, imported where the note was edited since."""
    import json

    from paperdeck.core.importer import import_file
    from paperdeck.core.store import Library

    with Library(tmp_path / "lib") as library:
        (pid,) = library.add_papers([Paper(title="Shared", authors=["A. Author"])]).ids
        library.set_note(pid, "written here")
        other = {"id": pid, "title": "Shared", "authors": ["A. Author"], "note": "written there"}
        export = tmp_path / "other-machine.jsonl"
        export.write_text(json.dumps(other) + "\n", encoding="utf-8")
        assert import_file(library, export).merged == 1
        assert library.get(pid).note == "written here\n\nwritten there"
        again = import_file(library, export)
        assert (again.merged, again.unchanged) == (0, 1)  # the same file changes nothing
        assert library.get(pid).note == "written here\n\nwritten there"


def test_a_note_extended_elsewhere_replaces_its_start_here():
    kept = Paper(title="T", note="first line")
    incoming = Paper(title="T", note="first line\nand a second")
    assert merge_papers(kept, incoming).note == "first line\nand a second"
    assert merge_papers(incoming, kept).note == "first line\nand a second"
    assert merge_papers(kept, Paper(title="T")).note == "first line"


@pytest.mark.parametrize(
    ("listed", "cited"),
    [
        ("Robert Smith Jr.", "Robert Smith"),  # a listing gives the suffix, BibTeX not
        ("Robert Smith, Jr.", "R. Smith"),
        ("John Doe III", "John Doe"),
    ],
)
def test_a_name_suffix_is_not_the_surname(listed: str, cited: str) -> None:
    a = Paper(title="Robust Learning Under Shift", authors=[listed, "Anna Lee"])
    b = Paper(title="Robust learning under shift", authors=[cited, "Anna Lee"])
    assert same_paper(a, b)
    assert not same_paper(a, Paper(title=a.title, authors=["Robert Jones Jr."]))


def test_an_old_style_id_with_a_subject_class_merges_with_the_archive_id(tmp_path):
    """BibTeX writes "math.QA/9709040", the arXiv API "math/9709040": one paper."""
    from paperdeck.core.importer import import_file
    from paperdeck.core.store import Library

    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">'
        "<entry><id>http://arxiv.org/abs/math/9709040v1</id><title>Old math id with subject"
        "</title><author><name>Maxim Kontsevich</name></author>"
        '<arxiv:primary_category term="math.QA"/></entry></feed>'
    )
    bib = (
        "@misc{k, author = {Kontsevich, Maxim}, title = {Old math id with subject},"
        " eprint = {math.QA/9709040}, archivePrefix = {arXiv}, year = 1997}"
    )
    with Library(tmp_path / "lib") as library:
        assert import_file(library, "api.atom", text=atom).added == 1
        assert import_file(library, "refs.bib", text=bib).merged == 1
        (paper,) = library.iter_papers()
        assert (paper.id, paper.arxiv_id, paper.categories) == (
            "math/9709040",
            "math/9709040",
            ["math.QA"],
        )


def test_a_tex_title_from_the_arxiv_api_merges_with_its_unicode_spelling(tmp_path):
    """A listing says "Schrödinger"; the API says Schr\\"odinger; and a replacement announced
    later keeps the title readable."""
    import json

    from paperdeck.core.importer import import_file
    from paperdeck.core.sources import ParseContext
    from paperdeck.core.sources.announcements import parse_announcements
    from paperdeck.core.store import Library

    title = "Solving the Schrödinger Equation with Neural Networks"
    listing = json.dumps({"title": title, "authors": ["Jan Hermann"], "date": "2010-01-04"})
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
        "<id>http://arxiv.org/abs/1001.0002v1</id><published>2010-01-04T10:00:00Z</published>"
        '<title>Solving the Schr\\"odinger Equation with Neural Networks</title>'
        "<summary>We solve it.</summary><author><name>Jan Hermann</name></author></entry></feed>"
    )
    replacement = (
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><item>'
        '<title>Solving the Schr\\"odinger Equation with Neural Networks</title>'
        "<link>https://arxiv.org/abs/1001.0002</link>"
        "<description>arXiv:1001.0002v2 Announce Type: replace Abstract: We solve it again."
        "</description><dc:creator>Jan Hermann</dc:creator></item></channel></rss>"
    )
    with Library(tmp_path / "lib") as library:
        assert import_file(library, "listing.jsonl", text=listing + "\n").added == 1
        assert import_file(library, "api.atom", text=atom).merged == 1
        feed = parse_announcements(replacement, ParseContext.for_file("feed"))
        revisions = [a.paper for a in feed.announcements if a.is_revision]
        assert library.add_papers([], revisions=revisions).revised == 1
        (paper,) = library.iter_papers()
        assert (paper.arxiv_id, paper.title, paper.abstract) == (
            "1001.0002",
            title,
            "We solve it again.",
        )


def test_a_title_formula_from_arxiv_and_from_bibtex_is_one_title(tmp_path):
    """The arXiv API's "$\\beta$-VAE" and a BibTeX entry's "{$\\beta$}-{VAE}" (no arXiv id
    there) are one paper: both keep the formula as LaTeX, so their title keys agree."""
    from paperdeck.core.importer import import_file
    from paperdeck.core.store import Library

    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
        "<id>http://arxiv.org/abs/1804.03599v1</id><published>2018-04-10T00:00:00Z</published>"
        "<title>Understanding disentangling in $\\beta$-VAE</title>"
        "<author><name>Christopher P. Burgess</name></author></entry></feed>"
    )
    bib = (
        "@inproceedings{burgess2018, title = {Understanding disentangling in {$\\beta$}-{VAE}},"
        " author = {Burgess, Christopher P.}, booktitle = {NeurIPS Workshop}, year = 2018}"
    )
    with Library(tmp_path / "lib") as library:
        assert import_file(library, "api.atom", text=atom).added == 1
        assert import_file(library, "refs.bib", text=bib).merged == 1
        (paper,) = library.iter_papers()
        assert paper.title == "Understanding disentangling in $\\beta$-VAE"


def test_an_entrys_date_is_not_completed_by_the_other_entrys():
    """The proceedings say `year = 2019`, the preprint's @misc `year = 2018, month = may`:
    the merged entry's date is the proceedings' alone, not "May 2019"."""
    published = Paper(
        title="T", venue="Proc. X", bibtex_fields={"booktitle": "{Proc. X}", "year": "2019"}
    )
    preprint = Paper(title="T", bibtex_fields={"year": "2018", "month": "may", "note": "{n}"})
    for kept, incoming in ((published, preprint), (preprint, published)):
        assert merge_papers(kept, incoming).bibtex_fields == {
            "booktitle": "{Proc. X}",
            "year": "2019",
            "note": "{n}",
        }


def test_an_old_style_id_stored_with_its_subject_class_still_merges(tmp_path):
    """A library from before ids were canonical holds "math.QA/9709040"; the API's
    "math/9709040" is that paper (its star stays), not a second one."""
    from paperdeck.core.importer import import_file
    from paperdeck.core.store import Library

    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
        "<id>http://arxiv.org/abs/math/9709040v1</id><title>Old math id with subject</title>"
        "<author><name>Maxim Kontsevich</name></author></entry></feed>"
    )
    with Library(tmp_path / "lib") as library:
        (stored,) = library.add_papers(
            [Paper(title="Old math id", authors=["Maxim Kontsevich"], arxiv_id="math.QA/9709040")]
        ).ids
        library.set_starred(stored, True)
        assert import_file(library, "api.atom", text=atom).merged == 1
        (paper,) = library.iter_papers()
        assert (paper.id, paper.starred) == (stored, True)
