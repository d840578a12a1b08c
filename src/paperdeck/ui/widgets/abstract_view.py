"""The abstract pane: one paper's details, the abstract with search terms highlighted, the note.

Everything shown is built as `rich.text.Text` from plain strings: a title holding ``[bold]``
shows those characters. The note gets light Markdown-like formatting (headings, bullets,
emphasis, code) and never clickable links.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from paperdeck.core.links import is_web_link
from paperdeck.core.models import Paper
from paperdeck.core.text import clean_block, clean_line
from paperdeck.ui.commands import bindings_for
from paperdeck.ui.latex_text import readable
from paperdeck.ui.paper_links import paper_links, short_url
from paperdeck.ui.terms import terms_pattern
from paperdeck.ui.widgets.scroll_keys import ScrollKeys

StyleOf = Callable[[str], Style]
_INLINE = re.compile(r"(\*\*[^*\n]+\*\*|__[^_\n]+__|\*[^*\s][^*\n]*\*|`[^`\n]+`)")


# Characters of a field the pane lays out: a 5 MB abstract (written by another tool: imports
# cut fields to size) would keep the UI thread wrapping text for seconds while keys are lost.
SHOWN_TITLE = 2_000
SHOWN_FIELD = 5_000
SHOWN_ABSTRACT = 20_000
SHOWN_NOTE = 50_000
CUT = " … (cut here: paperdeck show prints all of it)"


def shown(text: str, limit: int) -> str:
    """``text`` up to ``limit`` characters (cleaning text costs as much as laying it out,
    so the caller cleans only what it shows)."""
    return text if len(text) <= limit else text[:limit] + CUT


def highlight_terms(text: Text, terms: Sequence[str], style: Style) -> None:
    """Mark every word that starts with a search term (stems match their longer forms)."""
    if (pattern := terms_pattern(terms)) is not None:
        text.highlight_regex(pattern, style)


def note_text(note: str, style_of: StyleOf) -> Text:
    """The note with light formatting; link syntax stays text, so nothing is clickable."""
    out = Text()
    for number, raw in enumerate(clean_block(note).splitlines()):
        if number:
            out.append("\n")
        line = raw.rstrip()
        heading = re.match(r"^(#{1,6})\s+(.*)$", line)
        if heading:
            out.append(heading.group(2), style_of("abstract-view--note-heading"))
            continue
        bullet = re.match(r"^(\s*)[-*+]\s+(.*)$", line)
        if bullet:
            out.append(bullet.group(1) + "• ")
            line = bullet.group(2)
        _append_inline(out, line, style_of)
    return out


def _append_inline(out: Text, line: str, style_of: StyleOf) -> None:
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


class AbstractView(ScrollKeys, VerticalScroll):
    """The right (or lower) pane. The screen calls `show`; it posts nothing but `Closed`.

    It can fill the screen (`z`, or the palette's Maximize) for a long read, and pages like
    a pager (space, shift+space).
    """

    BINDINGS: ClassVar = bindings_for("abstract")
    ALLOW_MAXIMIZE = True
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "abstract-view--title",
        "abstract-view--label",
        "abstract-view--muted",
        "abstract-view--highlight",
        "abstract-view--link-number",
        "abstract-view--heading",
        "abstract-view--note-heading",
        "abstract-view--code",
        "abstract-view--star",
    }
    DEFAULT_CSS = """
    AbstractView > .abstract-view--title { text-style: bold; color: $text; }
    AbstractView > .abstract-view--label { color: $text-muted; }
    AbstractView > .abstract-view--muted { color: $text-muted; }
    AbstractView > .abstract-view--highlight {
        background: $warning 35%; color: $text; text-style: bold;
    }
    AbstractView > .abstract-view--link-number { color: $accent; }
    AbstractView > .abstract-view--heading { color: $accent; text-style: bold; }
    AbstractView > .abstract-view--note-heading { text-style: bold underline; }
    AbstractView > .abstract-view--code { color: $text-accent; background: $boost; }
    AbstractView > .abstract-view--star { color: $warning; }
    """

    @dataclass
    class Closed(Message):
        """Escape in the pane: go back to the list."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.paper: Paper | None = None
        self.terms: list[str] = []
        self.empty_text = "No paper highlighted."

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(Text(self.empty_text), id="abstract-body")

    def show(self, paper: Paper | None, terms: Sequence[str] = ()) -> None:
        """Show ``paper`` (None: the empty message) with ``terms`` highlighted."""
        if paper == self.paper and list(terms) == self.terms and paper is not None:
            return  # a search result kept the paper and its words: nothing to lay out again
        scroll_home = paper is None or self.paper is None or paper.id != self.paper.id
        self.paper, self.terms = paper, list(terms)
        self.query_one("#abstract-body", Static).update(self.render_paper())
        if scroll_home:
            self.scroll_home(animate=False)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self.is_mounted and self.paper is not None:
            self.query_one("#abstract-body", Static).update(self.render_paper())

    def render_paper(self) -> Text:
        paper = self.paper
        if paper is None:
            return Text(self.empty_text, style=self.part("abstract-view--muted"))
        style = self.part
        out = Text()
        title_text = clean_line(shown(paper.title, SHOWN_TITLE))
        title = Text(title_text, style=style("abstract-view--title"))
        highlight_terms(title, self.terms, style("abstract-view--highlight"))
        if paper.starred:
            out.append("★ ", style("abstract-view--star"))
        out.append_text(title)
        out.append("\n")
        authors = ", ".join(clean_line(a) for a in paper.authors)
        if paper.authors_truncated:
            authors += " et al."
        self._field(out, "Authors", authors)
        self._field(out, "Affiliations", "; ".join(map(clean_line, paper.affiliations)))
        date = clean_line(paper.date or "")
        if date and paper.date_inferred:
            date += " (year inferred)"
        if paper.venue:
            date = f"{date} · {clean_line(paper.venue)}" if date else clean_line(paper.venue)
        self._field(out, "Date", date)
        self._field(out, "Categories", ", ".join(map(clean_line, paper.categories)))
        self._field(out, "Classes", ", ".join(map(clean_line, paper.subject_classes)))
        self._field(out, "Tags", " ".join("#" + clean_line(t) for t in paper.tags))
        if paper.upvotes is not None:
            self._field(out, "Upvotes", f"{paper.upvotes} on Hugging Face")
        self._field(out, "Status", ("read" if paper.read else "unread"))
        links = paper_links(paper)
        if links:
            out.append("\n")
            for number, url in enumerate(links, 1):
                out.append(f"[{number}] ", style("abstract-view--link-number"))
                # A hyperlink (OSC 8) where the terminal has them; only a web link, cleaned.
                out.append(short_url(url), Style(link=url) if is_web_link(url) else None)
                out.append("\n")
        out.append("\n")
        # LaTeX read as text here only: the stored abstract and every export keep it.
        text = readable(clean_line(shown(paper.abstract, SHOWN_ABSTRACT)))
        abstract = Text(text or "(no abstract)")
        highlight_terms(abstract, self.terms, style("abstract-view--highlight"))
        out.append_text(abstract)
        if paper.note.strip():
            out.append("\n\nNote\n", style("abstract-view--heading"))
            out.append_text(note_text(shown(paper.note, SHOWN_NOTE), style))
        return out

    def _field(self, out: Text, label: str, value: str) -> None:
        if value:
            out.append(f"{label}: ", self.part("abstract-view--label"))
            out.append(shown(value, SHOWN_FIELD) + "\n")

    def part(self, name: str) -> Style:
        """A component's own style, laid over the text (theme colours, no background).

        The highlight keeps its full style, so its translucent background is blended.
        """
        return self.get_component_rich_style(name, partial=name != "abstract-view--highlight")

    # -- keys (the movement keys come from ScrollKeys) -------------------------------------

    def action_back_to_list(self) -> None:
        """esc: out of the full screen first, then back to the list."""
        if self.screen.maximized is self:
            self.screen.minimize()
            return
        self.post_message(self.Closed())

    def action_zoom(self) -> None:
        """Fill the screen with the abstract, or give the list its place back."""
        if self.screen.maximized is self:
            self.screen.minimize()
        else:
            self.screen.maximize(self, container=False)
