"""`paperdeck search Q --json --limit 50` against a bare Whoosh script doing the same work.

    python benchmarks/cli_bench.py LIBRARY FLOOR_INDEX [ROUNDS]

Each run is a whole process (import, open, search, print the 50 best as JSON); the floor
(`floors.py whoosh-search`) is Whoosh's own MultifieldParser over the same fields, with our
field names (`author:`, `tag:`, `cat:`) as aliases, and `search(limit=50)`. The two
alternate, query by query, over the query set of `typed_bench.py` (the half-typed prefixes
as the prefix queries the reader widens them to). Prints one JSON object.

paperdeck's modules are compiled to bytecode first, as `pip install` leaves them: where
PYTHONDONTWRITEBYTECODE is set, each run would otherwise compile them again (~90 ms), as
Whoosh's, compiled at its install, are not. Every file of the library and of the floor's
index is read once first, so the OS file cache is warm for both.
"""

from __future__ import annotations

import compileall
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from stats import summary  # noqa: E402
from typed_bench import typed_queries, warm_file_cache  # noqa: E402


def _seconds(argv: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t0


def bench(library: Path, floor: Path, rounds: int) -> dict[str, object]:
    import paperdeck

    compileall.compile_dir(Path(paperdeck.__file__).parent, quiet=1)
    warm_file_cache(library)  # both sides' files in the OS cache before the first run
    warm_file_cache(floor)
    ours = [sys.executable, "-m", "paperdeck", "--library", str(library), "search"]
    bare = [sys.executable, str(HERE / "floors.py"), "whoosh-search", str(floor)]
    per_query: dict[str, dict[str, object]] = {}
    all_ours, all_bare = [], []
    for kind, query in typed_queries():
        q = f"{query}*" if kind == "half-typed prefix" else query
        mine, floor_ms = [], []
        for _ in range(rounds):
            floor_ms.append(_seconds([*bare, q, "50"]) * 1000)
            mine.append(_seconds([*ours, q, "--json", "--limit", "50"]) * 1000)
        all_ours += mine
        all_bare += floor_ms
        ours_p50, bare_p50 = summary(mine)["p50"], summary(floor_ms)["p50"]
        per_query[q] = {
            "kind": kind,
            "ours_ms": summary(mine),
            "floor_ms": summary(floor_ms),
            "ratio_p50": ours_p50 / bare_p50 if bare_p50 else None,
        }
    return {
        "ours_ms": summary(all_ours),
        "floor_ms": summary(all_bare),
        "ratio_of_p50s": summary(all_ours)["p50"] / summary(all_bare)["p50"],
        "worst_query_ratio": max(
            (v["ratio_p50"] for v in per_query.values() if v["ratio_p50"]), default=None
        ),
        "per_query": per_query,
        "load_average": os.getloadavg(),
    }


def main() -> None:
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    print(json.dumps(bench(Path(sys.argv[1]), Path(sys.argv[2]), rounds)))


if __name__ == "__main__":
    main()
