"""Turning the dates that listings print into ISO dates: "YYYY-MM-DD", or "YYYY-MM" and
"YYYY" when a source gives no more (BibTeX often gives only a year).

Sources print dates in many shapes: "Jul 12, 2024", a bare "Mar 11" under a daily heading,
BibTeX's separate year and month fields, ISO timestamps in feeds. Every helper here returns
None for anything that is not a real calendar date instead of raising, so parsers can skip a
bad date without losing the entry. A date is never made more precise than its source: a
made-up first of January would read as a real day, and sort among real ones.
"""

from __future__ import annotations

import re
from datetime import date

MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MONTHS: dict[str, int] = {
    **{name: number for number, name in enumerate(MONTH_NAMES, start=1)},
    **{name[:3]: number for number, name in enumerate(MONTH_NAMES, start=1)},
    "sept": 9,
}
# For regular expressions: capitalised names, longest first so "June" wins over "Jun".
MONTH_PATTERN = "(?:" + "|".join(sorted((m.title() for m in MONTHS), key=len, reverse=True)) + ")"
_ISO = re.compile(r"\s*([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?(?![0-9])")
_YEAR = re.compile(r"(?<![0-9])([0-9]{4})(?![0-9])")
_INFER_YEARS = 8  # enough to reach back to a 29 February


def month_number(text: str) -> int | None:
    """1-12 for "Mar", "March", "mar.", "Sept", "3" or "03"; None otherwise."""
    key = text.strip().rstrip(".").lower()
    if key.isascii() and key.isdigit():
        number = int(key)
        return number if 1 <= number <= 12 else None
    return MONTHS.get(key)


def iso_day(year: int, month: int, day: int) -> str | None:
    """The ISO form of a real calendar day, or None (30 February, month 13, year 0)."""
    try:
        return date(year, month, day).isoformat()
    except (ValueError, OverflowError):
        return None


def infer_year(month: int, day: int, today: date, year: int | None = None) -> str | None:
    """A yearless listing date: the latest such day not after ``today``, unless ``year`` is given.

    Listings of new papers are read soon after they appear, so the most recent past
    occurrence is the right guess; ``year`` (the --year option) overrides it.
    """
    if year is not None:
        return iso_day(year, month, day)
    for candidate_year in range(today.year, today.year - _INFER_YEARS, -1):
        found = iso_day(candidate_year, month, day)
        if found is not None and found <= today.isoformat():
            return found
    return None


def parse_iso_date(text: str) -> str | None:
    """The day of a leading ISO date or timestamp ("2024-01-02T10:00:00Z"); None otherwise.

    A bare year or year-month is not a day and gives None: use `partial_date` for those.
    """
    match = _ISO.match(text)
    if not match or match.group(3) is None:
        return None
    return iso_day(int(match.group(1)), int(match.group(2)), int(match.group(3)))


def partial_date(year: str | None, month: str | None = None, day: str | None = None) -> str | None:
    """The date that separate year/month/day fields give, as precise as they are: "2024-03-05",
    "2024-03" or "2024" (a day that is no day of that month is dropped, as is a bad month)."""
    found = _YEAR.search(year or "")
    if not found or iso_day(int(found.group(1)), 1, 1) is None:
        return None
    number = int(found.group(1))
    month_no = month_number(month) if month else None
    if month_no is None:
        return f"{number:04d}"
    day_text = (day or "").strip()
    if day_text.isascii() and day_text.isdigit():
        exact = iso_day(number, month_no, int(day_text))
        if exact is not None:
            return exact
    return f"{number:04d}-{month_no:02d}"


def parse_loose_date(text: str) -> str | None:
    """Any of "2024-01-02", "2024-01", "2024", as precise as given: biblatex ``date`` fields."""
    match = _ISO.match(text)
    if not match:
        return None
    return partial_date(match.group(1), match.group(2), match.group(3))
