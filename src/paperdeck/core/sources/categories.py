"""The arXiv category taxonomy, and turning the short codes listings print into full ids.

Listings often show only the subject part of a category ("CL", "OC"); arXiv ids are
"archive.SUBJECT" ("cs.CL", "math.OC") or a bare archive for the physics archives without
subjects ("hep-th", "quant-ph"). A bare code is resolved in a fixed archive order so the
same code always maps to the same id.
"""

from __future__ import annotations

import re

from paperdeck.core.text import clean_line


def _codes(spec: str) -> tuple[str, ...]:
    """The codes of "CODE CODE ..." (a compact table keeps this module readable)."""
    return tuple(spec.split())


# Each archive's subject codes, in arXiv's listing order (ids only: names are not shown).
SUBJECTS: dict[str, tuple[str, ...]] = {
    "cs": _codes(
        "AI AR CC CE CG CL CR CV CY DB DC DL DM DS ET FL GL GR GT HC IR IT LG LO MA MM MS NA"
        " NE NI OH OS PF PL RO SC SD SE SI SY"
    ),
    "stat": _codes("AP CO ME ML OT TH"),
    "math": _codes(
        "AC AG AP AT CA CO CT CV DG DS FA GM GN GR GT HO IT KT LO MG MP NA NT OA OC PR QA RA"
        " RT SG SP ST"
    ),
    "eess": _codes("AS IV SP SY"),
    "econ": _codes("EM GN TH"),
    "q-bio": _codes("BM CB GN MN NC OT PE QM SC TO"),
    "q-fin": _codes("CP EC GN MF PM PR RM ST TR"),
    "physics": _codes(
        "acc-ph ao-ph app-ph atm-clus atom-ph bio-ph chem-ph class-ph comp-ph data-an ed-ph"
        " flu-dyn gen-ph geo-ph hist-ph ins-det med-ph optics plasm-ph pop-ph soc-ph"
        " space-ph"
    ),
    "astro-ph": _codes("CO EP GA HE IM SR"),
    "cond-mat": _codes("dis-nn mes-hall mtrl-sci other quant-gas soft stat-mech str-el supr-con"),
    "nlin": _codes("AO CD CG PS SI"),
}
# Archives that are categories themselves, without subjects.
STANDALONE: frozenset[str] = frozenset(
    {"gr-qc", "hep-ex", "hep-lat", "hep-ph", "hep-th", "math-ph", "nucl-ex", "nucl-th", "quant-ph"}
)
# Ids arXiv used before its archives were merged or given subjects; old papers still carry them.
LEGACY: frozenset[str] = frozenset(
    {"astro-ph", "cond-mat", "physics", "nlin", "acc-phys", "adap-org", "alg-geom", "ao-sci",
     "atom-ph", "bayes-an", "chao-dyn", "chem-ph", "cmp-lg", "comp-gas", "dg-ga", "funct-an",
     "mtrl-th", "patt-sol", "plasm-ph", "q-alg", "solv-int", "supr-con"}
)  # fmt: skip
# Which archive a bare subject code belongs to when several have it ("CO": stat before math).
ARCHIVE_ORDER: tuple[str, ...] = tuple(SUBJECTS)

CATEGORIES: frozenset[str] = frozenset(
    {f"{archive}.{code}" for archive, codes in SUBJECTS.items() for code in codes} | STANDALONE
)
_BY_FOLDED_ID = {category.casefold(): category for category in CATEGORIES}
_BY_FOLDED_CODE: dict[str, str] = {}
for _archive in ARCHIVE_ORDER:
    for _code in SUBJECTS[_archive]:
        _BY_FOLDED_CODE.setdefault(_code.casefold(), f"{_archive}.{_code}")


def normalise_category(code: str) -> str:
    """The full arXiv id for ``code``: "CL" → "cs.CL", "OC" → "math.OC", "HEP-TH" → "hep-th".

    Unknown codes come back cleaned but otherwise as given, so nothing a source says is lost.
    """
    text = clean_line(code)
    folded = text.casefold()
    return _BY_FOLDED_ID.get(folded) or _BY_FOLDED_CODE.get(folded) or text


def is_arxiv_category(category: str) -> bool:
    """An id of arXiv's taxonomy (current or legacy): not an MSC or ACM class term."""
    return category in CATEGORIES or category in LEGACY


def split_categories(codes: list[str]) -> tuple[list[str], list[str]]:
    """(arXiv categories, other class terms): feeds list MSC ("68T05") and ACM ("I.2.7")
    classes as categories too; those are kept apart, not mixed into the taxonomy."""
    found = normalise_categories(codes)
    return [c for c in found if is_arxiv_category(c)], [
        c for c in found if not is_arxiv_category(c)
    ]


def normalise_categories(codes: list[str]) -> list[str]:
    """Each code normalised, blanks dropped, duplicates removed, order kept; a list in one
    code is its terms (`split_terms`)."""
    terms = (term for code in codes for term in split_terms(code))
    return list(dict.fromkeys(c for c in map(normalise_category, terms) if c))


_TERM_SEPARATORS = re.compile(r"[;,]")


def split_terms(code: str) -> list[str]:
    """The terms of a class list written as one: the arXiv API gives an ACM or MSC list as
    one category ("I.2.9; J.3", "68T05, 62H30"). No arXiv, ACM or MSC term has a comma or
    a semicolon in it."""
    return [term for term in map(clean_line, _TERM_SEPARATORS.split(code)) if term]
