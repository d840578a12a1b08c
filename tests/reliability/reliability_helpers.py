"""Helpers for the reliability tests: hostile text, recorders, waiting for the reader."""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.worker import WorkerCancelled

FIXED_TODAY = date(2025, 6, 2)

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


def hostile(label: str) -> str:
    """``label`` wrapped in markup and controls: what a web page might slip into a field."""
    return f"{label} {MARKUP}{CONTROLS} end"


def clean_of_controls(text: str) -> bool:
    return not any(ch in text for ch in FORBIDDEN)


class Recorder:
    """Stands for pyperclip.copy or webbrowser.open."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, text: str) -> bool:
        self.calls.append(text)
        return True


async def settle(pilot: Pilot[Any], delay: float = 0.0) -> None:
    """Let timers, workers and the messages they post run out."""
    await pilot.pause(delay)
    for _ in range(3):
        with contextlib.suppress(WorkerCancelled):  # replaced by a newer one: fine
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def capture_notifications(app: Any) -> list[tuple[str, bool]]:
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
