"""The plain records and errors the library hands out, apart from the code that fills them.

`paperdeck star` loads the store, so these stay cheap to define: plain classes with slots (a
dataclass or NamedTuple costs ~1 ms to define, and `dataclasses` ~8 ms to import).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime


class LibraryError(Exception):
    """A library problem worth one line to the user (unknown id, newer schema, ...)."""


class NoteChanged(LibraryError):
    """The note changed elsewhere since the editor read it; nothing was written.

    ``current`` is the note as it is now, so the editor can offer it (reload, keep both).
    """

    def __init__(self, paper_id: str, current: str) -> None:
        super().__init__(f"the note of {paper_id} changed elsewhere since it was opened")
        self.paper_id = paper_id
        self.current = current


# Characters in one note. A note is the user's own text, so nothing cuts it silently: an
# import cuts a longer one with a warning naming the file and entry, `paperdeck note` and the
# reader refuse to save one. The reader's editor (Textual's TextArea) spends time in
# proportion to the length of the lines on screen at every key: at this size a note that is
# one line echoes a key in ~70 ms (3 MB took 2.4 s); notes in paragraphs in ~10 ms.
NOTE_LIMIT = 100_000


class NoteTooLong(LibraryError):
    """A note longer than `NOTE_LIMIT`; nothing was written."""

    def __init__(self, paper_id: str, length: int) -> None:
        super().__init__(
            f"the note of {paper_id} would be {length:,} characters, over the {NOTE_LIMIT:,} "
            "a note may hold; nothing was changed"
        )
        self.paper_id = paper_id
        self.length = length


# Characters in one tag: a tag names a group of papers in the sidebar and in BibTeX keywords.
TAG_LIMIT = 200


class TagTooLong(LibraryError):
    """A tag longer than `TAG_LIMIT`; nothing was written."""

    def __init__(self, length: int) -> None:
        super().__init__(
            f"a tag holds at most {TAG_LIMIT:,} characters (this one has {length:,}); "
            "nothing was changed"
        )
        self.length = length


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class PaperRow:
    """What one line of the paper list shows; cheap to load for any window of the list."""

    __slots__ = ("id", "title", "date", "first_author", "has_code", "starred", "read", "has_note")

    def __init__(
        self,
        id: str,
        title: str,
        date: str | None,
        first_author: str,
        has_code: bool,
        starred: bool,
        read: bool,
        has_note: bool,
    ) -> None:
        self.id = id
        self.title = title
        self.date = date
        self.first_author = first_author
        self.has_code = has_code
        self.starred = starred
        self.read = read
        self.has_note = has_note


class ImportCounts:
    """What one `add_papers` did."""

    __slots__ = (
        "added", "merged", "unchanged", "held", "revised", "not_held", "ids", "new_ids",
        "relisted",
    )  # fmt: skip

    def __init__(self) -> None:
        self.added = 0
        self.merged = 0
        self.unchanged = 0
        self.held = 0  # left out: the user removed them (they wait in the trash)
        self.revised = 0  # revisions applied to papers the library holds
        self.not_held = 0  # revisions of papers the library does not hold: not added
        self.ids: list[str] = []  # every paper added or merged, in input order
        self.new_ids: list[str] = []  # the papers added
        # Of the merged, those that changed only by listing one source more, by that source.
        self.relisted: Counter[str] = Counter()

    def absorb(self, step: ImportCounts) -> None:
        """Add what one committed step did (a step rolled back is never absorbed)."""
        for name in ("added", "merged", "unchanged", "held", "revised", "not_held"):
            setattr(self, name, getattr(self, name) + getattr(step, name))
        self.ids += step.ids
        self.new_ids += step.new_ids
        self.relisted.update(step.relisted)


class Facets:
    """Counts for the sidebar: library views and per-value counts of each facet kind.

    ``new_since``: the arrival after which papers count as new (`views["new"]` counts them),
    None when the caller did not ask. ``spellings``: each affiliation's count as spelled,
    before `values` grouped them (None when not counted so).
    """

    __slots__ = ("total", "views", "values", "new_since", "spellings")

    def __init__(
        self,
        total: int = 0,
        views: dict[str, int] | None = None,
        values: dict[str, Counter[str]] | None = None,
        new_since: int | None = None,
    ) -> None:
        self.total = total
        self.views = {} if views is None else views
        self.values = {} if values is None else values
        self.new_since = new_since
        self.spellings: Counter[str] | None = None
