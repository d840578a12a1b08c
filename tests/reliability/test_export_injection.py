"""A Markdown export cannot carry a script or a hidden link: whatever the titles, authors, tags,
notes and links hold, the file renders (CommonMark, raw HTML allowed, as many viewers do) to
plain text plus the http(s) links paperdeck itself writes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from paperdeck.cli import main
from paperdeck.core.export import to_markdown
from paperdeck.core.models import Paper

# A note is Markdown: it may render structure, never an image, a frame, a script or a form.
SAFE_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "strong", "em", "code"}
SAFE_TAGS |= {"pre", "a", "blockquote", "br", "hr", "table", "thead", "tbody", "tr", "th", "td"}
SAFE_TAGS |= {"s"}
PIECES = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<a href='javascript:x'>",
    "[x](javascript:alert(1))", "[x]: javascript:alert(1)", "![i](https://evil/x.png)",
    "<https://evil.example.org>", "<iframe src=x>", "`", "``", "*", "_", "#", "> ", "- ", "1. ",
    "|", "---", "\n", "\n\n", "\\", "&lt;", "&#x3C;script>", "<!--", "-->", "<svg onload=x>",
    "javascript:", "data:text/html,x", "https://ok.example.org", "[", "]", "(", ")", "!", " ",
]  # fmt: skip
hostile_text = st.lists(st.sampled_from(PIECES) | st.text(max_size=5), max_size=12).map("".join)


def render_html(markdown: str) -> str:
    return (
        MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(markdown)
    )


def assert_inert(html: str, allowed_links: list[str]) -> None:
    """Only safe tags; the links paperdeck wrote, in order, plus http(s) links of the note."""
    assert set(re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", html)) <= SAFE_TAGS, html
    assert "<script" not in html.lower() and "<img" not in html.lower()
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert all(re.match(r"https?://[^/]", href, re.IGNORECASE) for href in hrefs), html
    ours = iter(hrefs)
    assert all(link in ours for link in allowed_links), html
    assert re.findall(r"<[a-zA-Z][^>]*\s(?:on\w+|src|style)\s*=", html) == []  # real attributes


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=hostile_text, author=hostile_text, tag=hostile_text, note=hostile_text)
def test_any_text_in_an_export_renders_inert(title, author, tag, note):
    paper = Paper(
        title=title or "t",
        authors=[author],
        tags=[tag],
        note=note,
        venue=author,
        links=["https://github.com/a/b", "javascript:alert(1)", "data:text/html,x"],
    )
    html = render_html(to_markdown([paper], title=title, description=tag))
    # The Code line: a code link is not the paper's own page, so the heading has no link
    # (it linked to the code before).
    assert_inert(html, ["https://github.com/a/b"])


def test_an_imported_hostile_paper_exports_inert(tmp_path: Path, capsys) -> None:
    record = {
        "title": "<script>alert(1)</script> [x](javascript:alert(1))",
        "authors": ["<img src=x onerror=alert(1)>", "[a](https://evil.example.org)"],
        "tags": ["<svg/onload=alert(1)>", "[t](javascript:x)"],
        "note": "<iframe src=x></iframe>\n[click](javascript:alert(1))\n<https://evil.example.org>",
        "links": ["javascript:alert(1)", "https://github.com/a/b"],
        "starred": True,
    }
    listing = tmp_path / "hostile.jsonl"
    listing.write_text(json.dumps(record) + "\n", encoding="utf-8")
    root = tmp_path / "lib"
    assert main(["--library", str(root), "import", str(listing)]) == 0
    target = tmp_path / "out.md"
    assert main(["--library", str(root), "export", "-o", str(target)]) == 0
    capsys.readouterr()
    html = render_html(target.read_text(encoding="utf-8"))
    assert_inert(html, ["https://github.com/a/b"])  # the Code line; the heading has none
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as text, not dropped


@pytest.mark.parametrize(
    "note",
    [
        "!![i](https://evil/x.png)",  # the "!" the link's own "!" hid (found by the test above)
        "\\\\!![i](https://evil/x.png)",  # after an escaped backslash
        "wow!![i](https://evil/x.png) and ![j](https://evil/y.png)",
    ],
)
def test_a_bang_before_an_image_link_never_makes_it_an_image(note):
    html = render_html(to_markdown([Paper(title="t", note=note)], title="Papers"))
    assert_inert(html, [])
    assert "https://evil/x.png" in html  # still there, as a plain link
