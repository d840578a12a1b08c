"""What the tests share: sample papers, hostile text, recorders for
the outside world, a reader factory, and waiting for the reader to settle.

The fixtures at the end are registered for every test folder by tests/conftest.py.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from paperdeck.core.models import Paper
from paperdeck.core.query_words import nothing_to_search_yet
from paperdeck.ui.app import PaperdeckApp
from paperdeck.ui.clipboard import Clipboard

FIXED_TODAY = date(2025, 6, 2)  # the demo's year-less dates are inferred from this
HOSTILE_TITLE = (
    "[bold red]x[/] [link=file:///etc/passwd]y[/link] [@click=app.quit]z[/]"
    "\x1b]52;c;ZXZpbA==\x07 \u202eevil\u202c"
)
# Rich markup that would act if parsed, and every kind of terminal control we know of.
MARKUP = "[bold red]x[/] [link=file:///etc/passwd]y[/link] [@click=app.quit]z[/]"
CONTROLS = (
    "\x1b]52;c;ZXZpbA==\x07"  # OSC 52: write the clipboard
    "\x1b]8;;file:///etc/passwd\x1b\\"  # OSC 8: a hyperlink
    "\x1b[31m\x1b[2J"  # CSI: colour, clear screen
    "\x9b31m\x9d0;title\x9c"  # 8-bit CSI and OSC
    "\x07\x08\x00\x7f\x85"  # C0, DEL, C1
    "\u202e\u2066\u200f"  # bidi overrides and marks
)
# Characters none of which may reach the screen from untrusted text.
FORBIDDEN = "\x1b\x07\x08\x00\x7f\x85\x9b\x9c\x9d\u202e\u2066\u200f"


def migration_changes_nothing(root: Path, version: int) -> None:
    """Run migration ``version`` again on the library at ``root`` (opened, so migrated once):
    it must find nothing left to change."""
    from paperdeck.core.schema import MIGRATIONS
    from paperdeck.core.store import Library

    Library(root).close()
    db = sqlite3.connect(root / "library.sqlite3")
    try:
        before = list(db.iterdump())
        migration = MIGRATIONS[version]
        db.executescript(migration) if isinstance(migration, str) else migration(db)
        assert db.total_changes == 0
        db.commit()
        assert list(db.iterdump()) == before
    finally:
        db.close()


def hostile(label: str) -> str:
    """``label`` wrapped in markup and controls: what a web page might slip into a field."""
    return f"{label} {MARKUP}{CONTROLS} end"


def clean_of_controls(text: str) -> bool:
    return not any(ch in text for ch in FORBIDDEN)


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
        with contextlib.suppress(WorkerCancelled):  # replaced by a newer one: fine
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def until(pilot: Pilot[Any], condition: Callable[[], bool], what: str) -> None:
    """Let the reader run until ``condition()`` holds: a wait on a condition, not on time
    (the bound only turns a hang into a failure naming ``what``)."""
    for _ in range(2_000):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError(f"never happened: {what}")


def at_rest(screen: Any) -> bool:
    """Whether nothing the main screen shows is still on its way: the query typed reached
    the view, the view is on the list, no worker runs, and the abstract (which waits for the
    highlight to rest) shows the highlighted paper with the view's words."""
    if any(worker.is_running for worker in screen.app.workers):
        return False
    typed = screen.search_bar.value.strip()  # "a", "at": not searched, the whole list
    if screen.paperset.query != ("" if nothing_to_search_yet(typed) else typed):
        return False
    if screen.status.keeps_view:  # a word still too short found nothing: the list stays
        return True
    if screen.shown_view != (screen.paperset, screen.pinned) or screen.details.waiting:
        return False
    shown = screen.abstract.paper
    terms = list(screen.view.terms) if screen.view is not None else []
    return (shown.id if shown else None) == screen.current_id and screen.abstract.terms == terms


async def come_to_rest(pilot: Pilot[Any]) -> None:
    """Wait on `at_rest` (not on time), then let what it set off run out."""
    await settle(pilot)
    await until(pilot, lambda: at_rest(pilot.app.screen), "the reader came to rest")
    await settle(pilot)


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


def capture_notifications_with_markup(app: Any) -> list[tuple[str, bool]]:
    """Every notification's (text, whether it is parsed as markup), via the public `notify`."""
    seen: list[tuple[str, bool]] = []
    original = app.notify

    def notify(message: str, *args: Any, **kwargs: Any) -> None:
        seen.append((str(message), kwargs.get("markup", True)))
        original(message, *args, **kwargs)

    app.notify = notify
    return seen


def children_of(pid: int) -> list[int]:
    """The child processes of ``pid`` (Linux: /proc), [] if it has none or is gone."""
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def running(pid: int) -> bool:
    """Whether ``pid`` exists and is not a zombie (an orphan's reaper may be slow or absent)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


# -- fixtures (registered in tests/conftest.py) -------------------------------------------


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "config.toml"


@pytest.fixture
def pyperclip() -> Recorder:
    return Recorder()


@pytest.fixture
def browser() -> Recorder:
    return Recorder()


@pytest.fixture
def make_app(
    config_path: Path, pyperclip: Recorder, browser: Recorder
) -> Callable[..., PaperdeckApp]:
    """Every reader under test: a temporary library and config, the read mark delay off
    (tests that want it pass one), the cursor blink off, a clipboard whose pyperclip is a
    recorder, and a browser that only records."""

    def factory(root: Path, **options: Any) -> PaperdeckApp:
        options.setdefault("config_path", config_path)
        options.setdefault(
            "clipboard",
            Clipboard(copy_function=pyperclip, environ={"DISPLAY": ":0"}, platform="linux"),
        )
        options.setdefault("open_url", browser)
        options.setdefault("read_delay", None)
        options.setdefault("cursor_blink", False)
        options.setdefault("today", FIXED_TODAY)
        return PaperdeckApp(root, **options)

    return factory
