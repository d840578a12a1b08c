"""The store alone: an import's parse and SQLite writes, without the search index.

    python benchmarks/store_bench.py FILE.jsonl N WORKDIR

Imports the first N lines of FILE into a new library in WORKDIR (in process, as
`paperdeck import` does before its index) and prints the wall and CPU time, the bytes the
process wrote to the disk (`/proc/self/io`), its peak RSS, and how long each batch held
SQLite's write lock (what another process's write, a star in an open reader, waits for).
Environment, to compare settings without editing the code: BATCH (papers a transaction),
CKPT (the log's checkpoint size in pages, fixed), CACHE (the import's page cache, KiB as
SQLite's negative `cache_size`). What it does not measure: the index (see `run.py`), and a
disk shared with anything else.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import resource
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from paperdeck.core.importer import import_file
from paperdeck.core.store import Library, importing


def written_bytes() -> int:
    fields = dict(line.split(": ") for line in Path("/proc/self/io").read_text().splitlines())
    return int(fields["write_bytes"])


def main() -> None:
    source, count, work = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    work.mkdir(parents=True, exist_ok=True)
    part = work / f"first-{count}.jsonl"
    if not part.exists():
        with open(source, "rb") as lines, open(part, "wb") as out:
            out.writelines(itertools.islice(lines, count))
    root = work / "lib"
    shutil.rmtree(root, ignore_errors=True)
    library = Library(root)
    importing.IMPORT_BATCH = int(os.environ.get("BATCH", importing.IMPORT_BATCH))
    if "CACHE" in os.environ:
        importing.IMPORT_CACHE_SIZE = int(os.environ["CACHE"])
    if "CKPT" in os.environ:
        pages = int(os.environ["CKPT"])
        importing.IMPORT_WAL_PAGES = (pages, pages)
    holds: list[float] = []
    transaction = library.transaction

    @contextlib.contextmanager
    def timed() -> Iterator[object]:
        started = time.monotonic()
        with transaction() as db:
            yield db
        holds.append(time.monotonic() - started)

    library.transaction = timed  # type: ignore[method-assign, assignment]
    started, before = time.monotonic(), written_bytes()
    report = import_file(library, part)
    wall = time.monotonic() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    holds.sort()
    print(
        f"{count} papers: added {report.added} (error: {report.error}); wall {wall:.1f} s,"
        f" CPU {usage.ru_utime + usage.ru_stime:.1f} s, written"
        f" {(written_bytes() - before) / 1e9:.1f} GB, peak RSS {usage.ru_maxrss / 1024:.0f} MB,"
        f" load {os.getloadavg()[0]:.2f}"
    )
    print(
        f"write lock held a batch: p50 {holds[len(holds) // 2] * 1000:.0f} ms,"
        f" p95 {holds[int(len(holds) * 0.95)] * 1000:.0f} ms, max {holds[-1] * 1000:.0f} ms"
        f" ({len(holds)} batches; each includes the log's copy when one ran)"
    )


if __name__ == "__main__":
    main()
