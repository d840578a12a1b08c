"""Whoosh's multi-process writer, its workers tied to this process (see `index_workers`).

Apart from `whoosh_private` (whose rule it follows: Whoosh 2.7.5's private `_new_task`)
because it imports `multiprocessing`, which a search never needs: only a bulk write
imports this module.
"""

from __future__ import annotations

import os
from typing import Any

from whoosh.multiproc import MpWriter, SubWriterTask

from paperdeck.core.search.grouped_writer import GroupedSegmentWriter, usable
from paperdeck.core.search.index_workers import end_with_parent


class TiedMpWriter(MpWriter):
    """Whoosh's multi-process writer whose workers never outlive this process (see
    `index_workers`). Its workers are made in `_new_task`, which Whoosh 2.7.5 calls for each;
    another Whoosh may never call it, and its workers are then not tied."""

    def _new_task(self) -> SubWriterTask:
        task = TiedTask(
            self.storage,
            self.indexname,
            self.jobqueue,
            self.resultqueue,
            self.subargs,
            self.multisegment,
        )
        self.tasks.append(task)
        task.start()
        return task

    def commit(self, *args: Any, **kwargs: Any) -> None:
        try:
            super().commit(*args, **kwargs)
        finally:
            self.close_queues()

    def cancel(self) -> None:
        try:
            super().cancel()
        finally:
            self.close_queues()

    def close_queues(self) -> None:
        """Stop the queues' feeder threads: once a queue was written to, its thread lives
        on after the commit, and forking beside it is what `may_fork` refuses (the next
        slice's writer, the impact lists' workers)."""
        for queue in (self.jobqueue, self.resultqueue):
            queue.close()
            queue.join_thread()


class TiedTask(SubWriterTask):
    """A writer process that ends with its parent and, writing a segment of its own (a
    build's `multisegment`), keeps its postings grouped by word (`grouped_writer`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parent_pid = os.getpid()

    def run(self) -> None:
        end_with_parent(self.parent_pid)
        ix = self.storage.open_index(self.indexname)
        if not self.multisegment or not usable(ix.schema):
            super().run()
            return
        # Whoosh's own loop (`SubWriterTask.run`), with the grouped writer: take job files
        # off the queue until told to finish, then write the segment and hand it back.
        writer = self.writer = GroupedSegmentWriter(ix, _lk=False, **self.kwargs)
        while self.running:
            job = self.jobqueue.get()
            if job is None:
                break
            self._process_file(*job)
        if not self.running:
            writer.cancel()
            return
        fieldnames = writer.pool.fieldnames
        segment = writer._finalize_segment()
        self.resultqueue.put((None, fieldnames, segment), timeout=5)
