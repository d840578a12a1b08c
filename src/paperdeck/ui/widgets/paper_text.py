"""What the abstract pane shows of a paper, as paragraphs of styled text (one per line).

Everything is built as `rich.text.Text` from plain strings cleaned by `paperdeck.core.text`:
a title holding ``[bold]`` shows those characters. The note gets light Markdown-like
formatting (headings, bullets, emphasis, code) and never clickable links.

A field written by another tool can be megabytes long. The pane first shows a head (`HEAD`
characters of each field: cleaning and wrapping cost in proportion to length, and this runs
on the UI thread), then all of it, built in a worker: a paragraph longer than `LONG` is kept
as a `LongLine`, wrapped by offsets and styled a line at a time when drawn (`text_layout`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text

from paperdeck.core.links import is_web_link
from paperdeck.core.models import Paper
from paperdeck.core.text import clean_block, clean_line
from paperdeck.ui.latex_text import readable
from paperdeck.ui.paper_links import paper_links, short_url
from paperdeck.ui.terms import terms_pattern

StyleOf = Callable[[str], Style]
_INLINE = re.compile(r"(\*\*[^*\n]+\*\*|__[^_\n]+__|\*[^*\s][^*\n]*\*|`[^`\n]+`)")

# Characters of each field shown at once (the head); the rest follows from a worker.
HEAD = {"title": 2_000, "field": 5_000, "abstract": 20_000, "note": 50_000}
LONG = 20_000  # a paragraph longer than this is a LongLine
MORE = " … (more follows)"


@dataclass(frozen=True, slots=True)
class LongLine:
    """A paragraph too long to build as one `Text`: ``prefix_length`` characters of it in
    ``prefix_style`` (a label, a star), the rest in ``style``, search terms marked."""

    plain: str
    style: Style
    highlight: Style
    pattern: re.Pattern[str] | None
    prefix_length: int = 0
    prefix_style: Style | None = None

    def piece(self, start: int, end: int) -> Text:
        """Characters ``start:end`` as styled text (terms marked within the piece)."""
        text = Text(self.plain[start:end], style=self.style)
        if start < self.prefix_length and self.prefix_style is not None:
            text.stylize(self.prefix_style, 0, self.prefix_length - start)
        if self.pattern is not None:
            text.highlight_regex(self.pattern, self.highlight)
        return text

    def as_text(self) -> Text:
        return self.piece(0, len(self.plain))


Paragraph = Text | LongLine


@dataclass(frozen=True, slots=True)
class PaperText:
    paragraphs: list[Paragraph]
    whole: bool  # False: a head, cut; the worker builds the whole

    def as_text(self) -> Text:
        """All of it as one `Text` (tests and small papers; a LongLine costs its length)."""
        out = Text()
        for number, paragraph in enumerate(self.paragraphs):
            if number:
                out.append("\n")
            out.append_text(paragraph if isinstance(paragraph, Text) else paragraph.as_text())
        return out


def highlight_terms(text: Text, terms: Sequence[str], style: Style) -> None:
    """Mark every word that starts with a search term (stems match their longer forms)."""
    if (pattern := terms_pattern(terms)) is not None:
        text.highlight_regex(pattern, style)


def paper_text(paper: Paper, terms: Sequence[str], style_of: StyleOf, *, head: bool) -> PaperText:
    """The paragraphs the pane shows for ``paper`` (``head``: each field cut to `HEAD`).

    ``style_of`` gives a component's style; it is called here only, so a worker can be
    given a dict's lookup."""
    return _Builder(terms, style_of, head).build(paper)


class _Builder:
    def __init__(self, terms: Sequence[str], style_of: StyleOf, head: bool) -> None:
        self.style_of = style_of
        self.head = head
        self.pattern = terms_pattern(terms)
        self.highlight = style_of("abstract-view--highlight")
        self.paragraphs: list[Paragraph] = []
        self.cut = False

    def cleaned(self, value: str, kind: str, clean: Callable[[str], str] = clean_line) -> str:
        limit = HEAD[kind]
        if self.head and len(value) > limit:
            self.cut = True
            return clean(value[:limit]) + MORE
        return clean(value)

    def add(self, plain: str, style: Style, *, prefix: str = "", prefix_style: Style) -> None:
        """One paragraph: ``prefix`` (in ``prefix_style``) then ``plain``, terms marked."""
        if len(prefix) + len(plain) > LONG:
            self.paragraphs.append(
                LongLine(
                    prefix + plain, style, self.highlight, self.pattern, len(prefix), prefix_style
                )
            )
            return
        text = Text()
        if prefix:
            text.append(prefix, prefix_style)
        text.append(plain, style)
        if self.pattern is not None:
            text.highlight_regex(self.pattern, self.highlight)
        self.paragraphs.append(text)

    def build(self, paper: Paper) -> PaperText:
        style = self.style_of
        title = clean_line(readable(self.cleaned(paper.title, "title")))
        star = "★ " if paper.starred else ""
        self.add(
            title,
            style("abstract-view--title"),
            prefix=star,
            prefix_style=style("abstract-view--star"),
        )
        authors = ", ".join(clean_line(a) for a in paper.authors)
        if paper.authors_truncated:
            authors += " et al."
        self.field("Authors", authors)
        self.field("Affiliations", "; ".join(map(clean_line, paper.affiliations)))
        date = clean_line(paper.date or "")
        if date and paper.date_inferred:
            date += " (year inferred)"
        if paper.venue:
            date = f"{date} · {clean_line(paper.venue)}" if date else clean_line(paper.venue)
        self.field("Date", date)
        self.field("Categories", ", ".join(map(clean_line, paper.categories)))
        self.field("Classes", ", ".join(map(clean_line, paper.subject_classes)))
        self.field("Tags", " ".join("#" + clean_line(t) for t in paper.tags))
        if paper.upvotes is not None:
            self.field("Upvotes", f"{paper.upvotes} on Hugging Face")
        self.field("Status", ("read" if paper.read else "unread"))
        links = paper_links(paper)
        if links:
            self.paragraphs.append(Text())
            for number, url in enumerate(links, 1):
                line = Text.assemble((f"[{number}] ", style("abstract-view--link-number")))
                # A hyperlink (OSC 8) where the terminal has them; only a web link, cleaned.
                line.append(short_url(url), Style(link=url) if is_web_link(url) else None)
                self.paragraphs.append(line)
        self.paragraphs.append(Text())
        # LaTeX read as text here only: the stored abstract and every export keep it.
        abstract = readable(self.cleaned(paper.abstract, "abstract"))
        self.add(abstract or "(no abstract)", Style(), prefix_style=Style())
        if paper.note.strip():
            self.paragraphs.append(Text())
            self.paragraphs.append(Text("Note", style("abstract-view--heading")))
            self.note(self.cleaned(paper.note, "note", clean_block))
        return PaperText(self.paragraphs, whole=not self.cut)

    def field(self, label: str, value: str) -> None:
        if not value:
            return
        if self.head and len(value) > HEAD["field"]:
            value, self.cut = value[: HEAD["field"]] + MORE, True
        label_style = self.style_of("abstract-view--label")
        if len(value) > LONG:
            self.paragraphs.append(
                LongLine(f"{label}: {value}", Style(), Style(), None, len(label) + 2, label_style)
            )
        else:
            self.paragraphs.append(Text.assemble((f"{label}: ", label_style), value))

    def note(self, note: str) -> None:
        """The note with light formatting; link syntax stays text, so nothing is clickable.
        A line longer than `LONG` is shown plain."""
        for raw in note.splitlines():
            line = raw.rstrip()
            if len(line) > LONG:
                self.paragraphs.append(LongLine(line, Style(), Style(), None))
                continue
            self.paragraphs.append(note_line(line, self.style_of))


def note_line(line: str, style_of: StyleOf) -> Text:
    out = Text()
    heading = re.match(r"^(#{1,6})\s+(.*)$", line)
    if heading:
        out.append(heading.group(2), style_of("abstract-view--note-heading"))
        return out
    bullet = re.match(r"^(\s*)[-*+]\s+(.*)$", line)
    if bullet:
        out.append(bullet.group(1) + "• ")
        line = bullet.group(2)
    for piece in _INLINE.split(line):
        if not piece:
            continue
        if piece.startswith(("**", "__")) and len(piece) > 4:
            out.append(piece[2:-2], Style(bold=True))
        elif piece.startswith("`") and len(piece) > 2:
            out.append(piece[1:-1], style_of("abstract-view--code"))
        elif piece.startswith("*") and len(piece) > 2:
            out.append(piece[1:-1], Style(italic=True))
        else:
            out.append(piece)
    return out
