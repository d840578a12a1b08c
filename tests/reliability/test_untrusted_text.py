"""Untrusted text reaches the screen literally everywhere the reader shows it: markup is not
interpreted, escape sequences, control characters and bidi overrides never reach the terminal.
Also for text written into SQLite by something other than paperdeck (no cleaning on the way in):
the reader cleans again at display."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from paperdeck.core.links import is_web_link
from paperdeck.core.models import Paper
from paperdeck.core.store import DB_NAME, Library
from paperdeck.ui.paper_links import paper_links
from paperdeck.ui.widgets.paper_list import PaperList
from testkit import CONTROLS, MARKUP, capture_notifications_with_markup, clean_of_controls, hostile
from testkit import settle as settle_app

# Pieces of MARKUP without spaces (the screenshot turns spaces into &#160;): present only if
# the markup was shown rather than obeyed.
LITERAL_PIECES = ("[bold&#160;red]x[/]", "[link=file:///etc/passwd]y[/link]", "[@click=app.quit]z[/]")  # fmt: skip
NOTE = (
    f"# Heading {MARKUP}\n"
    f"- item {CONTROLS} [click me](javascript:alert(1))\n"
    f"**bold** `code {MARKUP}` <script>alert(1)</script>\n"
    "\x1b]52;c;ZXZpbA==\x07 after"
)


def hostile_paper(label: str, date: str) -> Paper:
    return Paper(
        title=hostile(f"{label} title"),
        authors=[hostile(f"{label} author"), "Plain Person"],
        abstract=hostile(f"{label} abstract"),
        date=date,
        categories=[hostile(f"{label} cat")],
        affiliations=[hostile(f"{label} affil")],
        links=["https://example.org/[bold]x[/]", "javascript:alert(1)", "file:///etc/passwd"],
        venue=hostile("venue"),
        tags=[hostile(f"{label} tag")],
        note=NOTE,
    )


def hostile_library(root: Path) -> tuple[str, str]:
    """Paper A through the store (cleaned on the way in), paper B's text then overwritten raw."""
    with Library(root) as library:
        a, b = library.add_papers(
            [hostile_paper("A", "2024-02-01"), Paper(title="B plain", date="2024-01-01")]
        ).ids
    raw = hostile_paper("B", "2024-01-01")
    db = sqlite3.connect(root / DB_NAME)
    with db:
        db.execute(
            "UPDATE papers SET title = ?, authors = ?, abstract = ?, categories = ?,"
            " affiliations = ?, links = ?, venue = ?, note = ?, sources = ? WHERE id = ?",
            (
                raw.title,
                json.dumps(raw.authors),
                raw.abstract,
                json.dumps(raw.categories),
                json.dumps(raw.affiliations),
                json.dumps(raw.links),
                raw.venue,
                raw.note,
                json.dumps([hostile("/tmp/source")]),
                b,
            ),
        )
        db.executemany(
            "INSERT INTO paper_facets (paper_id, kind, value, position) VALUES (?, ?, ?, 0)",
            [
                (b, "tag", hostile("B tag")),
                (b, "category", raw.categories[0]),
                (b, "affiliation", raw.affiliations[0]),
                (b, "source", hostile("/tmp/source")),
            ],
        )
    db.close()
    return a, b


def shown(app) -> str:
    """What the terminal would show, as the SVG screenshot of the whole screen."""
    return app.export_screenshot()


def assert_safe(app, *, literal: bool = True) -> None:
    svg = shown(app)
    assert clean_of_controls(svg), [c for c in svg if ord(c) < 32 and c not in "\n\t"][:5]
    assert "javascript:alert" not in svg or "href" not in svg.split("javascript:alert")[0][-40:]
    if literal:
        assert any(piece in svg for piece in LITERAL_PIECES), "markup was not shown literally"


@pytest.mark.slow
async def test_every_pane_and_dialog_shows_hostile_text_literally(tmp_path, make_app, pyperclip):
    root = tmp_path / "hostile"
    a, b = hostile_library(root)
    app = make_app(root)
    async with app.run_test(size=(160, 50)) as pilot:
        seen = capture_notifications_with_markup(app)

        async def settle(delay: float = 0.0) -> None:
            await settle_app(pilot, delay)

        await settle()
        screen = app.screen
        assert screen.papers.highlighted_id == a
        assert_safe(app)  # list, sidebar (tags, categories, affiliations, sources), abstract
        for row in range(2):
            strip = screen.query_one(PaperList).render_line(row)
            assert clean_of_controls(strip.text)
            assert all(not (s.style and (s.style.link or s.style.meta)) for s in strip)
        for index in range(len(screen.sidebar.entries)):
            strip = screen.sidebar.render_line(index)
            assert clean_of_controls(strip.text)

        await pilot.press("tab", "tab")  # the abstract pane, with the note
        await settle()
        body = screen.abstract.render_paper()
        assert clean_of_controls(body.plain)
        assert MARKUP in body.plain  # title, abstract, note: shown as typed
        assert "[click me](javascript:alert(1))" in body.plain
        assert "<script>alert(1)</script>" in body.plain
        # The only hyperlinks (OSC 8) are the paper's own http(s) links, cleaned; the note
        # and the abstract link nothing, whatever they hold.
        linked = [span.style.link for span in body.spans if getattr(span.style, "link", None)]
        paper = screen.library.get(a)
        assert all(
            is_web_link(url) and clean_of_controls(url) and url in paper_links(paper)
            for url in linked
        )
        assert not any("javascript" in url or "file:" in url for url in linked)
        assert_safe(app)

        await pilot.press("shift+tab", "shift+tab")
        await pilot.press("s", "y")  # star and copy: notifications carry the title and link
        await settle()
        assert_safe(app)
        assert pyperclip.calls == ["https://example.org/[bold]x[/]"]

        for key in ("t", "T", "n", "o"):  # tag prompts, note editor, link picker
            await pilot.press(key)
            await settle()
            assert len(app.screen_stack) == 2, key  # the reader and the dialog
            assert_safe(app)
            await pilot.press("escape")
            await settle()

        await pilot.press("slash", *"[bold", "enter")  # the query shows in the status line
        await settle(0.4)
        assert "[bold" in screen.status.view_plain
        await pilot.press("x")  # the export prompt names the view (the query)
        await settle()
        assert_safe(app, literal=False)
        assert "[bold" in shown(app)
        await pilot.press("escape", "escape")
        await settle()

        await pilot.press("question_mark")
        await settle()
        assert_safe(app, literal=False)
        await pilot.press("escape", "ctrl+p")
        await settle()
        await pilot.press(*"[b", "space")
        await settle()
        assert_safe(app, literal=False)
        await pilot.press("escape")
        await settle()

        await pilot.press("j")  # paper B: its text went into SQLite raw
        await settle()
        assert screen.papers.highlighted_id == b
        assert_safe(app)
        body = screen.abstract.render_paper()
        assert clean_of_controls(body.plain)
        assert MARKUP in body.plain
        await pilot.press("s", "t")
        await settle()
        assert_safe(app)
        await pilot.press("escape")
        await settle()
        assert app.is_running
    hostile_notes = [(text, markup) for text, markup in seen if "[" in text or "\x1b" in text]
    assert hostile_notes and all(markup is False for _text, markup in hostile_notes)
    assert all(clean_of_controls(text) for text, _markup in seen)


async def test_the_note_editor_cleans_text_that_bypassed_the_store(tmp_path, make_app):
    root = tmp_path / "hostile"
    hostile_library(root)
    app = make_app(root)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle_app(pilot)
        await pilot.press("j", "n")
        await settle_app(pilot)
        assert len(app.screen_stack) == 2  # the editor on the reader, on paper B
        assert_safe(app)
