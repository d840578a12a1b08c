"""arXiv's announcement feeds (rss.arxiv.org): the day's new papers of a category.

arXiv serves the same announcement as Atom (``/atom/CATEGORY``) and as RSS 2.0
(``/rss/CATEGORY``); both are read. Each entry says how it is announced, in an
``<arxiv:announce_type>`` element and again at the start of its abstract ("arXiv:2411.17700v1
Announce Type: new Abstract: ..."):

- ``new``: submitted to this category today;
- ``cross``: submitted elsewhere, listed here too;
- ``replace`` / ``replace-cross``: a new version of an earlier paper.

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
from paperdeck.core.sources.atom import (
    child_text,
    children,
    entry_lines,
    entry_paper,
    local_name,
    parse_xml,
)
from paperdeck.core.sources.authors import split_author_string
from paperdeck.core.sources.base import ParseContext, ParseWarning
from paperdeck.core.sources.dates import parse_iso_date
from paperdeck.core.sources.fields import build_paper, parse_doi
from paperdeck.core.sources.latex import decode_accents, latex_to_unicode

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
        for item, line in zip(items, _item_lines(text, len(items)), strict=True):
            _add(feed, _rss_item(item, line, context))
    elif local_name(root.tag) == "feed":
        _refuse_feed_error(root, context)
        entries = children(root, "entry")
        for entry, line in zip(entries, entry_lines(text, len(entries)), strict=True):
            _add(feed, _atom_entry(entry, line, context))
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


def _kind_and_abstract(declared: str, abstract: str) -> tuple[str, str]:
    """The announce type (declared, else from the preamble; "new" when neither says) and
    the abstract without its preamble."""
    found = _PREAMBLE.match(abstract)
    kind = declared.strip().lower() or (found.group("kind").lower() if found else "")
    if found:
        abstract = abstract[found.end() :]
    return (kind if kind in KINDS else NEW), abstract


def _atom_entry(entry: ET.Element, line: int, context: ParseContext) -> Announcement | ParseWarning:
    parsed = entry_paper(entry, line, context)
    if isinstance(parsed, ParseWarning):
        return parsed
    kind, abstract = _kind_and_abstract(child_text(entry, "announce_type"), parsed.abstract)
    parsed.abstract = abstract
    if not parsed.authors:  # the announcement feeds name authors in <dc:creator>
        parsed.authors, parsed.authors_truncated = _creators(child_text(entry, "creator"))
    parsed.arxiv_id = parsed.arxiv_id or parse_arxiv_id(child_text(entry, "id").split(":")[-1])
    return Announcement(kind, parsed)


def _rss_item(item: ET.Element, line: int, context: ParseContext) -> Announcement | ParseWarning:
    title = latex_to_unicode(child_text(item, "title"))
    if not title:
        return context.warn(line, "item without a title; skipped")
    kind, abstract = _kind_and_abstract(
        child_text(item, "announce_type"), decode_accents(child_text(item, "description"))
    )
    link = child_text(item, "link")
    guid = child_text(item, "guid")
    authors, truncated = _creators(child_text(item, "creator"))
    arxiv_id = parse_arxiv_id(link) or find_arxiv_id(guid) or parse_arxiv_id(guid.split(":")[-1])
    return Announcement(
        kind,
        build_paper(
            title=title,
            authors=authors,
            authors_truncated=truncated,
            abstract=abstract,
            links=[link],
            categories=[c.text or "" for c in children(item, "category")],
            arxiv_id=arxiv_id,
            doi=parse_doi(child_text(item, "DOI")),
            date=_rss_date(child_text(item, "pubDate")),
            venue=child_text(item, "journal_reference"),
            line=line,
        ),
    )


def _creators(text: str) -> tuple[list[str], bool]:
    """The names of a <dc:creator> list, TeX accents decoded (only where a name has TeX:
    a plain name is taken as written)."""
    names, truncated = split_author_string(text)
    decoded = [latex_to_unicode(n) if "\\" in n or "{" in n else n for n in names]
    return [name for name in decoded if name], truncated


def _rss_date(value: str) -> str | None:
    """An RFC 822 date ("Thu, 28 Nov 2024 00:00:00 -0500") as ISO; ISO dates pass too."""
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return parse_iso_date(value)


_ITEM_START = re.compile(r"<(?:[\w.-]+:)?item[\s>/]")


def _item_lines(text: str, count: int) -> list[int]:
    from paperdeck.core.sources.fields import line_numbers

    lines = line_numbers(text, (m.start() for m in _ITEM_START.finditer(text)))
    return lines if len(lines) == count else [0] * count
