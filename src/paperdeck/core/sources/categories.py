"""The arXiv category taxonomy, and turning the short codes listings print into full ids.

Listings often show only the subject part of a category ("CL", "OC"); arXiv ids are
"archive.SUBJECT" ("cs.CL", "math.OC") or a bare archive for the physics archives without
subjects ("hep-th", "quant-ph"). A bare code is resolved in a fixed archive order so the
same code always maps to the same id.
"""

from __future__ import annotations

from paperdeck.core.text import clean_line


def _subjects(spec: str) -> dict[str, str]:
    """Parse "CODE Name|CODE Name|..." (a compact table that keeps this module readable)."""
    pairs = (item.strip().split(" ", 1) for item in spec.split("|"))
    return {code: name for code, name in pairs}


SUBJECTS: dict[str, dict[str, str]] = {
    "cs": _subjects(
        "AI Artificial Intelligence|AR Hardware Architecture|CC Computational Complexity"
        "|CE Computational Engineering, Finance, and Science|CG Computational Geometry"
        "|CL Computation and Language|CR Cryptography and Security"
        "|CV Computer Vision and Pattern Recognition|CY Computers and Society|DB Databases"
        "|DC Distributed, Parallel, and Cluster Computing|DL Digital Libraries"
        "|DM Discrete Mathematics|DS Data Structures and Algorithms|ET Emerging Technologies"
        "|FL Formal Languages and Automata Theory|GL General Literature|GR Graphics"
        "|GT Computer Science and Game Theory|HC Human-Computer Interaction"
        "|IR Information Retrieval|IT Information Theory|LG Machine Learning"
        "|LO Logic in Computer Science|MA Multiagent Systems|MM Multimedia"
        "|MS Mathematical Software|NA Numerical Analysis|NE Neural and Evolutionary Computing"
        "|NI Networking and Internet Architecture|OH Other Computer Science"
        "|OS Operating Systems|PF Performance|PL Programming Languages|RO Robotics"
        "|SC Symbolic Computation|SD Sound|SE Software Engineering"
        "|SI Social and Information Networks|SY Systems and Control"
    ),
    "stat": _subjects(
        "AP Applications|CO Computation|ME Methodology|ML Machine Learning"
        "|OT Other Statistics|TH Statistics Theory"
    ),
    "math": _subjects(
        "AC Commutative Algebra|AG Algebraic Geometry|AP Analysis of PDEs"
        "|AT Algebraic Topology|CA Classical Analysis and ODEs|CO Combinatorics"
        "|CT Category Theory|CV Complex Variables|DG Differential Geometry"
        "|DS Dynamical Systems|FA Functional Analysis|GM General Mathematics"
        "|GN General Topology|GR Group Theory|GT Geometric Topology|HO History and Overview"
        "|IT Information Theory|KT K-Theory and Homology|LO Logic|MG Metric Geometry"
        "|MP Mathematical Physics|NA Numerical Analysis|NT Number Theory"
        "|OA Operator Algebras|OC Optimization and Control|PR Probability|QA Quantum Algebra"
        "|RA Rings and Algebras|RT Representation Theory|SG Symplectic Geometry"
        "|SP Spectral Theory|ST Statistics Theory"
    ),
    "eess": _subjects(
        "AS Audio and Speech Processing|IV Image and Video Processing|SP Signal Processing"
        "|SY Systems and Control"
    ),
    "econ": _subjects("EM Econometrics|GN General Economics|TH Theoretical Economics"),
    "q-bio": _subjects(
        "BM Biomolecules|CB Cell Behavior|GN Genomics|MN Molecular Networks"
        "|NC Neurons and Cognition|OT Other Quantitative Biology|PE Populations and Evolution"
        "|QM Quantitative Methods|SC Subcellular Processes|TO Tissues and Organs"
    ),
    "q-fin": _subjects(
        "CP Computational Finance|EC Economics|GN General Finance|MF Mathematical Finance"
        "|PM Portfolio Management|PR Pricing of Securities|RM Risk Management"
        "|ST Statistical Finance|TR Trading and Market Microstructure"
    ),
    "physics": _subjects(
        "acc-ph Accelerator Physics|ao-ph Atmospheric and Oceanic Physics|app-ph Applied Physics"
        "|atm-clus Atomic and Molecular Clusters|atom-ph Atomic Physics"
        "|bio-ph Biological Physics|chem-ph Chemical Physics|class-ph Classical Physics"
        "|comp-ph Computational Physics|data-an Data Analysis, Statistics and Probability"
        "|ed-ph Physics Education|flu-dyn Fluid Dynamics|gen-ph General Physics"
        "|geo-ph Geophysics|hist-ph History and Philosophy of Physics"
        "|ins-det Instrumentation and Detectors|med-ph Medical Physics|optics Optics"
        "|plasm-ph Plasma Physics|pop-ph Popular Physics|soc-ph Physics and Society"
        "|space-ph Space Physics"
    ),
    "astro-ph": _subjects(
        "CO Cosmology and Nongalactic Astrophysics|EP Earth and Planetary Astrophysics"
        "|GA Astrophysics of Galaxies|HE High Energy Astrophysical Phenomena"
        "|IM Instrumentation and Methods for Astrophysics|SR Solar and Stellar Astrophysics"
    ),
    "cond-mat": _subjects(
        "dis-nn Disordered Systems and Neural Networks|mes-hall Mesoscale and Nanoscale Physics"
        "|mtrl-sci Materials Science|other Other Condensed Matter|quant-gas Quantum Gases"
        "|soft Soft Condensed Matter|stat-mech Statistical Mechanics"
        "|str-el Strongly Correlated Electrons|supr-con Superconductivity"
    ),
    "nlin": _subjects(
        "AO Adaptation and Self-Organizing Systems|CD Chaotic Dynamics"
        "|CG Cellular Automata and Lattice Gases|PS Pattern Formation and Solitons"
        "|SI Exactly Solvable and Integrable Systems"
    ),
}
# Archives that are categories themselves, without subjects.
STANDALONE: dict[str, str] = {
    "gr-qc": "General Relativity and Quantum Cosmology",
    "hep-ex": "High Energy Physics - Experiment",
    "hep-lat": "High Energy Physics - Lattice",
    "hep-ph": "High Energy Physics - Phenomenology",
    "hep-th": "High Energy Physics - Theory",
    "math-ph": "Mathematical Physics",
    "nucl-ex": "Nuclear Experiment",
    "nucl-th": "Nuclear Theory",
    "quant-ph": "Quantum Physics",
}
# Ids arXiv used before its archives were merged or given subjects; old papers still carry them.
LEGACY: frozenset[str] = frozenset(
    {"astro-ph", "cond-mat", "physics", "nlin", "acc-phys", "adap-org", "alg-geom", "ao-sci",
     "atom-ph", "bayes-an", "chao-dyn", "chem-ph", "cmp-lg", "comp-gas", "dg-ga", "funct-an",
     "mtrl-th", "patt-sol", "plasm-ph", "q-alg", "solv-int", "supr-con"}
)  # fmt: skip
# Which archive a bare subject code belongs to when several have it ("CO": stat before math).
ARCHIVE_ORDER: tuple[str, ...] = tuple(SUBJECTS)

CATEGORIES: dict[str, str] = {
    **{
        f"{archive}.{code}": name
        for archive, subjects in SUBJECTS.items()
        for code, name in subjects.items()
    },
    **STANDALONE,
}
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


def category_name(category: str) -> str | None:
    """The human name of a full category id ("cs.CL" → "Computation and Language")."""
    return CATEGORIES.get(category)


def is_known(category: str) -> bool:
    return category in CATEGORIES


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
    """Each code normalised, blanks dropped, duplicates removed, order kept."""
    return list(dict.fromkeys(c for c in (normalise_category(code) for code in codes) if c))
