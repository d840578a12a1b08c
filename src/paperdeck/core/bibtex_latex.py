"""paperdeck's text as the LaTeX of a BibTeX field.

Plain text (a name, a venue, a tag) has LaTeX's special characters escaped (`latex_text`).
A title or an abstract from arXiv is already part LaTeX: its formulas (``$\\beta$-VAE``), its
accents (``Schr\\"odinger``) and its escaped characters (``\\&``) are written as they are, and
only the prose around them is escaped (`latex_source`), so BibTeX typesets what arXiv shows,
and paperdeck reads the formulas back as they were (`latex_keeping_math`).

What is kept is what cannot act beyond the text it sits in: a formula with balanced braces,
a command pylatexenc knows how to read as text. A command that reads or writes files, runs a
program or (re)defines anything is escaped, formula and all, as is any command pylatexenc
does not know outside a formula (it would be dropped when read back).
"""

from __future__ import annotations

import re

from paperdeck.core.sources.latex import balanced_braces, latex_context
from paperdeck.core.text import clean_line

_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_SPECIAL = re.compile("|".join(map(re.escape, _LATEX)))
# Ligatures TeX makes of plain characters (-- is a dash, `` and '' are quotes): split by {}.
_LIGATURE = re.compile(r"([-`'])(?=\1)")
_BRACES = r"\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\}"  # three levels deep at most
_PIECE = re.compile(
    r"(?P<formula>(?<!\\)\$(?=[^\s$])(?:[^$\\]|\\.){1,500}?(?<=[^\s\\])\$"
    r"|\\\((?:[^\\]|\\[^)]){1,500}?\\\))"  # $x$, or \(x\)
    rf"|(?P<command>\\(?P<name>[A-Za-z]+)\*?(?:\s*(?:{_BRACES}|\[[^\]\n]{{0,80}}\]))*)"
    r"|(?P<accent>\\[\"'`^~=.](?:\{[A-Za-z]?\}|[A-Za-z]))"  # \"o, \'{e}
    r"|(?P<escaped>\\[%&_#${}])"
)
_COMMAND_NAME = re.compile(r"\\([A-Za-z]+)")
_FORMULA_HINT = re.compile(r"[A-Za-z\\^_{}]")  # "$5-$" is prose, "$n$" and "$O(n)$" are not
# TeX and LaTeX commands that reach beyond the text: files, programs, definitions, category
# codes, the output routine, the run itself.
_UNSAFE = frozenset(
    {"input", "include", "includeonly", "InputIfFileExists", "IfFileExists", "openin",
     "openout", "read", "readline", "write", "immediate", "closein", "closeout", "newread",
     "newwrite", "def", "edef", "gdef", "xdef", "let", "futurelet", "global", "long", "outer",
     "protected", "newcommand", "renewcommand", "providecommand", "DeclareRobustCommand",
     "DeclareMathOperator", "newenvironment", "renewenvironment", "csname", "endcsname",
     "expandafter", "noexpand", "afterassignment", "aftergroup", "catcode", "lccode", "uccode",
     "mathcode", "sfcode", "delcode", "usepackage", "RequirePackage", "documentclass",
     "special", "pdfliteral", "directlua", "latelua", "luaexec", "ShellEscape", "shipout",
     "output", "everypar", "everymath", "everyhbox", "everyvbox", "everyjob", "everycr",
     "everydisplay", "begin", "end", "endinput", "dump", "batchmode", "nonstopmode",
     "scrollmode", "errorstopmode", "errmessage", "message", "typeout", "jobname", "verb",
     "makeatletter", "makeatother", "loop", "includegraphics", "scantokens", "string",
     "detokenize", "lowercase", "uppercase", "meaning", "romannumeral", "number", "the",
     "unexpanded", "pdffilesize", "pdfstrcmp", "pdfshellescape", "openup"}
)  # fmt: skip


def _escaped(text: str) -> str:
    return _LATEX_SPECIAL.sub(lambda m: _LATEX[m.group(0)], text)


def latex_text(text: str) -> str:
    """``text`` with LaTeX's special characters escaped, safe inside a braced BibTeX field."""
    return _escaped(clean_line(text))


def _prose(text: str) -> str:
    """Plain text as LaTeX that reads back as exactly this text."""
    return _LIGATURE.sub(r"\1{}", _escaped(text)) if text else ""


def _known(names: list[str]) -> bool:
    """Every command one pylatexenc reads as text, none of them `_UNSAFE` (outside a formula
    an unknown command would be dropped when read back)."""
    context = latex_context()
    return all(name not in _UNSAFE and context.get_macro_spec(name) is not None for name in names)


def _safe_formula(formula: str) -> bool:
    """A formula's commands are many that pylatexenc does not know (`\\rm`, `\\left`,
    `\\operatorname`): none is `_UNSAFE`, and none of the ways TeX has to build a
    command's name from other characters is there (`_UNSAFE` and "^^" in `_kept`)."""
    body = formula[2:-2] if formula.startswith("\\(") else formula[1:-1]
    return (
        _FORMULA_HINT.search(body) is not None
        and balanced_braces(body)
        and re.search(r"(?<!\\)[%#&]", body) is None
        and not _UNSAFE.intersection(_COMMAND_NAME.findall(body))
    )


def _kept(match: re.Match[str]) -> bool:
    """Is this piece of LaTeX written as it is? Never with "^^", TeX's way of writing any
    character by its code (`^^5cinput` is `\\input`), nor a bare % (it would comment out
    the rest of the line where BibTeX puts the field)."""
    piece = match.group(0)
    if "^^" in piece:
        return False
    if match.group("formula"):
        return _safe_formula(piece)
    if match.group("command"):
        return (
            balanced_braces(piece)
            and re.search(r"(?<!\\)[%#]", piece) is None
            and _known(_COMMAND_NAME.findall(piece))
        )
    return True  # an accent or an escaped character


def latex_source(text: str) -> str:
    """A title or abstract as LaTeX: what is LaTeX already kept (see the module's docstring),
    the prose around it escaped."""
    text = clean_line(text)
    if "\\" not in text and "$" not in text:
        return _prose(text)
    out: list[str] = []
    start = 0
    for match in _PIECE.finditer(text):
        if not _kept(match):
            continue  # escaped with the prose around it
        out += [_prose(text[start : match.start()]), match.group(0)]
        start = match.end()
    out.append(_prose(text[start:]))
    return "".join(out)
