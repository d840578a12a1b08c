"""BibTeX bibliographies, read with bibtexparser v2 and decoded from LaTeX with pylatexenc.

bibtexparser only splits the file into blocks here (an empty parse stack): field values are
evaluated by this module, because its default middleware neither expands ``#``
concatenations nor the standard month macros, and it sets aside entries whose citation key
repeats an earlier one. Two entries sharing a key are both papers, so both are imported.
"""

from __future__ import annotations

import logging
import re
from functools import cache

import bibtexparser
from bibtexparser.model import Block, Entry, ParsingFailedBlock, String
from pylatexenc.latex2text import LatexNodes2Text

from paperdeck.core.dates import MONTH_NAMES, parse_loose_date, partial_date
from paperdeck.core.links import extract_links, find_arxiv_id, parse_arxiv_id
from paperdeck.core.models import Paper
from paperdeck.core.sources.base import ParseContext, ParseResult, ParseWarning
from paperdeck.core.sources.fields import build_paper, parse_doi
from paperdeck.core.text import clean_line

# Both libraries report problems through logging; without a handler Python would print them
# to stderr, on top of the reader's screen. The warnings reach the user as ParseWarnings.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())
logging.getLogger("pylatexenc").addHandler(logging.NullHandler())

_MONTH_MACROS = {name[:3]: name.title() for name in MONTH_NAMES}  # BibTeX's jan ... dec
_ENTRY_START = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)
_HREF = re.compile(r"\\href\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_UNESCAPED = re.compile(r"(?<!\\)([%&])")  # text characters that are special to LaTeX
_URL_COMMAND = re.compile(r"\\(?:url|href)\s*\{([^{}]*)\}")
_LINK_FIELDS = ("url", "code", "github", "repository", "howpublished", "note")


@cache
def _latex_converter() -> LatexNodes2Text:
    return LatexNodes2Text()


def latex_to_unicode(text: str) -> str:
    """LaTeX source as clean one-line Unicode: "Schr{\\"o}dinger" → "Schrödinger"."""
    if not any(mark in text for mark in ("\\", "{", "}", "$", "~", "--", "``", "''")):
        return clean_line(text)
    try:
        prepared = _HREF.sub(r"\2 \\url{\1}", _UNESCAPED.sub(r"\\\1", text))
        decoded = _latex_converter().latex_to_text(prepared)
    except Exception:  # pylatexenc can fail on odd input; a crude strip beats losing the entry
        decoded = re.sub(r"\\[A-Za-z]+\*?|[{}$\\]", "", text)
    return clean_line(decoded)


def _raw_text(text: str) -> str:
    """A field meant verbatim (URL, DOI, eprint): LaTeX wrapping and escapes removed."""
    text = _URL_COMMAND.sub(r" \1 ", text)
    text = re.sub(r"\\([_%&#~$])", r"\1", text)
    return clean_line(text.replace("{", "").replace("}", ""))


def _split_top_level(value: str, separator: str) -> list[str]:
    """Split on ``separator`` characters outside braces and quotes (BibTeX's own rule)."""
    parts, depth, quoted, start = [], 0, False, 0
    for index, char in enumerate(value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(0, depth - 1)
        elif char == '"' and depth == 0 and (index == 0 or value[index - 1] != "\\"):
            quoted = not quoted
        elif char == separator and depth == 0 and not quoted:
            parts.append(value[start:index])
            start = index + 1
    parts.append(value[start:])
    return parts


def evaluate(raw: str, macros: dict[str, str]) -> str:
    """A field value: braces/quotes removed, macros expanded, ``#`` concatenations joined."""
    pieces = []
    for part in _split_top_level(raw, "#"):
        piece = part.strip()
        if len(piece) >= 2 and (piece[0], piece[-1]) in {("{", "}"), ('"', '"')}:
            pieces.append(piece[1:-1])
        else:  # a number, or a macro; an unknown macro keeps its name rather than vanish
            pieces.append(macros.get(piece.lower(), piece))
    return "".join(pieces)


def _person(name: str) -> str:
    """One BibTeX name to "First Last": "Schr{\\"o}dinger, Erwin" → "Erwin Schrödinger"."""
    parts = [part.strip() for part in _split_top_level(name, ",")]
    if len(parts) == 2:  # Last, First
        parts = [parts[1], parts[0]]
    elif len(parts) == 3:  # Last, Jr, First
        parts = [parts[2], parts[0], parts[1]]
    return latex_to_unicode(" ".join(part for part in parts if part))


def split_authors(value: str) -> tuple[list[str], bool]:
    """The names of an author field, and whether it ended in "and others"."""
    names: list[str] = []
    truncated = False
    for raw in _split_and(value):
        if raw.strip().lower() == "others":
            truncated = True
        elif raw.strip():
            names.append(_person(raw))
    return [name for name in names if name], truncated


def _split_and(value: str) -> list[str]:
    """Split on the word "and" outside braces: "{Barnes and Noble} and Smith" has two names."""
    names, depth, start = [], 0, 0
    for index, char in enumerate(value):
        if char in "{}":
            depth = depth + 1 if char == "{" else max(0, depth - 1)
        elif (
            depth == 0
            and value[index : index + 3].lower() == "and"
            and (index == 0 or value[index - 1].isspace())
            and (index + 3 == len(value) or value[index + 3].isspace())
        ):
            names.append(value[start:index])
            start = index + 3
    names.append(value[start:])
    return names


class BibtexSource:
    """Parses BibTeX."""

    name = "bibtex"
    extensions: tuple[str, ...] = (".bib", ".bibtex")

    def sniff(self, text: str) -> bool:
        return _ENTRY_START.search(text[:20_000]) is not None

    def parse(self, text: str, context: ParseContext) -> ParseResult:
        try:
            library = bibtexparser.parse_string(text, parse_stack=[])  # type: ignore[attr-defined]
        except Exception as exc:  # the splitter re-raises its own internal errors
            raise context.error(1, f"could not read as BibTeX: {exc}") from None
        if text.strip() and not any(str(b.raw).lstrip().startswith("@") for b in library.blocks):
            raise context.error(1, "no BibTeX entries (nothing starts with '@')")
        macros = dict(_MONTH_MACROS)
        for block in library.blocks:
            string = self._recovered(block)
            if isinstance(string, String):
                macros[string.key.lower()] = evaluate(string.value, macros)
        result = ParseResult()
        for block in library.blocks:
            line = (block.start_line or 0) + 1
            entry = self._recovered(block)
            if isinstance(entry, Entry):
                try:
                    parsed = self._paper(entry, line, macros, context)
                except Exception as exc:  # one odd entry must not cost the whole file
                    parsed = context.warn(line, f"entry {entry.key!r} could not be read: {exc}")
                if isinstance(parsed, Paper):
                    result.papers.append(parsed)
                else:
                    result.warnings.append(parsed)
            elif isinstance(block, ParsingFailedBlock) and entry is None:
                reason = getattr(block.error, "abort_reason", None) or str(block.error)
                reason = clean_line(reason)
                result.warnings.append(context.warn(line, f"broken BibTeX entry: {reason}"))
        return result

    @staticmethod
    def _recovered(block: Block) -> Block | None:
        """The entry or string inside a block, including those set aside only for a duplicate
        key (or a repeated field), which are complete and are used as they are."""
        if isinstance(block, ParsingFailedBlock):
            inner = block.ignore_error_block
            return inner if isinstance(inner, (Entry, String)) else None
        return block

    @staticmethod
    def _paper(
        entry: Entry, line: int, macros: dict[str, str], context: ParseContext
    ) -> Paper | ParseWarning:
        fields: dict[str, str] = {}
        for field in entry.fields:  # the first of repeated fields wins, as in BibTeX
            fields.setdefault(field.key.lower(), evaluate(str(field.value), macros))
        title = latex_to_unicode(fields.get("title", ""))
        if not title:
            return context.warn(line, f"entry {entry.key!r} has no title; skipped")
        authors, truncated = split_authors(fields.get("author", ""))
        if "date" in fields:
            date = parse_loose_date(_raw_text(fields["date"]))
        else:
            month = re.match(r"\s*([A-Za-z]+|[0-9]+)", fields.get("month", ""))
            date = partial_date(
                fields.get("year"), month.group(1) if month else None, fields.get("day")
            )
        links = [u for key in _LINK_FIELDS for u in extract_links(_raw_text(fields.get(key, "")))]
        prefix = (fields.get("archiveprefix") or fields.get("eprinttype") or "").lower()
        eprint = _raw_text(fields.get("eprint", ""))
        arxiv_id = parse_arxiv_id(eprint) if prefix in {"", "arxiv"} else None
        for key in ("url", "journal", "doi", "note"):
            arxiv_id = arxiv_id or find_arxiv_id(_raw_text(fields.get(key, "")))
        venue = fields.get("journal") or fields.get("journaltitle") or fields.get("booktitle")
        category = fields.get("primaryclass") or fields.get("eprintclass")
        return build_paper(
            title=title,
            authors=authors,
            authors_truncated=truncated,
            abstract=latex_to_unicode(fields.get("abstract", "")),
            links=links,
            arxiv_id=arxiv_id,
            doi=parse_doi(_raw_text(fields.get("doi", ""))),
            categories=[_raw_text(category)] if category else [],
            venue=latex_to_unicode(venue or ""),
            date=date,
            line=line,
            bibtex_key=entry.key,
            bibtex_type=entry.entry_type.lower(),
        )


SOURCE = BibtexSource()
