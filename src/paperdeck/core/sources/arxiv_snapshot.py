"""arXiv's metadata snapshot: the JSON Lines file arXiv publishes for bulk use (~2.7M lines).

Each line is one paper: ``id``, ``submitter``, ``authors``, ``authors_parsed``, ``title``,
``comments``, ``journal-ref``, ``doi``, ``report-no``, ``categories``, ``license``,
``abstract``, ``versions``, ``update_date``. A record is told from paperdeck's own JSON by
keys only the snapshot has (`is_snapshot_record`); `jsonl` reads the file a line at a time
and hands such records here, so a snapshot streams like any JSON Lines file.

Names are written in LaTeX (``Bal\\'azs``) and come split into [last, first, suffix,
affiliation...] in ``authors_parsed``; the date is that of the first version (when the
paper appeared), not ``update_date`` (when its metadata last changed).
"""

from __future__ import annotations

import re
from email.utils import parsedate_to_datetime
from typing import Any

from paperdeck.core.links import extract_links, parse_arxiv_id
from paperdeck.core.models import Paper
from paperdeck.core.sources.authors import split_author_string
from paperdeck.core.sources.dates import parse_iso_date
from paperdeck.core.sources.fields import build_paper, parse_doi
from paperdeck.core.sources.latex import decode_accents, latex_keeping_math, latex_to_unicode
from paperdeck.core.text import clean_line

# Hyphenated initials as `authors_parsed` splits them: "C. -P." for "C.-P.".
_SPACED_HYPHEN = re.compile(r"\.\s+-(?=\w)")

# Keys that only the snapshot has: a record with any of them is read as one.
SNAPSHOT_KEYS = frozenset({"authors_parsed", "versions", "update_date"})


def is_snapshot_record(obj: dict[str, Any]) -> bool:
    return not SNAPSHOT_KEYS.isdisjoint(obj)


def snapshot_paper(obj: dict[str, Any], line: int) -> Paper:
    """One snapshot record as a paper (a record without a title gives a paper without one:
    the caller skips it with a warning, as for any JSON record)."""
    authors, truncated, affiliations = _authors(obj)
    arxiv_id = parse_arxiv_id(_str(obj, "id"))
    return build_paper(
        title=latex_keeping_math(_str(obj, "title")),  # as BibTeX keeps it: one title key
        authors=authors,
        authors_truncated=truncated,
        abstract=decode_accents(_str(obj, "abstract")),  # its math is kept as written
        categories=_str(obj, "categories").split(),
        affiliations=affiliations,
        arxiv_id=arxiv_id,
        doi=parse_doi(next(iter(_str(obj, "doi").split()), "")),  # a few list several
        date=_first_version_date(obj.get("versions")) or parse_iso_date(_str(obj, "update_date")),
        venue=clean_line(_str(obj, "journal-ref")),
        # Where arXiv authors give their code ("Code: https://github.com/..."), as in the
        # API's `arxiv:comment`.
        links=extract_links(_str(obj, "comments")),
        line=line,
    )


def _str(obj: dict[str, Any], key: str) -> str:
    value = obj.get(key)
    return value if isinstance(value, str) else ""


def _authors(obj: dict[str, Any]) -> tuple[list[str], bool, list[str]]:
    """(names as "First Last Suffix", whether "et al." ended them, affiliations) from
    ``authors_parsed``; from the ``authors`` string when that is missing or malformed.
    An "et al." in ``authors_parsed`` (["al", "et", ""]) is left for `build_paper`."""
    parsed = obj.get("authors_parsed")
    names: list[str] = []
    affiliations: list[str] = []
    if isinstance(parsed, list):
        for entry in parsed:
            if not isinstance(entry, list) or not all(isinstance(p, str) for p in entry):
                names = []
                break
            last, first, suffix, *rest = [*entry, "", "", ""][: max(3, len(entry))]
            first = _SPACED_HYPHEN.sub(".-", first)  # "C. -P." where `authors` has "C.-P."
            name = " ".join(part for part in (first, last, suffix) if part.strip())
            if name.strip():
                names.append(_latex(name))
            affiliations.extend(_latex(a) for a in rest if a.strip())
    if not names:
        names, truncated = split_author_string(_latex(_str(obj, "authors")))
        return names, truncated, affiliations
    return names, False, affiliations


def _latex(text: str) -> str:
    return latex_to_unicode(text) if "\\" in text or "{" in text else clean_line(text)


def _first_version_date(versions: Any) -> str | None:
    """The ISO day of version 1 ("Mon, 2 Apr 2007 19:18:42 GMT"), or of the earliest given."""
    if not isinstance(versions, list):
        return None
    days = []
    for version in versions:
        created = version.get("created") if isinstance(version, dict) else None
        if not isinstance(created, str):
            continue
        try:
            days.append(parsedate_to_datetime(created).date().isoformat())
        except (TypeError, ValueError, IndexError):
            continue
    return min(days) if days else None
