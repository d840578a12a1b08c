"""Every registered source, fed arbitrary text, raises nothing but its own ParseError.

The sources are called directly, not through parse_text, which would turn any bug into a
ParseError and hide it. Format-specific fuzzers (built from each format's own tokens) live
beside each source's tests.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperdeck.core.sources import SOURCES, ParseContext, ParseError
from paperdeck.core.sources.base import Source

CONTEXT = ParseContext("fuzz.txt", date(2026, 1, 1))


@pytest.mark.parametrize("source", SOURCES, ids=lambda source: source.name)
@settings(max_examples=300, deadline=None)
@given(text=st.text())
def test_arbitrary_text_raises_only_parse_error(source: Source, text: str) -> None:
    try:
        result = source.parse(text, CONTEXT)
    except ParseError as error:
        assert error.path == CONTEXT.path
        return
    assert all(paper.title and paper.line >= 1 for paper in result.papers)
