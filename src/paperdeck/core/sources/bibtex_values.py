"""BibTeX field values as written: ``{braced}``, ``"quoted"``, numbers and macros joined by
``#``, evaluated to their text, and checked for what bibtexparser lets through.

bibtexparser reads a field's value up to the next comma outside braces, so a missing comma
glues two fields into one: ``title = {A}`` then ``author = {B}`` is one title
"{A} author = {B}" and no author. BibTeX itself stops there with an error; `value_error`
finds it the same way, so the entry is reported rather than imported wrong.
"""

from __future__ import annotations

import re

from paperdeck.core.text import clean_line

_WORD = re.compile(r"[^\s{}\"#,=]+")  # a number or a macro name
_NEXT_FIELD = re.compile(r"\s*([A-Za-z][A-Za-z0-9_:.+-]*)\s*=")


def split_top_level(value: str, separator: str) -> list[str]:
    """Split on ``separator`` characters outside braces and quotes (BibTeX's own rule)."""
    parts, depth, quoted, start = [], 0, False, 0
    for index, char in enumerate(value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(0, depth - 1)
        elif char == '"' and depth == 0 and (index == 0 or value[index - 1] != "\\"):
            quoted = not quoted
        elif char == separator and depth == 0 and not quoted:
            parts.append(value[start:index])
            start = index + 1
    parts.append(value[start:])
    return parts


def evaluate(raw: str, macros: dict[str, str]) -> str:
    """A field value: braces/quotes removed, macros expanded, ``#`` concatenations joined."""
    pieces = []
    for part in split_top_level(raw, "#"):
        piece = part.strip()
        if len(piece) >= 2 and (piece[0], piece[-1]) in {("{", "}"), ('"', '"')}:
            pieces.append(piece[1:-1])
        else:  # a number, or a macro; an unknown macro keeps its name rather than vanish
            pieces.append(macros.get(piece.lower(), piece))
    return "".join(pieces)


def _closing(piece: str, index: int) -> bool:
    """Does the quote at ``index`` close the quoted value? (Not the opening one, nor one after
    a backslash, which bibtexparser takes for part of the text, as in "M\\"uller".)"""
    return index > 0 and piece[index - 1] != "\\"


def _first_value_end(piece: str) -> int:
    """Where the first value of ``piece`` ends: after its closing brace or quote, or after
    the word it is; -1 when it does not close."""
    if piece[0] in '{"':
        depth = 0
        for index, char in enumerate(piece):
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth == 0 and piece[0] == "{":
                    return index + 1
            elif char == '"' and depth == 0 and piece[0] == '"' and _closing(piece, index):
                return index + 1
        return -1
    word = _WORD.match(piece)
    return word.end() if word else 0


def value_error(raw: str) -> tuple[int, str] | None:
    """What is wrong with a raw field value, as (the lines into it where it goes wrong, a
    message), or None: each ``#``-joined part must be one braced or quoted text, number or
    macro, as BibTeX requires."""
    offset = 0
    for part in split_top_level(raw, "#"):
        piece = part.strip()
        start = offset + len(part) - len(part.lstrip())
        offset += len(part) + 1
        if not piece:
            continue
        end = _first_value_end(piece)
        if end == len(piece) or end < 0:  # one value (an unclosed one is bibtexparser's)
            continue
        lines = raw.count("\n", 0, start + end)
        rest = piece[end:]
        following = _NEXT_FIELD.match(rest)
        if following:
            return lines, f"no ',' before field {following.group(1)!r}"
        return lines, f"unexpected {_snippet(rest)!r} after the value"
    return None


def _snippet(text: str, limit: int = 30) -> str:
    """The start of ``text`` on one line, for a message."""
    one_line = clean_line(text)
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"
