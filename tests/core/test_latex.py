"""TeX accents in arXiv's abstracts: decoded, with math and every other command as written."""

from __future__ import annotations

import pytest

from paperdeck.core.sources.latex import decode_accents


@pytest.mark.parametrize(
    ("text", "decoded"),
    [
        ('Solving the Schr\\"odinger equation', "Solving the Schrödinger equation"),
        ('Schr{\\"o}dinger, Schr\\"{o}dinger', "Schrödinger, Schrödinger"),
        ("Pi\\v{z}urica, S{\\o}gaard, Jakub\\r{u}v", "Pižurica, Søgaard, Jakubův"),
        ("Erd\\H{o}s--R\\'enyi, {\\AA}ngstr\\\"om", "Erdős--Rényi, Ångström"),
        ('na\\"{\\i}ve, na\\"\\i ve, Stra\\ss e, \\oe uvre', "naïve, naïve, Straße, œuvre"),
        ("\\`a la \\^ete, \\~n, \\c{c}, \\L ukasz", "à la ête, ñ, ç, Łukasz"),
        # Math and other commands stay as written: the reader shows them as text.
        (
            "for all $0 \\le \\alpha \\le 1/8$ and $x^2$",
            "for all $0 \\le \\alpha \\le 1/8$ and $x^2$",
        ),
        ('in $\\"x$ and $$\\"y$$ and \\(\\"z\\)', 'in $\\"x$ and $$\\"y$$ and \\(\\"z\\)'),
        (
            "80\\% of \\textsf{TS-Agent}, i.i.d.\\ samples",
            "80\\% of \\textsf{TS-Agent}, i.i.d.\\ samples",
        ),
        ("a \\cdot b, \\vec{x}, \\item, \\omega", "a \\cdot b, \\vec{x}, \\item, \\omega"),
        ("costs \\$5 and G\\\"odel's \\$6", "costs \\$5 and Gödel's \\$6"),
        ("no TeX at all", "no TeX at all"),
    ],
)
def test_decode_accents(text: str, decoded: str) -> None:
    assert decode_accents(text) == decoded
