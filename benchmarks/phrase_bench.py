"""Phrases searched as a first search, in process: `SearchIndex.search` after `drop_caches`.

    python phrase_bench.py LIBRARY [ROUNDS] [QUERY ...]

For each query, ROUNDS times (alternating the queries): the kept postings are dropped, then
the reader's two steps are timed: the best 200 (``complete=False``: first results) and then
the complete list with its exact count. Prints one JSON object: per query the wall and CPU
milliseconds of each step (median and max over the rounds), the total, and a digest of the
ids so that two versions of the code can be compared for the same answer. What it does not
measure: a new process (imports, opening the index), frames written to a terminal, the
OS file cache going cold (the first round warms it and is not counted).
"""

from __future__ import annotations

import hashlib
import json
import os
import statistics
import sys
import time
from pathlib import Path

QUERIES = [
    '"large language model"',
    '"neural network"',
    '"reinforcement learning"',
    'title:"large language model"',
    '"language model" transformer',
    '"learning ananvor"',
    '"state of the art"',
]


def main() -> None:
    from paperdeck.core.search.index import SearchIndex
    from paperdeck.core.store import Library

    root = Path(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    queries = sys.argv[3:] or QUERIES
    out: dict[str, object] = {"load_before": os.getloadavg(), "rounds": rounds}
    with Library(root) as library, SearchIndex(library) as index:
        t0 = time.perf_counter()
        index.ensure()
        out["ensure_s"] = round(time.perf_counter() - t0, 2)
        timings: dict[str, dict[str, list[float]]] = {q: {} for q in queries}
        answers: dict[str, dict[str, object]] = {}
        for n in range(rounds + 1):
            for q in queries:
                index.drop_caches()
                w0, c0 = time.perf_counter(), time.process_time()
                first = index.search(q, complete=False)
                w1, c1 = time.perf_counter(), time.process_time()
                whole = index.search(q, complete=True) if not first.complete else first
                w2, c2 = time.perf_counter(), time.process_time()
                if n == 0:
                    digest = hashlib.sha256("\n".join(whole.ids).encode()).hexdigest()[:16]
                    answers[q] = {
                        "total": whole.total,
                        "first_total": first.total,
                        "first_estimated": first.estimated,
                        "ids": digest,
                        "top": hashlib.sha256("\n".join(first.ids).encode()).hexdigest()[:16],
                    }
                    continue  # the OS file cache warmed: not counted
                for name, value in (
                    ("first_ms", (w1 - w0) * 1000),
                    ("first_cpu_ms", (c1 - c0) * 1000),
                    ("complete_ms", (w2 - w0) * 1000),
                    ("complete_cpu_ms", (c2 - c0) * 1000),
                ):
                    timings[q].setdefault(name, []).append(value)
        out["queries"] = {
            q: {
                **answers[q],
                **{
                    name: [round(statistics.median(v), 1), round(max(v), 1)]
                    for name, v in timings[q].items()
                },
            }
            for q in queries
        }
    out["load_after"] = os.getloadavg()
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
