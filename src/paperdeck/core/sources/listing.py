"""An author's paper listing: three lines per paper, with fields glued together.

    CLApr 22, 2025Code
    TTRL: Test-Time Reinforcement LearningYuxin Zuo, Kaiyan Zhang, Li Sheng et al. · pku, tsinghua
    This paper investigates Reinforcement Learning (RL) on data without explicit labels ...

The heading is a category code glued to a date and an optional "Code" marker. The second
line is the title glued to the author list, with an optional " · affiliations" tail. The
hard part is finding where the title ends: see `split_title_authors`.
"""

from __future__ import annotations

import re

from paperdeck.core.dates import MONTH_PATTERN, iso_day, month_number
from paperdeck.core.sources.authors import is_name_start, parse_name_list
from paperdeck.core.sources.base import ParseContext, ParseResult
from paperdeck.core.sources.fields import build_paper

HEADING = re.compile(
    r"\s*(?P<category>[A-Za-z][A-Za-z.\-]*?)??\s*"
    rf"(?P<month>{MONTH_PATTERN})\.?\s+(?P<day>[0-9]{{1,2}}),?\s+(?P<year>[0-9]{{4}})"
    r"\s*(?P<marker>[A-Za-z][A-Za-z ]{0,19}?)?\s*"
)
_MAX_AUTHORS_CHARS = 4000  # an author list longer than this is not one; bounds the search


def _author_candidates(line: str) -> list[int]:
    """Positions where an author list could start: a capital glued to what precedes it."""
    first = max(1, len(line) - _MAX_AUTHORS_CHARS)
    return [i for i in range(first, len(line)) if line[i].isupper() and not line[i - 1].isspace()]


def _split_glued(text: str) -> tuple[str, list[str], bool] | None:
    for start in _author_candidates(text):
        token = re.split(r"[\s,]", text[start:], maxsplit=1)[0]
        if not is_name_start(token):
            continue
        parsed = parse_name_list(text[start:])
        title = text[:start].strip()
        if parsed is not None and title:
            return title, parsed[0], parsed[1]
    return None


def split_title_authors(line: str) -> tuple[str, list[str], bool, list[str]]:
    """(title, authors, truncated, affiliations) from a glued title/author line.

    The author list starts at the earliest capital glued to the preceding character from
    which the rest of the line reads entirely as a list of names. Name tokens are strict
    (see `paperdeck.core.sources.authors`), so a glued boundary such as "LLMsJohn" or "GPT-4Alice"
    can only be read one way. A " · a, b" tail is affiliations only if what precedes it
    splits; a "·" in the title is left alone. When no split works, the line is the title.
    """
    text = line.strip()
    head, dot, tail = text.rpartition("·")
    attempts: list[tuple[str, list[str]]] = [(text, [])]
    if dot and head.strip():
        affiliations = [a for a in (part.strip() for part in tail.split(",")) if a]
        attempts.insert(0, (head.strip(), affiliations))
    for body, affiliations in attempts:
        found = _split_glued(body)
        if found is not None:
            return *found, affiliations
    return text, [], False, []


class ListingSource:
    """Parses author-listing text."""

    name = "listing"
    extensions: tuple[str, ...] = (".txt",)

    def sniff(self, text: str) -> bool:
        first = next((line for line in text[:4096].splitlines() if line.strip()), "")
        return HEADING.fullmatch(first) is not None

    def parse(self, text: str, context: ParseContext) -> ParseResult:
        result = ParseResult()
        entries: list[tuple[int, re.Match[str], list[str]]] = []
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if not line:
                continue
            heading = HEADING.fullmatch(line)
            if heading is not None:
                entries.append((number, heading, []))
            elif entries:
                entries[-1][2].append(line)
            elif not result.warnings:
                message = "text before the first 'CLJul 12, 2024' heading ignored"
                result.warnings.append(context.warn(number, message))
        if not entries:
            raise context.error(1, "no heading like 'CLJul 12, 2024' found")
        for number, heading, body in entries:
            if not body:
                result.warnings.append(context.warn(number, "heading without a title; skipped"))
                continue
            title, authors, truncated, affiliations = split_title_authors(body[0])
            month = month_number(heading.group("month")) or 1
            category = heading.group("category")
            marker = (heading.group("marker") or "").lower()
            result.papers.append(
                build_paper(
                    title=title,
                    authors=authors,
                    authors_truncated=truncated,
                    affiliations=affiliations,
                    abstract=" ".join(body[1:]),
                    date=iso_day(int(heading.group("year")), month, int(heading.group("day"))),
                    categories=[category] if category else [],
                    has_code="code" in marker,
                    line=number,
                )
            )
        return result


SOURCE = ListingSource()
