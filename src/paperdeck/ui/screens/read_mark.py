"""A paper the user moved to or opened counts as read after a moment (`read_delay`)."""

from __future__ import annotations

from collections.abc import Callable

from textual.dom import DOMNode
from textual.timer import Timer


class ReadMark:
    """One pending read mark at a time, for the highlighted paper.

    ``looked_at()``: whether the user is looking at the list or the abstract (a highlight
    that moves under the search box, or after a view change, was not looked at);
    ``current()``: the highlighted paper's id; ``mark(id)``: store the mark.
    """

    def __init__(
        self,
        node: DOMNode,
        delay: float | None,
        *,
        looked_at: Callable[[], bool],
        current: Callable[[], str | None],
        mark: Callable[[str], None],
    ) -> None:
        self.node = node
        self.delay = delay
        self.looked_at = looked_at
        self.current = current
        self.mark = mark
        self.kept_unread: str | None = None  # marked unread with `r`: no read mark for it
        self.pending: str | None = None  # the paper whose mark waits for the delay
        self._timer: Timer | None = None

    def start(self, paper_id: str | None) -> None:
        """The user moved to (or opened) this paper: after the delay it counts as read,
        unless the user has just marked it unread."""
        self.stop(paper_id)
        if paper_id is None or self.delay is None or paper_id == self.kept_unread:
            return
        if not self.looked_at():
            return
        self.pending = paper_id
        self._timer = self.node.set_timer(self.delay, self.elapse)

    def stop(self, now_on: str | None) -> None:
        """The highlight is now on ``now_on``: a pending read mark (of another paper, or a
        restart) is dropped, and so is the unread choice of a paper the cursor has left."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.pending = None
        if now_on != self.kept_unread:
            self.kept_unread = None

    def keep_unread(self, paper_id: str | None) -> None:
        """``paper_id`` was just marked unread: no read mark for it until the cursor leaves."""
        self.kept_unread = paper_id

    def elapse(self) -> None:
        """The delay is over (the timer calls this; a test may, to be sure of the order):
        the pending paper is marked if it is still highlighted and not kept unread."""
        paper_id, self.pending = self.pending, None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if paper_id is not None and paper_id == self.current() and paper_id != self.kept_unread:
            self.mark(paper_id)
