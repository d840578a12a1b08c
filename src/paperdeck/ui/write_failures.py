"""Writes to the library that fail: which errors they raise, and how to say why in a line.

Another process (an import, a second reader) may hold the database's write lock for a long
time; the reader then says so and keeps the user's input, rather than crash.
"""

from __future__ import annotations

import sqlite3

from paperdeck.core.store import LibraryError

WRITE_ERRORS = (sqlite3.Error, LibraryError)
BUSY = "the library is busy"


def why_failed(error: BaseException) -> str:
    """A write's failure in a few plain words; a lock held elsewhere is "the library is busy"."""
    text = str(error)
    if isinstance(error, sqlite3.OperationalError) and ("locked" in text or "busy" in text):
        return BUSY
    return text or type(error).__name__
