"""Cursor moves in the reader, as pressed in a real pseudo-terminal, timed to the frame.

    python benchmarks/cursor_bench.py LIBRARY [ROUNDS]

For each round a new reader process is started in a 120x40 pseudo-terminal (as
`typed_bench.py` does). `j` is pressed 12 times, 50 ms apart (a key held down repeats about
that fast), first in the whole list as the reader opens, then in the list of a search for
`learning` (every paper of a generated library holds it), once its exact count is shown.
Everything the reader writes is kept with the time it arrived, and replayed through a
terminal emulator (pyte) after the timing: each press is timed from when it was written to
the first frame whose highlighted row (the row drawn in the cursor's colour) is the one the
press moved to, or further (presses that came together are drawn together). Prints one
JSON object.

What it does not measure: moves that scroll the list (the 12 stay on the first screen),
the abstract pane that follows the cursor a moment later, or `PageDown`/`G` jumps.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from stats import summary  # noqa: E402
from typed_bench import SIZE, Terminal, _status, reader_env, warm_file_cache  # noqa: E402

PRESSES = 12  # the list shows ~17 rows at 40 lines: none of the moves scrolls it
PAUSE = 0.05  # seconds between presses
EDGE = "\u2595"  # the sidebar's right edge: the list's rows start after it
QUERY = "learning"


def cursor_rows(
    term: Terminal, since: int, colour: str
) -> tuple[int | None, list[tuple[float, int | None]]]:
    """The screen line highlighted (drawn with background ``colour``) when ``since`` bytes
    had come, and after each later read (its time, the line)."""
    import pyte  # the bench extra; imported late so the harness itself needs nothing

    screen = pyte.Screen(*SIZE)
    stream = pyte.ByteStream(screen)
    before: int | None = None
    out: list[tuple[float, int | None]] = []
    fed = 0
    for at, end in term.arrivals:
        stream.feed(bytes(term.raw[fed:end]))
        fed = end
        found = [y for y, bg in _backgrounds(screen) if bg == colour]
        row = found[0] if len(found) == 1 else None
        if end > since:
            out.append((at, row))
        else:
            before = row
    return before, out


def _backgrounds(screen: object) -> list[tuple[int, str]]:
    """(line, background) of the lines right of the sidebar (the list's rows, the abstract
    pane's), taken in the blank cell that starts each (no search word is highlighted there)."""
    display = screen.display  # type: ignore[attr-defined]
    buffer = screen.buffer  # type: ignore[attr-defined]
    return [
        (y, buffer[y][line.find(EDGE) + 1].bg) for y, line in enumerate(display) if EDGE in line
    ]


def cursor_colour(term: Terminal) -> str | None:
    """The cursor's background: in the whole list as the reader opens, the one line's
    background that no other line has."""
    import pyte

    screen = pyte.Screen(*SIZE)
    pyte.ByteStream(screen).feed(bytes(term.raw))
    found = _backgrounds(screen)
    odd = [bg for _y, bg in found if sum(1 for _, other in found if other == bg) == 1]
    return odd[0] if len(odd) == 1 else None


def press(term: Terminal, colour: str) -> list[float | None]:
    """`j` pressed `PRESSES` times: ms from each press to its row highlighted."""
    term.settle(quiet=0.3, timeout=10)
    since = len(term.raw)
    sent = term.type("j" * PRESSES, PAUSE)
    term.settle(quiet=0.3, timeout=10)
    start, frames = cursor_rows(term, since, colour)
    if start is None:
        return [None] * PRESSES
    out: list[float | None] = []
    for n, at in enumerate(sent, 1):
        shown = next(
            (t for t, row in frames if t >= at and row is not None and row >= start + n), None
        )
        out.append(None if shown is None else (shown - at) * 1000)
    return out


def one_round(library: Path, env: dict[str, str]) -> dict[str, object]:
    argv = [sys.executable, "-m", "paperdeck", "--library", str(library)]
    term = Terminal(argv, env, SIZE)
    try:
        if term.wait_for(re.compile(rb"\d+ papers"), 0, 120) is None:
            return {"error": "no first paint"}
        term.settle(quiet=0.3, timeout=10)
        colour = cursor_colour(term)
        if colour is None:
            return {"error": "no highlighted row found"}
        whole = press(term, colour)
        term.type("/", 0.5)
        mark = len(term.text)
        term.type(QUERY, 0.08)
        if term.wait_for(_status(QUERY, exact=True), mark, 600) is None:
            return {"error": "no exact count", "whole_list_ms": whole}
        term.type("\r", 0.3)  # to the list: `j` moves its cursor
        return {"whole_list_ms": whole, "search_ms": press(term, colour)}
    finally:
        term.close()


def bench(library: Path, rounds: int) -> dict[str, object]:
    import pyte  # noqa: F401  (the bench extra: missing, say so before the first round)

    warm_file_cache(library)
    env = reader_env("paperdeck-cursor-")
    samples = [one_round(library, env) for _ in range(rounds)]

    def timings(key: str) -> list[float]:
        found = [s.get(key) for s in samples]
        return [t for times in found if isinstance(times, list) for t in times if t is not None]

    every = timings("whole_list_ms") + timings("search_ms")
    return {
        "cursor_ms": summary(every),
        "whole_list_ms": summary(timings("whole_list_ms")),
        "search_list_ms": summary(timings("search_ms")),
        "missing": PRESSES * 2 * rounds - len(every),
        "errors": sum(1 for s in samples if "error" in s),
        "samples": samples,
        "load_average": os.getloadavg(),
    }


def main() -> None:
    library = Path(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    started = time.perf_counter()
    result = bench(library, rounds)
    result["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
