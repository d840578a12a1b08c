"""The library on disk (`Library`) and the records and errors it hands out.

`library.py` holds `Library`, the one object the CLI and the reader keep; the modules beside
it do its work along its seams (see `library.py`). Callers import from here.
"""

from paperdeck.core.store.library import DB_NAME, Library, check_library_folder
from paperdeck.core.store.records import (
    NOTE_LIMIT,
    TAG_LIMIT,
    Facets,
    ImportCounts,
    LibraryError,
    NoteChanged,
    NoteTooLong,
    PaperRow,
    TagTooLong,
)

__all__ = [
    "DB_NAME",
    "NOTE_LIMIT",
    "TAG_LIMIT",
    "Facets",
    "ImportCounts",
    "Library",
    "LibraryError",
    "NoteChanged",
    "NoteTooLong",
    "PaperRow",
    "TagTooLong",
    "check_library_folder",
]
