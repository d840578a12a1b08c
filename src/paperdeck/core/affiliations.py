"""Affiliations that differ only in spelling, grouped: "tsinghua", "Tsinghua University" and
"Tsinghua Univ." are one sidebar entry and one filter.

Papers keep each source's spelling; only the grouping is derived. Two spellings are one
affiliation when they have the same distinctive words once case, accents, punctuation and
common abbreviations are set aside and generic words ("University", "of", "Inc.") are dropped:
so a short form contained in the long one ("Stanford" in "Stanford University") joins it,
while "Google" and "Google DeepMind" stay apart.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

# Abbreviations as sources write them, and their long forms.
_LONG_FORMS = {
    "univ": "university",
    "uni": "university",
    "universitat": "university",
    "universite": "university",
    "universidad": "university",
    "universita": "university",
    "universiteit": "university",
    "inst": "institute",
    "institut": "institute",
    "instituto": "institute",
    "lab": "laboratory",
    "labs": "laboratory",
    "laboratories": "laboratory",
    "dept": "department",
    "ctr": "center",
    "centre": "center",
    "natl": "national",
    "intl": "international",
    "acad": "academy",
    "sci": "science",
    "sciences": "science",
    "technol": "technology",
    "coll": "college",
}
# Words that say what kind of place it is, not which: dropped when a distinctive word is left.
_GENERIC = frozenset(
    {
        "university",
        "institute",
        "college",
        "school",
        "laboratory",
        "department",
        "center",
        "the",
        "of",
        "and",
        "for",
        "at",
        "in",
        "de",
        "del",
        "der",
        "des",
        "di",
        "du",
        "la",
        "le",
        "inc",
        "ltd",
        "llc",
        "corp",
        "corporation",
        "co",
        "gmbh",
    }
)
_WORDS = re.compile(r"\w+")


@functools.lru_cache(maxsize=65536)  # a library has a few thousand spellings at most
def affiliation_key(name: str) -> str:
    """The same key for every spelling of one affiliation (lower case, words sorted)."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    words = [_LONG_FORMS.get(word, word) for word in _WORDS.findall(plain.replace("_", " "))]
    distinctive = {word for word in words if word not in _GENERIC}
    return " ".join(sorted(distinctive or words))


def label_for(spellings: Counter[str]) -> str:
    """The name a group is shown by: its most used spelling, then the longest."""
    return min(spellings, key=lambda s: (-spellings[s], -len(s), s.casefold(), s))


def group_spellings(counts: Counter[str]) -> dict[str, Counter[str]]:
    """Spellings (with their paper counts) grouped under the label each group shows."""
    groups: dict[str, Counter[str]] = {}
    for spelling, count in counts.items():
        groups.setdefault(affiliation_key(spelling), Counter())[spelling] = count
    return {label_for(group): group for group in groups.values()}


def same_affiliation(name: str, spellings: Iterable[str]) -> list[str]:
    """The ``spellings`` that are ``name`` spelt another way (``name`` among them if there)."""
    key = affiliation_key(name)
    return [spelling for spelling in spellings if affiliation_key(spelling) == key]
