"""Reading a query string without the index: the last word as typed."""

from __future__ import annotations

import pytest

from paperdeck.core.query_words import as_typed_prefix


@pytest.mark.parametrize(
    ("query", "widened"),
    [
        ("transf", "transf*"),
        ("deep transf", "deep transf*"),
        ("author:vasw", "author:vasw*"),
        ("(graph OR diffu", "(graph OR diffu*"),
        ('title:"x y" mod', 'title:"x y" mod*'),
        ("café", "café*"),
        ("tr", None),  # too short to be worth a prefix
        ("transf ", None),  # a space typed after it: the word is done
        ('"deep transf', None),  # inside a phrase
        ("cats AND", None),  # an operator
        ("-robo", None),  # excluded
        ("reinf*", None),  # a prefix already
        ("", None),
    ],
)
def test_the_last_word_as_the_start_of_a_word(query: str, widened: str | None) -> None:
    assert as_typed_prefix(query) == widened
