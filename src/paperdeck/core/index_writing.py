"""Writing the search index: the change log applied in one commit, or every paper afresh.

Both run under `writer_lock`, which every paperdeck process takes before it writes, so they
never interleave (Whoosh's own lock is then only a second guard). The position reached in the
change log is recorded only after a commit succeeded, and the log is pruned only up to it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import index as windex
from whoosh.fields import Schema
from whoosh.reading import SegmentReader
from whoosh.util.filelock import FileLock

from paperdeck.core import index_files as files
from paperdeck.core.spelling import Vocabulary, kept_words, paper_text, tokens_of
from paperdeck.core.store import Library

if TYPE_CHECKING:
    from paperdeck.core.models import Paper

Progress = Callable[[str, int, int], None]

REBUILD_LABEL = "Rebuilding search index"
SYNC_LABEL = "Updating search index"
BATCH = 500
MAX_SEGMENTS = 8  # after a sync; the multi-process writer may add a few more
MERGE_FACTOR = 4  # this many segments of similar size are merged into one


@contextmanager
def writer_lock(path: Path, timeout: float) -> Iterator[bool]:
    """Yields whether the lock was taken within ``timeout`` seconds (tries with backoff)."""
    lock = FileLock(str(path))
    deadline = time.monotonic() + timeout
    delay = 0.02
    while not lock.acquire(blocking=False):
        if time.monotonic() >= deadline:
            yield False
            return
        time.sleep(delay)
        delay = min(delay * 2, 0.5)
    with contextlib.suppress(OSError):  # the lock file is created with the umask's mode
        os.chmod(path, 0o600)
    try:
        yield True
    finally:
        lock.release()


def apply_changes(
    library: Library,
    folder: Path,
    *,
    bulk_threshold: int,
    timeout: float,
    progress: Progress | None = None,
) -> int | None:
    """Re-index the papers changed since the recorded position, in one commit.

    Returns how many (None: there is no index to update). A large backlog, such as an import
    into an empty index, goes to two processes, with `add_document` for unindexed papers.
    """
    state, _stat = files.read_state(folder)
    if state is None or not windex.exists_in(str(folder)):
        return None
    newest, ids = library.changes_after(state.seq)
    if not ids:
        return 0
    ix = files.open_index(folder)
    bulk = len(ids) > bulk_threshold
    indexed = _live_ids(ix) if bulk else set()
    vocabulary = Vocabulary.load(folder)
    tokens: set[str] = set()
    writer = open_writer(ix, bulk, timeout)
    try:
        for done, chunk in _chunked(ids, BATCH):
            papers = library.get_many(chunk)
            for paper in papers:
                doc = files.paper_document(paper)
                if paper.id in indexed or not bulk:
                    writer.update_document(**doc)
                else:
                    writer.add_document(**doc)
                tokens.update(tokens_of(paper_text(paper)))
            for gone in set(chunk) - {p.id for p in papers}:  # deleted from the library
                writer.delete_by_term("id", gone)
            _report(progress, SYNC_LABEL, done, len(ids))
        writer.commit(mergetype=merge_small_segments)
    except BaseException:
        abandon(writer)
        raise
    if vocabulary.add(kept_words(tokens)):
        vocabulary.save(folder)
    files.write_state(folder, newest, state.build)
    library.prune_changes(newest)
    return len(ids)


class FreshIndex:
    """A new index in a folder beside ``folder``, swapped in by `finish` once committed;
    until then the index in place (if any) is what every reader sees."""

    def __init__(self, folder: Path, schema: Schema, *, bulk: bool, timeout: float) -> None:
        files.remove_leftovers(folder)
        self.folder = folder
        self.fresh = Path(tempfile.mkdtemp(prefix=f"{folder.name}.tmp-", dir=folder.parent))
        try:
            self.writer = open_writer(windex.create_in(str(self.fresh), schema), bulk, timeout)
        except BaseException:
            files.remove(self.fresh)
            raise
        self.count = 0
        self._tokens: set[str] = set()  # filtered once at the end: 4x cheaper than per paper

    def add(self, papers: Iterable[Paper]) -> None:
        for paper in papers:
            self.writer.add_document(**files.paper_document(paper))
            self._tokens.update(tokens_of(paper_text(paper)))
            self.count += 1

    def finish(self, seq: int) -> None:
        """Commit, and swap the new index in as having applied the change log up to ``seq``."""
        try:
            self.writer.commit()
            Vocabulary(kept_words(self._tokens)).save(self.fresh)
            files.write_state(self.fresh, seq, files.new_build())
            files.swap_in(self.fresh, self.folder)
        except BaseException:
            self.cancel()
            raise

    def cancel(self) -> None:
        with contextlib.suppress(Exception):
            abandon(self.writer)
        files.remove(self.fresh)


def build_index(
    library: Library,
    folder: Path,
    schema: Schema,
    *,
    bulk_threshold: int,
    timeout: float,
    progress: Progress | None = None,
) -> int:
    """Index every paper into a new folder beside ``folder``, then swap it in."""
    seq = library.last_change()  # read first: changes made while building are synced again
    total = library.count()
    build = FreshIndex(folder, schema, bulk=total > bulk_threshold, timeout=timeout)
    try:
        _report(progress, REBUILD_LABEL, 0, total)
        for chunk in _batches(library.iter_indexed(), BATCH):
            build.add(chunk)
            if len(chunk) == BATCH:  # the commit is still to come: never report 100%
                _report(progress, REBUILD_LABEL, build.count, max(total, build.count + 1))
    except BaseException:
        build.cancel()
        raise
    build.finish(seq)
    _report(progress, REBUILD_LABEL, build.count, build.count)
    library.prune_changes(seq)
    return build.count


class ImportFeed:
    """Feeds a `FreshIndex` the papers an import writes, as it writes them, for the first
    import into an empty library: the index is built while the file is parsed and stored
    (on a 2-core machine the second core idles through that otherwise), not after.

    Documents are read back through the import's own connection, so they are exactly what
    SQLite holds; a paper merged again after it was fed is logged as changed after the
    commit, for the sync that follows to re-index.
    """

    def __init__(self, library: Library, build: FreshIndex) -> None:
        self.library = library
        self.build = build
        self.fed: set[str] = set()
        self.stale: set[str] = set()
        self.seq: int | None = None  # the import's last change, once it is complete

    def written(self, ids: list[str], final: bool) -> None:
        new = [i for i in ids if i not in self.fed]
        self.stale.update(i for i in ids if i in self.fed)
        self.build.add(self.library.indexed(new))
        self.fed.update(new)
        if final:
            # Only the import's own papers: anything else means the library was not empty
            # when it began, and the index would miss papers (then it is not used).
            complete = self.library.count() == len(self.fed)
            self.seq = self.library.last_change() if complete else None

    def finish(self) -> bool:
        """After the import committed: swap the index in (True), or drop it (False)."""
        if self.seq is None:
            self.build.cancel()
            return False
        if self.stale:  # before the swap: a crash in between leaves no index, not a stale one
            self.library.mark_changed(sorted(self.stale))
        self.build.finish(self.seq)
        self.library.prune_changes(self.seq)
        return True


def _batches(papers: Iterable[Paper], size: int) -> Iterator[list[Paper]]:
    it = iter(papers)
    while batch := list(islice(it, size)):
        yield batch


def open_writer(ix: windex.Index, bulk: bool, timeout: float) -> Any:
    if bulk:  # 2.7x a single writer, whose final commit is 60% of its time
        return ix.writer(procs=2, limitmb=256, multisegment=True, timeout=timeout)
    return ix.writer(limitmb=128, timeout=timeout)


def abandon(writer: Any) -> None:
    """Cancel a writer. A multi-process writer's workers are stopped first: they would wait
    on their job queue forever, and keep this process from exiting."""
    for task in getattr(writer, "tasks", ()):
        task.terminate()
        task.join(5)
    writer.cancel()


def merge_small_segments(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh merge policy: few segments, without rewriting the big ones on every commit.

    Segments of similar size (the same power of MERGE_FACTOR) are merged once there are
    MERGE_FACTOR of them, mostly-deleted segments are rewritten, and if more than MAX_SEGMENTS
    would remain the smallest are merged too. Simulated: 1,000 one-paper commits on a 100k
    index rewrite 13 documents per commit on average and never exceed MAX_SEGMENTS.
    """
    keep: list[Any] = []
    merge: list[Any] = []
    tiers: dict[int, list[Any]] = {}
    for segment in segments:
        if segment.deleted_count() * 2 > segment.doc_count_all():
            merge.append(segment)
            continue
        tier = (max(segment.doc_count(), 1).bit_length() - 1) // 2  # floor(log4(live docs))
        tiers.setdefault(tier, []).append(segment)
    for members in tiers.values():
        (merge if len(members) >= MERGE_FACTOR else keep).extend(members)
    keep.sort(key=lambda s: s.doc_count())
    while keep and len(keep) + 1 > MAX_SEGMENTS:
        merge.append(keep.pop(0))
    for segment in merge:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        try:
            writer.add_reader(reader)
        finally:
            reader.close()
    return keep


def _live_ids(ix: windex.Index) -> set[str]:
    with ix.reader() as reader:
        ids, _cache = files.id_column(reader, {})
        return {ids[docnum] for docnum in reader.all_doc_ids()}


def _chunked(items: Sequence[str], size: int) -> Iterator[tuple[int, list[str]]]:
    """(items done after this chunk, chunk)."""
    for start in range(0, len(items), size):
        chunk = list(items[start : start + size])
        yield start + len(chunk), chunk


def _report(progress: Progress | None, label: str, done: int, total: int) -> None:
    if progress is not None:
        progress(label, done, total)
