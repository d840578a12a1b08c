"""BibTeX's ``crossref``: a paper's entry takes the fields it lacks from the entry it names,
usually the proceedings or book it appeared in.

As BibTeX and biber do: every field the child does not have is inherited, and the parent's
title becomes the child's ``booktitle`` (``journaltitle`` for an article in a periodical),
never its title; a date is taken whole or not at all (a child's own year never gets the
parent's month). Unlike them, the parent's own identity is not inherited: its DOI, eprint,
url and abstract are the volume's, and a paper given them would merge with every other paper
of that volume. A proceedings or book entry that other entries cross-reference is the
volume, not a paper of its own, and is not imported.
"""

from __future__ import annotations

from collections.abc import Iterable

# Entry types that hold other entries (BibTeX's and biblatex's).
CONTAINER_TYPES = frozenset(
    {"proceedings", "book", "collection", "reference", "periodical",
     "mvbook", "mvcollection", "mvproceedings", "mvreference"}
)  # fmt: skip
_NOT_INHERITED = frozenset(
    {"crossref", "xref", "ids", "key", "label", "shorthand", "sortkey", "entryset",
     "title", "subtitle", "titleaddon", "shorttitle", "abstract", "file",
     "doi", "url", "urldate", "eprint", "eprinttype", "archiveprefix", "primaryclass",
     "eprintclass", "arxivid", "arxivcategories"}
)  # fmt: skip
# The fields that date an entry, one date: never a year and another entry's month (also
# `merge.merged_bibtex_fields` and the BibTeX writer).
DATE_FIELDS = frozenset({"year", "month", "day", "date"})
_MAX_DEPTH = 4  # biber follows chains (a paper, its proceedings, their multi-volume set)


def crossref_key(fields: dict[str, str]) -> str:
    """The key an entry cross-references, compared without case as BibTeX compares keys."""
    return fields.get("crossref", "").strip().casefold()


def crossref_targets(entries: Iterable[dict[str, str]]) -> set[str]:
    """The keys that some entry cross-references."""
    return {key for key in map(crossref_key, entries) if key}


def inherited(
    fields: dict[str, str], parents: dict[str, tuple[str, dict[str, str]]]
) -> dict[str, str]:
    """``fields`` with what they lack taken from the cross-referenced entries, after the
    entry's own, and without their ``crossref`` once it is resolved. ``parents`` maps a key
    (case folded) to its entry type and fields."""
    result = dict(fields)
    seen: set[str] = set()
    key = crossref_key(fields)
    while key and key not in seen and key in parents and len(seen) < _MAX_DEPTH:
        seen.add(key)
        parent_type, parent = parents[key]
        title = parent.get("booktitle") or parent.get("title")
        names: tuple[str, ...] = ("booktitle",)
        container = "booktitle"
        if parent_type == "periodical":  # an article in a journal's issue
            container, names = "journaltitle", ("journal", "journaltitle")
        if title and not any(name in result for name in names):
            result[container] = title
        dated = "year" in result or "date" in result
        for name, value in parent.items():
            if name in _NOT_INHERITED or name in result or (dated and name in DATE_FIELDS):
                continue
            result[name] = value
        key = crossref_key(parent)
    if seen:
        # It holds what it took: it stands alone, and an export names no entry it lacks (a
        # volume is no paper of the library). Kept when the entry it names is not in the
        # file: it is then all that links the paper to its volume.
        del result["crossref"]
    return result
