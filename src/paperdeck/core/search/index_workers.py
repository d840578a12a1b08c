"""Whoosh's indexing processes, made to end with the process that started them.

Whoosh's multi-process writer forks workers that inherit every open file, the index's lock
(`flock`) among them. Killed part-way (SIGKILL, the OOM killer), an import or a rebuild used
to leave its workers waiting on their job queue forever, holding that lock: every later
write to the index then timed out until they were found and killed by hand. Each worker here
ends when its parent does, whichever way multiprocessing started it (`end_with_parent`).

Workers are forked, and only from a process with one thread (`may_fork`): a fork copies
every lock another thread holds at that moment (the allocator's, a logging handler's,
SQLite's), never to be released in the child. The reader indexes from worker threads, so
there the writing stays in its own process (`paperdeck/__main__` cannot be started again
by a fork server or spawn: it has no main guard and would run the command).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCH_INTERVAL = 0.5  # seconds between a worker's checks that its parent is alive


def may_fork() -> bool:
    """Whether worker processes may be forked now: no other thread runs in this process."""
    return threading.active_count() == 1


def end_with_parent(parent_pid: int, *, forks: bool = False) -> None:
    """Called first thing in a worker: exit as soon as ``parent_pid`` is gone.

    Forked by it (the "fork" start method), the worker asks Linux for SIGKILL when it dies.
    Started through a fork server or spawned, its parent process is another one: then, and
    everywhere else, a thread waits on multiprocessing's sentinel for the parent (or, outside
    multiprocessing, watches the parent id). A worker that ``forks`` workers of its own
    starts that thread only where Linux cannot watch for it: `may_fork` refuses beside it.
    """
    import ctypes  # here, not at import: a search never starts a worker
    import multiprocessing

    parent = multiprocessing.parent_process()
    forked = os.getppid() == parent_pid
    if parent is None and not forked:  # it died before this worker got here
        os._exit(1)
    if forked and sys.platform.startswith("linux"):
        asked = -1
        with contextlib.suppress(OSError, AttributeError):
            asked = ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent_pid:  # it died before the request above
            os._exit(1)
        if forks and asked == 0:
            return
    sentinel = parent.sentinel if parent is not None else None
    threading.Thread(target=_watch, args=(parent_pid, sentinel), daemon=True).start()


def _watch(parent_pid: int, sentinel: int | None) -> None:
    if sentinel is not None:
        import multiprocessing.connection

        multiprocessing.connection.wait([sentinel])  # ready once the parent has exited
    else:
        while os.getppid() == parent_pid:  # an orphan is adopted: its parent id changes
            time.sleep(WATCH_INTERVAL)
    os._exit(1)


def for_each_segment(
    folder: Path, segments: Sequence[str], write_one: Callable[[Path, str], None], procs: int
) -> int:
    """``write_one(folder, segment)`` for each of ``segments``, in up to ``procs`` forked
    processes (one when other threads run here: `may_fork`). ``write_one`` must be a
    module's own function (it is pickled by name). Returns how many there were."""
    if len(segments) > 1 and procs > 1 and may_fork():
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(min(procs, len(segments)), mp_context=context) as pool:
            count = len(segments)
            list(
                pool.map(
                    _in_worker,
                    [write_one] * count,
                    [folder] * count,
                    segments,
                    [os.getpid()] * count,
                )
            )
    else:
        for segment in segments:
            write_one(folder, segment)
    return len(segments)


def _in_worker(
    write_one: Callable[[Path, str], None], folder: Path, segment: str, parent: int
) -> None:
    end_with_parent(parent)
    write_one(folder, segment)
