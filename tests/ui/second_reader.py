"""A second reader in a process of its own, for the live tests (run as a script).

It opens the library headless (Textual's Pilot, as a person's reader would be but without a
terminal), stars the paper it opens on and prints ``starred ID``; then it waits, pressing no
key, until its own screen shows the paper ``WAIT_FOR`` starred by the other reader, and prints
its title line. It gives up after 60 s (then the test fails on what it printed).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from paperdeck.ui.app import PaperdeckApp

sys.path.insert(0, str(Path(__file__).parents[1]))  # run as a script: testkit is in tests/
from testkit import settle  # noqa: E402


async def main(root: Path, config: Path, wait_for: str) -> None:
    app = PaperdeckApp(root, config_path=config, read_delay=None, cursor_blink=False)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, 0.5)  # tolerates a worker a newer one replaced
        await pilot.press("s")
        print("starred", app.screen.current_id, flush=True)
        for _ in range(600):
            await pilot.pause(0.1)
            row = app.screen.papers.shown_row(wait_for)
            if row is not None and row.starred and "2 starred" in app.screen.sub_title:
                break
        print(app.screen.sub_title, flush=True)


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]))
