"""A user's note as Markdown in an export: the note editor says notes are Markdown, so
emphasis, lists, headings, code and http(s) links render as written. What it cannot do is
inject: raw HTML (every ``<`` outside code is an entity), a link that is not http(s) (every
``[`` and ``]`` outside code is escaped unless it is part of an http(s) link, which is
rewritten percent-encoded), an image (written as a plain link: nothing loads by itself),
an e-mail or ``mailto:`` autolink (``@`` is escaped), or a code block left open to swallow
the rest of the file.

Code is recognised as CommonMark recognises it, but only within a line: a backtick run
with no closing run of the same length on its line is escaped, so a renderer never sees a
code span (inside which nothing is escaped) that this module did not.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from paperdeck.core.text import clean_block

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_LINK = re.compile(
    r"(!?)\[([^\[\]\n`<>]*)\]\(\s*<?(https?://[^\s()<>]+)>?(?:\s+\"[^\"\n]*\")?\s*\)",
    re.IGNORECASE,
)
_AUTOLINK = re.compile(r"<(https?://[^\s<>]+)>", re.IGNORECASE)
_ESCAPES = {"<": "&lt;", "&": "&amp;", "[": "\\[", "]": "\\]", "@": "\\@"}
_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"


def note_markdown(note: str, safe_url: Callable[[str], str | None]) -> list[str]:
    """The lines of ``note`` as inert Markdown. ``safe_url`` turns an http(s) URL into its
    percent-encoded form for link syntax, or None (the export's own rule for links)."""
    out: list[str] = []
    fence = ""
    for line in clean_block(note).splitlines():
        if fence:
            out.append(line)
            closing = _FENCE.match(line)
            if closing and closing.group(1)[0] == fence[0] and len(closing.group(1)) >= len(fence):
                fence = "" if not closing.group(2).strip() else fence
            continue
        opening = _FENCE.match(line)
        if opening and not (opening.group(1)[0] == "`" and "`" in opening.group(2)):
            fence = opening.group(1)
            out.append(line[: opening.start(2)] + _info(opening.group(2)))
            continue
        out.append(_inline(line, safe_url))
    if fence:
        out.append(fence)  # a block left open would make the rest of the file code
    return out


def _info(text: str) -> str:
    """A fence's info string (the language name): a word, nothing a renderer could use."""
    return re.sub(r"[^\w+.-]", "", text.strip().split(" ", 1)[0]) if text.strip() else ""


def _inline(line: str, safe_url: Callable[[str], str | None]) -> str:
    out: list[str] = []
    index = 0
    while index < len(line):
        char = line[index]
        if char == "\\" and index + 1 < len(line) and line[index + 1] in _PUNCTUATION:
            out.append(line[index : index + 2])  # an escape stays an escape
            index += 2
            continue
        if char == "`":
            run = len(line[index:]) - len(line[index:].lstrip("`"))
            end = _closing_run(line, index + run, run)
            if end is None:
                out.append("\\`" * run)
                index += run
            else:
                out.append(line[index : end + run])  # a code span: shown as written
                index = end + run
            continue
        link = _LINK.match(line, index) if char in "![" else None
        if link and (url := safe_url(link.group(3))):
            if out and out[-1] == "!":  # a literal "!" just before would make it an image
                out[-1] = "\\!"
            out.append(f"[{_text(link.group(2))}]({url})")
            index = link.end()
            continue
        autolink = _AUTOLINK.match(line, index) if char == "<" else None
        if autolink and (url := safe_url(autolink.group(1))):
            out.append(f"<{url}>")
            index = autolink.end()
            continue
        if char == ">" and line[:index].strip(" >"):
            out.append("&gt;")  # only a line's leading ">" quote; elsewhere shown as text
        else:
            out.append(_ESCAPES.get(char, char))
        index += 1
    return "".join(out)


def _closing_run(line: str, start: int, length: int) -> int | None:
    """Where the next run of exactly ``length`` backticks after ``start`` begins."""
    for match in re.finditer(r"`+", line[start:]):
        if len(match.group(0)) == length:
            return start + match.start()
    return None


def _text(text: str) -> str:
    """A link's text: the same escapes as elsewhere (it holds no brackets or backticks)."""
    return "".join(_ESCAPES.get(char, char) for char in text)
