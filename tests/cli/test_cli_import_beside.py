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
from paperdeck.core.search import following_build, index_workers, slice_build
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


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _answers(cli) -> dict[str, tuple[int, list[str]]]:
    answers = {}
    for query in QUERIES:
        papers = cli.json(query, "--limit", "1000")
        answers[query] = (len(papers), sorted(p["id"] for p in papers))
    return answers


def test_the_index_built_beside_an_import_answers_as_a_rebuild(large, cli, tmp_path) -> None:
    rng = random.Random(7)
    source = _write(tmp_path / "snapshot.jsonl", [_snapshot_line(n, rng) for n in range(600)])
    code, out, err = cli("import", str(source))
    assert code == 0, err
    assert large == [True]
    with Library(cli.root) as library:
        assert library.pending_papers() == 0  # every change read: the sync had none left
    beside = _answers(cli)
    assert beside["learning"][0] > 100 and beside["author:Okafor"][0] > 50
    assert cli("reindex")[0] == 0
    assert _answers(cli) == beside


def test_a_paper_merged_after_it_was_indexed_is_indexed_merged(
    large, cli, tmp_path, monkeypatch
) -> None:
    # The log read 100 changes at a time: the merge's change is read after the paper was.
    monkeypatch.setattr(following_build, "READ_BATCH", 100)
    logged = tmp_path / "logged-again.json"  # written by the build's own process
    log_again = Library.log_again

    def noted(self, ids):
        logged.write_text(json.dumps(list(ids)))
        log_again(self, ids)

    monkeypatch.setattr(Library, "log_again", noted)
    rng = random.Random(11)
    lines = [_snapshot_line(n, rng) for n in range(600)]
    # The same paper again at the end, its abstract longer (the richer record wins): by
    # then the build has indexed the first one.
    later = json.loads(lines[3]) | {"abstract": "zanzibarite " + " ".join(WORDS * 4)}
    lines.append(json.dumps(later))
    code, out, err = cli("import", str(_write(tmp_path / "again.jsonl", lines)))
    assert code == 0, err
    assert large == [True]
    assert json.loads(logged.read_text()) == ["2401.00003"]  # logged again by the build...
    found = cli.json("zanzibarite")  # ...and indexed merged by the sync after
    assert [p["id"] for p in found] == ["2401.00003"]
    assert len(cli.json("learning", "--limit", "1000")) == len(
        {json.loads(line)["id"] for line in lines if "learning" in line.lower()}
    )
    with Library(cli.root) as library:
        assert library.pending_papers() == 0


def test_a_failed_build_is_made_good_by_the_sync_after(large, cli, tmp_path, monkeypatch) -> None:
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
    assert large == [False]
    assert not list(tmp_path.glob("lib/index.tmp-*"))  # the failed build's folder is gone
    assert len(cli.json("cat:cs.LG OR cat:cs.CL OR cat:stat.ML", "--limit", "1000")) == 300
