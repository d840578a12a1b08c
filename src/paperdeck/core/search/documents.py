"""What the search index holds of a paper, and so which changes must reach it.

Kept apart from `index_files` so that the store can ask `INDEXED_FIELDS` without importing
Whoosh: a star, not indexed, then costs no Whoosh commit and no new segment later.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # not imported at run time: `paperdeck star` loads this module
    from paperdeck.core.models import Paper

# The paper's attributes `paper_document` reads: a change to any other (a star, the read
# mark) is not logged for the index.
INDEXED_FIELDS = frozenset(
    {"id", "title", "authors", "abstract", "categories", "affiliations", "tags", "note", "date"}
)

# The fields a phrase can search (they keep positions); each has a word-pair field beside it
# (see `pairs`), named with the suffix, given the same text.
PAIRED_FIELDS = ("title", "authors", "abstract", "affiliations", "note")
PAIR_SUFFIX = "_pairs"


def paper_document(paper: Paper) -> dict[str, Any]:
    """The fields Whoosh indexes for one paper (only `id` is stored: rows come from SQLite)."""

    def keywords(values: list[str]) -> str:
        return ",".join(v.replace(",", " ") for v in values)

    doc: dict[str, Any] = {
        "id": paper.id,
        "title": paper.title,
        "authors": "\n".join(paper.authors),
        "abstract": paper.abstract,
        "categories": keywords(paper.categories),
        "affiliations": "\n".join(paper.affiliations),
        "tags": keywords(paper.tags),
        "note": paper.note,
    }
    doc = {name: value for name, value in doc.items() if value}
    for name in PAIRED_FIELDS:
        if name in doc:  # the same string object: analysed once for both (`FastChain`)
            doc[name + PAIR_SUFFIX] = doc[name]
    if paper.year is not None:
        doc["year"] = paper.year
    return doc
