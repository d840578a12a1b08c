"""The one thing of a Textual node that several of the screen's helpers need: running a
worker. A protocol, so that a helper names exactly what it may use of the screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from textual.worker import Worker


class RunsWorkers(Protocol):
    def run_worker(
        self,
        work: Callable[[], None],
        name: str | None = "",
        group: str = "default",
        description: str = "",
        exit_on_error: bool = True,
        start: bool = True,
        exclusive: bool = False,
        thread: bool = False,
    ) -> Worker[None]: ...
