"""`run_at_low_priority`: the counts' thread is scheduled after the reader's own."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from paperdeck.core.background import LOWER_BY, run_at_low_priority


def _nice() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@pytest.mark.skipif(sys.platform != "linux", reason="a thread's own nice value is Linux's")
def test_the_work_runs_lower_and_the_caller_stays_as_it_was() -> None:
    before = _nice()
    seen = run_at_low_priority(lambda: (_nice(), threading.current_thread().name))
    assert seen == (min(before + LOWER_BY, 19), "paperdeck-background")
    assert _nice() == before


def test_the_result_and_the_failure_come_back_to_the_caller() -> None:
    assert run_at_low_priority(lambda: [1, 2]) == [1, 2]
    assert run_at_low_priority(lambda: None) is None

    def fails() -> None:
        raise KeyError("gone")

    with pytest.raises(KeyError, match="gone"):
        run_at_low_priority(fails)
