"""Opening the library a command names, resolving paper ids, and reporting slow work."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from paperdeck.cli.errors import CommandError
from paperdeck.cli.output import unsafe
from paperdeck.core.paths import library_dir
from paperdeck.core.store import DB_NAME, Library, LibraryError, check_library_folder

if TYPE_CHECKING:
    from paperdeck.core.search.index import SearchIndex


def library_root(args: argparse.Namespace) -> Path:
    return library_dir(getattr(args, "library", None))


def open_library(args: argparse.Namespace, *, create: bool = False) -> Library:
    """The library ``--library`` (or $PAPERDECK_HOME, or the default) names.

    Only commands that add papers create one: a reading command pointed at a typo should say
    so rather than leave an empty library behind.
    """
    root = library_root(args)
    check_library_folder(root)  # before "no library": a file is not a library to fill
    if not create and not (root / DB_NAME).is_file():
        raise LibraryError(f"no library at {root}; add papers first: paperdeck import FILE")
    return Library(root)


def resolve_ids(library: Library, texts: Iterable[str]) -> list[str]:
    """Every id resolved before anything changes: one unknown id means no change at all."""
    return list(dict.fromkeys(library.resolve_id(text) for text in texts))


def titles(library: Library, ids: list[str]) -> dict[str, str]:
    return {row.id: row.title for row in library.rows(ids)}


class ProgressLine:
    """Progress on stderr for work that turns out to be slow; silent when it is quick.

    On a terminal a single line is redrawn in place once the work has taken ``delay``
    seconds; elsewhere (logs, pipes) only a final summary is written, and only if the work
    took longer than ``summary_after`` seconds.
    """

    def __init__(
        self, stream: TextIO | None = None, delay: float = 0.5, summary_after: float = 2.0
    ) -> None:
        self.stream = stream or sys.stderr
        self._controls = unsafe(self.stream)
        self.delay = delay
        self.summary_after = summary_after
        self.started = time.monotonic()
        self._last_draw = 0.0
        self._drawn = False
        self._tty = self.stream.isatty()
        self.announce: tuple[str, str] | None = None  # (label, line): said once, at once
        self._phase = ("", self.started)  # (message, when it was first reported)

    def began(self, message: str, when: float) -> None:
        """Work reported as ``message`` began at ``when`` (`time.monotonic`), before its
        first report: its time left is reckoned from then (an index built beside an import
        is first reported when the import is done)."""
        self._phase = (message, when)

    def __call__(self, message: str, done: int, total: int) -> None:
        if self.announce is not None and message == self.announce[0]:
            self.stream.write(f"paperdeck: {self.announce[1]} ({total} papers)\n")
            self.stream.flush()
            self.announce = None
        now = time.monotonic()
        if message != self._phase[0]:  # a new phase: its own start, for its own ETA
            self._phase = (message, now)
        if not self._tty or now - self.started < self.delay or now - self._last_draw < 0.1:
            return
        self._last_draw = now
        # Our own control sequences go beneath the terminal-safe stream; the text (which
        # names files) goes through it.
        self._controls.write("\r")
        self.stream.write(progress_text(message, done, total, now - self._phase[1]))
        self._controls.write("\x1b[K")
        self.stream.flush()
        self._drawn = True

    def finish(self, summary: str) -> None:
        elapsed = time.monotonic() - self.started
        if self._drawn:
            self._controls.write("\r\x1b[K")
        if self._drawn or elapsed >= self.summary_after:
            self.stream.write(f"{summary} ({elapsed:.1f} s)\n")
        self.stream.flush()


def progress_text(message: str, done: int, total: int, elapsed: float, width: int = 20) -> str:
    """ "importing x.json [#####---------------] 25% 5/20 ETA 0:03": a bar and the time left,
    from the pace so far, once there is a total and some of it is done."""
    if not total:
        return message
    share = min(max(done / total, 0.0), 1.0)
    filled = round(share * width)
    text = f"{message} [{'#' * filled}{'-' * (width - filled)}] {share:.0%} {done}/{total}"
    if 0 < done < total and elapsed > 0:
        left = round(elapsed * (total - done) / done)
        text += f" ETA {left // 3600}:{left // 60 % 60:02d}:{left % 60:02d}"
    return text


def open_index(library: Library) -> SearchIndex:
    """The search index, imported only by the commands that search (Whoosh is slow to load)."""
    try:
        from paperdeck.core.search.index import SearchIndex
    except ImportError as exc:
        raise CommandError(f"search is not available ({exc})") from None
    return SearchIndex(library)


def ensure_index(library: Library, index: SearchIndex, progress: ProgressLine) -> bool:
    """`index.ensure()`, saying on stderr, however quick, when an index the library had is
    rebuilt (missing, damaged or out of step): the first build of a new library says nothing."""
    from paperdeck.core.search.index_files import older_format  # loaded with the index: free
    from paperdeck.core.search.index_writing import REBUILD_LABEL

    had_index = library.index_dir.exists() or library.count() > library.pending_papers()
    if had_index:
        why = (
            "search index made by an earlier paperdeck"
            if older_format(library.index_dir)
            else "search index missing or damaged"
        )
        progress.announce = (REBUILD_LABEL, f"{why}; rebuilding it")
    try:
        return index.ensure(progress=progress)
    finally:
        progress.announce = None


def update_index(library: Library, *, quiet: bool = False) -> None:
    """Bring the index up to date with the library, with a progress line when that is slow
    (``quiet``: none, for cron; warnings are still printed).

    The papers are already safe in SQLite, so an index that cannot be updated now (another
    process holds it, say) is a warning: the next search catches up from the change log.
    """
    progress = (
        ProgressLine(delay=float("inf"), summary_after=float("inf")) if quiet else ProgressLine()
    )
    try:
        index = open_index(library)
    except CommandError as exc:
        print(f"paperdeck: search index not updated: {exc}", file=sys.stderr)
        return
    from paperdeck.core.search.search_result import SearchIndexError

    try:
        ensure_index(library, index, progress)
    except SearchIndexError as exc:
        print(f"paperdeck: search index not updated: {exc}", file=sys.stderr)
        return
    except OSError as exc:  # the disk filled up while the index was written
        print(
            f"paperdeck: search index not updated ({exc.strerror or exc}); every paper"
            " reported above is kept in the library, and searching catches up once the"
            " index can be written",
            file=sys.stderr,
        )
        return
    finally:
        index.close()
    progress.finish("search index updated")
