"""Helpers for the reader tests: sample papers, recorders, and waiting for the app to settle."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from paperdeck.core.models import Paper

FIXED_TODAY = date(2025, 6, 2)  # the demo's year-less dates are inferred from this
HOSTILE_TITLE = (
    "[bold red]x[/] [link=file:///etc/passwd]y[/link] [@click=app.quit]z[/]"
    "\x1b]52;c;ZXZpbA==\x07 \u202eevil\u202c"
)


def sample_papers() -> list[Paper]:
    """Forty papers with known links, categories and dates (newest first = list order)."""
    papers = [
        Paper(
            title="Attention Is All You Need Again",
            authors=["Ada Lovelace", "Alan Turing"],
            abstract="We revisit the transformer and its attention mechanism for translation.",
            date="2024-06-01",
            categories=["cs.CL"],
            affiliations=["tsinghua"],
            links=["https://github.com/ada/attn"],
            has_code=True,
            arxiv_id="2406.00001",
        ),
        Paper(
            title="Diffusion Models for Protein Folding",
            authors=["Rosalind Franklin"],
            abstract="A diffusion model predicts protein structure; diffusion beats folding baselines.",
            date="2024-05-01",
            categories=["cs.LG", "q-bio.BM"],
            affiliations=["stanford"],
            links=["https://github.com/bio/fold", "https://github.com/bio/fold-data"],
            has_code=True,
            arxiv_id="2405.00002",
        ),
        Paper(
            title="Reinforcement Learning from Human Feedback at Scale",
            authors=["Richard Sutton"],
            abstract="Reinforcement learning with human feedback aligns language models.",
            date="2024-04-01",
            categories=["cs.LG"],
            links=["https://rlhf.example.org/project"],
        ),
        Paper(
            title="Graph Neural Networks for Molecules",
            authors=["Marie Curie"],
            abstract="Graph networks predict molecular properties.",
            date="2024-03-01",
            categories=["cs.LG"],
            doi="10.1000/graph",
        ),
        Paper(
            title="A Survey of Large Language Models",
            authors=["Grace Hopper"],
            abstract="A survey of large language models, their training and evaluation.",
            date="2024-02-01",
            categories=["cs.CL"],
            affiliations=["tsinghua"],
            arxiv_id="2402.00005",
        ),
        Paper(
            title="Dangerous Link Paper",
            authors=["Mallory"],
            abstract="This paper carries a script link.",
            date="2024-01-15",
            links=["javascript:alert(1)"],
        ),
        Paper(
            title="Two Bad Links Paper",
            authors=["Mallory"],
            abstract="This paper carries a file link and a script link.",
            date="2024-01-10",
            links=["file:///etc/passwd", "javascript:alert(2)"],
        ),
    ]
    for n in range(33):
        papers.append(
            Paper(
                title=f"Filler Study Number {n:02d}",
                authors=[f"Author {n:02d}"],
                abstract=f"Filler abstract {n} about ordinary statistics.",
                date=f"2023-{12 - n // 28:02d}-{28 - n % 28:02d}",
                categories=["stat.ML"],
            )
        )
    return papers


SAMPLE_COUNT = 40


class Recorder:
    """Stands for pyperclip.copy or webbrowser.open; ``fail`` makes it raise."""

    def __init__(self, fail: bool = False) -> None:
        self.calls: list[str] = []
        self.fail = fail

    def __call__(self, text: str) -> bool:
        if self.fail:
            raise RuntimeError("no clipboard here")
        self.calls.append(text)
        return True


async def settle(pilot: Pilot[Any], delay: float = 0.0) -> None:
    """Let timers, workers and the messages they post run out."""
    await pilot.pause(delay)
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def write_config(path: Path, text: str) -> None:
    """The reader's config.toml, as a user would write it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def capture_notifications(app: Any) -> list[str]:
    """Record every notification's text (wrapping the public `App.notify`)."""
    seen: list[str] = []
    original = app.notify

    def notify(message: str, *args: Any, **kwargs: Any) -> None:
        seen.append(str(message))
        original(message, *args, **kwargs)

    app.notify = notify
    return seen
