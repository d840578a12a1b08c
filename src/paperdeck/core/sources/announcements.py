"""arXiv's announcement feeds (rss.arxiv.org): the day's new papers of a category.

arXiv serves the same announcement as Atom (``/atom/CATEGORY``) and as RSS 2.0
(``/rss/CATEGORY``); both are read, whether `paperdeck fetch` gets them or a saved copy is
imported. Each entry says how it is announced, in an ``<arxiv:announce_type>`` element and
again at the start of its abstract ("arXiv:2411.17700v1 Announce Type: new Abstract: ..."):

- ``new``: submitted to this category today;
- ``cross``: submitted elsewhere, listed here too;
- ``replace`` / ``replace-cross``: a new version of an earlier paper. It revises the paper
  a library holds and is never added as a new one (`ParseResult.revisions`).

The feeds write accented author names in TeX (``Nikola Pi\\v{z}urica``, ``Anders S{\\o}gaard``),
where the API writes Unicode; the names are decoded, so the same person is spelled one way.

A feed for a category name arXiv does not know is a valid document whose title says "Feed
error"; that is an error, not an empty day. The XML is parsed the hardened way imported
files are (`parse_xml`), and every field goes through the same cleaning (`build_paper`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from paperdeck.core.links import find_arxiv_id, parse_arxiv_id
from paperdeck.core.models import Paper
from paperdeck.core.sources.atom import creator_names, entry_paper
from paperdeck.core.sources.base import ParseContext, ParseResult, ParseWarning
from paperdeck.core.sources.dates import parse_iso_date
from paperdeck.core.sources.feed_xml import (
    child_text,
    children,
    element_lines,
    feed_kind,
    first_text,
    local_name,
    parse_xml,
)
from paperdeck.core.sources.fields import build_paper, parse_doi
from paperdeck.core.sources.latex import decode_accents, latex_keeping_math

NEW, CROSS, REPLACE, REPLACE_CROSS = "new", "cross", "replace", "replace-cross"
KINDS = (NEW, CROSS, REPLACE, REPLACE_CROSS)
REVISION_KINDS = frozenset({REPLACE, REPLACE_CROSS})
# "arXiv:2411.17700v1 Announce Type: new \nAbstract: ..." at the start of the abstract.
_PREAMBLE = re.compile(
    r"\s*arXiv:\S+\s+Announce Type:\s*(?P<kind>[a-z-]+)\s*(?:Abstract:\s*)?", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Announcement:
    """One announced paper and how it was announced (one of `KINDS`)."""

    kind: str
    paper: Paper

    @property
    def is_revision(self) -> bool:
        return self.kind in REVISION_KINDS


@dataclass(slots=True)
class AnnouncementFeed:
    announcements: list[Announcement]
    warnings: list[ParseWarning]


class AnnouncementSource:
    """Parses a saved announcement feed, Atom or RSS 2.0, as `paperdeck fetch` reads it."""

    name = "arxiv-feed"
    extensions: tuple[str, ...] = (".xml", ".atom", ".rss")

    def sniff(self, text: str) -> bool:
        return feed_kind(text) in ("announcements", "rss1")  # RSS 1.0: refused in `parse`

    def parse(self, text: str, context: ParseContext) -> ParseResult:
        feed = parse_announcements(text, context)
        result = ParseResult(warnings=feed.warnings)
        for announcement in feed.announcements:
            kept = result.revisions if announcement.is_revision else result.papers
            kept.append(announcement.paper)
        return result


def parse_announcements(text: str, context: ParseContext) -> AnnouncementFeed:
    """The feed's announcements; raises ParseError for malformed XML or a feed error."""
    root = parse_xml(text, context)
    feed = AnnouncementFeed([], [])
    if local_name(root.tag) == "rss":
        channel = next(iter(children(root, "channel")), None)
        if channel is None:
            raise context.error(1, "an RSS feed without a <channel>")
        _refuse_feed_error(channel, context)
        items = children(channel, "item")
        for item, line in zip(items, element_lines(text, "item", len(items)), strict=True):
            _add(feed, _rss_item(item, line, context))
    elif local_name(root.tag) == "feed":
        _refuse_feed_error(root, context)
        entries = children(root, "entry")
        for entry, line in zip(entries, element_lines(text, "entry", len(entries)), strict=True):
            _add(feed, _atom_entry(entry, line, context))
    elif local_name(root.tag) == "RDF":
        raise context.error(
            1,
            "an RSS 1.0 feed, arXiv's format before 2024, is not read: save the feed from "
            "rss.arxiv.org/rss/CATEGORY or rss.arxiv.org/atom/CATEGORY",
        )
    else:
        raise context.error(1, f"not an announcement feed (root element <{local_name(root.tag)}>)")
    return feed


def _add(feed: AnnouncementFeed, parsed: Announcement | ParseWarning) -> None:
    if isinstance(parsed, ParseWarning):
        feed.warnings.append(parsed)
    else:
        feed.announcements.append(parsed)


def _refuse_feed_error(element: ET.Element, context: ParseContext) -> None:
    title = child_text(element, "title")
    if title.lower().startswith("feed error"):
        detail = child_text(element, "description") or child_text(element, "subtitle")
        raise context.error(1, f"{title}: {detail}" if detail else title)


def split_preamble(abstract: str) -> tuple[str, str]:
    """(the announce type its preamble gives, lower case, "" without one; the abstract
    without it). Also mends abstracts stored with it by earlier versions (schema 11)."""
    found = _PREAMBLE.match(abstract)
    if found is None:
        return "", abstract
    return found.group("kind").lower(), abstract[found.end() :]


def _kind_and_abstract(declared: str, abstract: str) -> tuple[str, str]:
    """The announce type (declared, else from the preamble; "new" when neither says) and
    the abstract without its preamble."""
    found, abstract = split_preamble(abstract)
    kind = declared.strip().lower() or found
    return (kind if kind in KINDS else NEW), abstract


def _atom_entry(entry: ET.Element, line: int, context: ParseContext) -> Announcement | ParseWarning:
    parsed = entry_paper(entry, line, context)
    if isinstance(parsed, ParseWarning):
        return parsed
    kind, parsed.abstract = _kind_and_abstract(child_text(entry, "announce_type"), parsed.abstract)
    return Announcement(kind, parsed)


def _rss_item(item: ET.Element, line: int, context: ParseContext) -> Announcement | ParseWarning:
    title = latex_keeping_math(child_text(item, "title"))
    if not title:
        return context.warn(line, "item without a title; skipped")
    kind, abstract = _kind_and_abstract(
        child_text(item, "announce_type"), decode_accents(child_text(item, "description"))
    )
    link = child_text(item, "link")
    guid = child_text(item, "guid")
    authors, truncated = creator_names(child_text(item, "creator"))
    return Announcement(
        kind,
        build_paper(
            title=title,
            authors=authors,
            authors_truncated=truncated,
            abstract=abstract,
            links=[link],
            categories=[c.text or "" for c in children(item, "category")],
            arxiv_id=parse_arxiv_id(link) or parse_arxiv_id(guid) or find_arxiv_id(guid),
            # Both spellings, as for the Atom form: <arxiv:DOI>, <arxiv:journal_reference>
            # here, <arxiv:doi>, <arxiv:journal_ref> in the API.
            doi=parse_doi(first_text(item, "DOI", "doi")),
            date=_rss_date(child_text(item, "pubDate")),
            venue=first_text(item, "journal_reference", "journal_ref"),
            line=line,
        ),
    )


def _rss_date(value: str) -> str | None:
    """An RFC 822 date ("Thu, 28 Nov 2024 00:00:00 -0500") as ISO; ISO dates pass too."""
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return parse_iso_date(value)


SOURCE = AnnouncementSource()
