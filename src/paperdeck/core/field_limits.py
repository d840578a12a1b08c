"""How big one field of an imported paper may be, and cutting what is bigger.

A crafted or broken file can carry a 50 MB title or a 5 MB abstract: stored whole, it costs
seconds in every screen that lays it out and in every index build. Real papers come nowhere
near these limits (an arXiv abstract is at most 1,920 characters), so what is cut was never
readable text; each cut is reported, naming the file and the entry.
"""

from __future__ import annotations

from collections.abc import Iterator

from paperdeck.core.models import Paper
from paperdeck.core.sources.base import ParseWarning
from paperdeck.core.store.records import NOTE_LIMIT, TAG_LIMIT
from paperdeck.core.text import clean_line

# Characters in one text field.
TEXT_LIMITS = {
    "title": 2_000,
    "abstract": 100_000,
    "venue": 2_000,
    "note": NOTE_LIMIT,  # the most any note may hold (why: `records.NOTE_LIMIT`)
    "bibtex_key": 200,
    "bibtex_type": 100,
    "id": 200,
    "arxiv_id": 100,
    "doi": 500,
    "date": 100,
    "starred_at": 100,
    "added_at": 100,
}
# (items kept, characters in one item) of each list field.
LIST_LIMITS = {
    "authors": (5_000, 500),
    "affiliations": (1_000, 1_000),
    "categories": (200, 200),
    "links": (500, 2_000),
    "sources": (200, 4_000),
    "tags": (500, TAG_LIMIT),
}


def cap_fields(paper: Paper) -> list[str]:
    """Cut ``paper``'s oversized fields in place; one line per field cut, for a warning."""
    cuts: list[str] = []
    for name, limit in TEXT_LIMITS.items():
        value = getattr(paper, name)
        if isinstance(value, str) and len(value) > limit:
            setattr(paper, name, value[:limit])
            cuts.append(f"{name} cut to {limit:,} characters (was {len(value):,})")
    for name, (count, length) in LIST_LIMITS.items():
        values: list[str] = getattr(paper, name)
        long = sum(1 for value in values if len(value) > length)
        if len(values) > count or long:
            setattr(paper, name, [value[:length] for value in values[:count]])
        if len(values) > count:
            cuts.append(f"{name} cut to the first {count:,} (of {len(values):,})")
        if long:
            cuts.append(f"{long:,} of its {name} cut to {length:,} characters")
    return cuts


def capped(papers: Iterator[Paper], path: str, warnings: list[ParseWarning]) -> Iterator[Paper]:
    """``papers`` with oversized fields cut, each cut told in ``warnings`` (file, line and
    the start of the title name the entry)."""
    for paper in papers:
        cuts = cap_fields(paper)
        if cuts:
            title = clean_line(paper.title[:60])
            warnings.append(ParseWarning(path, paper.line, f"{title!r}: {'; '.join(cuts)}"))
        yield paper
