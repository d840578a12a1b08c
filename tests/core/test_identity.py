"""Who a paper is: an arXiv id belongs to the paper arXiv has under it.

A JSON record may say anything about itself. Its `id` is kept when it is an arXiv id only if
the record's own `arxiv_id` or links name it; and when a later record of the same arXiv id
disagrees on both title and first author, the two are not merged: the record from an arXiv
source (Atom, a listing, Hugging Face, a BibTeX eprint) takes the arXiv id, the other a
`pd-` id. The real paper comes from tests/fixtures/arxiv.atom (a recorded arXiv API reply).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from paperdeck.cli import main
from paperdeck.core.importer import import_file
from paperdeck.core.models import Paper
from paperdeck.core.store import DB_NAME, Library

ATOM = Path(__file__).resolve().parents[1] / "fixtures" / "arxiv.atom"
DDPM = "Denoising Diffusion Probabilistic Models"


def write_jsonl(path: Path, *records: dict[str, object]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def library(tmp_path: Path):
    with Library(tmp_path / "lib") as library:
        yield library


def by_title(library: Library) -> dict[str, Paper]:
    return {p.title: p for p in library.iter_papers()}


def test_an_arxiv_id_the_record_does_not_back_is_not_taken(library, tmp_path, capsys):
    spam = write_jsonl(tmp_path / "spam.jsonl", {"id": "2006.11239", "title": "Buy Now"})
    import_file(library, spam)
    import_file(library, ATOM)
    papers = by_title(library)
    assert papers[DDPM].id == "2006.11239" and papers[DDPM].arxiv_id == "2006.11239"
    assert papers["Buy Now"].id.startswith("pd-") and papers["Buy Now"].arxiv_id is None
    assert library.resolve_id("https://arxiv.org/abs/2006.11239") == "2006.11239"
    capsys.readouterr()
    assert main(["--library", str(library.root), "show", "https://arxiv.org/abs/2006.11239"]) == 0
    assert capsys.readouterr().out.startswith(DDPM + "\n")


def test_an_id_backed_by_the_records_own_arxiv_id_or_link_is_kept(library, tmp_path):
    export = write_jsonl(
        tmp_path / "export.jsonl",
        {"id": "2401.00001", "arxiv_id": "2401.00001", "title": "Own Export", "authors": ["A B"]},
        {"id": "2401.00002", "links": ["https://arxiv.org/abs/2401.00002v3"], "title": "Linked"},
        {"id": "pd-0123456789", "title": "Made-up Id"},
    )
    import_file(library, export)
    assert sorted(library.all_ids()) == ["2401.00001", "2401.00002", "pd-0123456789"]


def test_a_claim_imported_first_gives_the_arxiv_id_up_to_the_arxiv_source(library, tmp_path):
    spam = write_jsonl(
        tmp_path / "spam.jsonl",
        {
            "id": "2006.11239",
            "arxiv_id": "2006.11239",
            "title": "Cheap Watches Online Today",
            "authors": ["Mallory Spammer"],
            "starred": True,
            "note": "my note on it",
            "tags": ["mine"],
        },
    )
    import_file(library, spam)
    report = import_file(library, ATOM)
    assert (report.added, report.merged) == (4, 0)  # DDPM is not merged into the claim
    papers = by_title(library)
    real, claim = papers[DDPM], papers["Cheap Watches Online Today"]
    assert real.id == real.arxiv_id == "2006.11239"
    assert real.authors[0] == "Jonathan Ho" and not real.starred and real.note == ""
    assert claim.id.startswith("pd-") and claim.arxiv_id is None
    assert (claim.starred, claim.note, claim.tags) == (True, "my note on it", ["mine"])
    assert library.resolve_id("arXiv:2006.11239") == "2006.11239"


def test_a_claim_imported_after_the_arxiv_source_gets_a_pd_id(library, tmp_path):
    import_file(library, ATOM)
    claim = {"arxiv_id": "2006.11239", "title": "Cheap Watches", "authors": ["Mallory Spam"]}
    report = import_file(library, write_jsonl(tmp_path / "claim.jsonl", claim))
    assert (report.added, report.merged) == (1, 0)
    papers = by_title(library)
    assert papers[DDPM].id == "2006.11239" and papers[DDPM].title == DDPM
    assert papers["Cheap Watches"].id.startswith("pd-")
    assert papers["Cheap Watches"].arxiv_id is None


def test_records_of_one_arxiv_id_that_agree_enough_still_merge(library, tmp_path):
    import_file(library, ATOM)
    ours = [
        # A revised title, same first author: one paper.
        {"arxiv_id": "2006.11239", "title": "Denoising Diffusion Models", "authors": ["J. Ho"]},
        # Same title, another first author (an author list in another order): one paper.
        {"arxiv_id": "2006.11239", "title": DDPM, "authors": ["Pieter Abbeel"], "tags": ["x"]},
    ]
    report = import_file(library, write_jsonl(tmp_path / "ours.jsonl", *ours))
    assert report.added == 0 and library.count() == 4
    assert library.get("2006.11239").tags == ["x"]


def test_an_arxiv_url_finds_the_paper_with_that_arxiv_id_before_one_using_it_as_id(tmp_path):
    """A library written before this rule: the claim holds the id, the real paper `-2`."""
    root = tmp_path / "old"
    with Library(root) as library:
        library.add_papers([Paper(title="Buy Now", id="2006.11239")])
        library.add_papers([Paper(title=DDPM, authors=["Jonathan Ho"], arxiv_id="2006.11239")])
    with sqlite3.connect(root / DB_NAME) as db:
        rows = sorted(db.execute("SELECT id, arxiv_id FROM papers").fetchall())
    assert rows == [("2006.11239", None), ("2006.11239-2", "2006.11239")]
    with Library(root) as library:
        assert library.resolve_id("https://arxiv.org/abs/2006.11239") == "2006.11239-2"
        assert library.resolve_id("2006.11239v2") == "2006.11239-2"


def test_a_doi_claimed_by_another_paper_does_not_merge_the_two(library, tmp_path):
    real = {
        "title": "Graph Networks for Molecules",
        "authors": ["Marie Curie"],
        "doi": "10.1000/graph",
        "abstract": "Short.",
    }
    claim = {
        "title": "Win A Prize Now",
        "authors": ["Mallory Spam"],
        "doi": "https://doi.org/10.1000/GRAPH",
        "abstract": "A much longer abstract that would have replaced the real one in a merge.",
    }
    import_file(library, write_jsonl(tmp_path / "real.jsonl", real))
    report = import_file(library, write_jsonl(tmp_path / "claim.jsonl", claim))
    assert (report.added, report.merged) == (1, 0)
    papers = by_title(library)
    assert papers["Graph Networks for Molecules"].abstract == "Short."
    assert papers["Graph Networks for Molecules"].doi == "10.1000/graph"
    assert papers["Win A Prize Now"].doi is None
