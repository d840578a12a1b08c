"""Dates from separate or loose fields are kept exactly as precise as the source gives them."""

from __future__ import annotations

import pytest

from paperdeck.core.sources.dates import parse_iso_date, parse_loose_date, partial_date


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (("2024",), "2024"),
        (("2024", "mar"), "2024-03"),
        (("2024", "March", "5"), "2024-03-05"),
        (("{2024}", "3", "05"), "2024-03-05"),
        (("2024", "feb", "30"), "2024-02"),  # no such day: the month stays
        (("2024", "13"), "2024"),  # no such month: the year stays
        (("2024", "sept", "x"), "2024-09"),
        (("0000",), None),
        (("in press",), None),
        ((None,), None),
        (("Spring 1999",), "1999"),
    ],
)
def test_partial_date(fields: tuple[str | None, ...], expected: str | None) -> None:
    assert partial_date(*fields) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-07-07", "2021-07-07"),
        ("2021-07", "2021-07"),
        ("2021", "2021"),
        ("2021-7-7", "2021-07-07"),
        ("2021-02-30", "2021-02"),
        ("July 2021", None),
    ],
)
def test_parse_loose_date(text: str, expected: str | None) -> None:
    assert parse_loose_date(text) == expected


def test_a_day_needs_all_three_parts() -> None:
    assert parse_iso_date("2024-01-02T10:00:00Z") == "2024-01-02"
    assert parse_iso_date("2024-01") is None
