"""LaTeX text as Unicode: what BibTeX fields hold, decoded as pylatexenc's `LatexNodes2Text`
does (unknown commands dropped, ``--`` → –, ``\\,`` → a space), plus the text symbols it
drops silently (``\\textbar``, ``\\textless``, ``\\textunderscore``, ...)."""

from __future__ import annotations

import logging
import re
from functools import cache

from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from paperdeck.core.text import clean_line

# pylatexenc reports problems through logging; without a handler Python would print them to
# stderr, on top of the reader's screen.
logging.getLogger("pylatexenc").addHandler(logging.NullHandler())

# Text-mode symbols pylatexenc 2.11 turns into nothing (or into the wrong character).
TEXT_SYMBOLS = {
    "textbar": "|",
    "textless": "<",
    "textgreater": ">",
    "textquotedbl": '"',
    "textunderscore": "_",
    "textbraceleft": "{",
    "textbraceright": "}",
    "textpercent": "%",
    "textampersand": "&",
    "textminus": "−",
    "textslash": "/",
    "slash": "/",
    "textperiodcentered": "·",
    "textasciicircum": "^",
    "textbackslash": "\\",
    "textasciitilde": "~",
    "textdollar": "$",
}

_HREF = re.compile(r"\\href\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_UNESCAPED = re.compile(r"(?<!\\)([%&])")  # text characters that are special to LaTeX
_MARKS = ("\\", "{", "}", "$", "~", "--", "``", "''")


@cache
def _converter() -> LatexNodes2Text:
    context = get_default_latex_context_db()
    symbols = [MacroTextSpec(name, text) for name, text in TEXT_SYMBOLS.items()]
    context.add_context_category("paperdeck-text-symbols", macros=symbols, prepend=True)
    return LatexNodes2Text(latex_context=context)


def latex_to_unicode(text: str) -> str:
    """LaTeX source as clean one-line Unicode: "Schr{\\"o}dinger" → "Schrödinger"."""
    if not any(mark in text for mark in _MARKS):
        return clean_line(text)
    try:
        prepared = _HREF.sub(r"\2 \\url{\1}", _UNESCAPED.sub(r"\\\1", text))
        decoded = _converter().latex_to_text(prepared)
    except Exception:  # pylatexenc can fail on odd input; a crude strip beats losing the entry
        decoded = re.sub(r"\\[A-Za-z]+\*?|[{}$\\]", "", text)
    return clean_line(decoded)
