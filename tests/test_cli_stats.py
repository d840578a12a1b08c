"""`paperdeck stats` names sources as the sidebar does, through the one terminal sanitiser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from paperdeck.cli import main
from paperdeck.core.models import Paper
from paperdeck.core.store import Library


def stats(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert main(["--library", str(root), "stats", *args]) == 0
    return capsys.readouterr().out


def test_sources_are_named_as_the_sidebar_names_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "lib"
    same_name = [str(tmp_path / "a" / "papers.bib"), str(tmp_path / "b" / "papers.bib")]
    hostile = str(tmp_path / "evil\x1b]0;pwned\x07\x1b[2J.txt")
    sources = ["feed:cs.CL", "feed:cs.CL", "feed:cs.CL", *same_name, hostile, hostile]
    with Library(root) as library:
        papers = [Paper(f"Paper {n}", sources=[source]) for n, source in enumerate(sources)]
        library.add_papers(papers)
    out = stats(root, capsys)
    rows = out.splitlines()
    start = rows.index("sources:")
    assert rows[start + 1 : start + 5] == [
        "       3  feed: cs.CL",
        "       2  evil.txt",  # the file's name, its escape sequences removed
        f"       1  {same_name[0]}",  # two files named papers.bib keep their paths
        f"       1  {same_name[1]}",
    ]
    assert "\x1b" not in out and "\x07" not in out
    raw = json.loads(stats(root, capsys, "--json"))["sources"]
    assert raw["feed:cs.CL"] == 3 and raw[same_name[0]] == 1
