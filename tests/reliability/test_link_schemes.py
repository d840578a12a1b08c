"""`o` opens only http(s) links with a host; every other scheme, however disguised, is refused
with a message and never reaches the browser (nor the clipboard as a link)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from paperdeck.core.models import Paper
from paperdeck.core.store import DB_NAME, Library
from paperdeck.ui.paper_links import code_links, is_web_link, paper_links
from testkit import capture_notifications_with_markup, settle

REFUSED = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "JavaScript:alert(document.cookie)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "\njavascript:alert(1)",
    "java\tscript:alert(1)",
    "file:///etc/passwd",
    "FILE:///etc/passwd",
    "data:text/html,<script>alert(1)</script>",
    "ssh://evil.example.org",
    "vbscript:msgbox(1)",
    "mailto:a@example.org",
    "http:/no-host",
    "https://",
    "//evil.example.org/x",
    "\x1b]8;;file:///x\x1b\\https://example.org",
    "ftp://example.org/file",
    "",
]
OPENED = ["https://example.org/x", "HTTP://Example.org/", "https://github.com/a/b"]


@pytest.mark.parametrize("url", REFUSED)
def test_only_web_links_are_web_links(url):
    assert not is_web_link(url)


@pytest.mark.parametrize("url", OPENED)
def test_web_links_are(url):
    assert is_web_link(url)


def test_code_links_are_web_links_only():
    paper = Paper(title="t", links=["javascript://github.com/a/b", "https://github.com/a/b"])
    assert code_links(paper) == ["https://github.com/a/b"]


@pytest.mark.parametrize("start", [0, 8])
async def test_o_refuses_every_other_scheme_even_written_raw(tmp_path, make_app, browser, start):
    """The links go into SQLite raw (a leading space or tab survives), eight to a paper."""
    root = tmp_path / "lib"
    links = REFUSED[start : start + 8] + ["https://example.org/x"]
    with Library(root) as library:
        (paper_id,) = library.add_papers([Paper(title="Links paper")]).ids
    db = sqlite3.connect(root / DB_NAME)
    with db:
        db.execute("UPDATE papers SET links = ? WHERE id = ?", (json.dumps(links), paper_id))
    db.close()
    with Library(root) as library:
        paper = library.get(paper_id)
    assert paper is not None
    shown = paper_links(paper)  # as numbered in the pane: cleaned, duplicates dropped
    assert len(shown) >= 5
    app = make_app(root)
    said = capture_notifications_with_markup(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        for number in range(1, len(shown) + 1):
            await pilot.press("o")
            await settle(pilot)
            await pilot.press(str(number))
            await settle(pilot)
        assert browser.calls == ["https://example.org/x"]
    refusals = [text for text, _markup in said if text.startswith("Refused to open")]
    assert len(refusals) == len(shown) - 1
    assert all(text.endswith("only http(s) links open") for text in refusals)
