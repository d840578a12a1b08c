"""What checking index blocks against their checksums costs a search (`core.search.checksums`).

Builds a library of generated papers, then times the same queries through an index opened
with block checks and without, each in a fresh searcher (a fresh open is the dearest case, as
a CLI search is), and the time `write_state` takes to checksum a whole index after a rebuild.
Then, as in the reader (one searcher kept open), each query on its own, postings read from
disk (a fresh `Ranker`): unchecked, blocks checked once per open file, and blocks checked
again in each search (`ReadRounds`, what `SearchIndex` does).

    PYTHONPATH=src python benchmarks/checksum_overhead.py --papers 20000 /tmp/bench-lib
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from generate import write_library
from paperdeck.core.importer import import_file
from paperdeck.core.search import index_files as files
from paperdeck.core.search.checksums import ReadRounds, block_sums
from paperdeck.core.search.index import SearchIndex
from paperdeck.core.search.query import PaperQueryParser
from paperdeck.core.search.ranking import Ranker
from paperdeck.core.search.spelling import Vocabulary
from paperdeck.core.store import Library

QUERIES = ["learning", "language models", '"neural network"', "title:graph", "reinforc*"]


def timed_queries(folder: Path, sums: dict[str, list[int]] | None, rounds: int) -> list[float]:
    schema = files.make_schema()
    vocabulary = Vocabulary.load(folder)
    parser = PaperQueryParser(schema, lambda: vocabulary)
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        with files.open_index(folder, sums).searcher() as searcher:
            ranker = Ranker()
            for text in QUERIES:
                query = parser.parse(text).query
                if query is not None:
                    ranker.scores(searcher, query)
        times.append(time.perf_counter() - start)
    return times


def kept_open(
    folder: Path, sums: dict[str, list[int]] | None, rounds: ReadRounds | None, repeat: int
) -> list[float]:
    """Each query timed on one searcher kept open (after one untimed pass to warm it)."""
    schema = files.make_schema()
    vocabulary = Vocabulary.load(folder)
    parser = PaperQueryParser(schema, lambda: vocabulary)
    queries = [q for q in (parser.parse(text).query for text in QUERIES) if q is not None]
    times = []
    with files.open_index(folder, sums, rounds).searcher() as searcher:
        for n in range(repeat + 1):
            start = time.perf_counter()
            for query in queries:
                if rounds is not None:
                    rounds.next()
                Ranker().scores(searcher, query)
            if n:
                times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--papers", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("library", type=Path)
    args = parser.parse_args()
    if not (args.library / "library.sqlite3").exists():
        listing = write_library(args.library.with_suffix(".jsonl"), args.papers)
        with Library(args.library) as library:
            import_file(library, listing)
    with Library(args.library) as library, SearchIndex(library) as index:
        index.ensure()
    folder = args.library / "index"
    state, _stat = files.read_state(folder)
    assert state is not None
    size = sum((folder / name).stat().st_size for name in state.files)
    start = time.perf_counter()
    for name in state.files:
        block_sums(folder / name)
    sum_time = time.perf_counter() - start
    plain = timed_queries(folder, None, args.rounds)
    checked = timed_queries(folder, state.sums, args.rounds)
    p, c = statistics.median(plain), statistics.median(checked)
    print(f"index: {size / 1e6:.1f} MB in {len(state.files)} files")
    print(f"checksumming every file (what a rebuild adds): {sum_time * 1000:.0f} ms")
    print(f"open + {len(QUERIES)} queries, median of {args.rounds}:")
    print(f"  unchecked {p * 1000:.1f} ms, checked {c * 1000:.1f} ms ({(c / p - 1) * 100:+.1f}%)")
    plain = kept_open(folder, None, None, args.rounds)
    once = kept_open(folder, state.sums, None, args.rounds)
    each = kept_open(folder, state.sums, ReadRounds(), args.rounds)
    p, o, e = (statistics.median(t) for t in (plain, once, each))
    print(f"{len(QUERIES)} queries on a searcher kept open, median of {args.rounds}:")
    print(f"  unchecked {p * 1000:.1f} ms, checked once per open {o * 1000:.1f} ms")
    print(f"  checked again in each search {e * 1000:.1f} ms ({(e / p - 1) * 100:+.1f}%)")


if __name__ == "__main__":
    main()
