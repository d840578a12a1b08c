"""Atom feeds, as the arXiv API returns them (export.arxiv.org/api/query).

Elements are matched by local name, so a feed that forgets the Atom namespace still reads.
Documents with a DOCTYPE or ENTITY declaration are refused outright: a feed never needs
one, and refusing them closes the door on entity-expansion attacks.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from paperdeck.core.dates import parse_iso_date
from paperdeck.core.links import extract_links, parse_arxiv_id
from paperdeck.core.models import Paper
from paperdeck.core.sources.base import ParseContext, ParseResult, ParseWarning
from paperdeck.core.sources.fields import build_paper, line_numbers, parse_doi
from paperdeck.core.text import clean_line

_ATOM_NS = "http://www.w3.org/2005/Atom"
_DECLARATION = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_ENTRY_START = re.compile(r"<(?:[\w.-]+:)?entry[\s>/]")
_POSITION_SUFFIX = re.compile(r":\s*line [0-9]+, column [0-9]+$")


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if _local(child.tag) == name]


def _text(element: ET.Element, name: str) -> str:
    """The whole text of the first child called ``name`` ("" when absent)."""
    found = _children(element, name)
    return clean_line("".join(found[0].itertext())) if found else ""


class AtomSource:
    """Parses Atom XML."""

    name = "atom"
    extensions: tuple[str, ...] = (".atom", ".xml")

    def sniff(self, text: str) -> bool:
        head = text[:4096].lstrip("\ufeff \t\r\n")
        return head.startswith("<") and ("<feed" in head or _ATOM_NS in head)

    def parse(self, text: str, context: ParseContext) -> ParseResult:
        declaration = _DECLARATION.search(text)
        if declaration:
            line = line_numbers(text, [declaration.start()])[0]
            raise context.error(line, "DOCTYPE and ENTITY declarations are not allowed in a feed")
        try:
            root = ET.fromstring(text)
        except ET.ParseError as exc:
            message = _POSITION_SUFFIX.sub("", str(exc))
            raise context.error(exc.position[0], f"malformed XML: {message}") from None
        except ValueError as exc:  # e.g. an encoding declaration expat cannot honour
            raise context.error(1, f"malformed XML: {exc}") from None
        if _local(root.tag) == "feed":
            entries = _children(root, "entry")
        elif _local(root.tag) == "entry":
            entries = [root]
        else:
            raise context.error(1, f"not an Atom feed (root element <{_local(root.tag)}>)")
        lines = line_numbers(text, (m.start() for m in _ENTRY_START.finditer(text)))
        if len(lines) != len(entries):
            lines = [0] * len(entries)
        result = ParseResult()
        for entry, line in zip(entries, lines, strict=True):
            parsed = self._entry(entry, line, context)
            if isinstance(parsed, ParseWarning):
                result.warnings.append(parsed)
            else:
                result.papers.append(parsed)
        return result

    @staticmethod
    def _entry(entry: ET.Element, line: int, context: ParseContext) -> Paper | ParseWarning:
        entry_id = _text(entry, "id")
        if "/api/errors" in entry_id:  # how the arXiv API reports a bad query
            return context.warn(line, f"arXiv API error: {_text(entry, 'summary')}")
        title = _text(entry, "title")
        if not title:
            return context.warn(line, "entry without a title; skipped")
        authors: list[str] = []
        affiliations: list[str] = []
        for author in _children(entry, "author"):
            authors.append(_text(author, "name"))
            affiliations.extend(
                clean_line("".join(a.itertext())) for a in _children(author, "affiliation")
            )
        categories = [c.get("term", "") for c in _children(entry, "primary_category")]
        categories += [c.get("term", "") for c in _children(entry, "category")]
        comment = _text(entry, "comment")
        links = [link.get("href", "") for link in _children(entry, "link")]
        doi = parse_doi(_text(entry, "doi")) or next((d for d in map(parse_doi, links) if d), None)
        return build_paper(
            title=title,
            authors=authors,
            affiliations=affiliations,
            abstract=_text(entry, "summary") or _text(entry, "content"),
            links=links + extract_links(comment),
            categories=categories,
            arxiv_id=parse_arxiv_id(entry_id),
            doi=doi,
            date=parse_iso_date(_text(entry, "published") or _text(entry, "updated")),
            venue=_text(entry, "journal_ref"),
            line=line,
        )


SOURCE = AtomSource()
