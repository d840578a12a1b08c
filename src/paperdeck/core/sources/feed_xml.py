"""XML feeds read the hardened way, and told apart by their shape.

Elements are matched by local name, so a feed that forgets its namespace still reads.
Documents with a DOCTYPE or ENTITY declaration are refused outright: a feed never needs
one, and refusing them closes the door on entity-expansion attacks. Imported files and
feeds fetched from the network go through the same `parse_xml`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Literal

from paperdeck.core.sources.base import ParseContext
from paperdeck.core.sources.fields import line_numbers
from paperdeck.core.text import clean_line

ATOM_NS = "http://www.w3.org/2005/Atom"
ARXIV_NS = "http://arxiv.org/schemas/atom"
_RSS1_NS = "http://purl.org/rss/1.0/"
_DECLARATION = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_POSITION_SUFFIX = re.compile(r":\s*line [0-9]+, column [0-9]+$")
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_ROOT = re.compile(r"<(?![?!])(?:[\w.-]+:)?([\w.-]+)")
_ANNOUNCE_TYPE = re.compile(r"<(?:[\w.-]+:)?announce_type[\s>]")
_HEAD = 4096

FeedKind = Literal["atom", "announcements", "rss", "rss1"]


def feed_kind(text: str) -> FeedKind | None:
    """What kind of feed ``text`` is, from its root element (None: not a feed).

    "announcements": arXiv's announcement feed, in either form it is served (rss.arxiv.org/atom
    or /rss): an Atom feed whose entries say their ``announce_type``, or an RSS 2.0 feed in
    arXiv's namespace; "atom": any other Atom feed (the arXiv API's); "rss": any other RSS
    2.0 feed; "rss1": RSS 1.0 (``<rdf:RDF>``), arXiv's format before 2024.
    """
    head = _COMMENT.sub("", text[:_HEAD]).lstrip("\ufeff \t\r\n")
    root = _ROOT.search(head) if head.startswith("<") else None
    name = root.group(1) if root else ""
    if name in ("feed", "entry"):
        return "announcements" if _ANNOUNCE_TYPE.search(text) else "atom"
    if name == "rss":
        arxiv = ARXIV_NS in head or _ANNOUNCE_TYPE.search(text) is not None
        return "announcements" if arxiv else "rss"
    if name == "RDF" and _RSS1_NS in head:
        return "rss1"
    return None


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
    """The document's root: a DOCTYPE or ENTITY declaration is refused before parsing, and
    malformed XML is one ParseError naming the line."""
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


def element_lines(text: str, name: str, count: int) -> list[int]:
    """The line of each of the ``count`` elements called ``name`` (0s when the text does not
    show them as many times)."""
    start = re.compile(rf"<(?:[\w.-]+:)?{re.escape(name)}[\s>/]")
    lines = line_numbers(text, (m.start() for m in start.finditer(text)))
    return lines if len(lines) == count else [0] * count
