"""Exporting a set of papers as a Markdown reading list, BibTeX entries or JSON.

Titles, authors, tags and notes come from files we do not control. Markdown output escapes
them so an exported list renders as exactly the text it holds: no HTML, no hidden links, no
emphasis or headings smuggled in. Links are written only for http(s) URLs, percent-encoded
so they cannot break out of their Markdown syntax.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from urllib.parse import quote

from paperdeck.core.atomic import write_atomic
from paperdeck.core.dates import MONTH_NAMES
from paperdeck.core.links import is_web_link
from paperdeck.core.models import Paper
from paperdeck.core.paperset import PaperSet
from paperdeck.core.text import clean_block, clean_line, escape_json_controls

__all__ = [
    "EXPORT_FORMATS",
    "json_text",
    "markdown_link",
    "markdown_text",
    "safe_url",
    "to_bibtex",
    "to_json",
    "to_markdown",
    "write_atomic",
]

EXPORT_FORMATS = ("markdown", "bibtex", "json")
MAX_AUTHORS_SHOWN = 20

# -- Markdown -----------------------------------------------------------------------------

# Characters that mean something to CommonMark or GitHub wherever they stand. `(` and `)`
# only matter after a `]`, and every `]` is escaped, so titles keep their parentheses readable.
_MD_INLINE = re.compile(r"([\\`*_\[\]|~$#])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# What makes a line a list item or a setext underline when it starts one (`#`, `>` and `*`
# are escaped everywhere already); an ordered-list marker is escaped at its `.` or `)`.
_MD_BULLET = re.compile(r"^([-+=])")
_MD_ORDERED = re.compile(r"^(\d+)([.)])")
_URL_SAFE = ":/?#@!$&*+,;=%-._~"


def markdown_text(text: str) -> str:
    """``text`` as inert Markdown: displayed as written, never parsed as HTML or syntax."""
    text = "".join(_HTML.get(ch, ch) for ch in text)
    return _MD_INLINE.sub(r"\\\1", text)


def safe_url(url: str | None) -> str | None:
    """An http(s) URL percent-encoded for Markdown link syntax, or None for anything else."""
    if not url:
        return None
    url = clean_line(url)
    if not is_web_link(url):
        return None
    return quote(url, safe=_URL_SAFE)


def markdown_link(url: str | None, text: str | None = None) -> str:
    """``[text](url)``, or ``<url>`` without text; "" when ``url`` is not a web link."""
    safe = safe_url(url)
    if safe is None:
        return ""
    return f"[{markdown_text(text)}]({safe})" if text else f"<{safe}>"


def _code_span(text: str) -> str:
    """A tag as inline code when that is inert, else as escaped text."""
    if any(ch in text for ch in "`<>&") or not text.strip():
        return markdown_text(text)
    return f"`{text}`"


def _note_lines(note: str) -> list[str]:
    """The note as block-quote lines; each line keeps its break (a trailing backslash)."""
    lines = [markdown_text(line.strip()) for line in clean_block(note).splitlines()]
    lines = [_MD_ORDERED.sub(r"\1\\\2", _MD_BULLET.sub(r"\\\1", line)) for line in lines]
    quoted = []
    for i, line in enumerate(lines):
        if not line:
            quoted.append(">")
            continue
        next_blank = i + 1 >= len(lines) or not lines[i + 1]
        quoted.append(f"> {line}" + ("" if next_blank else "\\"))
    return quoted


def _authors(paper: Paper) -> str:
    names = [clean_line(name) for name in paper.authors if clean_line(name)]
    shown = names[:MAX_AUTHORS_SHOWN]
    text = ", ".join(markdown_text(name) for name in shown)
    if shown and (paper.authors_truncated or len(names) > len(shown)):
        text += " et al."
    return text


def _paper_markdown(paper: Paper) -> list[str]:
    title = markdown_text(clean_line(paper.title)) or "(untitled)"
    target = safe_url(paper.arxiv_url) or safe_url(paper.code_link)
    lines = [f"## [{title}]({target})" if target else f"## {title}", ""]
    fields: list[tuple[str, str]] = []
    if authors := _authors(paper):
        fields.append(("Authors", authors))
    if paper.date:
        inferred = " (year inferred)" if paper.date_inferred else ""
        fields.append(("Date", markdown_text(clean_line(paper.date)) + inferred))
    if paper.venue.strip():
        fields.append(("Venue", markdown_text(clean_line(paper.venue))))
    if paper.categories:
        categories = ", ".join(markdown_text(clean_line(c)) for c in paper.categories)
        fields.append(("Categories", categories))
    if paper.tags:
        fields.append(("Tags", " ".join(_code_span(clean_line(t)) for t in paper.tags)))
    if code := markdown_link(paper.code_link):
        fields.append(("Code", code))
    projects = [link for link in map(markdown_link, paper.project_links) if link]
    if projects:
        fields.append(("Project", ", ".join(projects)))
    if paper.doi and (doi := markdown_link(paper.doi_url, paper.doi)):
        fields.append(("DOI", doi))
    lines += [f"- **{name}:** {value}" for name, value in fields]
    if paper.note.strip():
        lines += ["", *_note_lines(paper.note)] if fields else _note_lines(paper.note)
    return lines


ORDER_WORDS = {
    "newest": "newest first",
    "oldest": "oldest first",
    "title": "by title",
    "relevance": "best match first",
    "starred": "recently starred first",
}


def export_heading(paperset: PaperSet) -> tuple[str, str]:
    """(title, summary) heading a Markdown export of ``paperset``: the same file from the
    command line and from the reader."""
    starred_only = paperset.filters == PaperSet().starred().filters
    if starred_only and not paperset.query:
        title = "Starred papers"
    elif not paperset.filters:
        title = f"Papers matching “{paperset.query}”" if paperset.query else "All papers"
    else:
        title = paperset.description
    return title, f"{paperset.description} · {ORDER_WORDS[paperset.effective_sort.value]}"


def to_markdown(
    papers: Sequence[Paper],
    *,
    title: str,
    generated: date | None = None,
    description: str = "",
) -> str:
    """A reading list readable on GitHub and as plain text; the same papers give the same file.

    ``description`` says what set the papers are (e.g. "Starred"); ``generated`` adds the date.
    """
    count = f"{len(papers)} paper" + ("" if len(papers) == 1 else "s")
    summary = [count]
    if description.strip():
        summary.append(markdown_text(clean_line(description)))
    if generated is not None:
        summary.append(f"exported {generated.isoformat()}")
    lines = [f"# {markdown_text(clean_line(title)) or 'Papers'}", "", " · ".join(summary)]
    for paper in papers:
        lines += ["", *_paper_markdown(paper)]
    return "\n".join(lines) + "\n"


# -- BibTeX -------------------------------------------------------------------------------

_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_SPECIAL = re.compile("|".join(map(re.escape, _LATEX)))
_KEY_STOP_WORDS = {"a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "from", "by"}


def latex_text(text: str) -> str:
    """``text`` with LaTeX's special characters escaped, safe inside a braced BibTeX field."""
    return _LATEX_SPECIAL.sub(lambda m: _LATEX[m.group(0)], clean_line(text))


def _verbatim(text: str) -> str:
    """URLs, DOIs and eprints are read verbatim by biblatex; only braces could break them."""
    return quote(clean_line(text), safe=":/?#@!$&'()*+,;=%-._~")


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in folded if ch.isascii() and ch.isalnum())


def _surname(name: str) -> str:
    name = clean_line(name)
    if "," in name:  # "Last, First"
        return name.split(",", 1)[0]
    return name.split()[-1] if name.split() else ""


_KEY = re.compile(r"[A-Za-z0-9_:./+-]+")  # what BibTeX and biblatex take as a key
# Where each entry type puts the venue; other known types give it as `howpublished`.
_VENUE_FIELDS = {
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


def _made_up_key(paper: Paper) -> str:
    surname = _ascii_word(_surname(paper.authors[0])) if paper.authors else ""
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


def bibtex_keys(papers: Sequence[Paper]) -> list[str]:
    """Citation keys: the source's, kept first (a paper cites them); the others made up like
    ``zuo2025ttrl``, with a, b, c... where they collide, in input order. Keys are compared
    without case, as BibTeX compares them."""
    source = [p.bibtex_key if _KEY.fullmatch(p.bibtex_key) else "" for p in papers]
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


def _bibtex_author(name: str) -> str:
    text = latex_text(name)
    # A name holding the word "and" (a consortium) must not be split into two authors.
    return f"{{{text}}}" if re.search(r"\band\b", text, re.IGNORECASE) else text


def _bibtex_entry(paper: Paper, key: str) -> str:
    fields: list[tuple[str, str]] = [("title", f"{{{{{latex_text(paper.title)}}}}}")]
    authors = [_bibtex_author(name) for name in paper.authors if clean_line(name)]
    if authors:
        if paper.authors_truncated:
            authors.append("others")
        fields.append(("author", "{" + " and ".join(authors) + "}"))
    kind = _entry_type(paper)
    if paper.venue.strip():
        fields.append((_VENUE_FIELDS.get(kind, "howpublished"), f"{{{latex_text(paper.venue)}}}"))
    if paper.year:
        fields.append(("year", f"{{{paper.year}}}"))
        if paper.date and len(paper.date) >= 7 and paper.date[5:7].isdigit():
            month = int(paper.date[5:7])
            if 1 <= month <= 12:
                fields.append(("month", MONTH_NAMES[month - 1][:3]))
    if paper.arxiv_id:
        fields.append(("eprint", f"{{{_verbatim(paper.arxiv_id)}}}"))
        fields.append(("archivePrefix", "{arXiv}"))
        primary = next((c for c in paper.categories if "." in c and " " not in c), None)
        if primary:
            fields.append(("primaryClass", f"{{{latex_text(primary)}}}"))
    if paper.doi:
        fields.append(("doi", f"{{{_verbatim(paper.doi)}}}"))
    url = safe_url(paper.arxiv_url) or safe_url(paper.primary_link) or safe_url(paper.code_link)
    if url:
        fields.append(("url", f"{{{_verbatim(url)}}}"))
    if paper.tags:
        fields.append(("keywords", "{" + ", ".join(latex_text(t) for t in paper.tags) + "}"))
    if paper.abstract.strip():
        fields.append(("abstract", f"{{{latex_text(paper.abstract)}}}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@{kind}{{{key},\n{body}\n}}\n"


def _entry_type(paper: Paper) -> str:
    """The source's entry type when it gave one, else @article with a venue, else @misc."""
    if paper.bibtex_type in _VENUE_FIELDS or paper.bibtex_type in _OTHER_TYPES:
        return paper.bibtex_type
    return "article" if paper.venue.strip() else "misc"


def to_bibtex(papers: Sequence[Paper]) -> str:
    """BibTeX entries, with the source's key and entry type when it was BibTeX; otherwise
    @article when a venue is known, else @misc (arXiv preprints).

    The user's private note is never exported; tags become ``keywords``.
    """
    return "\n".join(
        _bibtex_entry(paper, key) for paper, key in zip(papers, bibtex_keys(papers), strict=True)
    )


# -- JSON ---------------------------------------------------------------------------------


def json_text(value: object) -> str:
    """``value`` as indented JSON, Unicode kept readable, but DEL, C1 and bidi controls
    escaped (`escape_json_controls`): printed to a terminal, it cannot act on it."""
    return escape_json_controls(json.dumps(value, indent=2, ensure_ascii=False))


def to_json(papers: Iterable[Paper]) -> str:
    """A JSON array of `Paper.to_json()` objects: what `search --json` prints and import reads."""
    return json_text([paper.to_json() for paper in papers]) + "\n"
