"""BibTeX bibliographies, read with bibtexparser v2 and decoded from LaTeX with pylatexenc.

bibtexparser only splits the file into blocks here (an empty parse stack): field values are
evaluated by this module, because its default middleware neither expands ``#``
concatenations nor the standard month macros, and it sets aside entries whose citation key
repeats an earlier one. Two entries sharing a key are both papers, so both are imported.
An entry takes the fields it lacks from the entry its ``crossref`` names (`bibtex_crossref`);
a field value that is not one value (a missing comma glued the next field into it) makes the
entry a warning (`bibtex_values`).
"""

from __future__ import annotations

import logging
import re

import bibtexparser
from bibtexparser.model import Block, Entry, ParsingFailedBlock, String

from paperdeck.core.links import arxiv_subject_class, find_arxiv_id, parse_arxiv_id
from paperdeck.core.models import Paper
from paperdeck.core.sources.base import ParseContext, ParseResult, ParseWarning
from paperdeck.core.sources.bibtex_crossref import (
    CONTAINER_TYPES,
    crossref_targets,
    inherited,
)
from paperdeck.core.sources.bibtex_extras import (
    entry_affiliations,
    entry_date,
    entry_has_code,
    entry_links,
    entry_subject_classes,
    raw_text,
)
from paperdeck.core.sources.bibtex_names import Name, is_jr, parse_name, split_top
from paperdeck.core.sources.bibtex_values import evaluate, value_error
from paperdeck.core.sources.dates import MONTH_NAMES
from paperdeck.core.sources.fields import build_paper, parse_doi
from paperdeck.core.sources.journal_macros import venue_text
from paperdeck.core.sources.latex import balanced_braces, latex_keeping_math, latex_to_unicode
from paperdeck.core.text import clean_line

__all__ = [
    "SOURCE",
    "CATEGORIES_FIELD",
    "evaluate",
    "latex_to_unicode",
    "split_authors",
    "venue_text",
]

# bibtexparser reports problems through logging; without a handler Python would print them
# to stderr, on top of the reader's screen. The warnings reach the user as ParseWarnings.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())

_MONTH_MACROS = {name[:3]: name.title() for name in MONTH_NAMES}  # BibTeX's jan ... dec
_ENTRY_START = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)
# Where real files put an arXiv id when there is no eprint field: Google Scholar's
# "arXiv preprint arXiv:...", Zotero's "arXiv:... [cs]" journal and number, notes, urls.
_ARXIV_FIELDS = (
    "arxivid", "url", "journal", "journaltitle", "number", "note", "howpublished", "doi"
)  # fmt: skip
_CORR_VOLUME = re.compile(r"abs/(\S+)", re.IGNORECASE)  # DBLP: journal CoRR, volume abs/ID
_FIELD_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_:.+-]*")
CATEGORIES_FIELD = "arxivcategories"
"""paperdeck's own field: every arXiv category of a paper, comma-separated (primaryClass
holds only the first). Categories are read from it, primaryClass and eprintclass only."""


def person_names(value: str) -> tuple[list[Name], bool]:
    """The people of an author or editor field, and whether it ended in "and others".

    An item with three or more comma parts whose middle is no "Jr." is a comma-separated
    list of "First Last" names (BibTeX itself would misread it as one person)."""
    people: list[Name] = []
    truncated = False
    for raw in split_and(value):
        if raw.strip().lower() == "others":
            truncated = True
            continue
        parts = [part for part in split_top(raw, ",") if part.strip()]
        if len(parts) >= 3 and not (len(parts) == 3 and is_jr(parts[1])):
            people += [parse_name(part) for part in parts]
        elif parts:
            people.append(parse_name(raw))
    return people, truncated


def split_authors(value: str) -> tuple[list[str], bool]:
    """The names of an author field as "First von Last Jr", and whether it ended in "and
    others". A name given twice is two people (large collaborations have namesakes)."""
    people, truncated = person_names(value)
    return [name for name in (person.display() for person in people) if name], truncated


def split_and(value: str) -> list[str]:
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


def source_fields(fields: dict[str, str], abstract: str) -> dict[str, str]:
    """The entry's fields as kept for writing back: every field with a valid name and a
    value, in the source's order; an abstract with no LaTeX in it is the paper's own."""
    kept: dict[str, str] = {}
    for name, value in fields.items():
        text = clean_line(value)
        if not text or not _FIELD_NAME.fullmatch(name) or not balanced_braces(text):
            continue
        if name == "abstract" and text == abstract:
            continue
        kept[name] = text
    return kept


def source_arxiv_id(fields: dict[str, str]) -> str | None:
    """The arXiv id of an entry, wherever real files put it."""
    prefix = raw_text(fields.get("archiveprefix") or fields.get("eprinttype") or "").lower()
    eprint = raw_text(fields.get("eprint", ""))
    found = parse_arxiv_id(eprint) if prefix in {"", "arxiv"} and eprint else None
    for key in _ARXIV_FIELDS:
        found = found or find_arxiv_id(raw_text(fields.get(key, "")))
    venue = raw_text(fields.get("journal") or fields.get("journaltitle") or "").lower()
    if not found and venue in {"corr", "arxiv", "arxiv e-prints", "arxiv preprint"}:
        volume = _CORR_VOLUME.search(raw_text(fields.get("volume", "")))
        found = parse_arxiv_id(volume.group(1)) if volume else None
    return found


def _categories(fields: dict[str, str]) -> list[str]:
    found: list[str] = []
    for key in ("primaryclass", "eprintclass", CATEGORIES_FIELD):
        found += [c.strip() for c in re.split(r"[,;\s]+", raw_text(fields.get(key, "")))]
    # "math.QA/9709040": the id drops the subject class; it stays as a category.
    found.append(arxiv_subject_class(raw_text(fields.get("eprint", ""))) or "")
    return [c for c in found if c]


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
        read: list[tuple[int, Entry, dict[str, str] | ParseWarning]] = []
        result = ParseResult()
        for block in library.blocks:
            line = (block.start_line or 0) + 1
            entry = self._recovered(block)
            if isinstance(entry, Entry):
                read.append((line, entry, self._fields(entry, macros, context)))
            elif isinstance(block, ParsingFailedBlock) and entry is None:
                reason = getattr(block.error, "abort_reason", None) or str(block.error)
                reason = clean_line(reason)
                result.warnings.append(context.warn(line, f"broken BibTeX entry: {reason}"))
        parents: dict[str, tuple[str, dict[str, str]]] = {}
        for _, entry, fields in read:
            if isinstance(fields, dict):
                parents.setdefault(entry.key.casefold(), (entry.entry_type.lower(), fields))
        targets = crossref_targets(fields for _, _, fields in read if isinstance(fields, dict))
        for line, entry, fields in read:
            kind = entry.entry_type.lower()
            if isinstance(fields, ParseWarning):
                parsed: Paper | ParseWarning = fields
            elif kind in CONTAINER_TYPES and entry.key.casefold() in targets:
                continue  # the volume the papers of this file appeared in, not a paper
            else:
                try:
                    parsed = self._paper(entry, inherited(fields, parents), line, context)
                except Exception as exc:  # one odd entry must not cost the whole file
                    parsed = context.warn(line, f"entry {entry.key!r} could not be read: {exc}")
            if isinstance(parsed, Paper):
                result.papers.append(parsed)
            else:
                result.warnings.append(parsed)
        result.warnings.sort(key=lambda warning: warning.line)
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
    def _fields(
        entry: Entry, macros: dict[str, str], context: ParseContext
    ) -> dict[str, str] | ParseWarning:
        """The entry's fields evaluated, names in lower case; a warning if one is broken."""
        for field in entry.fields:
            problem = value_error(str(field.value))
            if problem is not None:
                where = (field.start_line or 0) + 1 + problem[0]
                message = f"broken BibTeX entry {entry.key!r}: {problem[1]}; skipped"
                return context.warn(where, message)
        fields: dict[str, str] = {}
        for field in entry.fields:  # the first of repeated fields wins, as in BibTeX
            fields.setdefault(field.key.lower(), evaluate(str(field.value), macros))
        return fields

    @staticmethod
    def _paper(
        entry: Entry, fields: dict[str, str], line: int, context: ParseContext
    ) -> Paper | ParseWarning:
        title = latex_keeping_math(fields.get("title", ""))
        if not title:
            return context.warn(line, f"entry {entry.key!r} has no title; skipped")
        authors, truncated = split_authors(fields.get("author", ""))
        date, inferred = entry_date(fields)
        venue = fields.get("journal") or fields.get("journaltitle") or fields.get("booktitle")
        abstract = latex_keeping_math(fields.get("abstract", ""))
        return build_paper(
            title=title,
            authors=authors,
            authors_truncated=truncated,
            abstract=abstract,
            links=entry_links(fields),
            has_code=entry_has_code(fields),
            affiliations=entry_affiliations(fields),
            subject_classes=entry_subject_classes(fields),
            arxiv_id=source_arxiv_id(fields),
            doi=parse_doi(raw_text(fields.get("doi", ""))),
            categories=_categories(fields),
            venue=venue_text(venue or ""),
            date=date,
            date_inferred=inferred,
            line=line,
            bibtex_key=entry.key,
            bibtex_type=entry.entry_type.lower(),
            bibtex_fields=source_fields(fields, abstract),
        )


SOURCE = BibtexSource()
