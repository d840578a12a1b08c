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
import tempfile
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from whoosh.fields import Schema

from paperdeck.core.file_sample import sample_files
from paperdeck.core.search import index_files as files
from paperdeck.core.search.index_workers import end_with_parent
from paperdeck.core.search.index_writing import OUTGROWN, writer_lock
from paperdeck.core.search.pairs import SAMPLE, study, with_pairs
from paperdeck.core.search.slice_build import SliceBuild
from paperdeck.core.store import Library

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess
    from multiprocessing.synchronize import Event

Progress = Callable[[str, int, int], None]


class Counter(Protocol):
    """A number the build sets and the import reads (a shared `multiprocessing.Value`)."""

    value: int


FOLLOW_LABEL = "Indexing the imported papers"
READ_BATCH = 2000  # changes (or papers held at the start) read at a time, each read short
IDLE_WAIT = 0.2  # seconds between looks at the log when the import has written nothing new
LOCK_WAIT = 0.2  # seconds to wait for the index's lock: held elsewhere, the sync after does it
ESTIMATE_LINES = 64  # read first, to tell whether the import is large at all


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
    """The process building the index beside an import; the writer lock is held from
    `start` until `finish` or `stop` return."""

    def __init__(self, job: Job) -> None:
        import multiprocessing  # here: a search never starts a build

        self.job = job
        context = multiprocessing.get_context("fork")
        self._stored: Event = context.Event()
        self._done: Counter = context.Value("q", 0, lock=False)
        self._failures, failure = context.Pipe(duplex=False)
        self._process: BaseProcess = context.Process(
            target=_follow,
            args=(job, self._stored, self._done, failure, os.getpid()),
            daemon=False,  # it forks the writers; it ends with this process all the same
        )
        self._held = ExitStack()
        self.started = 0.0  # `time.monotonic()` when forked
        self.failure: str | None = None  # why it failed, when it says

    def start(self, held: ExitStack) -> None:
        """Fork the build; ``held`` (the writer lock) is released when it ends."""
        self._held = held
        self.started = time.monotonic()
        self._process.start()

    def finish(self, progress: Progress | None = None) -> bool:
        """Say the import has stored everything and wait for the index to be swapped in,
        reporting the papers indexed. False: it failed (the sync after rebuilds it).
        Interrupted, the build is stopped."""
        try:
            self._stored.set()
            while self._process.is_alive():
                if progress is not None:
                    done = int(self._done.value)
                    progress(FOLLOW_LABEL, done, max(self.job.expected, done + 1))
                self._process.join(IDLE_WAIT)
        except BaseException:
            self.stop()
            raise
        built = self._process.exitcode == 0
        if not built and self._failures.poll():
            self.failure = str(self._failures.recv())
        self._end(built)
        if built and progress is not None:
            done = int(self._done.value)
            progress(FOLLOW_LABEL, done, done)
        return built

    def stop(self) -> None:
        """Kill the build (its writers end with it: `end_with_parent`)."""
        if self._process.is_alive():
            self._process.kill()
        self._process.join(5)
        self._end(False)

    def _end(self, built: bool) -> None:
        try:
            if not built:  # what it was writing, while the lock is still held
                files.remove_leftovers(self.job.folder)
        finally:
            self._held.close()


def start_beside(
    library: Library,
    folder: Path,
    lock_path: Path,
    schema: Schema,
    paths: Sequence[str],
    format_name: str | None,
    *,
    bulk_threshold: int,
    timeout: float,
) -> FollowingBuild | None:
    """`SearchIndex.follow_import`: a started build, or None. The cheap questions first:
    the papers a few lines say the files hold, the lock, the index's size; the sample
    the pairs are studied on is read only then."""
    from paperdeck.core.search.index_workers import may_fork

    if not may_fork():
        return None
    estimate = sample_files(paths, ESTIMATE_LINES, format_name=format_name)
    if estimate is None or estimate.expected <= bulk_threshold:
        return None
    held = ExitStack()
    if not held.enter_context(writer_lock(lock_path, LOCK_WAIT)):
        held.close()
        return None
    try:
        held_papers, indexed = library.count(), _indexed(folder)
        if held_papers + estimate.expected - indexed <= OUTGROWN * indexed:
            held.close()
            return None  # the sync after the import applies it
        sample = sample_files(paths, SAMPLE, format_name=format_name) or estimate
        studied = study(schema, sample.papers)
        build = FollowingBuild(
            Job(
                root=library.root,
                folder=folder,
                schema=with_pairs(schema, studied),
                postings_per_paper=studied.postings_per_paper,
                expected=held_papers + sample.expected,
                bulk=True,
                timeout=timeout,
            )
        )
        with library.closed_for_fork():
            build.start(held)
    except BaseException:
        held.close()
        raise
    return build


def _indexed(folder: Path) -> int:
    """Papers in the index (0: none, or unreadable: the sync after would rebuild it)."""
    from whoosh import index as windex

    try:
        state, _stat = files.read_state(folder)
        if state is None or not windex.exists_in(str(folder)):
            return 0
        return int(files.open_index(folder).doc_count())
    except Exception:  # noqa: BLE001 - damaged: a build is what it needs
        return 0


def _follow(job: Job, stored: Event, done: Counter, failure: Connection, parent: int) -> None:
    """In the forked process: build, swap in, exit 0; on any failure, send why (the import
    says it) and exit 1, leaving the index as it was."""
    end_with_parent(parent, forks=True)  # no watcher thread: the writers are forked here
    try:
        with Library(job.root) as library:
            _build(library, job, stored, done)
    except KeyboardInterrupt:  # ctrl+c reaches the whole group: the import says so
        os._exit(1)
    except BaseException as exc:  # noqa: BLE001 - the sync after the import rebuilds
        failure.send(str(exc) or type(exc).__name__)
        os._exit(1)


def _build(library: Library, job: Job, stored: Event, done: Counter) -> None:
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
            seq, again = index_as_stored(library, build, stored, done)
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


def index_as_stored(
    library: Library, build: SliceBuild, stored: Event, done: Counter
) -> tuple[int, set[str]]:
    """Add the papers the library holds, then those the change log names as it grows, each
    once; returns the log's position read up to and the papers changed after they were
    read (to be logged again). Every read is a short snapshot (a long one would keep the
    import's write-ahead log from being copied): papers with the log's position as of it."""
    with library.reading():
        seq = library.last_change()
        held = library.all_ids()
    read_at: dict[int, int] = {}  # hash of a paper held at the start: where it was read
    for start in range(0, len(held), READ_BATCH):
        with library.reading():
            position = library.last_change()
            papers = library.indexed_many(held[start : start + READ_BATCH])
        for paper in papers:
            build.add(paper)
            read_at[hash(paper.id)] = position
        done.value = build.done
    del held
    seen: set[int] = set()  # hashes of the ids added since: a collision only re-indexes one
    again: set[str] = set()
    while True:
        finished = stored.is_set()  # asked before reading: the last read sees everything
        with library.reading():
            rows = library.change_rows(seq, READ_BATCH)
            latest = dict((paper_id, at) for at, paper_id in rows)  # each id's last change
            new = [i for i in latest if hash(i) not in read_at and hash(i) not in seen]
            papers = library.indexed_many(new)
        for paper_id, at in latest.items():
            key = hash(paper_id)
            if key in seen or at > read_at.get(key, at):
                again.add(paper_id)
        for paper in papers:
            build.add(paper)
            seen.add(hash(paper.id))
        done.value = build.done
        if rows:
            seq = rows[-1][0]
        elif finished:
            return seq, again
        else:
            stored.wait(IDLE_WAIT)
