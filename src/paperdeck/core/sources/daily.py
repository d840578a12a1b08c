"""The text of a "daily papers" page: a yearless date heading, then title/abstract pairs.

    new
    Get trending papers in your email inbox!
    ...
    Mar 11

    Troublemaker Learning for Low-Light Image Enhancement

    Low-light image enhancement (LLIE) restores the color and brightness of ...

Whatever precedes the first date line is page chrome and ignored. Every later date line
starts a new section. Blank lines are optional: blocks are paired by position, and a title
whose next line looks like another title (short, no final full stop) while the line after
that looks like an abstract is taken to have no abstract.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from paperdeck.core.sources.base import ParseContext, ParseResult
from paperdeck.core.sources.dates import MONTH_PATTERN, infer_year, iso_day, month_number
from paperdeck.core.sources.fields import build_paper

_DATE_LINE = re.compile(
    rf"\s*(?P<month>{MONTH_PATTERN})\.?\s+(?P<day>[0-9]{{1,2}})(?:st|nd|rd|th)?"
    r"(?:,?\s+(?P<year>[0-9]{4}))?\s*"
)
_TITLE_MAX = 300  # longer lines are abstracts whatever their punctuation
_SNIFF_LINES = 40  # the date heading comes after a few lines of page chrome
_SNIFF_ABSTRACT_MIN = 100


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    text: str


def _date_match(text: str) -> re.Match[str] | None:
    return _DATE_LINE.fullmatch(text)


def _title_like(text: str) -> bool:
    return len(text) <= _TITLE_MAX and not text.endswith(".")


def _content_lines(text: str) -> list[_Line]:
    return [
        _Line(number, line.strip())
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]


class DailySource:
    """Parses daily-papers page text."""

    name = "daily"
    extensions: tuple[str, ...] = (".txt", ".md")

    def sniff(self, text: str) -> bool:
        lines = _content_lines(text[:200_000])
        for index, line in enumerate(lines[:_SNIFF_LINES]):
            if _date_match(line.text):
                after = [other.text for other in lines[index + 1 : index + 7]]
                return any(
                    _title_like(title) and len(abstract) >= _SNIFF_ABSTRACT_MIN
                    for title, abstract in zip(after, after[1:], strict=False)
                )
        return False

    def parse(self, text: str, context: ParseContext) -> ParseResult:
        lines = _content_lines(text)
        start = next((i for i, line in enumerate(lines) if _date_match(line.text)), None)
        if start is None:
            raise context.error(1, "no date line (like 'Mar 11') before the papers")
        result = ParseResult()
        day: str | None = None
        inferred = False
        index = start
        while index < len(lines):
            line = lines[index]
            found = _date_match(line.text)
            if found:
                day, inferred = self._section_date(found, context)
                if day is None:
                    message = f"{line.text!r} is not a real date; the papers under it have none"
                    result.warnings.append(context.warn(line.number, message))
                index += 1
                continue
            abstract = ""
            following = lines[index + 1] if index + 1 < len(lines) else None
            if following is not None and not _date_match(following.text):
                after = lines[index + 2].text if index + 2 < len(lines) else None
                next_is_title = _title_like(following.text) and (
                    after is not None and not _title_like(after) and not _date_match(after)
                )
                if not next_is_title:
                    abstract = following.text
                    index += 1
            index += 1
            paper = build_paper(
                title=line.text,
                abstract=abstract,
                line=line.number,
                date=day,
                date_inferred=inferred,
            )
            if paper.title:
                result.papers.append(paper)
        return result

    @staticmethod
    def _section_date(found: re.Match[str], context: ParseContext) -> tuple[str | None, bool]:
        month = month_number(found.group("month"))
        day = int(found.group("day"))
        if month is None:
            return None, False
        if found.group("year"):
            return iso_day(int(found.group("year")), month, day), False
        # The source gave no year: whether guessed or given by --year, it did not come from it.
        inferred = infer_year(month, day, context.today, context.year)
        return inferred, inferred is not None


SOURCE = DailySource()
