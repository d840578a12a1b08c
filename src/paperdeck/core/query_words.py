"""Whether a search has words to rank by, or only filters (``year:2025 tag:x``), or nothing
the index would look for yet (``a``, ``at``).

A query of filters alone gives every hit the same score, so "relevance" would be an arbitrary
order: such a view is sorted newest first unless the user chose a sort. Read from the query
string with a few patterns, so the reader and the CLI need not import the search index to know.
"""

from __future__ import annotations

import re

from paperdeck.core.paperset import PaperSet, Sort

RANKING_FIELDS = frozenset({"title", "abstract"})  # fielded, yet words to rank by

_FIELDED = re.compile(r'(?<!\w)(-?)(\w+):("[^"]*"?|\[[^\]]*\]?|\{[^}]*\}?|\S*)')
_EXCLUDED = re.compile(r'(?<!\S)(?:-|NOT\s+)(?:"[^"]*"?|\S+)')
_OPERATORS = re.compile(r"(?<!\S)(?:AND|OR|NOT|ANDNOT|ANDMAYBE)(?!\S)")
_WORD = re.compile(r"\w")


def has_free_words(query: str) -> bool:
    """True when ``query`` has a word that is not excluded and not a filter."""
    ranked = False

    def drop_field(match: re.Match[str]) -> str:
        nonlocal ranked
        negated, name, value = match.groups()
        if not negated and name.lower() in RANKING_FIELDS and _WORD.search(value):
            ranked = True
        return " "

    rest = _FIELDED.sub(drop_field, query)
    if ranked:
        return True
    rest = _OPERATORS.sub(" ", _EXCLUDED.sub(" ", rest))
    return bool(_WORD.search(rest))


def with_default_sort(paperset: PaperSet) -> PaperSet:
    """The paper set as listed: filters-only searches newest first, unless a sort was chosen."""
    if paperset.sort is None and paperset.query and not has_free_words(paperset.query):
        return paperset.sorted_by(Sort.NEWEST)
    return paperset


# The last word, dashes and all ("test-ti": the index has "test-time" as two words, a tag
# `to-read` as one; the query parser searches each field as it holds it).
_LAST_WORD = re.compile(r"(?:^|(?<=[\s(]))(?:\w+:)?(\w+(?:-\w+)*)$")
_NOT_WORDS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})
MIN_TYPED_PREFIX = 3  # `tr*` would be most of the vocabulary (a test keeps it the index's)


def _in_phrase(query: str) -> bool:
    """Whether ``query`` ends inside a phrase: its closing quote is not typed yet."""
    return query.count('"') % 2 == 1


_PHRASE = re.compile(r'"[^"]*"')


def _open_groups(query: str) -> int | None:
    """How many parentheses ``query`` leaves open (its closing ones not typed yet), those
    in phrases aside; None when one closes a group never opened (malformed before the end)."""
    depth = 0
    for char in _PHRASE.sub("", query):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                return None
    return depth


def _ends_open(query: str) -> bool:
    """Whether ``query`` is only unfinished: a phrase or a group whose end is not typed."""
    return _in_phrase(query) or bool(_open_groups(query))


def as_typed_prefix(query: str) -> str | None:
    """``query`` with its last word searched as the start of a word, for search as you type:
    "deep transf" becomes "deep transf*", "test-ti" "test-ti*". In a phrase still being
    typed, its words: '"large language mod' becomes "large language mod*" (a phrase cannot
    end in the start of a word); a group still being typed is closed: "(graph OR diffu"
    becomes "(graph OR diffu*)", as "graph OR diffu" becomes "graph OR diffu*". None when
    the query does not end in a word of three characters or more (a space typed after it,
    a closed phrase, an operator)."""
    if _in_phrase(query):
        opening = query.rfind('"')
        query = query[:opening] + query[opening + 1 :]
    match = _LAST_WORD.search(query)
    if match is None or len(match.group(1)) < MIN_TYPED_PREFIX:
        return None
    if match.group().upper() in _NOT_WORDS:
        return None
    return query + "*" + ")" * (_open_groups(query) or 0)


# What the index leaves out of an unfielded word (`search/analysis.py`, `search/query.py`):
# Whoosh's English stop words and words shorter than two characters. Kept here, not imported
# from Whoosh (40 ms), for the reader's keystrokes; a test keeps the two lists equal.
STOP_WORDS = frozenset(
    "a an and are as at be by can for from have if in is it may not of on or tbd that the"  # noqa: SIM905
    " this to us we when will with yet you your".split()
)
MIN_WORD = 2
_PLAIN_WORDS = re.compile(r"[^\W_]+(?:\s+[^\W_]+)*")
_SHORT_LAST_WORD = re.compile(r"(?:^|(?<=[\s(]))(?:\w+:)?\w{1,2}$")


def nothing_to_search_yet(query: str) -> bool:
    """True when ``query`` has nothing the search would look for yet: plain words only, each
    a stop word or a single character, the last too short to be searched as the start of a
    word ("a", "at", "of a"; not "the", searched as "the*" as it is typed). Searched, it
    would find nothing; search as you type keeps the list until a word is there."""
    query = query.strip()
    if not _PLAIN_WORDS.fullmatch(query) or as_typed_prefix(query) is not None:
        return False
    return all(len(word) < MIN_WORD or word.lower() in STOP_WORDS for word in query.split())


def ends_half_typed(query: str) -> bool:
    """True when ``query`` ends in a word of one or two characters ("neural di"), too short
    to be searched as the start of a word (`as_typed_prefix`): when the query finds nothing,
    that word may only be half typed."""
    return _SHORT_LAST_WORD.search(query) is not None and not _in_phrase(query)


def widened_query(query: str, total: int, fallback: bool) -> str | None:
    """What to search when ``query`` found nothing: its last word as the start of a word
    ("transf" → "transf*"), as the reader and `paperdeck search` both do. None when it found
    something, ran as plain words (a query malformed before its end; one whose phrase or
    group is still being typed is widened), or does not end in a word that can be widened."""
    if total or (fallback and not _ends_open(query)):
        return None
    return as_typed_prefix(query)
