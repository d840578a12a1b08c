"""Atom feeds, as the arXiv API returns them (export.arxiv.org/api/query).

arXiv's announcement feed in its Atom form (rss.arxiv.org/atom) is read by `announcements`,
which reads each entry with `entry_paper` too; the XML is parsed by `feed_xml`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from paperdeck.core.links import extract_links, parse_arxiv_id
from paperdeck.core.models import Paper
from paperdeck.core.sources.authors import split_author_string
from paperdeck.core.sources.base import ParseContext, ParseResult, ParseWarning
from paperdeck.core.sources.dates import parse_iso_date
from paperdeck.core.sources.feed_xml import (
    ATOM_NS,
    child_text,
    children,
    element_lines,
    feed_kind,
    first_text,
    local_name,
    parse_xml,
)
from paperdeck.core.sources.fields import build_paper, parse_doi
from paperdeck.core.sources.latex import decode_accents, latex_keeping_math, latex_to_unicode
from paperdeck.core.text import clean_line


class AtomSource:
    """Parses Atom XML."""

    name = "atom"
    extensions: tuple[str, ...] = (".atom", ".xml")

    def sniff(self, text: str) -> bool:
        kind = feed_kind(text)
        if kind is not None:  # another XML source reads the other kinds
            return kind in ("atom", "rss")  # RSS 2.0 from elsewhere: refused in `parse`
        head = text[:4096].lstrip("\ufeff \t\r\n")
        return head.startswith("<") and ATOM_NS in head

    def parse(self, text: str, context: ParseContext) -> ParseResult:
        root = parse_xml(text, context)
        if local_name(root.tag) == "feed":
            entries = children(root, "entry")
        elif local_name(root.tag) == "entry":
            entries = [root]
        elif local_name(root.tag) == "rss":
            message = "an RSS feed, but not arXiv's announcement feed: no other RSS feed is read"
            raise context.error(1, message)
        else:
            raise context.error(1, f"not an Atom feed (root element <{local_name(root.tag)}>)")
        result = ParseResult()
        for entry, line in zip(entries, element_lines(text, "entry", len(entries)), strict=True):
            parsed = entry_paper(entry, line, context)
            if isinstance(parsed, ParseWarning):
                result.warnings.append(parsed)
            else:
                result.papers.append(parsed)
        return result


def entry_paper(entry: ET.Element, line: int, context: ParseContext) -> Paper | ParseWarning:
    """One Atom ``<entry>`` as a paper, or the warning that skips it."""
    entry_id = child_text(entry, "id")
    if "/api/errors" in entry_id:  # how the arXiv API reports a bad query
        return context.warn(line, f"arXiv API error: {child_text(entry, 'summary')}")
    title = child_text(entry, "title")
    if not title:
        return context.warn(line, "entry without a title; skipped")
    authors: list[str] = []
    affiliations: list[str] = []
    for author in children(entry, "author"):
        authors.append(child_text(author, "name"))
        affiliations.extend(
            clean_line("".join(a.itertext())) for a in children(author, "affiliation")
        )
    truncated = False
    if not authors:  # the announcement feeds name the authors in one <dc:creator>
        authors, truncated = creator_names(child_text(entry, "creator"))
    categories = [c.get("term", "") for c in children(entry, "primary_category")]
    categories += [c.get("term", "") for c in children(entry, "category")]
    comment = child_text(entry, "comment")
    links = [link.get("href", "") for link in children(entry, "link")]
    # The API writes <arxiv:doi> and <arxiv:journal_ref>; the announcement feeds write
    # <arxiv:DOI> and <arxiv:journal_reference>.
    doi = parse_doi(first_text(entry, "doi", "DOI"))
    doi = doi or next((d for d in map(parse_doi, links) if d), None)
    abstract = child_text(entry, "summary") or child_text(entry, "content")
    arxiv_id = parse_arxiv_id(entry_id)
    if arxiv_id is not None:  # arXiv's metadata is TeX: read as the snapshot's is
        title, abstract = latex_keeping_math(title), decode_accents(abstract)
    return build_paper(
        title=title,
        authors=authors,
        authors_truncated=truncated,
        affiliations=affiliations,
        abstract=abstract,
        links=links + extract_links(comment),
        categories=categories,
        arxiv_id=arxiv_id,
        doi=doi,
        date=parse_iso_date(child_text(entry, "published") or child_text(entry, "updated")),
        venue=first_text(entry, "journal_ref", "journal_reference"),
        line=line,
    )


def creator_names(text: str) -> tuple[list[str], bool]:
    """The names of a <dc:creator> list, TeX accents decoded (only where a name has TeX:
    a plain name is taken as written). arXiv's feeds write ``Nikola Pi\\v{z}urica``, where
    its API writes Unicode."""
    names, truncated = split_author_string(text)
    decoded = [latex_to_unicode(n) if "\\" in n or "{" in n else n for n in names]
    return [name for name in decoded if name], truncated


SOURCE = AtomSource()
