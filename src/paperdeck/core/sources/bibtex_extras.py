"""Where a BibTeX entry carries what BibTeX has no standard field for, read and written here
alone so that the writer and the reader cannot disagree.

- Links: ``url`` holds one (biblatex's field); every other link of the paper is written as
  ``bdsk-url-1``, ``bdsk-url-2``, ... — BibDesk's convention for more links than one, which
  BibDesk reads as links and BibTeX and biber skip as fields they do not know, so nothing is
  printed twice and no style breaks. Links are also read from ``code``, ``github``,
  ``repository``, ``howpublished`` and ``note``, where real files put them.
- Affiliations: ``affiliation`` (Web of Science) or ``affiliations`` (Scopus), one per
  ``;``; an affiliation with a ``;`` of its own is written in braces.
- Subject classes (MSC, ACM and other class terms): paperdeck's own ``subjectclasses``,
  beside its ``arxivcategories``, in the same form as affiliations.
- Code known to exist with no link to it (a listing's "[code]" mark): paperdeck's own
  ``hascode = {true}``.
- A year paperdeck inferred (a listing printed no year) is never written as ``year``, which
  every style prints as fact: it is a biblatex ``date`` with the EDTF mark of an uncertain
  date, ``date = {2025-01-30?}``, which biber reads as uncertain and BibTeX ignores.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from paperdeck.core.links import extract_links
from paperdeck.core.sources.bibtex_names import split_top
from paperdeck.core.sources.dates import parse_loose_date, partial_date
from paperdeck.core.sources.latex import latex_to_unicode
from paperdeck.core.text import clean_line

SOURCE_LINK_FIELDS = ("url", "code", "github", "repository", "howpublished", "note")
AFFILIATION_FIELDS = ("affiliation", "affiliations")
SUBJECT_CLASSES_FIELD = "subjectclasses"
HAS_CODE_FIELD = "hascode"
_EXTRA_URL = re.compile(r"bdsk-url-([0-9]{1,6})")
_URL_COMMAND = re.compile(r"\\(?:url|href)\s*\{([^{}]*)\}")
_UNCERTAIN = "?%"  # EDTF: "?" uncertain, "%" uncertain and approximate ("~" is approximate)


def raw_text(text: str) -> str:
    """A field meant verbatim (URL, DOI, eprint): LaTeX wrapping and escapes removed."""
    text = _URL_COMMAND.sub(r" \1 ", text)
    text = re.sub(r"\\([_%&#~$])", r"\1", text)
    return clean_line(text.replace("{", "").replace("}", ""))


def extra_url_field(number: int) -> str:
    """The name of the ``number``-th link beyond ``url`` (from 1)."""
    return f"bdsk-url-{number}"


def extra_url_fields(fields: dict[str, str]) -> list[str]:
    """The entry's ``bdsk-url-N`` fields, in the order of N."""
    numbered = [(m, name) for name in fields if (m := _EXTRA_URL.fullmatch(name))]
    return [name for match, name in sorted(numbered, key=lambda item: int(item[0].group(1)))]


def entry_links(fields: dict[str, str]) -> list[str]:
    """Every link an entry gives, in the order of its fields."""
    names = [*SOURCE_LINK_FIELDS, *extra_url_fields(fields)]
    return [url for name in names for url in extract_links(raw_text(fields.get(name, "")))]


def list_items(value: str) -> list[str]:
    """The items of a ``;``-separated field, decoded from LaTeX."""
    return [item for item in map(latex_to_unicode, split_top(value, ";")) if item]


def list_value(items: list[str], escape: Callable[[str], str]) -> str:
    """Items as a ``;``-separated field, each escaped by ``escape`` (text → LaTeX) and in
    braces when it holds a ``;``."""
    written = [escape(item) for item in items]
    return "; ".join("{" + item + "}" if ";" in item else item for item in written)


def entry_affiliations(fields: dict[str, str]) -> list[str]:
    return [item for name in AFFILIATION_FIELDS for item in list_items(fields.get(name, ""))]


def entry_subject_classes(fields: dict[str, str]) -> list[str]:
    return list_items(fields.get(SUBJECT_CLASSES_FIELD, ""))


def entry_has_code(fields: dict[str, str]) -> bool:
    """Does the entry say the paper has code, link or not (`HAS_CODE_FIELD`)?"""
    return raw_text(fields.get(HAS_CODE_FIELD, "")).casefold() in {"true", "yes", "1"}


def entry_date(fields: dict[str, str]) -> tuple[str | None, bool]:
    """The entry's date as (ISO date, year inferred): biblatex's ``date`` when given
    ("2025-01-30?" is a date marked uncertain: an inferred year), else ``year``, ``month``
    and ``day``."""
    if "date" in fields:
        text = raw_text(fields["date"])
        date = parse_loose_date(text.rstrip(_UNCERTAIN + "~"))
        return date, date is not None and text[-1:] in tuple(_UNCERTAIN)
    month = re.match(r"\s*([A-Za-z]+|[0-9]+)", fields.get("month", ""))
    date = partial_date(fields.get("year"), month.group(1) if month else None, fields.get("day"))
    return date, False


def uncertain_date(date: str) -> str:
    """The biblatex ``date`` value of a date whose year was inferred."""
    return date + "?"
