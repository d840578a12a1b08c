"""A search typed just after esc brought the whole library back, in a real pseudo-terminal.

    python benchmarks/esc_bench.py LIBRARY [ROUNDS]

Each round starts a new reader (120x40), searches a word and waits for its exact count,
presses esc (the whole list and the library's counts are read again: seconds of SQL at a
million papers before schema 10), waits 0.3 s, then types `/` and a query at ~12 keys a
second. From the query's last key it times the first frame naming a count for it, and the
frame naming its exact count. Prints one JSON object.

What it does not measure: the same with the sidebar's counts of the esc still being read
(they wait 0.15 s and may be running or not at the 0.3 s mark), or a terminal emulator's
drawing (the frames are read from the pseudo-terminal).
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
from typed_bench import Terminal, _status, reader_env  # noqa: E402

FIRST, THEN = "neural", "transformer"


def one_round(library: Path, env: dict[str, str]) -> dict[str, object]:
    argv = [sys.executable, "-m", "paperdeck", "--library", str(library)]
    term = Terminal(argv, env, (120, 40))
    try:
        if term.wait_for(re.compile(rb"\d+ papers"), 0, 300) is None:
            return {"error": "no first paint"}
        term.type("/", 0.5)
        term.type(FIRST, 0.08)
        if term.wait_for(_status(FIRST, exact=True), 0, 600) is None:
            return {"error": "the first search never finished"}
        term.type("\x1b", 0.3)  # esc: the whole library again
        term.type("/", 0.08)
        term.type(THEN[:-1], 0.08)
        mark = len(term.text)
        t0 = time.perf_counter()
        term.type(THEN[-1], 0.0)
        first = term.wait_for(_status(THEN, exact=False), mark, 120)
        exact = term.wait_for(_status(THEN, exact=True), mark, 120)
        return {
            "first_ms": None if first is None else (first - t0) * 1000,
            "exact_ms": None if exact is None else (exact - t0) * 1000,
        }
    finally:
        term.close()


def main() -> None:
    library = Path(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    env = reader_env("paperdeck-esc-")
    samples = [one_round(library, env) for _ in range(rounds)]
    firsts = [s["first_ms"] for s in samples if isinstance(s.get("first_ms"), float)]
    exacts = [s["exact_ms"] for s in samples if isinstance(s.get("exact_ms"), float)]
    print(
        json.dumps(
            {
                "first_ms": summary(firsts),  # type: ignore[arg-type]
                "exact_ms": summary(exacts),  # type: ignore[arg-type]
                "samples": samples,
                "load_average": os.getloadavg(),
            }
        )
    )


if __name__ == "__main__":
    main()
