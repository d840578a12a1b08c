"""Exporting a set of papers as a Markdown reading list, BibTeX entries or JSON.

Titles, authors, tags and notes come from files we do not control. Markdown output escapes
them so an exported list renders as exactly the text it holds: no HTML, no hidden links, no
emphasis or headings smuggled in. Links are written only for http(s) URLs, percent-encoded
so they cannot break out of their Markdown syntax.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from urllib.parse import quote

from paperdeck.core.atomic import write_atomic
from paperdeck.core.bibtex_latex import latex_text
from paperdeck.core.bibtex_writer import bibtex_keys, to_bibtex
from paperdeck.core.json_output import json_text, to_json
from paperdeck.core.links import is_web_link
from paperdeck.core.markdown_note import note_markdown
from paperdeck.core.models import Paper
from paperdeck.core.paperset import PaperSet
from paperdeck.core.text import clean_line

__all__ = [
    "EXPORT_FORMATS",
    "bibtex_keys",
    "json_text",
    "latex_text",
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
# (An abstract is one such line.)
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
    """The note as Markdown in a block quote (`note_markdown` keeps it inert)."""
    return [f"> {line}" if line.strip() else ">" for line in note_markdown(note, safe_url)]


def _authors(paper: Paper) -> str:
    names = [clean_line(name) for name in paper.authors if clean_line(name)]
    shown = names[:MAX_AUTHORS_SHOWN]
    text = ", ".join(markdown_text(name) for name in shown)
    if shown and (paper.authors_truncated or len(names) > len(shown)):
        text += " et al."
    return text


def _paper_markdown(paper: Paper, *, abstract: bool = False) -> list[str]:
    title = markdown_text(clean_line(paper.title)) or "(untitled)"
    target = safe_url(paper.page_link)  # its own page; a code link is listed as Code
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
    if abstract and paper.abstract.strip():
        text = markdown_text(clean_line(paper.abstract))
        text = _MD_ORDERED.sub(r"\1\\\2", _MD_BULLET.sub(r"\\\1", text))
        lines += ["", text] if fields else [text]
    if paper.note.strip():
        lines += ["", *_note_lines(paper.note)] if len(lines) > 2 else _note_lines(paper.note)
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
    abstracts: bool = False,
) -> str:
    """A reading list readable on GitHub and as plain text; the same papers give the same file.

    ``description`` says what set the papers are (e.g. "Starred"); ``generated`` adds the date;
    ``abstracts`` adds each paper's abstract.
    """
    count = f"{len(papers)} paper" + ("" if len(papers) == 1 else "s")
    summary = [count]
    if description.strip():
        summary.append(markdown_text(clean_line(description)))
    if generated is not None:
        summary.append(f"exported {generated.isoformat()}")
    lines = [f"# {markdown_text(clean_line(title)) or 'Papers'}", "", " · ".join(summary)]
    for paper in papers:
        lines += ["", *_paper_markdown(paper, abstract=abstracts)]
    return "\n".join(lines) + "\n"


# -- JSON ---------------------------------------------------------------------------------
