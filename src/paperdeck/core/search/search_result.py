"""What a search answers, and how it fails: the types the CLI and the reader see, in a
module of their own so that they can name them without loading the search engine."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


class SearchIndexError(Exception):
    """The search index cannot answer; the message is fit for the user."""


class IndexCorrupt(SearchIndexError):
    """The index is missing or damaged: `ensure()` rebuilds it from the library."""


class IndexBusy(SearchIndexError):
    """Another process kept the index locked for longer than we were willing to wait."""


@dataclass(slots=True)
class SearchResult:
    ids: Sequence[str]  # paper ids, best first: a list, or for many a `PickedIds`
    total: int
    terms: list[str] = field(default_factory=list)  # words to highlight, lower case
    suggestion: str | None = None  # the query with misspelt words corrected
    fallback: bool = False  # the query was malformed and ran as plain words
    complete: bool = True  # False: only the best are in ``ids`` (the rest follow)
    estimated: bool = False  # ``total`` is an estimate (from document frequencies)
    widened: str = ""  # set by the reader: the query it searched instead (`as_typed_prefix`)
