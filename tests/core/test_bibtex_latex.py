"""Titles and abstracts as BibTeX LaTeX: arXiv's LaTeX kept, prose escaped, formulas read back."""

from __future__ import annotations

from datetime import date

import bibtexparser
import pytest

from paperdeck.core.bibtex_latex import latex_source
from paperdeck.core.bibtex_writer import to_bibtex
from paperdeck.core.models import Paper
from paperdeck.core.sources.base import ParseContext
from paperdeck.core.sources.bibtex import SOURCE
from paperdeck.core.sources.latex import latex_keeping_math

BETA = r"$\beta$-VAE Revisited: Learning Disentangled Representations in $O(n \log n)$ Time"


@pytest.mark.parametrize(
    ("text", "written"),
    [
        (BETA, BETA),  # was \$\textbackslash{}beta\$-VAE...: the formula printed as code
        (r"Scaling Laws for $\mathcal{O}(n)$: Theory & Practice",
         r"Scaling Laws for $\mathcal{O}(n)$: Theory \& Practice"),
        (r"On the Schr\"odinger equation with $\alpha_s$ at 50\%",
         r"On the Schr\"odinger equation with $\alpha_s$ at 50\%"),
        (r"\textit{Trigger} tokens in AdS$_5$", r"\textit{Trigger} tokens in AdS$_5$"),
        # Plain text: every special character escaped, TeX's ligatures split.
        ("costs $5 or $10 -- 50% of {x} ~3x a_b #1 ``q''",
         r"costs \$5 or \$10 -{}- 50\% of \{x\} \textasciitilde{}3x a\_b \#1 `{}`q'{}'"),
        (r"A $5-$ deal at C:\Users", r"A \$5-\$ deal at C:\textbackslash{}Users"),
        # A command pylatexenc cannot read (it would be dropped) and any that reaches beyond
        # the text (files, definitions) are escaped, formula and all.
        (r"\method{x} and $\input{/etc/passwd}$ and $\def\x{y}$",
         r"\textbackslash{}method\{x\} and \$\textbackslash{}input\{/etc/passwd\}\$ and "
         r"\$\textbackslash{}def\textbackslash{}x\{y\}\$"),
        (r"$a}{b$ and \textbf{\write18{rm}}",
         r"\$a\}\{b\$ and \textbackslash{}textbf\{\textbackslash{}write18\{rm\}\}"),
    ],
)  # fmt: skip
def test_latex_is_kept_and_prose_escaped(text: str, written: str) -> None:
    assert latex_source(text) == written


def test_formulas_are_read_back_as_latex_and_prose_as_text() -> None:
    assert latex_keeping_math(r"{$\beta$}-{VAE} for Schr{\"o}dinger \& \$5") == (
        r"$\beta$-VAE for Schrödinger & $5"
    )
    assert latex_keeping_math("\ue0000\ue001 $x$") == "0 $x$"  # no stand-in can be forged


def test_an_arxiv_title_and_abstract_survive_bibtex_with_their_formulas() -> None:
    paper = Paper(
        title=BETA,
        abstract=r"We beat $O(N^2)$ by 5% -- see $\mathcal{L}_{\rm KL}$ & co.",
        arxiv_id="2401.00001",
    )
    text = to_bibtex([paper])
    entry = bibtexparser.parse_string(text).entries[0]
    assert entry["title"] == "{" + BETA + "}"
    assert entry["abstract"] == r"We beat $O(N^2)$ by 5\% -{}- see $\mathcal{L}_{\rm KL}$ \& co."
    again = SOURCE.parse(text, ParseContext("out.bib", date(2026, 1, 1))).papers[0]
    assert (again.title, again.abstract) == (paper.title, paper.abstract)
    assert to_bibtex([again]).replace("anon", "") == text.replace("anon", "")


@pytest.mark.parametrize(
    ("text", "written"),
    [
        # TeX writes any character by its code: ^^5c is a backslash, so this is \input
        ("On $^^5cinput{/etc/passwd}$",
         r"On \$\textasciicircum{}\textasciicircum{}5cinput\{/etc/passwd\}\$"),
        (r"\textbf{^^5cwrite18{id}}",
         r"\textbackslash{}textbf\{\textasciicircum{}\textasciicircum{}5cwrite18\{id\}\}"),
        (r"$\scantokens{x}$", r"\$\textbackslash{}scantokens\{x\}\$"),  # names built later
        (r"\textbf{50%} gain", r"\textbackslash{}textbf\{50\%\} gain"),  # % ends the line
        (r"with \(\alpha\) fixed", r"with \(\alpha\) fixed"),  # a formula, not \alpha alone
        (r"$\mathcal{L}_{\rm KL}$ and $\R^n$", r"$\mathcal{L}_{\rm KL}$ and $\R^n$"),
    ],
)  # fmt: skip
def test_latex_that_could_act_beyond_the_field_is_escaped(text: str, written: str) -> None:
    assert latex_source(text) == written
