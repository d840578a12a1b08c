"""Run bulk work on a thread the OS schedules after the reader's own.

The sidebar's counts over a million hits are seconds of SQLite, which releases the
interpreter while it runs: on two cores it competes with the reader's main thread for the
CPU, not for the interpreter, and a cursor key then waits for a core. A thread's nice value
is its own on Linux, so the counts run on a fresh thread with a lower priority; the caller
waits for it. Elsewhere (or where the OS refuses) the thread runs at normal priority.

A thread pool's thread is not lowered instead: an unprivileged thread can never raise its
priority again, and the pool's next task (a search the user waits for) would inherit it.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from contextlib import suppress
from typing import TypeVar

__all__ = ["LOWER_BY", "run_at_low_priority"]

T = TypeVar("T")

LOWER_BY = 10  # nice steps: about a tenth of a core's time when the core is contended


def run_at_low_priority(work: Callable[[], T]) -> T:
    """``work()`` on a new thread of lower OS priority; its result, or what it raised."""
    outcome: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        _lower_this_thread()
        try:
            outcome.append(work())
        except BaseException as exc:  # re-raised in the caller's thread
            failure.append(exc)

    thread = threading.Thread(target=run, name="paperdeck-background", daemon=True)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return outcome[0]


def _lower_this_thread() -> None:
    # Linux alone reads PRIO_PROCESS with a thread's id as that thread; elsewhere the same
    # call would name a process (or fail), so nothing is changed there.
    if sys.platform != "linux":
        return
    native = threading.get_native_id()
    with suppress(OSError):  # not allowed here: the work runs at normal priority
        os.setpriority(os.PRIO_PROCESS, native, os.getpriority(os.PRIO_PROCESS, native) + LOWER_BY)
