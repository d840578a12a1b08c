"""An index built while an import stores: the papers indexed as their batches commit.

An import large enough to outgrow the index (`index_writing.Outgrown`) used to store every
paper on one core while the other idled, then rebuild the index from the library: at a
million papers the store alone is a fifth of the import. Here a forked process builds the
new index as the import goes, reading the change log the import's batches write (each
batch is committed whole, so what it reads is always a set of whole papers), and swaps it
in once the import says it is done and the log is read to its end.

The index is derived: whatever goes wrong here (the process fails or is killed) leaves the
library as the import wrote it, and the sync that follows every import rebuilds the index
the usual way. A paper changed again after this build read it (the import merged a later
record into it, another session edited it) is logged once more (`Library.log_again`), so
that sync re-indexes it; the state records the log's position the build read up to.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh.fields import Schema

from paperdeck.core.models import Paper
from paperdeck.core.search import index_files as files
from paperdeck.core.search.index_workers import end_with_parent
from paperdeck.core.search.index_writing import OUTGROWN, writer_lock
from paperdeck.core.search.pairs import study, with_pairs
from paperdeck.core.search.slice_build import SliceBuild
from paperdeck.core.store import Library

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess
    from multiprocessing.sharedctypes import Synchronized
    from multiprocessing.synchronize import Event

Progress = Callable[[str, int, int], None]

FOLLOW_LABEL = "Indexing the imported papers"
READ_BATCH = 2000  # changes read from the log at a time
IDLE_WAIT = 0.2  # seconds between looks at the log when the import has written nothing new


@dataclass(frozen=True, slots=True)
class Job:
    """What the forked process needs, all known before the import writes anything."""

    root: Path  # the library's folder
    folder: Path  # the index's
    schema: Schema  # with the pair fields of the sample's collocations
    postings_per_paper: float
    expected: int  # papers the build will hold, estimated: it sizes the slices
    bulk: bool
    timeout: float


class FollowingBuild:
    """The process building the index beside an import; the caller holds the writer lock
    from `start` to `finish`."""

    def __init__(self, job: Job) -> None:
        import multiprocessing  # here: a search never starts a build

        self.job = job
        context = multiprocessing.get_context("fork")
        self._stored: Event = context.Event()
        self._done: Synchronized[int] = context.Value("q", 0, lock=False)
        self._process: BaseProcess = context.Process(
            target=_follow,
            args=(job, self._stored, self._done, os.getpid()),
            daemon=False,  # it forks the writers; it ends with this process all the same
        )
        self._held = ExitStack()

    def start(self, held: ExitStack) -> None:
        """Fork the build; ``held`` (the writer lock) is released when it ends."""
        self._held = held
        self._process.start()

    def finish(self, progress: Progress | None = None) -> bool:
        """Say the import has stored everything and wait for the index to be swapped in,
        reporting the papers indexed. False: it failed (the sync after rebuilds it)."""
        self._stored.set()
        while self._process.is_alive():
            if progress is not None:
                done = int(self._done.value)
                progress(FOLLOW_LABEL, done, max(self.job.expected, done + 1))
            self._process.join(IDLE_WAIT)
        self._held.close()
        return self._process.exitcode == 0

    def stop(self) -> None:
        """Kill the build (its writers end with it: `end_with_parent`); the folder it was
        writing is removed by the next build (`files.remove_leftovers`)."""
        if self._process.is_alive():
            self._process.kill()
        self._process.join(5)
        self._held.close()


def start_beside(
    library: Library,
    folder: Path,
    lock_path: Path,
    schema: Schema,
    expected: int,
    sample: Sequence[Paper],
    *,
    bulk_threshold: int,
    timeout: float,
) -> FollowingBuild | None:
    """`SearchIndex.follow_import`: a started build, or None."""
    from whoosh import index as windex

    from paperdeck.core.search.index_workers import may_fork

    if expected <= bulk_threshold or not may_fork():
        return None
    state, _stat = files.read_state(folder)
    exists = state is not None and windex.exists_in(str(folder))
    indexed = files.open_index(folder).doc_count() if exists else 0
    if library.count() + expected - indexed <= OUTGROWN * indexed:
        return None  # the sync after the import applies it
    held = ExitStack()
    if not held.enter_context(writer_lock(lock_path, timeout)):
        held.close()
        return None
    try:
        studied = study(schema, list(sample))
        build = FollowingBuild(
            Job(
                root=library.root,
                folder=folder,
                schema=with_pairs(schema, studied),
                postings_per_paper=studied.postings_per_paper,
                expected=library.count() + expected,
                bulk=True,
                timeout=timeout,
            )
        )
        build.start(held)
    except BaseException:
        held.close()
        raise
    return build


def _follow(job: Job, stored: Event, done: Synchronized[int], parent: int) -> None:
    """In the forked process: build, swap in, exit 0; on any failure, say so in one line
    and exit 1, leaving the index as it was."""
    end_with_parent(parent, forks=True)  # no watcher thread: the writers are forked here
    try:
        with Library(job.root) as library:
            _build(library, job, stored, done)
    except BaseException as exc:  # noqa: BLE001 - reported, and the sync after rebuilds
        print(f"paperdeck: the index was not built beside the import: {exc}", file=sys.stderr)
        sys.stderr.flush()
        os._exit(1)


def _build(library: Library, job: Job, stored: Event, done: Synchronized[int]) -> None:
    files.remove_leftovers(job.folder)
    fresh = Path(tempfile.mkdtemp(prefix=f"{job.folder.name}.tmp-", dir=job.folder.parent))
    try:
        build = SliceBuild(
            fresh,
            job.schema,
            expected=job.expected,
            postings_per_paper=job.postings_per_paper,
            bulk=job.bulk,
            timeout=job.timeout,
        )
        try:
            seq, again = _index_as_stored(library, build, stored, done)
            build.finish()
        except BaseException:
            build.abandon()
            raise
        if again:
            library.log_again(sorted(again))
        files.write_state(fresh, seq, files.new_build())
        files.make_private(fresh)
        files.swap_in(fresh, job.folder)
    except BaseException:
        files.remove(fresh)
        raise
    library.prune_changes(seq)


def _index_as_stored(
    library: Library, build: SliceBuild, stored: Event, done: Synchronized[int]
) -> tuple[int, set[str]]:
    """Add the papers the library holds, then those the change log names as it grows, each
    once; returns the log's position read up to and the papers changed after they were
    read. Each read is one snapshot: the papers as of the changes read with them."""
    seen: set[int] = set()  # hashes of the ids added: a collision only re-indexes a paper
    again: set[str] = set()
    with library.reading():
        seq = library.last_change()
        for paper in library.iter_indexed():
            build.add(paper)
            seen.add(hash(paper.id))
    done.value = build.done
    while True:
        finished = stored.is_set()  # asked before reading: the last read sees everything
        with library.reading():
            newest, ids = library.changes_after(seq, READ_BATCH)
            papers = library.indexed_many([i for i in ids if hash(i) not in seen])
        again.update(i for i in ids if hash(i) in seen)
        for paper in papers:
            build.add(paper)
            seen.add(hash(paper.id))
        seq = newest
        done.value = build.done
        if not ids:
            if finished:
                return seq, again
            stored.wait(IDLE_WAIT)
