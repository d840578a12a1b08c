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
from functools import cache, lru_cache
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

# A TeX accent or special letter, as arXiv's metadata writes names and words in prose:
# \"o, \"{o}, {\"o}, \'{\i}, \v{z}, \c c, \r{A}, {\o}, \ss{}. As TeX reads them: an accent
# takes the one letter after it, and a command word swallows the spaces after it.
_ARGUMENT = r"(?:\{\s*(?:[A-Za-z]|\\[ij])\s*\}|[A-Za-z]|\\[ij](?![A-Za-z])\s*)"
_ACCENT = (
    rf"\\[\"'`^~=.](?:\s*(?=\{{))?{_ARGUMENT}"  # a symbol accent: \"o, \'{e}
    rf"|\\[uvHcdkr](?:\s*\{{\s*(?:[A-Za-z]|\\[ij])\s*\}}|\s+[A-Za-z])"  # \v{z}, \c c
    r"|\\(?:ss|ae|AE|oe|OE|aa|AA|o|O|l|L|i|j)(?![A-Za-z])(?:\{\}|\s+)?"  # \ss, \o{}
)
_ACCENT_PIECE = re.compile(rf"(?<!\\)(?:\{{\s*(?:{_ACCENT})\s*\}}|{_ACCENT})")
# Math, where the same marks mean something else: left as written.
_MATH = re.compile(
    r"(?<!\\)\$\$.*?(?<!\\)\$\$|(?<!\\)\$(?:[^$\\]|\\.)*\$|\\\(.*?\\\)|\\\[.*?\\\]", re.S
)
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


def decode_accents(text: str) -> str:
    """``text`` with its TeX accents and special letters as Unicode ("Schr\\"odinger" →
    "Schrödinger") and everything else as written: math ("$x^2$"), other commands and
    the prose around them. For abstracts, which are kept as their source (the reader shows
    their LaTeX as text), so that a name or a word reads and matches as one spelling."""
    if "\\" not in text:
        return text
    pieces: list[str] = []
    start = 0
    for math in _MATH.finditer(text):
        pieces += [_ACCENT_PIECE.sub(_accent, text[start : math.start()]), math.group(0)]
        start = math.end()
    pieces.append(_ACCENT_PIECE.sub(_accent, text[start:]))
    return "".join(pieces)


def _accent(match: re.Match[str]) -> str:
    return _decoded_accent(match.group(0))


@lru_cache(maxsize=1024)
def _decoded_accent(piece: str) -> str:
    """One accent's letter (a few hundred spellings recur across a whole snapshot)."""
    return latex_to_unicode(piece) or piece


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


def balanced_braces(text: str) -> bool:
    """Do ``text``'s braces close in order (escaped ones, ``\\{``, not counted)? A BibTeX
    value or a piece of LaTeX kept as it is must not close a group it did not open."""
    depth = 0
    for index, char in enumerate(text):
        if char in "{}" and index and text[index - 1] == "\\":
            continue
        depth += 1 if char == "{" else -1 if char == "}" else 0
        if depth < 0:
            return False
    return depth == 0
