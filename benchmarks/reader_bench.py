"""The reader under Pilot on a library: search as you type, star, cursor, list replace, RSS.

Run by `run.py` in its own process (`python reader_bench.py LIBRARY`); prints one JSON object.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from textual import events  # noqa: E402

from paperdeck.ui.app import PaperdeckApp  # noqa: E402
from paperdeck.ui.screens.main import MainScreen  # noqa: E402
from paperdeck.ui.widgets.paper_list import PaperList  # noqa: E402
from queries import QUERIES  # noqa: E402
from stats import summary  # noqa: E402

SHOWN: list[tuple[str, float]] = []  # (query, time the list showing it was painted)


PAINTED: list[tuple[int, float]] = []  # (list row drawn with the cursor on it, time)


def _hook() -> None:
    original_line = PaperList.render_line

    def render_line(self: PaperList, y: int):  # type: ignore[no-untyped-def]
        strip = original_line(self, y)
        if round(self.scroll_offset.y) + y == self.cursor:
            PAINTED.append((self.cursor, time.perf_counter()))
        return strip

    PaperList.render_line = render_line  # type: ignore[method-assign]
    original = MainScreen.show_view

    def show_view(self: MainScreen, view):  # type: ignore[no-untyped-def]
        original(self, view)
        query = self.paperset.query
        self.call_after_refresh(lambda: SHOWN.append((query, time.perf_counter())))

    MainScreen.show_view = show_view  # type: ignore[method-assign]


async def _refreshed(app: PaperdeckApp) -> float:
    done = asyncio.Event()
    app.call_after_refresh(done.set)
    await done.wait()
    return time.perf_counter()


async def _until(predicate, timeout: float = 60.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            return False
        await asyncio.sleep(0.0005)
    return True


def _post_key(app: PaperdeckApp, char: str) -> None:
    """A key as the terminal driver delivers it (not `Pilot.press`, which also waits for
    the whole process to go idle: with search threads running that is most of a second)."""
    key = _key(char)
    app.post_message(events.Key(key, char if len(char) == 1 else None))


def _key(char: str) -> str:
    names = {
        " ": "space",
        '"': "quotation_mark",
        "*": "asterisk",
        "(": "left_parenthesis",
        ")": "right_parenthesis",
        ":": "colon",
        "-": "minus",
        ".": "full_stop",
    }
    return names.get(char, char)


async def bench(root: Path, rounds: int) -> dict[str, object]:
    _hook()
    config = Path(tempfile.mkdtemp()) / "config.toml"
    app = PaperdeckApp(root, config_path=config, read_delay=None, cursor_blink=False)
    out: dict[str, object] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        started = time.perf_counter()
        await _until(lambda: app.search_service.ready, 600)
        await _until(lambda: screen.view is not None and not screen.view.partial)
        out["index_open_s"] = time.perf_counter() - started
        await app.workers.wait_for_complete()

        # Cursor moves: key to repaint.
        moves = []
        papers = screen.papers
        for i in range(rounds * 40):
            target = papers.cursor + (1 if i % 40 < 20 else -1)
            mark = len(PAINTED)
            t0 = time.perf_counter()
            _post_key(app, "down" if i % 40 < 20 else "up")
            # Key to the list's cursor row drawn (the abstract pane follows after it).
            await _until(lambda m=mark, c=target: any(r == c for r, _ in PAINTED[m:]), 5)
            moves.append(next(t for r, t in PAINTED[mark:] if r == target) - t0)
            await _refreshed(app)
            await asyncio.sleep(0.03)
        out["cursor_move_ms"] = summary([m * 1000 for m in moves])

        # Search as you type: the last keystroke of each query to its results painted;
        # every keystroke's echo (key to the search bar repainted) while searches run.
        await pilot.press("slash")
        results, echoes, alone = [], [], []
        field = screen.search_bar.input
        for _ in range(rounds):
            for query in QUERIES:
                field.value = ""
                await _until(lambda: not screen.paperset.query)
                await app.workers.wait_for_complete()
                for n, char in enumerate(query, 1):  # typed as a user would, searches running
                    t0 = time.perf_counter()
                    _post_key(app, char)
                    await _until(lambda n=n: len(field.value) == n, 5)
                    echoes.append(await _refreshed(app) - t0)
                    await asyncio.sleep(0.08)  # a fast typist: ~12 keys a second
                await _until(lambda q=query: any(s == q for s, _ in SHOWN[-3:]))
                await app.workers.wait_for_complete()
                # Now the measured keystroke: the query less its last character is shown.
                field.value = query[:-1]
                prefix = query[:-1].strip()
                await _until(lambda q=prefix: bool(SHOWN) and SHOWN[-1][0] == q)
                await app.workers.wait_for_complete()
                await asyncio.sleep(0.05)
                mark = len(SHOWN)
                t0 = time.perf_counter()
                _post_key(app, query[-1])
                ok = await _until(lambda q=query, m=mark: any(s == q for s, _ in SHOWN[m:]), 30)
                if ok:
                    shown = next(t for s, t in SHOWN[mark:] if s == query)
                    results.append(shown - t0)
                await app.workers.wait_for_complete()
                t0 = time.perf_counter()
                app.search_service.search(query)
                alone.append(time.perf_counter() - t0)
        out["keystroke_echo_ms"] = summary([e * 1000 for e in echoes])
        out["keystroke_to_results_ms"] = summary([r * 1000 for r in results])
        out["search_service_ms"] = summary([a * 1000 for a in alone])

        # List replace after a search: all papers <-> a search's results.
        replace = []
        big = screen.papers.ids  # held, not copied: what the reader holds is measured
        field.value = ""
        await _until(lambda: not screen.paperset.query and len(screen.papers.ids) > len(big))
        await app.workers.wait_for_complete()
        every = screen.papers.ids
        for i in range(rounds * 5):
            ids = big if i % 2 else every
            t0 = time.perf_counter()
            screen.papers.show(ids, keep=screen.current_id)
            replace.append(await _refreshed(app) - t0)
        out["list_replace_ms"] = summary([r * 1000 for r in replace])
        out["list_replace_rows"] = [len(big), len(every)]

        # Star toggle: key to SQLite commit, and to the Starred count on screen.
        screen.set_focus(screen.papers)
        await pilot.pause()
        library = screen.library
        original = library.toggle_star
        commits: list[float] = []

        def timed_toggle(paper_id: str) -> bool:
            t0 = time.perf_counter()
            result = original(paper_id)
            commits.append(time.perf_counter() - t0)
            return result

        library.toggle_star = timed_toggle  # type: ignore[method-assign]
        shown_counts = []
        for _ in range(rounds * 5):
            before = screen.sub_title
            t0 = time.perf_counter()
            _post_key(app, "s")
            if await _until(lambda b=before: screen.sub_title != b, 10):
                shown_counts.append(await _refreshed(app) - t0)
            await app.workers.wait_for_complete()
        out["star_sqlite_ms"] = summary([c * 1000 for c in commits])
        out["star_to_count_ms"] = summary([c * 1000 for c in shown_counts])

        # A tag, searchable through the index in the background.
        paper_id = screen.papers.highlighted_id
        assert paper_id is not None
        tag = f"bench{int(time.time())}"
        t0 = time.perf_counter()
        library.add_tags(paper_id, [tag])
        screen.paper_changed(paper_id)
        searchable = None
        while time.perf_counter() - t0 < 10:
            await asyncio.sleep(0.02)
            if paper_id in app.search_service.search(f"tag:{tag}").ids:
                searchable = time.perf_counter() - t0
                break
        out["tag_searchable_s"] = searchable
        library.remove_tags(paper_id, [tag])
        screen.paper_changed(paper_id)
        await asyncio.sleep(1.0)
        await app.workers.wait_for_complete()
    out["reader_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main() -> None:
    root = Path(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    print(json.dumps(asyncio.run(bench(root, rounds))))


if __name__ == "__main__":
    main()
