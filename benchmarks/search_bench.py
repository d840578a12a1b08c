"""The library search alone against a bare warm Whoosh searcher, and 1,000 edits synced.

Run by `run.py` in its own process: `python search_bench.py LIBRARY FLOOR_INDEX EDITS`.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from queries import QUERIES  # noqa: E402
from stats import summary  # noqa: E402


def bare_whoosh(folder: Path, rounds: int) -> dict[str, object]:
    from whoosh import index

    from floors import floor_parser

    ix = index.open_dir(str(folder))
    parser = floor_parser(ix.schema)
    times = []
    with ix.searcher() as searcher:
        for q in QUERIES:  # warm
            searcher.search(parser.parse(q), limit=50)
        for _ in range(rounds):
            for q in QUERIES:
                t0 = time.perf_counter()
                hits = searcher.search(parser.parse(q), limit=50)
                [hit["id"] for hit in hits]
                times.append((time.perf_counter() - t0) * 1000)
    return summary(times)


def library_search(root: Path, rounds: int) -> tuple[dict[str, object], dict[str, float]]:
    from paperdeck.core.search.index import SearchIndex
    from paperdeck.core.store import Library

    with Library(root) as library, SearchIndex(library) as index:
        index.ensure()
        for q in QUERIES:
            index.search(q)
        times, per_query = [], {}
        for _ in range(rounds):
            for q in QUERIES:
                index.drop_caches()  # each search as a first one: nothing kept from the last
                t0 = time.perf_counter()
                index.search(q)
                ms = (time.perf_counter() - t0) * 1000
                times.append(ms)
                per_query[q] = min(ms, per_query.get(q, ms))
    return summary(times), per_query


def edits(root: Path, count: int, batch: int) -> dict[str, object]:
    from paperdeck.core.paperset import PaperSet

    """``count`` notes and tags, synced every ``batch`` edits as the reader does."""
    from paperdeck.core.search.index import SearchIndex
    from paperdeck.core.store import Library

    with Library(root) as library, SearchIndex(library) as index:
        index.ensure()
        ids = library.first_ids(PaperSet(), count)
        writes, syncs = [], []
        for n, paper_id in enumerate(ids, 1):
            t0 = time.perf_counter()
            if n % 2:
                library.set_note(paper_id, f"benchmark note {n}")
            else:
                library.add_tags(paper_id, ["bench-edit"])
            writes.append((time.perf_counter() - t0) * 1000)
            if n % batch == 0:
                t0 = time.perf_counter()
                index.sync()
                syncs.append((time.perf_counter() - t0) * 1000)
        index.sync()
        return {
            "edits": len(ids),
            "batch": batch,
            "write_ms": summary(writes),
            "sync_ms": summary(syncs),
            "segments": index.segment_count(),
        }


def main() -> None:
    root, floor, count = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    ours, per_query = library_search(root, rounds)
    out = {
        "search_ms": ours,
        "search_per_query_ms": per_query,
        "bare_whoosh_ms": bare_whoosh(floor, rounds),
        "edits": edits(root, count, 5),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
