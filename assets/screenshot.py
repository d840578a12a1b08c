"""Regenerate assets/screenshot.svg: the reader on the demo library at 120x35.

Run from the repository: `python assets/screenshot.py`. The demo is imported with a fixed
date and a few stars, tags and a note, so the picture changes only when the screen does.
"""

from __future__ import annotations

import asyncio
import tempfile
from datetime import date
from pathlib import Path

from paperdeck.core.demo import import_demo
from paperdeck.core.paperset import PaperSet
from paperdeck.core.store import Library
from paperdeck.ui.app import PaperdeckApp

HERE = Path(__file__).resolve().parent


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "demo"
        with Library(root) as library:
            import_demo(library, today=date(2025, 6, 2))
            ids = library.select(PaperSet())
            library.toggle_star(ids[1])
            library.toggle_star(ids[5])
            library.add_tags(ids[5], ["rl", "to-read"])
            library.add_tags(ids[1], ["rl"])
            library.set_read(ids[3], True)
            library.set_note(ids[5], "Strong baseline for **test-time RL**.")
        app = PaperdeckApp(
            root,
            config_path=Path(folder) / "config.toml",
            read_delay=None,
            cursor_blink=False,
            demo=True,
        )
        async with app.run_test(size=(120, 35)) as pilot:
            for _ in range(3):
                await app.workers.wait_for_complete()
                await pilot.pause()
            await pilot.press(*"jjjjj")
            await app.workers.wait_for_complete()
            await pilot.pause(0.3)
            app.save_screenshot("screenshot.svg", path=str(HERE))


if __name__ == "__main__":
    asyncio.run(main())
