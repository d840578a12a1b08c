"""In-process cost of a first search: CPU time and postings read, caches dropped before each.

`python and_bench.py LIBRARY ROUNDS [QUERY ...]`: opens the library's index once (`ensure`,
which may derive or upgrade files: run it on a copy), then for each query and round drops
the index's kept postings (`SearchIndex.drop_caches`: the next search reads as a first one
does, with the OS file cache warm) and times, with `time.process_time` (this process's CPU,
so other processes' load inflates it less than wall time), the reader's two steps: the best
200 first (`complete=False`), then the complete list with the exact count. Postings read
are those the impact-list searches report (`TopK.read`). Prints one JSON line per query.

Not measured: the Python start and index open of a new process (`cli_bench.py` does),
frames painted (`typed_bench.py`), a cold OS file cache, memory.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

DEFAULT = [
    "large language model",
    "neural network training",
    "learning model",
    "deep reinforcement learning",
    "learning anancin",
    "learning",
]


def main() -> None:
    from paperdeck.core.search import index as index_module
    from paperdeck.core.search.index import SearchIndex
    from paperdeck.core.store import Library

    root = Path(sys.argv[1])
    rounds = int(sys.argv[2])
    queries = sys.argv[3:] or DEFAULT
    read = [0]
    original = index_module.top_k_by_impacts

    def counted(*args: Any, **kwargs: Any) -> Any:
        found = original(*args, **kwargs)
        if found is not None:
            read[0] += found.read
        return found

    index_module.top_k_by_impacts = counted  # type: ignore[assignment]
    with Library(root) as library, SearchIndex(library) as index:
        t0 = time.perf_counter()
        index.ensure()
        opened = time.perf_counter() - t0
        print(json.dumps({"ensure_s": round(opened, 2), "load": os.getloadavg()}), flush=True)
        for q in queries:
            index.search(q, ranked=200, complete=False)  # warm the OS cache and the code
            first, whole, reads, totals = [], [], [], []
            for _ in range(rounds):
                index.drop_caches()
                read[0] = 0
                t0 = time.process_time()
                head = index.search(q, ranked=200, complete=False)
                t1 = time.process_time()
                at_first = read[0]
                full = index.search(q, ranked=200, complete=True)
                t2 = time.process_time()
                first.append((t1 - t0) * 1000)
                whole.append((t2 - t0) * 1000)
                reads.append((at_first, read[0] - at_first))
                totals.append((head.total, head.estimated, full.total))
            print(
                json.dumps(
                    {
                        "query": q,
                        "first_ms": [round(x, 1) for x in first],
                        "first_p50": round(statistics.median(first), 1),
                        "complete_p50": round(statistics.median(whole), 1),
                        "postings_read_first_complete": reads[0],
                        "total": totals[0],
                        "load": os.getloadavg(),
                    }
                ),
                flush=True,
            )


if __name__ == "__main__":
    main()
