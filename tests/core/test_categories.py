"""The arXiv taxonomy and the mapping of listing codes to category ids."""

from __future__ import annotations

import pytest

from paperdeck.core.sources.categories import (
    ARCHIVE_ORDER,
    CATEGORIES,
    STANDALONE,
    SUBJECTS,
    normalise_categories,
    normalise_category,
)


def test_taxonomy_size_and_shape() -> None:
    assert len(SUBJECTS["cs"]) == 40
    assert len(SUBJECTS["math"]) == 32
    assert len(SUBJECTS["physics"]) == 22
    assert len(SUBJECTS["cond-mat"]) == 9
    assert len(STANDALONE) == 9
    assert len(CATEGORIES) == 155
    assert ARCHIVE_ORDER[:5] == ("cs", "stat", "math", "eess", "econ")
    assert all(" " not in category for category in CATEGORIES)


@pytest.mark.parametrize(
    ("code", "category"),
    [
        ("CL", "cs.CL"),
        ("AI", "cs.AI"),
        ("LG", "cs.LG"),
        ("CV", "cs.CV"),  # before math.CV
        ("OC", "math.OC"),
        ("ML", "stat.ML"),
        ("ME", "stat.ME"),
        ("CO", "stat.CO"),  # stat comes before math and astro-ph
        ("AG", "math.AG"),
        ("AS", "eess.AS"),
        ("EM", "econ.EM"),
        ("GN", "math.GN"),  # math before econ, q-bio and q-fin
        ("TH", "stat.TH"),
        ("EC", "q-fin.EC"),
        ("BM", "q-bio.BM"),
        ("MF", "q-fin.MF"),
        ("optics", "physics.optics"),
        ("GA", "astro-ph.GA"),
        ("str-el", "cond-mat.str-el"),
        ("PS", "nlin.PS"),
        ("cl", "cs.CL"),
        ("math.OC", "math.OC"),
        ("MATH.oc", "math.OC"),
        ("hep-th", "hep-th"),
        ("HEP-TH", "hep-th"),
        ("quant-ph", "quant-ph"),
        ("astro-ph.CO", "astro-ph.CO"),
        ("cond-mat.stat-mech", "cond-mat.stat-mech"),
        ("XYZ", "XYZ"),
        ("  weird\tcode ", "weird code"),
        ("", ""),
    ],
)
def test_normalise_category(code: str, category: str) -> None:
    assert normalise_category(code) == category


def test_lists() -> None:
    assert "q-bio.GN" in CATEGORIES and "cs.XX" not in CATEGORIES
    assert normalise_categories(["CL", "cs.CL", "", "LG", "unknown"]) == [
        "cs.CL",
        "cs.LG",
        "unknown",
    ]


def test_a_class_list_in_one_code_is_its_terms() -> None:
    assert normalise_categories(["cs.CL; cs.AI", "68T05, 62H30", " ; "]) == [
        "cs.CL",
        "cs.AI",
        "68T05",
        "62H30",
    ]
