"""When the abstract and the "did you mean" hint follow the highlight.

Each lays the screen out again over several frames (the hint also changes the key bar),
several times as long as moving the cursor or echoing a keystroke. A lone move of the
cursor shows its abstract `LONE_SECONDS` after it, unless another move came meanwhile; a
new list (results arrive as a query is typed) and a held key wait until nothing has
changed for `REST_SECONDS`, so that they hold up no repaint.

Not at once, as it was: the first move of a held key (or of quick presses) is lone too,
and its abstract, shown as soon as the list had repainted, took the main thread 10-40 ms
at a million papers while the reader opened; the next move waited behind it (with smaller
pieces of work on the workers, the cursor's p95 there went from 45-60 ms to 7-11;
`benchmarks/cursor_bench.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic

from textual.dom import DOMNode
from textual.timer import Timer

from paperdeck.ui.screens.view_loader import REST_SECONDS

# A lone move's abstract waits this long for a second move. A held key repeats 250-600 ms
# after the press, then every 30-50 ms: its first repeat comes after a rest, so it is a
# lone move, and with its abstract shown at once the next repeats waited behind it.
LONE_SECONDS = 0.06


class DetailsTimer:
    """Calls ``show()`` for the highlighted paper (``current()``) once it may."""

    def __init__(
        self, node: DOMNode, show: Callable[[], None], current: Callable[[], str | None]
    ) -> None:
        self.node = node
        self.show = show
        self.current = current
        self._timer: Timer | None = None
        self._changed_at = 0.0
        self.moved_at = 0.0  # when the user last moved the highlight (monotonic)

    @property
    def waiting(self) -> bool:
        return self._timer is not None

    def follow(self, moved: bool = False, at_once: bool = False) -> None:
        """The highlight moved (``moved``: by the user), or the list changed; ``at_once``:
        the first paper highlighted (the reader opened, or a list that was empty filled),
        shown as soon as the list is painted if nothing else changed just before."""
        if moved:
            self.moved_at = monotonic()
        # Not rested (a query being typed, a held key): as any change, wait for the rest.
        if (at_once or moved) and monotonic() - self._changed_at >= REST_SECONDS:
            self._changed_at = monotonic()
            if self._timer is not None:
                self._timer.stop()
                self._timer = None
            if at_once:
                self.node.call_after_refresh(self._show_if_still, self.current())
            else:
                self._timer = self.node.set_timer(LONE_SECONDS, self._rested)
        else:
            self.postpone()

    def when_rested(self, callback: Callable[[], None]) -> None:
        """``callback`` now, or once the cursor keys rest (`REST_SECONDS` after the last
        move): work that would hold the main thread or the interpreter waits for it."""
        rest = REST_SECONDS - (monotonic() - self.moved_at)
        if rest <= 0:
            callback()
        else:
            self.node.set_timer(rest, lambda: self.when_rested(callback))

    def postpone(self) -> None:
        """Something changed again: wait for a rest from now."""
        self._changed_at = monotonic()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.node.set_timer(REST_SECONDS, self._rested)

    def _rested(self) -> None:
        self._timer = None
        self.show()

    def _show_if_still(self, paper_id: str | None) -> None:
        if paper_id == self.current():  # else a newer change follows
            self.show()
