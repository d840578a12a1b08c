"""The library on disk: SQLite is the source of truth for papers and the user's state.

`Library` is the one object the CLI and the reader hold. It opens the database (WAL mode,
so readers never block the writer and a crash loses nothing committed; read-only when it
cannot be written), owns the connection, and opens each transaction; the work is done by
the modules beside it, one per seam, whose functions take the connection:

- `reads.py`: papers, list rows, ids; `views.py`: a paper set's ids and the sidebar counts;
- `importing.py`: cleaning, matching, merging and writing incoming papers;
  `repeated_sources.py`: an input read again, known by the papers it lists;
- `user_state.py`: star, note, tags, read; `removal.py`: the trash;
- `changes.py`: the change log the search index applies; `feed_validators.py`;
- `records.py`: the plain records and errors all of them hand out.

Every user change is its own committed transaction. `paperdeck star` loads this module, so it
stays cheap to import: the paper model, merging, paper sets and `json` are imported by the
functions that need them.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from paperdeck.core.cancel import Cancel, SearchCancelled
from paperdeck.core.connection import NO_ROOM, open_database, reopen_with_room
from paperdeck.core.paths import make_private_dir
from paperdeck.core.schema import SCHEMA_VERSION, migrate, refuse_newer

# Adding and removing papers (`importing`, `removal`) are imported when first used:
# `paperdeck star` needs neither.
from paperdeck.core.store import changes, reads, user_state, views
from paperdeck.core.store.records import (
    NOTE_LIMIT,
    Facets,
    ImportCounts,
    LibraryError,
    NoteTooLong,
    PaperRow,
)
from paperdeck.core.text import clean_block

if TYPE_CHECKING:
    from paperdeck.core.models import Paper
    from paperdeck.core.paperset import PaperSet
    from paperdeck.core.store.newest_order import NewestOrder
    from paperdeck.core.trash import TrashedPaper

DB_NAME = "library.sqlite3"
INDEX_DIR = "index"
BUSY_TIMEOUT_MS = 30_000
# SQLite steps between two cancel checks: ~2 ms at 100k papers. Each check takes the GIL
# from the search and the UI threads: every 20,000 steps that was 4,400 times a second.
CANCEL_CHECK_STEPS = 200_000


def check_library_folder(root: Path) -> None:
    """Raise LibraryError when ``root`` is a file, or lies inside one: else every command
    would fail later with "Not a directory", or say there is no library there yet."""
    existing = root
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if existing.exists() and not existing.is_dir():
        where = "" if existing == root else f" (so {root} cannot be one)"
        raise LibraryError(f"{existing} is a file, not a library folder{where}")


class Library:
    """A paperdeck library folder: the SQLite database and the search index beside it.

    Each method below is one call into the module of its section, inside a transaction
    when it writes; its docstring is there, with the SQL.
    """

    def __init__(
        self,
        root: Path | str,
        *,
        busy_timeout_ms: int | None = None,
        newest: NewestOrder | None = None,
        checkpoints: bool = True,
    ) -> None:
        """``busy_timeout_ms``: how long a write waits for another process's write lock
        before it fails; scripts wait long, the reader's UI thread briefly. ``newest``: the
        newest-first order kept from one `Library` of the folder to the next (the reader's
        view loads); None: none is kept. Without ``checkpoints`` a commit never copies the
        write-ahead log into the database (the reader's UI thread: a large import lets the
        log grow to ~400 MB, `importing.IMPORT_WAL_SHARE`); other connections do."""
        timeout_ms = BUSY_TIMEOUT_MS if busy_timeout_ms is None else busy_timeout_ms
        self._timeout_ms = timeout_ms
        self._checkpoints = checkpoints
        check_library_folder(Path(root))
        self.root = make_private_dir(Path(root))
        self.db_path = self.root / DB_NAME
        self.index_dir = self.root / INDEX_DIR
        if not os.access(self.root, os.W_OK) and not self.db_path.exists():
            raise LibraryError(f"{self.root} is read-only and holds no library")
        self._newest = newest  # None: every whole list read from SQLite, none kept
        self._stop: Cancel | None = None  # while `stopped_by`
        self._reading = False  # inside `reading`
        self._db = self._connect()
        try:
            if not self.read_only:
                migrate(self._db)
            elif self._db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                raise LibraryError(
                    f"{self.root} is read-only and was written by an older paperdeck; make it"
                    " writable once so that it can be upgraded"
                )
        except Exception:
            self._db.close()
            raise

    def _connect(self) -> sqlite3.Connection:
        db, self.read_only_reason = open_database(self.db_path, self._timeout_ms / 1000)
        self.read_only = self.read_only_reason is not None
        db.row_factory = sqlite3.Row
        try:
            db.execute(f"PRAGMA busy_timeout = {self._timeout_ms}")
            refuse_newer(db)  # before WAL mode: that would rewrite the file's header
            if not self.read_only:
                db.execute("PRAGMA journal_mode = WAL")
            # FULL: a commit survives a power cut too, for 0.26 ms a change (NORMAL: 0.04 ms).
            db.execute("PRAGMA synchronous = FULL")
            db.execute("PRAGMA foreign_keys = ON")
            if not self._checkpoints:
                db.execute("PRAGMA wal_autocheckpoint = 0")
        except Exception:
            db.close()
            raise
        return db

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def closed_for_fork(self) -> Iterator[None]:
        """Fork inside: no connection is open across it. SQLite keeps per-process state for
        each database file (its locks, its shared memory) that a child would inherit, and a
        connection the child opens would then share it with the parent's."""
        if self._db.in_transaction:
            raise RuntimeError("a fork inside a transaction")
        self._db.close()
        try:
            yield
        finally:
            self._db = self._connect()

    def _writable_again(self) -> None:
        """Opened for reading on a full disk: if there is room now, write from here on."""
        db, self.read_only_reason = reopen_with_room(self._db, self.db_path, self._timeout_ms)
        self.read_only = self.read_only_reason is not None
        db.row_factory = sqlite3.Row
        for pragma in (f"busy_timeout = {self._timeout_ms}", "synchronous = FULL"):
            db.execute(f"PRAGMA {pragma}")
        db.execute("PRAGMA foreign_keys = ON")
        if not self._checkpoints:
            db.execute("PRAGMA wal_autocheckpoint = 0")
        self._db = db

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: all of it is committed, or none of it. Inside another
        transaction of this library it is part of that one (a restore adds papers)."""
        if self._reading:
            raise RuntimeError("a write inside `reading` would be rolled back with it")
        if self._db.in_transaction:
            yield self._db
            return
        if self.read_only_reason == NO_ROOM:
            self._writable_again()
        if self.read_only_reason is not None:
            raise LibraryError(f"{self.read_only_reason}; nothing was changed")
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
            self._db.execute("COMMIT")
        except BaseException:
            # A COMMIT that failed (busy, disk full) must not leave the transaction open:
            # every later BEGIN on this connection would fail.
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Reads inside see one state of the library (a snapshot: what other processes
        commit meanwhile waits for the next), so that counts read in steps add up. Inside
        another transaction of this library, they are part of that one."""
        if self._db.in_transaction:
            yield
            return
        self._db.execute("BEGIN")
        self._reading = True  # a write now would be rolled back: `transaction` refuses
        try:
            yield
        finally:
            self._reading = False
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")  # nothing was written: nothing to keep

    @contextmanager
    def stopped_by(self, cancel: Cancel) -> Iterator[None]:
        """Reads inside stop within a few milliseconds once ``cancel()`` says so, raising
        `SearchCancelled`: a view that a newer key replaced stops its SQL too (the whole
        list or the counts of a million papers take a second). For reads only."""
        self._db.set_progress_handler(lambda: 1 if cancel() else 0, CANCEL_CHECK_STEPS)
        self._stop = cancel  # and the kept newest-first order's filtering, between pieces
        try:
            yield
        except sqlite3.OperationalError as exc:
            if str(exc) == "interrupted" and cancel():
                raise SearchCancelled() from exc
            raise
        finally:
            self._db.set_progress_handler(None, 0)
            self._stop = None

    @property
    def stop(self) -> Cancel | None:
        """The ``cancel`` of the `stopped_by` in effect (None: none), for work beside the
        SQL that a newer view makes pointless too."""
        return self._stop

    # -- reading: reads.py ----------------------------------------------------------------

    def count(self) -> int:
        return reads.count(self._db)

    def is_empty(self) -> bool:
        return reads.is_empty(self._db)

    def get(self, paper_id: str) -> Paper | None:
        papers = reads.get_many(self._db, [paper_id])
        return papers[0] if papers else None

    def get_many(self, ids: Sequence[str]) -> list[Paper]:
        return reads.get_many(self._db, ids)

    def iter_papers(self, batch: int = 2000) -> Iterator[Paper]:
        return reads.iter_papers(self._db, batch)

    def iter_indexed(self, batch: int = 2000) -> Iterator[Paper]:
        return reads.iter_indexed(self._db, batch)

    def indexed_many(self, ids: Sequence[str]) -> list[Paper]:
        return reads.indexed_many(self._db, ids)

    def all_ids(self) -> list[str]:
        return reads.all_ids(self._db)

    def resolve_id(self, text: str) -> str:
        return reads.resolve_id(self._db, text)

    def rows(self, ids: Sequence[str]) -> list[PaperRow]:
        return reads.rows(self._db, ids)

    def existing(self, ids: Sequence[str]) -> set[str]:
        return reads.existing(self._db, ids)

    def tag_names(self) -> list[str]:
        return reads.tag_names(self._db)

    def data_version(self) -> int:
        return reads.data_version(self._db)

    # -- adding papers: importing.py -------------------------------------------------------

    def add_papers(
        self,
        papers: Iterable[Paper],
        counts: ImportCounts | None = None,
        *,
        revisions: Iterable[Paper] = (),
    ) -> ImportCounts:
        """Add or merge ``papers`` in batches of `IMPORT_BATCH`, each its own transaction.

        Each batch is read (parsed) before the write lock is taken and written in a fraction
        of a second, so another process's write — a star in an open reader — waits at most
        that long, never for the whole import. A crash or an error part-way keeps the
        batches already committed, whole; importing the same input again completes it
        (papers already there are merged, not duplicated). ``counts``, when given, is filled
        as batches commit, so it tells what was kept even when the input fails part-way.

        ``revisions`` are newer versions of papers (arXiv replacements), applied after the
        papers: each updates the paper the library holds (`revise_paper`) and is never added
        as a new one. Called inside a transaction (a feed's), all of it is that one.
        """
        from paperdeck.core.store import importing

        counts = ImportCounts() if counts is None else counts
        return importing.add_papers(self._db, self.transaction, papers, counts, revisions)

    def fold_repeated_source(self, name: str, alike: Callable[[str], bool]) -> str:
        from paperdeck.core.store import repeated_sources

        with self.transaction() as db:
            return repeated_sources.fold_repeated_source(db, name, alike)

    # -- removing papers: removal.py (the trash) ----------------------------------------------

    def remove_papers(self, ids: Sequence[str]) -> list[Paper]:
        from paperdeck.core.store import removal

        with self.transaction() as db:
            return removal.remove_papers(db, ids)

    def restore_papers(self, ids: Sequence[str]) -> list[str]:
        from paperdeck.core.store import removal

        with self.transaction() as db:
            return removal.restore_papers(db, ids)

    def trashed(self) -> list[TrashedPaper]:
        from paperdeck.core.store import removal

        return removal.trashed(self._db)

    def resolve_trashed(self, text: str) -> str:
        from paperdeck.core.store import removal

        return removal.resolve_trashed(self._db, text)

    # -- the user's state: user_state.py, each change committed at once ------------------

    def set_starred(self, paper_id: str, starred: bool) -> bool:
        with self.transaction() as db:
            return user_state.set_starred(db, paper_id, starred)

    def toggle_star(self, paper_id: str) -> bool:
        with self.transaction() as db:
            return user_state.toggle_star(db, paper_id)

    def set_note(self, paper_id: str, note: str, *, expected: str | None = None) -> str:
        """Replace the note; returns it as stored (cleaned). With ``expected`` (the note as
        the editor read it) a note changed elsewhere meanwhile raises `NoteChanged`; a note
        over `NOTE_LIMIT` raises `NoteTooLong`, and nothing is written."""
        note = clean_block(note)
        if len(note) > NOTE_LIMIT:
            raise NoteTooLong(paper_id, len(note))
        with self.transaction() as db:
            user_state.write_note(db, paper_id, note, expected=expected)
        return note

    def mark_read(self, ids: Sequence[str]) -> int:
        with self.transaction() as db:
            return user_state.mark_read(db, ids)

    def unread_count(self, ids: Sequence[str]) -> int:
        return user_state.unread_count(self._db, ids)

    def first_unread(self, ids: Sequence[str]) -> str | None:
        return user_state.first_unread(self._db, ids)

    def set_read(self, paper_id: str, read: bool) -> bool:
        with self.transaction() as db:
            return user_state.set_read(db, paper_id, read)

    def add_tags(self, paper_id: str, tags: Iterable[str]) -> list[str]:
        with self.transaction() as db:
            return user_state.add_tags(db, paper_id, tags)

    def remove_tags(self, paper_id: str, tags: Iterable[str]) -> list[str]:
        with self.transaction() as db:
            return user_state.remove_tags(db, paper_id, tags)

    # -- the change log that feeds the search index: changes.py -----------------------------

    def last_change(self) -> int:
        return changes.last_change(self._db)

    def pending_papers(self) -> int:
        return changes.pending_papers(self._db)

    def changes_after(self, seq: int, limit: int | None = None) -> tuple[int, list[str]]:
        return changes.changes_after(self._db, seq, limit)

    def change_rows(self, seq: int, limit: int) -> list[tuple[int, str]]:
        return changes.change_rows(self._db, seq, limit)

    def log_again(self, ids: Iterable[str]) -> None:
        """Log papers as changed once more: the next sync re-indexes them (an index built
        beside an import read them before their last change)."""
        with self.transaction() as db:
            for paper_id in ids:
                changes.log_change(db, paper_id)

    def prune_changes(self, upto: int) -> None:
        with self.transaction() as db:
            changes.prune_changes(db, upto)

    # -- views and counts: views.py ---------------------------------------------------------

    def first_ids(self, paperset: PaperSet, limit: int) -> list[str]:
        return views.first_ids(self._db, paperset, limit)

    def select(
        self, paperset: PaperSet, hits: Sequence[str] | None = None, limit: int | None = None
    ) -> Sequence[str]:
        """The ids of ``paperset`` in its order (`views.select`): a list, or the whole
        library newest first as an `IdRun`."""
        return views.select(self._db, paperset, hits, limit, self._newest, self._stop)

    def keep_newest_order(self) -> None:
        """Read and keep the newest-first order unless it is kept and current (`NewestOrder`)."""
        if self._newest is not None:
            views.keep_newest_order(self._db, self._newest)

    def facets(self, hits: Sequence[str] | None = None, new_since: int | None = None) -> Facets:
        return views.facets(self._db, hits, new_since)

    def facets_outside(self, others: Sequence[str], totals: Facets) -> Facets:
        return views.facets_outside(self._db, others, totals)

    def affiliation_spellings(self, name: str) -> list[str]:
        return views.affiliation_spellings(self._db, name)

    def source_names(self) -> list[str]:
        return views.source_names(self._db)

    def source_papers(self, name: str) -> tuple[list[str], list[str]]:
        return views.source_papers(self._db, name)

    def counter(self, name: str) -> int:
        return views.counter(self._db, name)

    def raise_counter(self, name: str, value: int) -> None:
        with self.transaction() as db:
            views.raise_counter(db, name, value)

    def new_count(self, since: int) -> int:
        return views.new_count(self._db, since)

    def starred_count(self) -> int:
        return views.starred_count(self._db)

    # -- feeds: feed_validators.py ------------------------------------------------------------

    # Imported where used: only `fetch` and the reader's refresh ask for them.

    def feed_validators(self, url: str) -> tuple[str | None, str | None]:
        from paperdeck.core.store import feed_validators as validators

        return validators.feed_validators(self._db, url)

    def save_feed_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        from paperdeck.core.store import feed_validators as validators

        with self.transaction() as db:
            validators.save_feed_validators(db, url, etag, last_modified)
