"""The live reader on a library: what watching costs while idle, and how soon another
process's change shows.

    python benchmarks/live_bench.py LIBRARY [--seconds 10] [--rounds 5]

Prints one JSON object:
- ``poll_us``: one `LibraryWatch.poll()` when nothing changed (microseconds);
- ``idle_cpu_ms_watching`` / ``idle_cpu_ms_not_watching``: CPU time of a headless reader that
  sits idle for ``--seconds``, with the watch polling and without it;
- ``shown_after_s``: for each round, seconds from a `paperdeck star`/`unstar` process exiting
  to the reader drawing the row and the title line with it (no key pressed);
- ``papers``, and ``load_before`` / ``load_after``: the machine's 1-minute load average when
  the run began and ended (the machine is shared: latency follows the load, CPU time less).

It stars and unstars a paper of LIBRARY: run it on a copy.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from paperdeck.core.live import LibraryWatch
from paperdeck.core.store import Library
from paperdeck.ui.app import PaperdeckApp


def poll_cost(root: Path, calls: int = 20_000) -> float:
    with Library(root) as library:
        watch = LibraryWatch(library)
        start = time.perf_counter()
        for _ in range(calls):
            watch.poll()
        return (time.perf_counter() - start) / calls * 1e6


def make_app(root: Path, watching: bool) -> PaperdeckApp:
    config = Path(tempfile.mkdtemp(prefix="paperdeck-bench-")) / "config.toml"
    interval = 0.5 if watching else None
    return PaperdeckApp(
        root, config_path=config, read_delay=None, cursor_blink=False, watch_interval=interval
    )


async def settled(app: PaperdeckApp, pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)


async def idle_cpu(root: Path, watching: bool, seconds: float) -> float:
    app = make_app(root, watching)
    async with app.run_test(size=(120, 35)) as pilot:
        await settled(app, pilot)
        await pilot.pause(2.0)  # the index opened, the first counts done
        await settled(app, pilot)
        start = time.process_time()
        await asyncio.sleep(seconds)
        return (time.process_time() - start) * 1000


async def latency(root: Path, rounds: int) -> list[float]:
    app = make_app(root, True)
    times: list[float] = []
    async with app.run_test(size=(120, 35)) as pilot:
        await settled(app, pilot)
        screen = app.screen
        paper_id = screen.current_id
        assert paper_id is not None
        for _ in range(rounds):
            drawn = screen.papers.shown_row(paper_id)
            star = drawn is None or not drawn.starred  # the opposite of what it is now
            count = int(re.search(r"· (\d+) starred", screen.sub_title)[1])  # type: ignore[index]
            expected = f"· {count + (1 if star else -1)} starred ·"
            command = "star" if star else "unstar"
            await asyncio.to_thread(
                subprocess.run,
                [sys.executable, "-m", "paperdeck", "--library", str(root), command, paper_id],
                check=True,
                capture_output=True,
            )
            done = time.perf_counter()
            while time.perf_counter() - done < 30:
                row = screen.papers.shown_row(paper_id)
                if row is not None and row.starred == star and expected in screen.sub_title:
                    break
                await pilot.pause(0.01)
            times.append(round(time.perf_counter() - done, 3))
            await settled(app, pilot)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("library", type=Path)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    with Library(args.library) as library:
        papers = library.count()
    result = {
        "papers": papers,
        "poll_us": round(poll_cost(args.library), 1),
        "idle_cpu_ms_watching": round(asyncio.run(idle_cpu(args.library, True, args.seconds))),
        "idle_cpu_ms_not_watching": round(asyncio.run(idle_cpu(args.library, False, args.seconds))),
        "idle_seconds": args.seconds,
        "shown_after_s": asyncio.run(latency(args.library, args.rounds)),
        "load_before": round(load_before, 2),
        "load_after": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
