"""Field rules shared by every format: identifiers, and assembling a clean `Paper`.

Whatever the format, a paper leaves its parser the same way: names and text cleaned with
`clean_line`, links from explicit fields and from the abstract merged, `has_code` set when
any link is a repository. Keeping that in one function means the formats cannot drift.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote

from paperdeck.core.links import (
    clean_url,
    extract_links,
    find_arxiv_id,
    is_repository,
    ordered_union,
)
from paperdeck.core.models import Paper
from paperdeck.core.sources.authors import unique_names, until_et_al
from paperdeck.core.sources.categories import split_categories, split_terms
from paperdeck.core.text import clean_line

_DOI = re.compile(r"(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?(10\.[0-9]{4,9}/\S+)", re.IGNORECASE)


def line_numbers(text: str, offsets: Iterable[int]) -> list[int]:
    """1-based line numbers of ascending character offsets, counted in one pass over ``text``
    (counting from the start for each offset would be quadratic on a 100,000-paper export)."""
    lines: list[int] = []
    line, position = 1, 0
    for offset in offsets:
        line += text.count("\n", position, offset)
        position = max(position, offset)
        lines.append(line)
    return lines


def parse_doi(value: str) -> str | None:
    """ "10.1000/xyz" from a bare DOI, "doi:..." or a doi.org URL; None otherwise."""
    match = _DOI.fullmatch(value.strip())
    return unquote(match.group(1)).rstrip(".,;") if match else None


def _is_self_link(url: str, arxiv_id: str | None, doi: str | None) -> bool:
    """The paper's own arXiv or DOI page: `Paper.primary_link` already gives those."""
    if arxiv_id and find_arxiv_id(url) == arxiv_id:
        return True
    found = parse_doi(url) if doi else None  # DOIs are case-insensitive
    return found is not None and doi is not None and found.casefold() == doi.casefold()


def build_paper(
    *,
    title: str,
    line: int,
    authors: Iterable[str] = (),
    abstract: str = "",
    links: Iterable[str] = (),
    has_code: bool = False,
    categories: Iterable[str] = (),
    subject_classes: Iterable[str] = (),
    affiliations: Iterable[str] = (),
    arxiv_id: str | None = None,
    doi: str | None = None,
    keep_self_links: bool = False,
    **extra: object,
) -> Paper:
    """A `Paper` with every text field cleaned and links and `has_code` derived.

    ``extra`` passes any other `Paper` field through unchanged (date, venue, user state).
    The paper's own arXiv/DOI pages are dropped from ``links`` (and an arXiv id is taken
    from them when none was given) unless ``keep_self_links`` is set, as a round trip of
    our own export needs. The arXiv id of every format but that one (our own JSON shape,
    whose fields anyone can write) counts as given by arXiv (`Paper.arxiv_source`).
    """
    abstract = clean_line(abstract)
    # "et al." given as the last name (arXiv's snapshot, an Atom <name>, a BibTeX "et al.")
    # ends the list and says it is truncated.
    names, cut = until_et_al(unique_names(list(authors)))
    truncated = bool(extra.pop("authors_truncated", False)) or cut
    explicit = [url for url in (clean_url(clean_line(raw)) for raw in links) if url]
    all_links = ordered_union(explicit, extract_links(abstract))
    arxiv_categories, classes = split_categories(list(categories))
    if not keep_self_links:
        if arxiv_id is None:
            arxiv_id = next((i for i in map(find_arxiv_id, explicit) if i), None)
        all_links = [url for url in all_links if not _is_self_link(url, arxiv_id, doi)]
    return Paper(
        title=clean_line(title),
        authors=names,
        authors_truncated=truncated,
        abstract=abstract,
        categories=arxiv_categories,
        subject_classes=list(
            dict.fromkeys([*classes, *(t for code in subject_classes for t in split_terms(code))])
        ),
        affiliations=list(dict.fromkeys(c for c in map(clean_line, affiliations) if c)),
        links=all_links,
        has_code=bool(has_code) or any(is_repository(url) for url in all_links),
        arxiv_id=arxiv_id,
        arxiv_source=arxiv_id is not None and not keep_self_links,
        doi=doi,
        line=line,
        **extra,  # type: ignore[arg-type]
    )
