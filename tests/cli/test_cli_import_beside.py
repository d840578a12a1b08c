"""An import that outgrows the index builds it as it stores (`following_build`): the index it
leaves answers as a rebuild's does, a paper merged after it was indexed is indexed merged,
and a build that fails is made good by the sync after the import."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest

from paperdeck.cli import importing as cli_importing
from paperdeck.core.search import index_workers, index_writing, slice_build
from paperdeck.core.search.following_build import FollowingBuild
from paperdeck.core.search.index import SearchIndex
from paperdeck.core.store import Library

WORDS = [
    "learning",
    "model",
    "graph",
    "neural",
    "network",
    "diffusion",
    "language",
    "reasoning",
    "policy",
    "robot",
    "vision",
    "transformer",
    "agent",
    "sparse",
    "quantum",
    "kernel",
    "bayesian",
    "protein",
    "retrieval",
    "benchmark",
]
QUERIES = ["learning", "graph neural", '"language model"', "cat:cs.LG", "author:Okafor", "quant*"]


def _snapshot_line(n: int, rng: random.Random, abstract: str | None = None) -> str:
    """A record of the arXiv metadata snapshot's shape (its own keys), made up."""
    surname = rng.choice(["Okafor", "Lindqvist", "Tanaka", "Moreau", "Silva"])
    return json.dumps(
        {
            "id": f"2401.{n:05d}",
            "submitter": "A. Person",
            "authors": f"A. {surname} and B. Reyes",
            "authors_parsed": [[surname, "A.", ""], ["Reyes", "B.", ""]],
            "title": " ".join(rng.choices(WORDS, k=6)).capitalize(),
            "comments": None,
            "journal-ref": None,
            "doi": None,
            "categories": rng.choice(["cs.LG", "cs.CL cs.AI", "stat.ML"]),
            "abstract": abstract or " ".join(rng.choices(WORDS, k=60)),
            "versions": [{"version": "v1", "created": "Mon, 1 Jan 2024 10:00:00 GMT"}],
            "update_date": "2024-01-02",
        }
    )


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """600 papers count as a large import; several slices, two writer processes (pytest's
    own threads hold no lock a fork could copy). Lists how each build beside ended."""
    monkeypatch.setattr(SearchIndex, "bulk_threshold", 100)
    monkeypatch.setattr(cli_importing, "BESIDE_MIN_BYTES", 0)
    monkeypatch.setattr(slice_build, "MIN_SLICE", 100)
    monkeypatch.setattr(slice_build, "BUILD_MB", 1)
    monkeypatch.setattr(slice_build, "may_fork", lambda: True)
    monkeypatch.setattr(index_workers, "may_fork", lambda: True)
    ended: list[bool] = []
    finish = FollowingBuild.finish

    def noted(self, progress=None):
        ended.append(finish(self, progress))
        return ended[-1]

    monkeypatch.setattr(FollowingBuild, "finish", noted)
    return ended


@pytest.fixture
def rebuilds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The labels of the index builds made by the import's own process (the sync after)."""
    made: list[str] = []
    rebuild = SearchIndex._rebuild_locked

    def noted(self, progress, label=index_writing.REBUILD_LABEL):
        made.append(label)
        return rebuild(self, progress, label)

    monkeypatch.setattr(SearchIndex, "_rebuild_locked", noted)
    return made


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _answers(cli) -> dict[str, tuple[int, list[str]]]:
    answers = {}
    for query in QUERIES:
        papers = cli.json(query, "--limit", "1000")
        answers[query] = (len(papers), sorted(p["id"] for p in papers))
    return answers


def test_the_index_built_beside_an_import_answers_as_a_rebuild(
    large, rebuilds, cli, tmp_path
) -> None:
    rng = random.Random(7)
    source = _write(tmp_path / "snapshot.jsonl", [_snapshot_line(n, rng) for n in range(600)])
    code, out, err = cli("import", str(source))
    assert code == 0, err
    assert large == [True] and rebuilds == []  # built beside, and not again after
    with Library(cli.root) as library:
        assert library.pending_papers() == 0
    beside = _answers(cli)
    assert beside["learning"][0] > 100 and beside["author:Okafor"][0] > 50
    assert cli("reindex")[0] == 0
    assert _answers(cli) == beside


def test_a_paper_merged_as_the_build_runs_is_indexed_merged(large, rebuilds, cli, tmp_path) -> None:
    """Whether the build reads the paper before or after its later record is merged
    (`tests/core/test_following_build.py` has both), the index ends up holding it merged."""
    rng = random.Random(11)
    lines = [_snapshot_line(n, rng) for n in range(600)]
    # The same paper again at the end, its abstract longer (the richer record wins).
    later = json.loads(lines[3]) | {"abstract": "zanzibarite " + " ".join(WORDS * 4)}
    lines.append(json.dumps(later))
    code, out, err = cli("import", str(_write(tmp_path / "again.jsonl", lines)))
    assert code == 0, err
    assert large == [True] and rebuilds == []
    assert [p["id"] for p in cli.json("zanzibarite")] == ["2401.00003"]
    assert len(cli.json("learning", "--limit", "1000")) == len(
        {json.loads(line)["id"] for line in lines if "learning" in line.lower()}
    )
    with Library(cli.root) as library:
        assert library.pending_papers() == 0


def test_a_failed_build_is_made_good_by_the_sync_after(
    large, rebuilds, cli, tmp_path, monkeypatch
) -> None:
    importer = os.getpid()
    add = slice_build.SliceBuild.add

    def fails_beside(self, paper):  # in the forked build only; the sync after works
        if os.getpid() != importer:
            raise RuntimeError("no room for the index")
        add(self, paper)

    monkeypatch.setattr(slice_build.SliceBuild, "add", fails_beside)
    rng = random.Random(3)
    source = _write(tmp_path / "snapshot.jsonl", [_snapshot_line(n, rng) for n in range(300)])
    code, out, err = cli("import", str(source))
    assert code == 0, err
    assert "300 added" in out
    assert "the index was not built beside the import: no room for the index" in err
    assert large == [False] and rebuilds == [index_writing.REBUILD_LABEL]  # no index yet
    assert len(cli.json("cat:cs.LG OR cat:cs.CL OR cat:stat.ML", "--limit", "1000")) == 300


def test_a_build_stopped_leaves_no_folder_and_frees_the_lock(large, cli, tmp_path) -> None:
    rng = random.Random(5)
    source = _write(tmp_path / "snapshot.jsonl", [_snapshot_line(n, rng) for n in range(600)])
    with Library(cli.root) as library:
        index = SearchIndex(library)
        build = index.follow_import([str(source)])
        assert build is not None
        library.add_papers([])  # the library is open again after the fork
        build.stop()
        assert not list(cli.root.glob("index.tmp-*"))
        with index_writing.writer_lock(index._lock_path, 0.1) as locked:
            assert locked
        index.close()


def test_a_small_or_piped_import_is_indexed_after_it(large, cli, tmp_path) -> None:
    rng = random.Random(5)
    source = _write(tmp_path / "few.jsonl", [_snapshot_line(n, rng) for n in range(80)])
    with Library(cli.root) as library:
        index = SearchIndex(library)
        assert index.follow_import([str(source)]) is None  # 80 papers: fewer than 100
        index.close()
    assert cli_importing._start_beside(None, ["-"], None) is None  # type: ignore[arg-type]
