"""The validators (ETag, Last-Modified) each feed URL last answered with, for conditional
requests: a feed that has not changed is answered "not modified" and costs nothing."""

from __future__ import annotations

import sqlite3


def feed_validators(db: sqlite3.Connection, url: str) -> tuple[str | None, str | None]:
    """(ETag, Last-Modified) a feed URL last answered with; (None, None) when unknown."""
    row = db.execute(
        "SELECT etag, last_modified FROM feed_validators WHERE url = ?", (url,)
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)


def save_feed_validators(
    db: sqlite3.Connection, url: str, etag: str | None, last_modified: str | None
) -> None:
    """Kept only after the feed's papers are committed: a feed whose papers were lost
    must be downloaded again, not answered "not modified"."""
    if etag is None and last_modified is None:
        db.execute("DELETE FROM feed_validators WHERE url = ?", (url,))
    else:
        db.execute(
            "INSERT OR REPLACE INTO feed_validators (url, etag, last_modified) VALUES (?, ?, ?)",
            (url, etag, last_modified),
        )
