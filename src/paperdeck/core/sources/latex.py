"""LaTeX text as Unicode: what BibTeX fields hold, decoded as pylatexenc's `LatexNodes2Text`
does (unknown commands dropped, ``--`` → –, ``\\,`` → a space), plus what it drops silently
and should not: text symbols (``\\textbar``, ``\\textunderscore``, ...), the TeX logos, and
the text inside ``\\texttt``, ``\\mbox`` and their kind.

Titles and abstracts keep their formulas (`latex_keeping_math`): arXiv gives them as LaTeX
source, ``$\\beta$-VAE``, the reader renders them, and a title must read the same whichever
source it came from (two records of one paper are matched by title)."""

from __future__ import annotations

import logging
import re
from functools import cache
from typing import Any

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

# Commands whose argument is text, which pylatexenc 2.11 knows the arguments of but drops
# with them: "\texttt{BERT}" was an empty title. Kept as their text (the last argument:
# "\textcolor{red}{warning}" is "warning").
TEXT_ARGUMENT = ("mbox", "texttt", "textsf", "textup", "textmd", "textcolor", "colorbox")

# The TeX family's logos, dropped as unknown commands: "The {\TeX}book" was "The book".
LOGOS = {
    "TeX": "TeX",
    "LaTeX": "LaTeX",
    "LaTeXe": "LaTeX2e",
    "BibTeX": "BibTeX",
    "XeTeX": "XeTeX",
    "XeLaTeX": "XeLaTeX",
    "LuaTeX": "LuaTeX",
    "LuaLaTeX": "LuaLaTeX",
    "pdfTeX": "pdfTeX",
    "pdfLaTeX": "pdfLaTeX",
    "AmS": "AMS",
    "AmSTeX": "AMS-TeX",
    "ConTeXt": "ConTeXt",
    "METAFONT": "METAFONT",
    "MF": "METAFONT",
    "MP": "MetaPost",
}

_HREF = re.compile(r"\\href\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_UNESCAPED = re.compile(r"(?<!\\)([%&])")  # text characters that are special to LaTeX
_MARKS = ("\\", "{", "}", "$", "~", "--", "``", "''")
MATH = re.compile(r"(?<!\\)\$(?:[^$\\]|\\.)+?\$")  # an inline formula; "\\$" is a dollar sign
_HELD = re.compile("\ue000([0-9]+)\ue001")  # a formula set aside (private-use characters)


@cache
def latex_context() -> Any:
    """pylatexenc's text context with what it drops and should not (above): for the
    fields imported here and for the abstracts the reader shows (`ui/latex_text.py`)."""
    context = get_default_latex_context_db()
    symbols = [MacroTextSpec(name, text) for name, text in {**TEXT_SYMBOLS, **LOGOS}.items()]
    symbols += [MacroTextSpec(name, simplify_repl=_last_argument) for name in TEXT_ARGUMENT]
    context.add_context_category("paperdeck-text-symbols", macros=symbols, prepend=True)
    return context


@cache
def _converter() -> LatexNodes2Text:
    return LatexNodes2Text(latex_context=latex_context())


def _last_argument(node: Any, l2tobj: LatexNodes2Text) -> str:
    """The text of a command's last argument given (pylatexenc calls it by these names)."""
    given = [arg for arg in (node.nodeargd.argnlist if node.nodeargd else ()) if arg is not None]
    return l2tobj.nodelist_to_text([given[-1]]) if given else ""


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


def latex_keeping_math(text: str) -> str:
    """`latex_to_unicode` with each inline formula kept as its LaTeX source, as arXiv gives
    titles and abstracts: "{$\\beta$}-{VAE} for Schr{\\"o}dinger" → "$\\beta$-VAE for
    Schrödinger"."""
    if "$" not in text:
        return latex_to_unicode(text)
    text = text.replace("\ue000", "").replace("\ue001", "")  # no stand-in can be forged
    formulas: list[str] = []

    def hold(match: re.Match[str]) -> str:
        formulas.append(clean_line(match.group(0)))
        return f"\ue000{len(formulas) - 1}\ue001"

    decoded = latex_to_unicode(MATH.sub(hold, text))
    return _HELD.sub(lambda match: formulas[int(match.group(1))], decoded)
