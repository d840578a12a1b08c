"""Deciding when two records are one paper, and combining them into the richer record."""

from __future__ import annotations

import re
from typing import Literal

from paperdeck.core.links import canonical_arxiv_id, is_repository, ordered_union
from paperdeck.core.models import Paper
from paperdeck.core.sources.authors import is_name_suffix
from paperdeck.core.sources.bibtex_crossref import DATE_FIELDS
from paperdeck.core.text import normalise_title


def title_key(paper: Paper) -> str:
    return normalise_title(paper.title)


def author_key(name: str) -> str:
    """The folded surname: enough to tell two same-titled entries apart ("Robert Smith
    Jr." and BibTeX's "Smith, Robert" both give "smith")."""
    words = normalise_title(name).split()
    while len(words) > 1 and is_name_suffix(words[-1]):
        words.pop()
    return words[-1] if words else ""


def first_author_key(paper: Paper) -> str:
    return author_key(paper.authors[0]) if paper.authors else ""


def doi_key(doi: str | None) -> str | None:
    return doi.strip().lower().removeprefix("https://doi.org/") if doi else None


def same_paper(a: Paper, b: Paper) -> bool:
    """Same arXiv id or DOI, or the same title with compatible first authors.

    A missing author list is compatible with any: the daily page has no authors, yet its
    entries are the same papers the author listing shows.
    """
    if a.arxiv_id and b.arxiv_id:
        return canonical_arxiv_id(a.arxiv_id) == canonical_arxiv_id(b.arxiv_id)
    if a.doi and b.doi and doi_key(a.doi) == doi_key(b.doi):
        return True
    if title_key(a) != title_key(b) or not title_key(a):
        return False
    first_a, first_b = first_author_key(a), first_author_key(b)
    return not first_a or not first_b or first_a == first_b


def _title_overlap(a: Paper, b: Paper) -> float:
    words_a, words_b = set(title_key(a).split()), set(title_key(b).split())
    return len(words_a & words_b) / max(len(words_a | words_b), 1)


def clashing_claim(kept: Paper, incoming: Paper) -> Literal["arxiv", "doi"] | None:
    """The identifier (arXiv id, else DOI) two records share although they disagree on
    title (under half their words in common) and on first author (both known, different
    surnames): two papers, one of which claims an identifier that is not its own. A revised
    title or another spelling of a name is no clash. None when there is no clash."""
    if kept.arxiv_id and incoming.arxiv_id:
        shared: Literal["arxiv", "doi"] | None = (
            "arxiv"
            if canonical_arxiv_id(kept.arxiv_id) == canonical_arxiv_id(incoming.arxiv_id)
            else None
        )
    else:
        same_doi = kept.doi and incoming.doi and doi_key(kept.doi) == doi_key(incoming.doi)
        shared = "doi" if same_doi else None
    if shared is None:
        return None
    first_kept, first_incoming = first_author_key(kept), first_author_key(incoming)
    if not first_kept or not first_incoming or first_kept == first_incoming:
        return None
    return shared if _title_overlap(kept, incoming) < 0.5 else None


def new_paper_id(paper: Paper) -> str:
    """The arXiv id when known, else a stable id from the title and first author."""
    if paper.arxiv_id:
        return paper.arxiv_id
    import hashlib  # off the import path of commands that never add papers

    basis = f"{title_key(paper)}|{first_author_key(paper)}|{doi_key(paper.doi) or ''}"
    return "pd-" + hashlib.sha1(basis.encode()).hexdigest()[:10]


def _fuller_authors(a: Paper, b: Paper) -> Paper:
    """The record whose author list says more: a complete list beats a truncated one."""
    if not a.authors:
        return b
    if not b.authors:
        return a
    if a.authors_truncated != b.authors_truncated:
        return b if a.authors_truncated else a
    return b if len(b.authors) > len(a.authors) else a


def merged_date(a: Paper, b: Paper) -> tuple[str | None, bool]:
    """(date, year inferred) from two records of one paper: a known year beats an inferred
    one, and a fuller date beats one it agrees with ("2024-03-11" beats "2024", and its
    inferred year is then confirmed). Two known dates that disagree: the earlier, when the
    paper first appeared (its preprint, not the proceedings a year later), whichever record
    came first. Two guesses: the first record's stays."""
    if not a.date or not b.date:
        return (a.date, a.date_inferred) if a.date else (b.date, b.date_inferred)
    if a.date_inferred and not b.date_inferred:
        if a.date.startswith(b.date) and len(a.date) > len(b.date):
            return a.date, False
        return b.date, False
    if len(b.date) > len(a.date) and b.date.startswith(a.date):
        return b.date, a.date_inferred and b.date_inferred
    if (
        not a.date_inferred
        and not b.date_inferred
        and b.date < a.date
        and not a.date.startswith(b.date)
    ):
        return b.date, False
    return a.date, a.date_inferred


_PREPRINT_VENUE = re.compile(r"\b(?:arxiv|corr|biorxiv|medrxiv|chemrxiv|ssrn|preprints?)\b", re.I)


def is_preprint(paper: Paper) -> bool:
    """A record of the preprint: no venue but a preprint server ("arXiv preprint arXiv:...",
    DBLP's "CoRR")."""
    return not paper.venue.strip() or _PREPRINT_VENUE.search(paper.venue) is not None


def _venue_source(kept: Paper, incoming: Paper) -> Paper:
    """The record the merged venue comes from: its BibTeX entry type, citation key, pages and
    DOI go with it (an @inproceedings with its booktitle, not the @misc of the same paper's
    preprint)."""
    if is_preprint(kept) and not is_preprint(incoming):
        return incoming
    return kept if kept.venue or not incoming.venue else incoming


# The fields a BibTeX entry names its venue in: a merged record keeps one entry's venue.
_VENUE_FIELDS = frozenset(
    {"journal", "journaltitle", "booktitle", "howpublished", "school", "institution"}
)


def _other(kept: Paper, incoming: Paper, first: Paper) -> Paper:
    return incoming if first is kept else kept


def merged_bibtex_fields(first: Paper, second: Paper) -> dict[str, str]:
    """Every field of ``first``'s entry (the one whose venue and type the record keeps), then
    the fields only ``second``'s had; not its venue or date, which would contradict
    ``first``'s."""
    fields = dict(first.bibtex_fields)
    kept_whole = [group for group in (_VENUE_FIELDS, DATE_FIELDS) if group.intersection(fields)]
    for name, value in second.bibtex_fields.items():
        if name not in fields and not any(name in group for group in kept_whole):
            fields[name] = value
    return fields


def merged_note(kept: str, incoming: str) -> str:
    """Both notes when they differ, the library's first: importing a backup or another
    machine's export must not drop a note for the one here. A note the other contains is
    not repeated, so importing the same file again changes nothing."""
    if not incoming or incoming in kept:
        return kept
    if not kept or kept in incoming:
        return incoming
    return f"{kept}\n\n{incoming}"


def merge_papers(kept: Paper, incoming: Paper) -> Paper:
    """``kept`` updated with what ``incoming`` knows better. ``kept.id`` never changes."""
    authors = _fuller_authors(kept, incoming)
    date, date_inferred = merged_date(kept, incoming)
    links = ordered_union(kept.links, incoming.links)
    starred = kept.starred or incoming.starred
    starred_times = [t for t in (kept.starred_at, incoming.starred_at) if t]
    first = _venue_source(kept, incoming)
    second = _other(kept, incoming, first)
    return Paper(
        id=kept.id,
        title=kept.title or incoming.title,
        authors=list(authors.authors),
        authors_truncated=authors.authors_truncated,
        abstract=max(kept.abstract, incoming.abstract, key=len),
        date=date,
        date_inferred=date_inferred,
        categories=ordered_union(kept.categories, incoming.categories),
        subject_classes=ordered_union(kept.subject_classes, incoming.subject_classes),
        affiliations=ordered_union(kept.affiliations, incoming.affiliations),
        links=links,
        has_code=kept.has_code or incoming.has_code or any(map(is_repository, links)),
        arxiv_id=kept.arxiv_id or incoming.arxiv_id,
        doi=first.doi or second.doi,  # the published DOI, not the preprint's
        venue=first.venue or second.venue,
        bibtex_key=first.bibtex_key or second.bibtex_key,
        bibtex_type=first.bibtex_type or second.bibtex_type,
        bibtex_fields=merged_bibtex_fields(first, second),
        upvotes=incoming.upvotes if incoming.upvotes is not None else kept.upvotes,
        sources=ordered_union(kept.sources, incoming.sources),
        line=kept.line,
        starred=starred,
        starred_at=min(starred_times) if starred and starred_times else None,
        note=merged_note(kept.note, incoming.note),
        tags=ordered_union(kept.tags, incoming.tags),
        read=kept.read or incoming.read,
        added_at=kept.added_at or incoming.added_at,
    )


def revise_paper(kept: Paper, revision: Paper) -> Paper:
    """``kept`` updated to a newer version of itself (an arXiv replacement): the revision's
    title, abstract and authors win where it has them; the first version's date and the
    user's state stay; everything else merges as `merge_papers` does."""
    merged = merge_papers(kept, revision)
    merged.title = revision.title or merged.title
    merged.abstract = revision.abstract or merged.abstract
    if revision.authors:
        merged.authors = list(revision.authors)
        merged.authors_truncated = revision.authors_truncated
    return merged
