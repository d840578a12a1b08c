"""The first big import into an empty library builds the search index as it stores papers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from paperdeck.core import store
from paperdeck.core.importer import import_file, import_files
from paperdeck.core.index import SearchIndex
from paperdeck.core.store import Library

SEEDS = sorted((Path(__file__).resolve().parents[3] / "shared" / "seeds").glob("*.txt"))
QUERIES = [
    "language",
    '"language models"',
    "reason*",
    "author:wang",
    "cat:cs.CL",
    "diffusion -video",
]


def hits(root: Path) -> dict[str, list[str]]:
    with Library(root) as library, SearchIndex(library) as index:
        assert index.ensure() is False  # usable as it is: no rebuild
        return {q: sorted(index.search(q, ranked=20).ids) for q in QUERIES}


def rebuilt_hits(root: Path) -> dict[str, list[str]]:
    with Library(root) as library, SearchIndex(library) as index:
        index.rebuild()
        return {q: sorted(index.search(q, ranked=20).ids) for q in QUERIES}


def test_the_index_built_alongside_finds_what_a_rebuild_finds(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "WRITTEN_BATCH", 7)  # many batches from the seeds
    root = tmp_path / "lib"
    with Library(root) as library, SearchIndex(library) as index:
        with index.build_alongside() as written:
            assert written is not None
            report = import_file(library, SEEDS[0], written=written)
        assert report.error is None and report.added > 7
        assert library.pending_papers() == 0  # applied by the index built alongside
        assert (root / "index" / "words.txt").exists()
        assert not list(tmp_path.glob("lib/index.tmp-*"))
    alongside = hits(root)
    assert alongside == rebuilt_hits(root)
    assert any(alongside.values())


def test_a_paper_merged_after_it_was_indexed_is_indexed_again(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "WRITTEN_BATCH", 1)
    first = {
        "title": "Sparse Mixtures of Experts",
        "authors": ["Ann Lee"],
        "arxiv_id": "2401.00001",
    }
    filler = [{"title": f"Filler paper {n}", "authors": [f"A{n}"]} for n in range(5)]
    again = {**first, "abstract": "Routing tokens to zanzibarite experts."}  # richer copy
    path = tmp_path / "papers.jsonl"
    path.write_text("\n".join(json.dumps(p) for p in [first, *filler, again]) + "\n")
    root = tmp_path / "lib"
    with Library(root) as library, SearchIndex(library) as index:
        with index.build_alongside() as written:
            report = import_file(library, path, written=written)
        assert (report.added, report.merged) == (6, 1)
        assert library.pending_papers() == 1  # the merged paper, for the sync to re-read
        index.ensure()  # syncs it
        assert library.pending_papers() == 0
        assert index.search("zanzibarite").total == 1


def test_a_file_that_fails_part_way_leaves_no_index_and_no_papers(tmp_path, monkeypatch):
    from paperdeck.core.sources.jsonl import JsonSource

    monkeypatch.setattr(store, "WRITTEN_BATCH", 1)
    paper = JsonSource._paper

    def breaks_on_the_third(self, obj, *args, **kwargs):
        if obj.get("title") == "Third":
            raise ValueError("a parser bug")  # reported as a ParseError, the file rolled back
        return paper(self, obj, *args, **kwargs)

    monkeypatch.setattr(JsonSource, "_paper", breaks_on_the_third)
    path = tmp_path / "papers.jsonl"
    path.write_text('{"title": "First"}\n{"title": "Second"}\n{"title": "Third"}\n')
    root = tmp_path / "lib"
    with Library(root) as library, SearchIndex(library) as index:
        with index.build_alongside() as written:
            report = import_file(library, path, written=written)
        assert report.error is not None
        assert library.count() == 0
    assert not (root / "index").exists()
    assert not list(root.glob("index.tmp-*"))


def test_an_exception_mid_import_cancels_the_build(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "WRITTEN_BATCH", 1)
    root = tmp_path / "lib"

    class Stop(Exception):
        pass

    with Library(root) as library, SearchIndex(library) as index:
        with pytest.raises(Stop), index.build_alongside() as written:

            def failing(ids: list[str], final: bool) -> None:
                written(ids, final)
                raise Stop

            import_file(library, SEEDS[0], written=failing)
        assert library.count() == 0
    assert not (root / "index").exists()
    assert not list(root.glob("index.tmp-*"))


def test_nothing_is_built_alongside_a_library_that_has_papers(tmp_path):
    root = tmp_path / "lib"
    with Library(root) as library, SearchIndex(library) as index:
        import_files(library, SEEDS[:1])
        with index.build_alongside() as written:
            assert written is None


def test_papers_another_process_adds_first_make_the_build_give_way(tmp_path):
    """Between the check that the library is empty and the import's transaction another
    process may add papers: the index built alongside would miss them, so it is dropped
    and the usual rebuild follows."""
    root = tmp_path / "lib"
    with Library(root) as library, SearchIndex(library) as index:
        with index.build_alongside() as written:
            with Library(root) as other:
                import_files(other, SEEDS[1:2])
            report = import_file(library, SEEDS[0], written=written)
        assert report.error is None
        assert not (root / "index").exists()
        assert index.ensure() is True  # rebuilt from everything
        assert index.search("language").total > 0
        assert library.pending_papers() == 0
