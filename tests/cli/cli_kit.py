"""What the CLI tests share: the demo seeds, two of their titles, and `Cli`, which runs a
command in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from paperdeck.cli import main

DEMO = Path(__file__).resolve().parents[2] / "assets" / "demo"
LISTING = DEMO / "author-listing.txt"
DAILY = DEMO / "daily-papers.txt"
TTRL = "TTRL: Test-Time Reinforcement Learning"
SURVEY = "A Survey of Reinforcement Learning for Large Reasoning Models"


class Cli:
    """Runs `paperdeck --library ROOT ...` in-process and captures what it printed."""

    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.root = root
        self.capsys = capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = main(["--library", str(self.root), *args])
        out, err = self.capsys.readouterr()
        return code, out, err

    def json(self, *args: str) -> list[dict]:
        code, out, err = self("search", "--json", *args)
        papers = json.loads(out)
        assert code == (0 if papers else 1), err  # nothing found: exit 1, as grep does
        return papers

    def id_of(self, title: str) -> str:
        return next(p["id"] for p in self.json() if p["title"] == title)


def mark_two(seeded: Cli) -> tuple[str, str]:
    ttrl, survey = seeded.id_of(TTRL), seeded.id_of(SURVEY)
    seeded("star", ttrl, survey)
    seeded("tag", ttrl, "rl", "to-read")
    seeded("note", ttrl, "Reward = <b>majority</b> vote [x](javascript:y)\n- try AIME")
    return ttrl, survey
