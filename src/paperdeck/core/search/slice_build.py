"""A full build's writers: every paper added once, committed a slice at a time.

A build (`index_writing.build_index`) and a build that follows an import as it stores
(`following_build`) both feed papers here. Each slice is committed as segments of their
own, never merged (a merge sorts on disk), and its impact lists and pair files are written
by forked processes while the next slice is indexed; the vocabulary and whatever lists are
missing are written at the end.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import index as windex
from whoosh.fields import Schema
from whoosh.filedb.filestore import FileStorage

from paperdeck.core.models import Paper
from paperdeck.core.search import impacts, pair_files
from paperdeck.core.search.documents import paper_document
from paperdeck.core.search.index_workers import end_with_parent, may_fork
from paperdeck.core.search.spelling import Vocabulary, kept_words, paper_text, tokens_of
from paperdeck.core.search.whoosh_private import one_segment

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

# A build commits in slices, each a segment per writer process. Whoosh's own writer (one
# process) keeps a segment's postings in memory up to SYNC_MB, then sorts them all through
# run files on disk, ~7x the size they take in the index: one commit for all held 1.5 GB
# of them for a 210 MB index at 100,000 papers. A slice holds what fits in that memory (as
# a sample of the papers says: no run file at all), or 1/SLICES of the papers if that is
# more (its run files are then 1/SLICES of 7x the index). Two writer processes
# (`grouped_writer`) keep their postings grouped by word, ~20-30 bytes each, and never
# spill: BUILD_MB only sizes their slices (at 1M, 1/SLICES: 430-580 MB a writer).
SLICES = 8
MIN_SLICE = 500
BUILD_MB = 256
SYNC_MB = 128
POSTING_BYTES = 200  # what Whoosh counts for one posting in memory (~190 with its text)
FILL = 0.8  # of that memory, for the papers not being alike


class SliceBuild:
    """A new index in ``folder`` (created with ``schema``), written a slice at a time:
    ``expected`` papers (an estimate is enough: it sizes the slices) of
    ``postings_per_paper`` (`pairs.study`); two writer processes when ``bulk``."""

    def __init__(
        self,
        folder: Path,
        schema: Schema,
        *,
        expected: int,
        postings_per_paper: float,
        bulk: bool,
        timeout: float,
    ) -> None:
        self.folder = folder
        self.bulk = bulk
        self.timeout = timeout
        self.ix = windex.create_in(str(folder), schema)
        self.part = slice_size(expected, postings_per_paper, bulk)
        self.done = 0
        self.tokens: set[str] = set()  # filtered once at the end: 4x cheaper than per paper
        self.writer: Any = None
        self.lists = SliceLists(folder)

    def add(self, paper: Paper) -> None:
        if self.writer is None:
            self.writer = open_writer(self.ix, self.bulk, self.timeout)
        self.writer.add_document(**paper_document(paper))
        self.tokens.update(tokens_of(paper_text(paper)))
        self.done += 1
        if self.done % self.part == 0:  # a slice: its segments written, its run files gone
            self.writer.commit(mergetype=keep_segments)
            self.writer = None
            self.lists.start()

    def finish(self) -> int:
        """Commit the last slice and write what is derived; returns the papers added."""
        if self.writer is not None or not self.done:
            self.writer = self.writer or open_writer(self.ix, False, self.timeout)
            self.writer.commit(mergetype=keep_segments)  # failing, `abandon` cancels it
            self.writer = None
        Vocabulary(kept_words(self.tokens)).save(self.folder)
        self.lists.finish()
        procs = 2 if self.bulk else 1
        impacts.write_missing(self.folder, procs=procs)  # the slices not written yet
        pair_files.write_missing(self.folder, procs=procs)
        return self.done

    def abandon(self) -> None:
        """Stop every process this build started (the folder is the caller's to remove)."""
        self.lists.stop()
        if self.writer is not None:
            abandon(self.writer)
            self.writer = None


class SliceLists:
    """The impact lists and pair files of a build's committed slices, each segment's
    written by a forked process while the next slice is indexed: the process feeding the
    writers leaves a core idle for about a third of a large build. At most `RUNNING` at
    once, none forked beside other threads (`may_fork`); what is not written by the end is
    written after it (`impacts.write_missing`, `pair_files.write_missing`), so a failed
    worker costs only time."""

    RUNNING = 2

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.started: set[str] = set()
        self.running: list[BaseProcess] = []

    def start(self) -> None:
        for process in [p for p in self.running if not p.is_alive()]:
            process.join()
            self.running.remove(process)
        if not may_fork():
            return
        import multiprocessing  # here: a search imports this module, never forks

        for segment in impacts.missing_segments(self.folder):
            if len(self.running) >= self.RUNNING:
                return
            if segment in self.started:
                continue
            process = multiprocessing.get_context("fork").Process(
                target=_slice_lists,
                args=(self.folder, segment, os.getpid()),
                daemon=True,
            )
            process.start()
            self.started.add(segment)
            self.running.append(process)

    def finish(self) -> None:
        for process in self.running:
            process.join()
        self.running = []

    def stop(self) -> None:
        for process in self.running:
            process.terminate()
            process.join(5)
        self.running = []


def _slice_lists(folder: Path, segment: str, parent: int) -> None:
    """In a worker forked by ``parent``: one segment's impact lists and pair file, the
    segment opened once (`one_segment`)."""
    end_with_parent(parent)
    with one_segment(FileStorage(str(folder)).open_index(), segment) as reader:
        if reader is not None and reader.doc_count_all():
            impacts.write_segment(reader, folder / impacts.file_name(segment))
            pair_files.write_segment(reader, folder / pair_files.file_name(segment))


def slice_size(total: int, postings_per_paper: float, bulk: bool) -> int:
    """Papers in each slice of a build (see `SLICES`)."""
    memory = (BUILD_MB * 2 if bulk else SYNC_MB) * 1024 * 1024 * FILL
    fits = int(memory / (postings_per_paper * POSTING_BYTES))
    return max(MIN_SLICE, fits, -(-total // SLICES))


def open_writer(ix: windex.Index, bulk: bool, timeout: float) -> Any:
    """Two processes for a bulk write (2.7x a single writer, whose final commit is 60% of
    its time), unless other threads run here (`may_fork`: the reader's workers)."""
    if bulk and may_fork():
        from paperdeck.core.search.tied_writer import TiedMpWriter

        return TiedMpWriter(ix, procs=2, limitmb=BUILD_MB, multisegment=True, timeout=timeout)
    return ix.writer(limitmb=SYNC_MB, timeout=timeout)


def abandon(writer: Any) -> None:
    """Cancel a writer. A multi-process writer's workers are stopped first: they would wait
    on their job queue forever, and keep this process from exiting."""
    for task in getattr(writer, "tasks", ()):
        if task.pid is None:  # its start failed
            continue
        task.terminate()
        task.join(5)
    writer.cancel()


def keep_segments(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh merge policy of a build's slices: nothing merged (a merge sorts on disk)."""
    return segments
