"""Journal names given as LaTeX macros, as NASA ADS writes them: ``journal = {\\apjl}``.

ADS exports the journals of astronomy and physics as the macros of the AAS's
``aas_macros.sty``, which a paper's LaTeX defines and paperdeck cannot see: decoded as
unknown commands they were dropped, and the paper had no venue. They are read here as the
abbreviations those macros print. A macro that is not one of them keeps its name rather than
vanish (``\\foo`` → "foo").
"""

from __future__ import annotations

import re

from paperdeck.core.sources.latex import latex_to_unicode

AAS_JOURNALS = {
    "aap": "A&A",
    "aapr": "A&A Rev.",
    "aaps": "A&AS",
    "actaa": "Acta Astron.",
    "aj": "AJ",
    "ao": "Appl. Opt.",
    "apj": "ApJ",
    "apjl": "ApJL",
    "apjs": "ApJS",
    "aplett": "Astrophys. Lett.",
    "apspr": "Astrophys. Space Phys. Res.",
    "apss": "Ap&SS",
    "araa": "ARA&A",
    "azh": "AZh",
    "baas": "BAAS",
    "bac": "Bull. Astron. Inst. Czechoslovakia",
    "bain": "Bull. Astron. Inst. Netherlands",
    "caa": "Chinese Astron. Astrophys.",
    "cjaa": "Chinese J. Astron. Astrophys.",
    "fcp": "Fund. Cosmic Phys.",
    "gca": "Geochim. Cosmochim. Acta",
    "grl": "Geophys. Res. Lett.",
    "iaucirc": "IAU Circ.",
    "icarus": "Icarus",
    "jcap": "JCAP",
    "jcp": "J. Chem. Phys.",
    "jgr": "J. Geophys. Res.",
    "jqsrt": "J. Quant. Spectrosc. Radiat. Transfer",
    "jrasc": "JRASC",
    "memras": "MmRAS",
    "memsai": "Mem. Soc. Astron. Italiana",
    "mnras": "MNRAS",
    "na": "New A",
    "nar": "New A Rev.",
    "nat": "Nature",
    "nphysa": "Nucl. Phys. A",
    "pasa": "PASA",
    "pasj": "PASJ",
    "pasp": "PASP",
    "physrep": "Phys. Rep.",
    "physscr": "Phys. Scr.",
    "planss": "Planet. Space Sci.",
    "pra": "Phys. Rev. A",
    "prb": "Phys. Rev. B",
    "prc": "Phys. Rev. C",
    "prd": "Phys. Rev. D",
    "pre": "Phys. Rev. E",
    "prl": "Phys. Rev. Lett.",
    "procspie": "Proc. SPIE",
    "psj": "PSJ",
    "qjras": "QJRAS",
    "rmxaa": "Rev. Mexicana Astron. Astrofis.",
    "skytel": "S&T",
    "solphys": "Sol. Phys.",
    "sovast": "Soviet Ast.",
    "ssr": "Space Sci. Rev.",
    "zap": "ZAp",
}
_MACRO = re.compile(r"\\([A-Za-z]+)(?![A-Za-z])(?:\s*\{\})?")
_LONE_MACRO = re.compile(r"\s*\{*\s*\\([A-Za-z]+)\s*(?:\{\})?\s*\}*\s*")


def venue_text(latex: str) -> str:
    """A journal or book title from BibTeX as Unicode, AAS journal macros read."""
    lone = _LONE_MACRO.fullmatch(latex)
    if lone:
        name = lone.group(1)
        return AAS_JOURNALS.get(name) or latex_to_unicode(latex) or name
    if "\\" in latex:
        latex = _MACRO.sub(_journal_or_command, latex)
    return latex_to_unicode(latex)


def _journal_or_command(match: re.Match[str]) -> str:
    journal = AAS_JOURNALS.get(match.group(1))
    if journal is None:
        return match.group(0)
    return "{" + re.sub(r"([&%#$_])", r"\\\1", journal) + "}"
