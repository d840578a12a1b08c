"""When the abstract and the "did you mean" hint follow the highlight.

Each lays the screen out again over several frames (the hint also changes the key bar),
several times as long as moving the cursor or echoing a keystroke. A lone move of the
cursor shows its abstract as soon as the list has repainted; a new list (results arrive
as a query is typed) and a held key wait until nothing has changed for `REST_SECONDS`, so
that they hold up no repaint.
"""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic

from textual.dom import DOMNode
from textual.timer import Timer

from paperdeck.ui.screens.view_loader import REST_SECONDS


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

    @property
    def waiting(self) -> bool:
        return self._timer is not None

    def follow(self, at_once: bool = False) -> None:
        """The highlight moved (``at_once``: a lone move by the user) or the list changed."""
        if at_once and monotonic() - self._changed_at >= REST_SECONDS:
            self._changed_at = monotonic()
            if self._timer is not None:
                self._timer.stop()
                self._timer = None
            self.node.call_after_refresh(self._show_if_still, self.current())
        else:
            self.postpone()

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
