"""The paper record shared by parsers, the store, the index, the CLI and the reader."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from paperdeck.core.links import classify_link, is_repository


@dataclass(slots=True)
class Paper:
    """One paper: bibliographic fields from the sources plus the user's own state.

    Parsers fill only the bibliographic part; the store fills ``id`` and the user state.
    Lists are kept in display order and never contain duplicates.
    """

    title: str
    authors: list[str] = field(default_factory=list)
    authors_truncated: bool = False  # the source listed only the first authors ("et al.")
    abstract: str = ""
    date: str | None = None  # ISO "YYYY-MM-DD", or "YYYY-MM" / "YYYY" if the source says no more
    date_inferred: bool = False  # the source gave no year; it was inferred at import
    categories: list[str] = field(default_factory=list)  # arXiv taxonomy ids only
    subject_classes: list[str] = field(default_factory=list)  # MSC, ACM and other class terms
    affiliations: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    has_code: bool = False
    arxiv_id: str | None = None
    doi: str | None = None
    venue: str = ""
    bibtex_key: str = ""  # the citation key and entry type a BibTeX source gave, kept for
    bibtex_type: str = ""  # exporting back to BibTeX: `\\cite{...}` in a paper keeps working
    # Every field of the BibTeX entry the paper came from (lower-case names, values as
    # LaTeX, in the source's order), written back verbatim where paperdeck does not
    # interpret them: a bibliography survives import and export with nothing lost.
    bibtex_fields: dict[str, str] = field(default_factory=dict)
    upvotes: int | None = None  # Hugging Face daily papers' upvotes, as last fetched
    id: str = ""
    sources: list[str] = field(default_factory=list)
    line: int = 0  # first line of the entry in its source file, for messages
    # The arXiv id was read from arXiv's own fields (an Atom <id>, a Hugging Face id, a
    # BibTeX eprint, an arxiv.org link in a listing), not claimed by a record of our own JSON
    # shape: when two records of one arXiv id disagree, this one keeps the id. Not stored.
    arxiv_source: bool = False
    # The user's state, kept by the store.
    starred: bool = False
    starred_at: str | None = None
    note: str = ""
    tags: list[str] = field(default_factory=list)
    read: bool = False
    added_at: str | None = None

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None

    @property
    def code_link(self) -> str | None:
        """The first code-repository link: what `c` copies."""
        return next((url for url in self.links if is_repository(url)), None)

    @property
    def project_links(self) -> list[str]:
        return [url for url in self.links if classify_link(url) == "project"]

    @property
    def arxiv_url(self) -> str | None:
        return f"https://arxiv.org/abs/{self.arxiv_id}" if self.arxiv_id else None

    @property
    def doi_url(self) -> str | None:
        return f"https://doi.org/{self.doi}" if self.doi else None

    @property
    def page_link(self) -> str | None:
        """The paper's own page: arXiv when known, else DOI, else its first link that is not
        a code repository (that is `code_link`). What `y` copies and a Markdown title links
        to: a paper with only a code link has no page of its own."""
        if self.arxiv_url:
            return self.arxiv_url
        if self.doi_url:
            return self.doi_url
        return next((url for url in self.links if not is_repository(url)), None)

    @property
    def primary_link(self) -> str | None:
        """arXiv when known, else DOI, else the first link of any kind, a code repository
        too: the ``url`` a BibTeX entry falls back to. The paper's own page is `page_link`."""
        if self.arxiv_url:
            return self.arxiv_url
        if self.doi_url:
            return self.doi_url
        return self.links[0] if self.links else None

    def to_json(self) -> dict[str, Any]:
        """The stable machine interface printed by `search --json` and `export --format json`."""
        return {
            "id": self.id,
            "title": self.title,
            "authors": list(self.authors),
            "authors_truncated": self.authors_truncated,
            "abstract": self.abstract,
            "date": self.date,
            "date_inferred": self.date_inferred,
            "categories": list(self.categories),
            "subject_classes": list(self.subject_classes),
            "affiliations": list(self.affiliations),
            "links": list(self.links),
            "has_code": self.has_code,
            "arxiv_id": self.arxiv_id,
            "doi": self.doi,
            "venue": self.venue,
            "bibtex_key": self.bibtex_key,
            "bibtex_type": self.bibtex_type,
            "bibtex_fields": dict(self.bibtex_fields),
            "upvotes": self.upvotes,
            "starred": self.starred,
            "starred_at": self.starred_at,
            "tags": list(self.tags),
            "note": self.note,
            "read": self.read,
            "added_at": self.added_at,
            "sources": list(self.sources),
        }
