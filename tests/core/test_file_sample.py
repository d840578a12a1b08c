"""Papers sampled from a file before it is imported (`file_sample`): lines spread over it,
each read once; a file not read a line at a time is not sampled."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from paperdeck.core import file_sample
from paperdeck.core.file_sample import sample_file, sample_files

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
    named = tmp_path / "arxiv-metadata-oai-snapshot.json"  # as arXiv names the real one
    named.write_bytes((FIXTURES / "arxiv-snapshot.jsonl").read_bytes())
    for path in (FIXTURES / "arxiv-snapshot.jsonl", named):
        sample = sample_file(path, 50)
        assert sample is not None
        assert [p.arxiv_id for p in sample.papers] == ["0704.0001", "0704.0002", "hep-th/9608091"]
        assert sample.expected == 3


@pytest.mark.parametrize("name", ["bibliography.bib", "arxiv.atom"])
def test_a_file_not_read_by_lines_is_not_sampled(name) -> None:
    assert sample_file(FIXTURES / name, 10) is None


def test_an_empty_or_pretty_printed_file_is_not_sampled(tmp_path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    assert sample_file(empty, 10) is None
    papers = [json.loads(_line(n, random.Random(n), "Text.")) for n in range(40)]
    pretty = tmp_path / "export.json"  # `paperdeck export --format json`: indented
    pretty.write_text(json.dumps(papers, indent=2), encoding="utf-8")
    assert sample_file(pretty, 10) is None
    assert sample_file(pretty, 10, format_name="json") is None


def test_a_line_longer_than_a_paper_stops_the_sample(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(file_sample, "MAX_LINE", 1000)
    rng = random.Random(2)
    lines = [_line(n, rng, "x" * 300) for n in range(20)]
    lines[15] = _line(15, rng, "y" * 5000)  # one record of a whole array on one line, say
    assert sample_file(_write(tmp_path / "long.jsonl", lines), 20) is None
    assert sample_file(_write(tmp_path / "short.jsonl", lines[:15]), 20) is not None


def test_crlf_lines_and_no_last_newline(tmp_path) -> None:
    rng = random.Random(4)
    lines = [_line(n, rng, "x" * 300) for n in range(30)]
    path = tmp_path / "windows.jsonl"
    path.write_bytes("\r\n".join(lines).encode())  # no newline after the last
    sample = sample_file(path, 30)
    assert sample is not None
    assert [p.arxiv_id for p in sample.papers] == [f"2401.{n:05d}" for n in range(30)]
    assert sample.expected == 30


def test_files_are_sampled_by_their_share_of_the_bytes(tmp_path) -> None:
    rng = random.Random(6)
    big = _write(tmp_path / "big.jsonl", [_line(n, rng, "x" * 300) for n in range(300)])
    small = _write(tmp_path / "small.jsonl", [_line(n, rng, "x" * 300) for n in range(300, 400)])
    sample = sample_files([str(big), str(small)], 40)
    assert sample is not None and sample.expected == 400
    ids = [p.arxiv_id for p in sample.papers]
    assert len([i for i in ids if i < "2401.00300"]) == 30  # 3/4 of the bytes
    assert len([i for i in ids if i >= "2401.00300"]) == 10
    assert sample_files([str(big), str(tmp_path / "gone.jsonl")], 40) is None
