"""Stopping a search that a newer one replaced: the check its loops ask, and what it raises.

Whoosh-free, so the reader can catch it before the index (and Whoosh) is loaded.
"""

from __future__ import annotations

from collections.abc import Callable

Cancel = Callable[[], bool]  # True: stop now


class SearchCancelled(Exception):
    """A newer search (a newer keystroke) replaced this one before or while it ran."""
