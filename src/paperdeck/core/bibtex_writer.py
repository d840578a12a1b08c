"""Papers as BibTeX entries that BibTeX, biblatex and reference managers read back as given.

A paper that came from a BibTeX entry is written back from that entry: every field the
source had, verbatim, in the source's order, under its citation key and entry type (a
``crossref`` the import resolved is not among them: `bibtex_crossref.inherited`). The
fields paperdeck interprets (title, authors, date, DOI, arXiv id, venue, abstract, links,
affiliations, subject classes) are written from the paper only where the paper now says
something else (a merge with a fuller record, say); the source's ``url`` is always its own.
Other papers are written from their fields: names as "von Last, Jr, First" (organisations in
braces), a day as biblatex ``date`` beside ``year`` and ``month``, every arXiv category in
``arxivcategories``, titles and abstracts as LaTeX (`bibtex_latex`). What BibTeX has no
field for (more links than one, affiliations, subject classes, an inferred year) goes where
`bibtex_extras` says, which is where paperdeck reads it back: an export imported into an
empty library gives back the same papers.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from urllib.parse import quote

from paperdeck.core.bibtex_latex import latex_source, latex_text
from paperdeck.core.links import extract_links, is_repository, is_web_link, ordered_union
from paperdeck.core.merge import is_preprint
from paperdeck.core.models import Paper
from paperdeck.core.sources.bibtex import (
    CATEGORIES_FIELD,
    person_names,
    source_arxiv_id,
    split_authors,
    venue_text,
)
from paperdeck.core.sources.bibtex_crossref import DATE_FIELDS
from paperdeck.core.sources.bibtex_extras import (
    HAS_CODE_FIELD,
    SUBJECT_CLASSES_FIELD,
    entry_affiliations,
    entry_date,
    entry_has_code,
    entry_links,
    entry_subject_classes,
    extra_url_field,
    extra_url_fields,
    list_value,
    uncertain_date,
)
from paperdeck.core.sources.bibtex_names import (
    Name,
    is_organisation,
    name_of_display,
    split_top,
)
from paperdeck.core.sources.dates import MONTH_NAMES, month_number
from paperdeck.core.sources.latex import latex_keeping_math
from paperdeck.core.text import clean_line

_KEY_STOP_WORDS = {"a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "from", "by"}
# A source key is kept as it is (documents cite it) unless BibTeX, biber or LaTeX's \cite
# cannot take it: white space and commas end a key, braces and parentheses delimit entries,
# and % # \ ~ " = mean something to LaTeX or to a .bib parser; control and bidi characters
# are not printable. Anything else, UTF-8 included (biber reads it), is kept.
_KEY = re.compile(r"[^\s,{}()%#\\~\"=]+")
# Where each entry type puts the venue; other known types give it as `howpublished`.
VENUE_FIELDS = {
    "article": "journal",
    "inproceedings": "booktitle",
    "conference": "booktitle",
    "incollection": "booktitle",
    "inbook": "booktitle",
    "phdthesis": "school",
    "mastersthesis": "school",
    "thesis": "school",
    "techreport": "institution",
    "report": "institution",
    "book": "publisher",
}
_OTHER_TYPES = frozenset({"misc", "online", "unpublished", "manual", "proceedings", "booklet"})
_ARXIV_FIELDS = ("eprint", "archiveprefix", "eprinttype")
# Names are kept lower case (BibTeX ignores their case); these are written as usually seen.
_SPELLING = {"archiveprefix": "archivePrefix", "primaryclass": "primaryClass"}
# Fields the reader of a source entry takes the venue from, in the order it looks.
_SOURCE_VENUE = ("journal", "journaltitle", "booktitle")


_BREAKS_A_FIELD = re.compile(r"[\s{}\\]")


def _verbatim(text: str) -> str:
    """URLs, DOIs and eprints are read verbatim by biblatex: only braces, backslashes and
    white space could break them, and are percent-encoded. Anything else is kept as it is
    (non-ASCII too: encoded, a link would not read back as the same link)."""
    return _BREAKS_A_FIELD.sub(lambda m: quote(m.group(0), safe=""), clean_line(text))


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in folded if ch.isascii() and ch.isalnum())


def _made_up_key(paper: Paper) -> str:
    surname = ""
    first = clean_line(paper.authors[0]) if paper.authors else ""
    if "," in first:  # "Last, First"
        surname = _ascii_word(first.split(",", 1)[0])
    elif is_organisation(first):  # "The ATLAS Collaboration": atlas, not collaboration
        named = [_ascii_word(word) for word in first.split()]
        surname = next((word for word in named if word and word not in _KEY_STOP_WORDS), "")
    elif first:
        name = name_of_display(first)
        surname = _ascii_word(name.last[-1] if name.last else "")
    words = [_ascii_word(word) for word in clean_line(paper.title).split()]
    words = [word for word in words if word]
    significant = [word for word in words if word not in _KEY_STOP_WORDS] or words
    year = str(paper.year) if paper.year else ""
    return (surname or "anon") + year + (significant[0] if significant else "")


def _suffix(n: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa: the biblatex way of telling same-key entries apart."""
    letters = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def _writable_key(key: str) -> bool:
    return _KEY.fullmatch(key) is not None and key.isprintable()


def bibtex_keys(papers: Sequence[Paper]) -> list[str]:
    """Citation keys: the source's, kept first (a paper cites them); the others made up like
    ``zuo2025ttrl``, with a, b, c... where they collide, in input order. Keys are compared
    without case, as BibTeX compares them."""
    source = [p.bibtex_key if _writable_key(p.bibtex_key) else "" for p in papers]
    keys: list[str] = [""] * len(papers)
    used: set[str] = set()
    for i, key in enumerate(source):
        if key and key.casefold() not in used:
            keys[i] = key
            used.add(key.casefold())
    pending = [i for i, key in enumerate(keys) if not key]
    bases = {i: source[i] or _made_up_key(papers[i]) for i in pending}
    counts = Counter(base.casefold() for base in bases.values())
    seen: Counter[str] = Counter()
    for i in pending:
        base, folded = bases[i], bases[i].casefold()
        key = base
        if counts[folded] > 1 or folded in used:
            while (key := base + _suffix(seen[folded])).casefold() in used:
                seen[folded] += 1
            seen[folded] += 1
        used.add(key.casefold())
        keys[i] = key
    return keys


# -- names ---------------------------------------------------------------------------------


def _source_names(paper: Paper) -> dict[str, str]:
    """How the source entry wrote each person: display name → BibTeX name."""
    known: dict[str, str] = {}
    for field in ("author", "editor"):
        for name in person_names(paper.bibtex_fields.get(field, ""))[0]:
            known.setdefault(name.display(), name.bibtex())
    return known


def bibtex_name(display: str, known: dict[str, str] | None = None) -> str:
    """One person as BibTeX reads them back: "van der Berg, Jan"; an organisation in braces,
    "{Google DeepMind}", so that no style takes "DeepMind" for a surname; the source's own
    spelling when it had one."""
    if known and display in known:
        return known[display]
    text = clean_line(display)
    if re.search(r"\band\b", text, re.IGNORECASE) or "," in text or is_organisation(text):
        return "{" + latex_text(text) + "}"  # one name, never split into two people
    name = name_of_display(text)
    escaped = Name(
        first=tuple(map(latex_text, name.first)),
        von=tuple(map(latex_text, name.von)),
        last=tuple(map(latex_text, name.last)),
        jr=tuple(map(latex_text, name.jr)),
    )
    return escaped.bibtex()


def _author_field(paper: Paper) -> str:
    known = _source_names(paper)
    names = [bibtex_name(name, known) for name in paper.authors if clean_line(name)]
    if paper.authors_truncated and names:
        names.append("others")
    return " and ".join(names)


# -- fields --------------------------------------------------------------------------------


def _own_date_stands(source: dict[str, str], paper: Paper) -> bool:
    """Whether the entry's own date is written rather than the paper's: it is known and the
    paper's does not merely refine it. A paper merged with its preprint keeps the preprint's
    earlier date (`merge.merged_date`), but the entry cites the published version: its
    `booktitle` of 2019 goes with its `year = 2019`, not with the preprint's 2018."""
    date, inferred = entry_date(source)
    if date is None or inferred:
        return False
    if any(name in source for name in _SOURCE_VENUE) and not is_preprint(paper):
        return True  # a published entry: not even "refined" by its preprint's month
    return not (paper.date or "").startswith(date)


def _date_fields(paper: Paper) -> list[tuple[str, str]]:
    if not paper.year or not paper.date:
        return []
    if paper.date_inferred:  # never a year every style would print as fact
        return [("date", "{" + uncertain_date(paper.date) + "}")]
    fields = [("year", f"{{{paper.year}}}")]
    date = paper.date or ""
    if len(date) >= 7 and date[5:7].isdigit() and 1 <= int(date[5:7]) <= 12:
        fields.append(("month", MONTH_NAMES[int(date[5:7]) - 1][:3]))
    if len(date) == 10:
        fields.append(("date", f"{{{date}}}"))  # biblatex keeps the day
    return fields


def _value(name: str, text: str) -> str:
    """A kept source value: a month name as its BibTeX macro, anything else in braces."""
    if name == "month" and text.isalpha():
        number = month_number(text)
        if number is not None and text == MONTH_NAMES[number - 1].title():
            return MONTH_NAMES[number - 1][:3]  # what BibTeX's macro stands for
    return "{" + text + "}"


def entry_type(paper: Paper) -> str:
    """The source's entry type when it gave one, else @article with a venue, else @misc."""
    if paper.bibtex_type in VENUE_FIELDS or paper.bibtex_type in _OTHER_TYPES:
        return paper.bibtex_type
    if paper.bibtex_type and paper.bibtex_fields:  # biblatex's own types, kept as given
        return paper.bibtex_type
    return "article" if paper.venue.strip() else "misc"


class _Entry:
    """One entry's fields in order; a generated field replaces the source's of that name."""

    def __init__(self) -> None:
        self.fields: dict[str, str] = {}

    def put(self, name: str, value: str) -> None:
        self.fields[name] = value

    def text(self, kind: str, key: str) -> str:
        body = ",\n".join(
            f"  {_SPELLING.get(name, name)} = {value}" for name, value in self.fields.items()
        )
        return f"@{kind}{{{key},\n{body}\n}}\n"


def _same_authors(paper: Paper, raw: str) -> bool:
    names, truncated = split_authors(raw)
    return names == [clean_line(n) for n in paper.authors] and truncated == paper.authors_truncated


def _interpreted(paper: Paper, kind: str) -> dict[str, str]:
    """The fields paperdeck writes from the paper: those the source did not have, or whose
    value the paper no longer agrees with (the others are the source's, verbatim)."""
    source = paper.bibtex_fields
    out: dict[str, str] = {}
    title = source.get("title")
    if title is None or latex_keeping_math(title) != paper.title:
        out["title"] = "{{" + latex_source(paper.title) + "}}"
    author = source.get("author")
    if paper.authors and (author is None or not _same_authors(paper, author)):
        out["author"] = "{" + _author_field(paper) + "}"
    venue_field = next((f for f in _SOURCE_VENUE if f in source), None)
    if paper.venue.strip() and (
        venue_field is None or venue_text(source[venue_field]) != paper.venue
    ):
        out[venue_field or VENUE_FIELDS.get(kind, "howpublished")] = (
            "{" + latex_text(paper.venue) + "}"
        )
    if entry_date(source) != (paper.date, paper.date_inferred) and not _own_date_stands(
        source, paper
    ):
        for name, value in _date_fields(paper):
            out[name] = value
    if paper.arxiv_id and source_arxiv_id(source) != paper.arxiv_id:
        out["eprint"] = "{" + _verbatim(paper.arxiv_id) + "}"
        out["archiveprefix"] = "{arXiv}"
        if paper.categories:
            out["primaryclass"] = "{" + latex_text(paper.categories[0]) + "}"
    if paper.doi and (source.get("doi") or "").strip().casefold() != paper.doi.casefold():
        out["doi"] = "{" + _verbatim(paper.doi) + "}"
    if not source:  # an entry from a BibTeX source gets no url it did not have
        url = next((u for u in (paper.arxiv_url, paper.primary_link, paper.code_link) if u), None)
        if url and is_web_link(url):
            out["url"] = "{" + _verbatim(url) + "}"
    primary = out.get("primaryclass", source.get("primaryclass", source.get("eprintclass", "")))
    if paper.categories and [primary.strip("{} ")] != paper.categories:
        out[CATEGORIES_FIELD] = "{" + latex_text(", ".join(paper.categories)) + "}"
    out |= _list_fields(paper)
    out |= _extra_links(paper, out.get("url"))
    if paper.abstract.strip() and latex_keeping_math(source.get("abstract", "")) != paper.abstract:
        out["abstract"] = "{" + latex_source(paper.abstract) + "}"
    return out


def _list_fields(paper: Paper) -> dict[str, str]:
    """Affiliations, subject classes and code with no link, where the source's fields do not
    already say the same."""
    source = paper.bibtex_fields
    out: dict[str, str] = {}
    if paper.affiliations and entry_affiliations(source) != paper.affiliations:
        name = (
            "affiliations"
            if "affiliations" in source and "affiliation" not in source
            else ("affiliation")
        )
        out[name] = "{" + list_value(paper.affiliations, latex_text) + "}"
    if paper.subject_classes and entry_subject_classes(source) != paper.subject_classes:
        out[SUBJECT_CLASSES_FIELD] = "{" + list_value(paper.subject_classes, latex_text) + "}"
    linked = any(map(is_repository, paper.links))
    if paper.has_code and not linked and not entry_has_code(source):
        out[HAS_CODE_FIELD] = "{true}"
    return out


def _extra_links(paper: Paper, url: str | None) -> dict[str, str]:
    """The paper's links that the source's fields and ``url`` do not give, as numbered
    ``bdsk-url-N`` fields after the source's own (see `bibtex_extras`). Links the abstract
    gives anyway are left out where that keeps the order they are read back in."""
    given = dict(paper.bibtex_fields)
    if url is not None:
        given["url"] = url
    known = set(paper.links)
    have = [link for link in entry_links(given) if link in known]
    missing = [link for link in paper.links if link not in have and is_web_link(link)]
    in_abstract = [link for link in extract_links(paper.abstract) if link in known]
    while missing and ordered_union(have, missing[:-1], in_abstract) == paper.links:
        missing.pop()  # the abstract gives the last one, in its place
    numbers = [int(name.rsplit("-", 1)[1]) for name in extra_url_fields(paper.bibtex_fields)]
    first = max(numbers, default=0) + 1
    return {
        extra_url_field(first + n): "{" + _verbatim(link) + "}" for n, link in enumerate(missing)
    }


def _keywords(paper: Paper) -> str | None:
    """The source's keywords, then the user's tags it does not already have."""
    source = paper.bibtex_fields.get("keywords", "")
    have = {k.strip().casefold() for k in split_top(source, ",")} if source else set()
    tags = [latex_text(t) for t in paper.tags if t.casefold() not in have]
    if not tags:
        return None
    return "{" + ", ".join(filter(None, [source, *tags])) + "}"


def bibtex_entry(paper: Paper, key: str) -> str:
    """One paper as a BibTeX entry under ``key``."""
    kind = entry_type(paper)
    generated = _interpreted(paper, kind)
    entry = _Entry()
    order = ["title", "author", *paper.bibtex_fields]
    for name in dict.fromkeys(order):
        if name in paper.bibtex_fields:
            if name in DATE_FIELDS and any(field in generated for field in DATE_FIELDS):
                continue  # the paper's date is written below, as precise as it is
            if name in _ARXIV_FIELDS and "eprint" in generated:
                continue
            if name == CATEGORIES_FIELD:
                continue
            value = generated.pop(name, None)
            entry.put(name, value if value is not None else _value(name, paper.bibtex_fields[name]))
        elif name in generated:
            entry.put(name, generated.pop(name))
    abstract = generated.pop("abstract", None)
    for name, value in generated.items():
        entry.put(name, value)
    if (keywords := _keywords(paper)) is not None:
        entry.put("keywords", keywords)
    if abstract is not None:
        entry.put("abstract", abstract)
    return entry.text(kind, key)


def to_bibtex(papers: Sequence[Paper]) -> str:
    """BibTeX entries, with the source's key and entry type when it was BibTeX; otherwise
    @article when a venue is known, else @misc (arXiv preprints).

    The user's private note is never exported; tags are added to ``keywords``.
    """
    keys = bibtex_keys(papers)
    return "\n".join(bibtex_entry(paper, key) for paper, key in zip(papers, keys, strict=True))
