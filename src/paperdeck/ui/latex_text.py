"""LaTeX in an abstract shown as readable text: `$\\textit{Trigger}$` reads "Trigger", `$\\alpha$`
"α", `\\eg` "e.g.".

For the abstract pane and the list's titles only: what is stored, `--json` and every export
keep the source.
Only what looks like LaTeX is converted (an inline formula, a `\\command` with its braced
arguments, an escaped character), each on its own through pylatexenc's text mode; the rest of
the abstract is left exactly as it is, so a "5%" or a "~3x" in plain prose survives (whole, a
`%` would start a LaTeX comment and a `~` become a space).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

# Macros papers define for themselves, with what they stand for.
_ABBREVIATIONS = {
    "eg": "e.g.",
    "ie": "i.e.",
    "etal": "et al.",
    "etc": "etc.",
    "wrt": "w.r.t.",
    "vs": "vs.",
    "cf": "cf.",
    "aka": "a.k.a.",
}
_BRACES = r"\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\}"  # three levels deep at most
_PIECE = re.compile(
    r"\$(?=[^\s$])(?:[^$\\]|\\.){1,300}?(?<=[^\s\\])\$"  # an inline formula
    rf"|\\[A-Za-z]+\*?(?:\s*(?:{_BRACES}|\[[^\]\n]{{0,80}}\]))*"  # a command and its arguments
    r"|\\[%&_#${}]"  # an escaped character
)
_MATH_HINT = re.compile(r"[\\^_{}]|^[A-Za-z]$")  # "$5 and $" is prose, "$x$" or "$n^2$" not


def readable(text: str) -> str:
    """``text`` with its LaTeX rendered as plain text; text without LaTeX comes back as is."""
    if "\\" not in text and "$" not in text:
        return text
    return _PIECE.sub(_render, text)


def readable_when_loaded(text: str, wanted: Callable[[], None]) -> str:
    """`readable` once pylatexenc is loaded (`load`); until then ``text`` as it is, and
    ``wanted()`` is called: a list row is drawn within a frame, which must not wait ~60 ms
    for an import (a library without LaTeX in its titles never imports it). The same
    titles are drawn again and again, so their renderings are kept."""
    if "\\" not in text and "$" not in text:
        return text
    if not _converter.cache_info().currsize:
        wanted()
        return text
    return _readable_title(text)


@functools.lru_cache(maxsize=2048)
def _readable_title(text: str) -> str:
    return readable(text)


def load() -> None:
    """Import pylatexenc and prepare it (in a worker, when a title first needs it)."""
    _converter()


def _render(match: re.Match[str]) -> str:
    piece = match.group()
    if piece.startswith("$") and not _MATH_HINT.search(piece[1:-1]):
        return piece
    name = re.match(r"\\([A-Za-z]+)$", piece)
    if name and name.group(1) in _ABBREVIATIONS:
        text = _ABBREVIATIONS[name.group(1)]
        following = match.string[match.end() : match.end() + 1]
        return text[:-1] if following == "." and text.endswith(".") else text
    try:
        text = _converter().latex_to_text(piece)
    except Exception:  # pylatexenc is lenient; a piece it cannot read stays as written
        return piece
    if not text.strip() and name:  # an unknown macro (`\benchmark`): its name says most
        return name.group(1)
    return " ".join(text.split()) if "\n" in text else text


@functools.cache
def _converter() -> Any:
    """pylatexenc, imported on the first abstract with LaTeX in it, with the commands the
    imports keep too (`\\texttt{torch}` reads "torch", `\\TeX` "TeX")."""
    from pylatexenc.latex2text import LatexNodes2Text

    from paperdeck.core.sources.latex import latex_context

    return LatexNodes2Text(
        latex_context=latex_context(), math_mode="text", strict_latex_spaces=False
    )
