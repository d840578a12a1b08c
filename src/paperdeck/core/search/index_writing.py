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
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from whoosh import index as windex
from whoosh.fields import Schema
from whoosh.reading import SegmentReader
from whoosh.util.filelock import FileLock

from paperdeck.core.models import Paper
from paperdeck.core.search import impacts, pair_files
from paperdeck.core.search import index_files as files
from paperdeck.core.search.documents import paper_document
from paperdeck.core.search.pairs import SAMPLE, study, with_pairs
from paperdeck.core.search.slice_build import SliceBuild, abandon, open_writer
from paperdeck.core.search.spelling import Vocabulary, kept_words, paper_text, tokens_of
from paperdeck.core.store import Library

Progress = Callable[[str, int, int], None]

REBUILD_LABEL = "Rebuilding search index"
GROWN_LABEL = "Indexing the grown library"  # an `Outgrown` rebuild: nothing was wrong
OUTGROWN = 3  # a library grown by more than this many times the papers indexed is rebuilt
SYNC_LABEL = "Updating search index"
BATCH = 500
MAX_SEGMENTS = 8  # after a sync, beside the large ones; a multi-process writer adds a few
MERGE_FACTOR = 4  # this many segments of similar size are merged into one
LARGE_SHARE = 32  # a segment with 1/32 of the documents (and LARGE_MIN) or more is left alone
LARGE_MIN = 500


class Outgrown(Exception):
    """The library holds more than `OUTGROWN` times as many papers as the index beside them
    (an import of a large file into a small library): rebuilding costs at most a third more
    than the sync, studies the pairs of the library as it is now, not of the few papers the
    index was built from (`pairs.study`), and writes its segments a slice at a time."""


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


IMPACTS_LABEL = "Ordering search words"


def derived_files_missing(path: Path, reader: Any | None) -> bool:
    """Whether a segment lacks its impact lists or pair files (an index written before they
    existed). ``reader``, the current searcher's if any, answers without opening the index."""
    try:
        if reader is not None:
            return bool(impacts.missing(path, reader) or pair_files.missing(path, reader))
        return bool(impacts.missing_segments(path) or pair_files.missing_segments(path))
    except Exception:  # the index cannot be read: the next search says so
        return False


def write_derived_files(
    path: Path, lock_path: Path, timeout: float, progress: Progress | None
) -> None:
    """Write the impact lists and pair files the segments lack, as a sync does for its own."""
    with writer_lock(lock_path, timeout) as locked:
        state, _stat = files.read_state(path)
        if not locked or state is None:
            return
        _report(progress, IMPACTS_LABEL, 0, 1)
        written = impacts.write_missing(path, procs=2)
        if pair_files.write_missing(path, procs=2) + written:
            files.write_state(path, state.seq, state.build)
            files.make_private(path)
        _report(progress, IMPACTS_LABEL, 1, 1)


def apply_changes(
    library: Library,
    folder: Path,
    *,
    bulk_threshold: int,
    timeout: float,
    progress: Progress | None = None,
) -> int | None:
    """Re-index the papers changed since the recorded position, in one commit.

    Returns how many (None: there is no index to update). A large backlog goes to two
    processes, with `add_document` for unindexed papers; one that outgrows the index raises
    `Outgrown` before anything is written.
    """
    state, _stat = files.read_state(folder)
    if state is None or not windex.exists_in(str(folder)):
        return None
    newest, ids = library.changes_after(state.seq)
    if not ids:
        return 0
    ix = files.open_index(folder)
    library_count, indexed_count = library.count(), ix.doc_count()
    if library_count - indexed_count > OUTGROWN * indexed_count:
        raise Outgrown(f"{library_count} papers, {indexed_count} of them indexed")
    bulk = len(ids) > bulk_threshold
    indexed = _live_ids(ix) if bulk else set()
    vocabulary = Vocabulary.load(folder)
    tokens: set[str] = set()
    writer = open_writer(ix, bulk, timeout)
    try:
        for done, chunk in _chunked(ids, BATCH):
            papers = library.get_many(chunk)
            for paper in papers:
                doc = paper_document(paper)
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
    impacts.write_missing(folder, procs=2 if bulk else 1)  # new or merged segments
    pair_files.write_missing(folder, procs=2 if bulk else 1)
    files.write_state(folder, newest, state.build)
    library.prune_changes(newest)
    return len(ids)


def build_index(
    library: Library,
    folder: Path,
    schema: Schema,
    *,
    bulk_threshold: int,
    timeout: float,
    progress: Progress | None = None,
    label: str = REBUILD_LABEL,
) -> int:
    """Index every paper into a new folder beside ``folder``, then swap it in (``label``:
    what the progress says)."""
    files.remove_leftovers(folder)
    seq = library.last_change()  # read first: changes made while building are synced again
    total = library.count()
    studied = study(schema, _sample(library))
    schema = with_pairs(schema, studied)
    fresh = Path(tempfile.mkdtemp(prefix=f"{folder.name}.tmp-", dir=folder.parent))
    try:
        build = SliceBuild(
            fresh,
            schema,
            expected=total,
            postings_per_paper=studied.postings_per_paper,
            bulk=total > bulk_threshold,
            timeout=timeout,
        )
        try:
            _report(progress, label, 0, total)
            for paper in library.iter_indexed():
                build.add(paper)
                if build.done % BATCH == 0:  # the commit is still to come: never report 100%
                    _report(progress, label, build.done, max(total, build.done + 1))
            done = build.finish()
        except BaseException:
            build.abandon()
            raise
        files.write_state(fresh, seq, files.new_build())
        files.swap_in(fresh, folder)
    except BaseException:
        files.remove(fresh)
        raise
    _report(progress, label, done, done)
    library.prune_changes(seq)
    return done


def merge_small_segments(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh merge policy: few segments, without rewriting the big ones on every commit.

    Mostly-deleted segments are rewritten. Large ones (a build's slices: 1/LARGE_SHARE of
    the documents or more) are otherwise kept: merging them would rewrite most of the
    index, with its run files. Of the small ones, those of similar size (the same power of
    MERGE_FACTOR) are merged once there are MERGE_FACTOR of them, and if more than
    MAX_SEGMENTS would remain the smallest are merged too. Simulated: 1,000 one-paper
    commits on a 100k index rewrite 13 documents per commit on average.
    """
    keep: list[Any] = []
    large: list[Any] = []
    merge: list[Any] = []
    tiers: dict[int, list[Any]] = {}
    everything = sum(segment.doc_count() for segment in segments)
    for segment in segments:
        if segment.deleted_count() * 2 > segment.doc_count_all():
            merge.append(segment)
            continue
        live = segment.doc_count()
        if live >= LARGE_MIN and live * LARGE_SHARE >= everything:
            large.append(segment)
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
    return large + keep


def _sample(library: Library) -> list[Paper]:
    """Up to `SAMPLE` papers spread over the library (for `pairs.study`)."""
    ids = library.all_ids()
    return library.get_many(ids[:: max(1, len(ids) // SAMPLE)][:SAMPLE])


def _live_ids(ix: windex.Index) -> set[str]:
    with ix.reader() as reader:
        ids, _cache = files.id_column(reader, {})
        return set(ids.many(list(reader.all_doc_ids())))


def _chunked(items: Sequence[str], size: int) -> Iterator[tuple[int, list[str]]]:
    """(items done after this chunk, chunk)."""
    for start in range(0, len(items), size):
        chunk = list(items[start : start + size])
        yield start + len(chunk), chunk


def _report(progress: Progress | None, label: str, done: int, total: int) -> None:
    if progress is not None:
        progress(label, done, total)
