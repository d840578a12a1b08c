"""Keeps the main screen live: another process's change shows within two seconds.

A helper the main screen owns (`screen.live`). Twice a second it asks the core's
`LibraryWatch` whether another process committed a visible change (a `PRAGMA data_version`
read: no page of the database, nothing measurable while idle); when one did, the screen
reloads its view in a worker, keeping the rows the user has in front of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from paperdeck.core.live import LibraryWatch

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.dom import DOMNode
    from textual.timer import Timer

WATCH_SECONDS = 0.5  # the poll; a change shows within this and one reload (2 s at most)


class LiveRefresh:
    """Polls the library for other processes' changes while the screen is mounted."""

    def __init__(self, node: DOMNode, watch: LibraryWatch, changed: Callable[[], None]) -> None:
        self.node = node  # its timer runs while the node is mounted
        self.watch = watch
        self.changed = changed
        self._timer: Timer | None = None

    def start(self, interval: float | None = WATCH_SECONDS) -> None:
        self.watch.poll()  # what the first paint shows is known; only later changes are news
        if interval is not None:
            self._timer = self.node.set_interval(interval, self.check, name="library watch")

    def check(self) -> None:
        if self.watch.poll():
            self.changed()

    def own_write(self) -> None:
        """The screen wrote to the library itself: no reload for that."""
        self.watch.own_write()
