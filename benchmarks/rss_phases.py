"""Where the reader's memory peaks: `reader_bench.py` with RSS sampled every 10 ms, by phase.

    python benchmarks/rss_phases.py LIBRARY

The phase is what the harness was doing when the sample was taken: typing a query (named
by what the field held), moving the cursor, or starring. Prints one JSON object: the
reader's peak RSS and the highest samples' phases (Linux: reads /proc/self/status).
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import reader_bench  # noqa: E402

PHASE = ["open"]
PEAKS: dict[str, int] = {}


def _rss_mb() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) // 1024
    return 0


def _sample() -> None:
    while True:
        phase = PHASE[0]
        PEAKS[phase] = max(PEAKS.get(phase, 0), _rss_mb())
        time.sleep(0.01)


def main() -> None:
    typed = reader_bench._post_key

    def post_key(app, char: str) -> None:  # type: ignore[no-untyped-def]
        field = app.screen.search_bar.input
        if app.focused is field:
            PHASE[0] = "typing " + (field.value + char)[:14]
        else:
            PHASE[0] = {"down": "cursor", "up": "cursor", "s": "star"}.get(char, char)
        typed(app, char)

    reader_bench._post_key = post_key
    threading.Thread(target=_sample, daemon=True).start()
    out = asyncio.run(reader_bench.bench(Path(sys.argv[1]), 1))
    top = sorted(PEAKS.items(), key=lambda item: -item[1])[:15]
    print(json.dumps({"reader_peak_rss_mb": out["reader_peak_rss_mb"], "phases_mb": top}))


if __name__ == "__main__":
    main()
