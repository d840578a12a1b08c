"""Papers sampled from a file before it is imported (`file_sample`): lines spread over it,
each read once; a file not read a line at a time is not sampled."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from paperdeck.core.file_sample import sample_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _line(n: int, rng: random.Random, abstract: str) -> str:
    return json.dumps(
        {
            "id": f"2401.{n:05d}",
            "authors": "A. Okafor",
            "authors_parsed": [["Okafor", "A.", ""]],
            "title": f"Paper {rng.randrange(10**6):06d}",
            "categories": "cs.LG",
            "abstract": abstract,
            "versions": [{"version": "v1", "created": "Mon, 1 Jan 2024 10:00:00 GMT"}],
            "update_date": "2024-01-02",
        }
    )


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_papers_are_sampled_from_lines_spread_over_the_file(tmp_path) -> None:
    rng = random.Random(5)
    lines = [_line(n, rng, "x" * 300) for n in range(100)]
    width = {len(line) for line in lines}
    assert len(width) == 1  # every line the same size: the count is exact
    sample = sample_file(_write(tmp_path / "even.jsonl", lines), 10)
    assert sample is not None and sample.expected == 100
    # The first line, then the line after each tenth of the file (the one the offset
    # falls at the start of is skipped as if it were cut).
    assert [p.arxiv_id for p in sample.papers] == [
        f"2401.{n:05d}" for n in [0, 11, 21, 31, 41, 51, 61, 71, 81, 91]
    ]


def test_a_real_snapshot_is_sampled_each_line_once(tmp_path) -> None:
    sample = sample_file(FIXTURES / "arxiv-snapshot.jsonl", 50)
    assert sample is not None
    assert [p.arxiv_id for p in sample.papers] == ["0704.0001", "0704.0002", "hep-th/9608091"]
    assert sample.expected == 3


@pytest.mark.parametrize("name", ["bibliography.bib", "arxiv.atom"])
def test_a_file_not_read_by_lines_is_not_sampled(name) -> None:
    assert sample_file(FIXTURES / name, 10) is None
