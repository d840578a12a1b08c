"""Removing papers: the trash keeps them whole, imports leave them out, restore undoes it."""

from __future__ import annotations

import pytest

from paperdeck.core.models import Paper
from paperdeck.core.paperset import PaperSet
from paperdeck.core.schema import SCHEMA_VERSION
from paperdeck.core.search.index import SearchIndex
from paperdeck.core.store import Library, LibraryError


def papers() -> list[Paper]:
    return [
        Paper(title="Alpha", authors=["Ann Lee"], arxiv_id="2401.00001", sources=["a.txt"]),
        Paper(title="Beta", authors=["Bo Chen"], doi="10.1/B", sources=["a.txt", "b.txt"]),
        Paper(title="Gamma Rays", authors=["Cy Dee"], sources=["dir/c.txt"]),
    ]


@pytest.fixture
def library(tmp_path):
    with Library(tmp_path / "lib") as lib:
        lib.add_papers(papers())
        yield lib


def test_a_removed_paper_keeps_the_users_marks_in_the_trash(library):
    library.toggle_star("2401.00001")
    library.set_note("2401.00001", "why it matters")
    library.add_tags("2401.00001", ["rl"])
    library.set_read("2401.00001", True)
    removed = library.remove_papers(["2401.00001"])
    assert [p.title for p in removed] == ["Alpha"]
    assert library.get("2401.00001") is None and library.count() == 2
    assert library.facets().views["starred"] == 0
    [trashed] = library.trashed()
    assert (trashed.id, trashed.title, trashed.starred, trashed.has_note, trashed.tags) == (
        "2401.00001",
        "Alpha",
        True,
        True,
        ["rl"],
    )
    assert library.restore_papers(["2401.00001"]) == ["2401.00001"]
    back = library.get("2401.00001")
    assert (back.starred, back.note, back.tags, back.read) == (True, "why it matters", ["rl"], True)
    assert library.trashed() == []


def test_an_unknown_id_removes_nothing(library):
    with pytest.raises(LibraryError, match="no paper with id 'nope'"):
        library.remove_papers(["2401.00001", "nope"])
    assert library.count() == 3 and library.trashed() == []


def test_an_import_leaves_removed_papers_out_until_restored(library):
    beta = library.select(PaperSet().matching(""))[1]
    library.remove_papers(["2401.00001", beta])
    again = [
        Paper(title="Alpha (v2)", arxiv_id="2401.00001", sources=["feed"]),  # same arXiv id
        Paper(title="BETA", doi="10.1/b", sources=["feed"]),  # same DOI, another case
        Paper(title="Delta", sources=["feed"]),
    ]
    counts = library.add_papers(again)
    assert (counts.added, counts.held) == (1, 2)
    assert sorted(row.title for row in library.rows(library.all_ids())) == ["Delta", "Gamma Rays"]
    library.restore_papers([beta])
    assert library.add_papers(again).held == 1  # Alpha still waits in the trash


def test_a_source_lists_the_papers_only_it_has(library):
    only, shared = library.source_papers("a.txt")
    assert [p.title for p in library.get_many(only)] == ["Alpha"]
    assert [p.title for p in library.get_many(shared)] == ["Beta"]
    assert library.source_papers("c.txt") == library.source_papers("dir/c.txt")  # its name
    with pytest.raises(LibraryError, match=r"no source named 'x.txt' \(sources: a.txt, b.txt"):
        library.source_papers("x.txt")


def test_a_removed_paper_leaves_the_search(library):
    index = SearchIndex(library)
    try:
        index.ensure()
        assert index.search("gamma").total == 1
        gamma = index.search("gamma").ids[0]
        library.remove_papers([gamma])
        index.sync()
        assert index.search("gamma").total == 0
        library.restore_papers([gamma])
        index.sync()
        assert index.search("gamma").ids == [gamma]
    finally:
        index.close()


def test_trashed_ids_resolve_like_library_ids(library):
    gamma = library.select(PaperSet().matching(""))[2]
    library.remove_papers(["2401.00001", gamma])
    assert library.resolve_trashed("https://arxiv.org/abs/2401.00001v3") == "2401.00001"
    assert library.resolve_trashed(gamma[:6]) == gamma
    with pytest.raises(LibraryError, match="in the trash"):
        library.resolve_trashed("2402")
    assert SCHEMA_VERSION >= 6


def test_a_removed_claim_on_an_arxiv_id_does_not_keep_the_real_paper_out(tmp_path):
    claim = Paper(title="Cheap Watches", authors=["Mallory Spam"], arxiv_id="2006.11239")
    real = Paper(
        title="Denoising Diffusion Probabilistic Models",
        authors=["Jonathan Ho"],
        arxiv_id="2006.11239",
        arxiv_source=True,  # as the Atom feed gives it
    )
    with Library(tmp_path / "lib") as library:
        (claim_id,) = library.add_papers([claim]).ids
        library.remove_papers([claim_id])
        counts = library.add_papers([real])
        assert (counts.added, counts.held) == (1, 0)
        assert library.get("2006.11239").title == real.title
        library.restore_papers([claim_id])  # the claim comes back as another paper
        titles = {p.title: p for p in library.iter_papers()}
        assert titles["Cheap Watches"].id.startswith("pd-")
        assert titles["Cheap Watches"].arxiv_id is None
        assert library.resolve_id("https://arxiv.org/abs/2006.11239") == "2006.11239"


def test_a_paper_removed_while_new_is_new_again_when_restored(library):
    """Its arrival is kept in the trash: restoring neither drops it from New nor makes an
    old paper new."""
    (fresh,) = library.add_papers([Paper(title="Delta", authors=["Di Eck"])]).ids  # arrival 2
    old = "2401.00001"  # arrival 1
    library.remove_papers([fresh, old])
    library.restore_papers([fresh, old])
    assert library.select(PaperSet().new_since(1)) == [fresh]
    assert library.new_count(1) == 1
    assert set(library.select(PaperSet().new_since(0))) == {fresh, old, *library.all_ids()}


def test_a_trash_record_without_an_arrival_restores_as_not_new(library):
    """Papers removed before the trash kept arrivals come back, not as new."""
    library.remove_papers(["2401.00001"])
    library._db.execute(
        "UPDATE trash SET record = json_remove(record, '$.arrival') WHERE paper_id = ?",
        ("2401.00001",),
    )
    assert library.restore_papers(["2401.00001"]) == ["2401.00001"]
    assert "2401.00001" in library.all_ids()
    assert "2401.00001" not in library.select(PaperSet().new_since(0))


def test_a_paper_the_import_path_leaves_out_stays_in_the_trash(library):
    """A stored record whose title reads as empty today is not restored, and not lost; the
    papers restored with it keep their own arrival (each is added alone)."""
    (fresh,) = library.add_papers([Paper(title="Delta", authors=["Di Eck"])]).ids  # arrival 2
    old = "2401.00001"  # arrival 1
    library.remove_papers([fresh, old])
    library._db.execute(
        "UPDATE trash SET record = json_set(record, '$.title', char(7)) WHERE paper_id = ?",
        (fresh,),
    )
    assert library.restore_papers([fresh, old]) == [old]
    assert [paper.id for paper in library.trashed()] == [fresh]
    assert library.select(PaperSet().new_since(1)) == []  # the old paper did not become new
