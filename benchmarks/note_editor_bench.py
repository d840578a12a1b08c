"""The note editor (`n`) with a huge note: a key typed to its echo on screen.

`python note_editor_bench.py [--chars N ...] [--line L] [--keys K]` builds a throwaway library
of one paper whose note is N characters (lines of L characters, 0: one line, the worst case),
opens the reader under Pilot at 120x35, presses `n`, then types K keys, each timed from the key
posted (as the terminal driver posts it) to the screen refreshed with it; prints one JSON
object per size. Composed headless, not written to a terminal: the terminal's own cost is not
in it. A note over the library's limit is written as another tool would (straight into
SQLite), which is how a note that big can still meet the reader.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from textual import events  # noqa: E402
from textual.widgets import TextArea  # noqa: E402

from paperdeck.core.models import Paper  # noqa: E402
from paperdeck.core.store import DB_NAME, Library  # noqa: E402
from paperdeck.ui.app import PaperdeckApp  # noqa: E402
from stats import summary  # noqa: E402


def note_of(chars: int, line: int) -> str:
    if not line:
        return ("note " * (chars // 5 + 1))[:chars]
    row = "w" * (line - 1)
    return "\n".join([row] * max(1, chars // line))[:chars]


async def _until(predicate, timeout: float = 600.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            return False
        await asyncio.sleep(0.0005)
    return True


async def _refreshed(app: PaperdeckApp) -> float:
    done = asyncio.Event()
    app.call_after_refresh(done.set)
    await done.wait()
    return time.perf_counter()


async def bench(root: Path, chars: int, line: int, keys: int) -> dict[str, object]:
    with Library(root / "lib") as library:
        paper_id = library.add_papers([Paper(title="A paper", date="2024-01-02")]).ids[0]
    with sqlite3.connect(root / "lib" / DB_NAME) as db:
        db.execute("UPDATE papers SET note = ? WHERE id = ?", (note_of(chars, line), paper_id))
    app = PaperdeckApp(
        root / "lib", config_path=root / "config.toml", read_delay=None, cursor_blink=False
    )
    out: dict[str, object] = {"chars": chars, "line": line or chars}
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        notes: list[str] = []  # a note over the limit: a notification instead of the editor
        notify = app.notify

        def noted(message: str, *args: Any, **kwargs: Any) -> None:
            notes.append(str(message))
            notify(message, *args, **kwargs)

        app.notify = noted  # type: ignore[method-assign]
        t0 = time.perf_counter()
        await pilot.press("n")
        await _until(lambda: bool(app.screen.query(TextArea)) or bool(notes))
        opened = bool(app.screen.query(TextArea))
        out["open_s"] = round(await _refreshed(app) - t0, 3) if opened else None
        if not opened:  # refused (over the limit): the notice says why
            out["refused"] = notes
            return out
        area = app.screen.query_one(TextArea)
        echoes = []
        for _ in range(keys):
            before = area.document.line_count, len(area.document[area.cursor_location[0]])
            t0 = time.perf_counter()
            app.post_message(events.Key("x", "x"))
            await _until(
                lambda b=before: (
                    (
                        area.document.line_count,
                        len(area.document[area.cursor_location[0]]),
                    )
                    != b
                )
            )
            echoes.append((await _refreshed(app) - t0) * 1000)
            await asyncio.sleep(0.05)
        out["echo_ms"] = summary(echoes)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chars", type=int, nargs="+", default=[100_000, 1_000_000, 3_000_000])
    parser.add_argument("--line", type=int, default=0, help="characters a line (0: one line)")
    parser.add_argument("--keys", type=int, default=10)
    args = parser.parse_args()
    for chars in args.chars:
        with tempfile.TemporaryDirectory(prefix="paperdeck-note-bench-") as folder:
            result = asyncio.run(bench(Path(folder), chars, args.line, args.keys))
        result["load"] = os.getloadavg()[0]
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
