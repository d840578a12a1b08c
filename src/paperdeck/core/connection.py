"""Opening the library's SQLite database for writing when it can be, for reading when not.

A library must stay readable when it cannot be written: a 0400 database, a 0500 folder, a
read-only mount, a full disk. Each is opened in a way that writes nothing, and the caller is
told why it is read-only, so a change can say so in a line rather than fail at COMMIT.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

_FIRST_READ = "SELECT count(*) FROM sqlite_master"
_NO_ROOM = ("disk I/O error", "database or disk is full")
NO_ROOM = "no space left on the disk"  # the reason given: `Library` tries again at a change


def open_database(path: Path, timeout: float) -> tuple[sqlite3.Connection, str | None]:
    """A connection to ``path`` (created 0600 when missing and the folder is writable), and
    why it is read-only (None: it can be written)."""
    folder_writable = os.access(path.parent, os.W_OK)
    if folder_writable:
        create_private(path)
    writable = folder_writable and os.access(path, os.W_OK)
    extras = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    made = [extra for extra in extras if not extra.exists()]
    reason = None if writable else f"the library is read-only ({path.parent})"
    try:
        db = _connect(path, timeout, read_only=not writable)
    except sqlite3.OperationalError as exc:
        if str(exc) not in _NO_ROOM:
            raise
        db = _connect_without_room(path, timeout)
        reason = NO_ROOM
    if not writable and folder_writable:
        # SQLite makes -wal and -shm with the database's mode: from a 0400 database, a 0400
        # -shm that fails every write once the database is writable again. Those it made
        # just now for us get the mode of the database paperdeck makes.
        for extra in made:
            with contextlib.suppress(OSError):
                os.chmod(extra, 0o600)
    return db, reason


def reopen_with_room(
    old: sqlite3.Connection, path: Path, timeout_ms: int
) -> tuple[sqlite3.Connection, str | None]:
    """``old`` (opened on a full disk) closed and ``path`` opened again: for writing if there
    is room now (None), else for reading (`NO_ROOM`).

    ``old`` must be closed first: SQLite maps a database's -shm once per process, and it was
    opened read-only. A read in another thread through ``old`` at this moment fails (the
    reader's workers report it); a change is never lost.
    """
    old.close()
    db, reason = open_database(path, timeout_ms / 1000)
    if reason is None and not _can_write(db, timeout_ms):
        reason = NO_ROOM  # another connection of this process still holds the -shm read-only
    return db, reason


def _can_write(db: sqlite3.Connection, timeout_ms: int) -> bool:
    db.execute(f"PRAGMA busy_timeout = {timeout_ms}")
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "readonly" in str(exc) or str(exc) in _NO_ROOM:
            return False
        raise
    db.execute("ROLLBACK")
    return True


def create_private(path: Path) -> None:
    """Create ``path`` empty and 0600 if it is not there; an existing file is left alone."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    try:
        os.fchmod(fd, 0o600)  # os.open's mode passes through the umask
    finally:
        os.close(fd)


def _connect_without_room(path: Path, timeout: float) -> sqlite3.Connection:
    """A connection that reads ``path`` without growing its -shm file (the disk is full).

    Every process in WAL mode shares the -shm file; SQLite grows it to 32 KiB at the first
    read, which a full disk refuses. With ``readonly_shm`` SQLite opens an existing -shm for
    reading only and, when it is too small to use, reads the WAL into its own memory; it
    takes only shared locks, so other processes read and write as ever (once there is room),
    and its reads see their commits. The -shm must exist: an empty file needs no room.
    Where that is refused (an SQLite before 3.22), exclusive locking keeps the index in
    memory instead, and keeps other processes out until this one closes.
    """
    shm = path.with_name(path.name + "-shm")
    with contextlib.suppress(OSError):
        create_private(shm)
    uri = f"file:{quote(str(path.resolve()))}"
    db = _connection(uri + "?mode=ro&readonly_shm=1", timeout)
    try:
        db.execute(_FIRST_READ).fetchone()
        return db
    except sqlite3.OperationalError:
        db.close()
    db = _connection(uri, timeout)
    db.execute("PRAGMA locking_mode = EXCLUSIVE")
    _first_read(db)
    return db


def _connection(uri: str, timeout: float) -> sqlite3.Connection:
    return sqlite3.connect(
        uri, uri=True, timeout=timeout, isolation_level=None, check_same_thread=False
    )


def _connect(path: Path, timeout: float, *, read_only: bool) -> sqlite3.Connection:
    """The connection, after a first read (which is when SQLite opens -wal and -shm)."""
    uri = f"file:{quote(str(path.resolve()))}"
    if not read_only:
        db = _connection(uri, timeout)
        _first_read(db)
        return db
    db = _connection(uri + "?mode=ro", timeout)
    try:
        db.execute(_FIRST_READ).fetchone()
    except sqlite3.OperationalError as exc:
        db.close()
        if str(exc) in _NO_ROOM:
            raise
        # A WAL database whose -shm cannot be made (a read-only folder after a clean
        # close): nobody can be writing it, so it is read as an unchanging file.
        db = _connection(uri + "?mode=ro&immutable=1", timeout)
    return db


def _first_read(db: sqlite3.Connection) -> None:
    try:
        db.execute(_FIRST_READ).fetchone()
    except BaseException:
        db.close()
        raise
