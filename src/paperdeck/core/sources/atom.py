"""Atom feeds, as the arXiv API returns them (export.arxiv.org/api/query).

Elements are matched by local name, so a feed that forgets the Atom namespace still reads.
Documents with a DOCTYPE or ENTITY declaration are refused outright: a feed never needs
one, and refusing them closes the door on entity-expansion attacks.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from paperdeck.core.links import extract_links, parse_arxiv_id
from paperdeck.core.models import Paper
from paperdeck.core.sources.base import ParseContext, ParseResult, ParseWarning
from paperdeck.core.sources.dates import parse_iso_date
from paperdeck.core.sources.fields import build_paper, line_numbers, parse_doi
from paperdeck.core.sources.latex import decode_accents, latex_to_unicode
from paperdeck.core.text import clean_line

_ATOM_NS = "http://www.w3.org/2005/Atom"
_DECLARATION = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_ENTRY_START = re.compile(r"<(?:[\w.-]+:)?entry[\s>/]")
_POSITION_SUFFIX = re.compile(r":\s*line [0-9]+, column [0-9]+$")


def local_name(tag: object) -> str:
    """An element's name without its namespace: ``{http://...}entry`` → ``entry``."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def children(element: ET.Element, name: str) -> list[ET.Element]:
    """The children called ``name``, in any namespace."""
    return [child for child in element if local_name(child.tag) == name]


def child_text(element: ET.Element, name: str) -> str:
    """The cleaned whole text of the first child called ``name`` ("" when absent)."""
    found = children(element, name)
    return clean_line("".join(found[0].itertext())) if found else ""


def first_text(element: ET.Element, *names: str) -> str:
    """The text of the first of ``names`` that ``element`` has a child of ("" for none)."""
    return next((text for text in (child_text(element, name) for name in names) if text), "")


def parse_xml(text: str, context: ParseContext) -> ET.Element:
    """The document's root, parsed the hardened way every XML input is: a DOCTYPE or ENTITY
    declaration is refused before parsing, and malformed XML is one ParseError naming the
    line. Feeds fetched from the network go through here as files do."""
    declaration = _DECLARATION.search(text)
    if declaration:
        line = line_numbers(text, [declaration.start()])[0]
        raise context.error(line, "DOCTYPE and ENTITY declarations are not allowed in a feed")
    try:
        return ET.fromstring(text)
    except ET.ParseError as exc:
        message = _POSITION_SUFFIX.sub("", str(exc))
        raise context.error(exc.position[0], f"malformed XML: {message}") from None
    except ValueError as exc:  # e.g. an encoding declaration expat cannot honour
        raise context.error(1, f"malformed XML: {exc}") from None


def entry_lines(text: str, count: int) -> list[int]:
    """The line of each of the ``count`` entries (0s when the text does not show them)."""
    lines = line_numbers(text, (m.start() for m in _ENTRY_START.finditer(text)))
    return lines if len(lines) == count else [0] * count


class AtomSource:
    """Parses Atom XML."""

    name = "atom"
    extensions: tuple[str, ...] = (".atom", ".xml")

    def sniff(self, text: str) -> bool:
        head = text[:4096].lstrip("\ufeff \t\r\n")
        return head.startswith("<") and ("<feed" in head or _ATOM_NS in head)

    def parse(self, text: str, context: ParseContext) -> ParseResult:
        root = parse_xml(text, context)
        if local_name(root.tag) == "feed":
            entries = children(root, "entry")
        elif local_name(root.tag) == "entry":
            entries = [root]
        else:
            raise context.error(1, f"not an Atom feed (root element <{local_name(root.tag)}>)")
        result = ParseResult()
        for entry, line in zip(entries, entry_lines(text, len(entries)), strict=True):
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
        title, abstract = latex_to_unicode(title), decode_accents(abstract)
    return build_paper(
        title=title,
        authors=authors,
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


SOURCE = AtomSource()
