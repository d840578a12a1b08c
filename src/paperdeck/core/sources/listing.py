"""An author's paper listing: three lines per paper, with fields glued together.

    CLApr 22, 2025Code
    TTRL: Test-Time Reinforcement LearningYuxin Zuo, Kaiyan Zhang, Li Sheng et al. · pku, tsinghua
    This paper investigates Reinforcement Learning (RL) on data without explicit labels ...

The heading is a category code glued to a date and an optional "Code" marker. The second
line is the title glued to the author list, with an optional " · affiliations" tail. The
hard part is finding where the title ends: see `split_title_authors`. A first author written
in lower case ("...Modelswei zhang, Kai Tian", "...Surveyde la Cruz, Ana Lopez") leaves no
capital to mark that place; the rest of the listing (`Evidence`: the names in its other
author lists, the words of its abstracts) tells which reading is meant.

A listing is recognised by that shape (`_looks_like_listing`), after any page text copied
with it: a dated heading whose entry holds one paper, where a daily page's date line is
followed by several.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from paperdeck.core.sources.authors import (
    PARTICLES,
    SEPARATORS,
    caseless,
    could_start_name,
    is_listed_name,
    is_loose_name,
    is_name,
    is_name_suffix,
    is_unusual_name,
    parse_name_list,
    split_names,
    strip_et_al,
)
from paperdeck.core.sources.base import ParseContext, ParseResult
from paperdeck.core.sources.dates import MONTH_PATTERN, iso_day, month_number
from paperdeck.core.sources.fields import build_paper

HEADING = re.compile(
    r"\s*(?P<category>[A-Za-z][A-Za-z.\-]*?)??\s*"
    rf"(?P<month>{MONTH_PATTERN})\.?\s+(?P<day>[0-9]{{1,2}}),?\s+(?P<year>[0-9]{{4}})"
    r"\s*(?P<marker>[A-Za-z][A-Za-z ]{0,19}?)?\s*"
)
_MAX_AUTHORS_CHARS = 4000  # an author list longer than this is not one; bounds the search


_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_TAIL = re.compile(r"[^\W_]+$")
Split = tuple[str, list[str], bool]


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the rest of a listing says, to place a lower-case first author: the names its
    author lists hold, the words of those names, and the words of its abstracts (all
    case-folded)."""

    names: frozenset[str] = frozenset()
    name_words: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()

    @classmethod
    def gather(cls, author_lists: Iterable[list[str]], abstracts: Iterable[str]) -> Evidence:
        names = {name.casefold() for authors in author_lists for name in authors}
        return cls(
            frozenset(names),
            frozenset(word for name in names for word in name.split()),
            frozenset(_WORD.findall(" ".join(abstracts).casefold())),
        )


_NOT_BEFORE_A_NAME = "-/([{“‘«"  # a capital after these is inside the title: "Low-Light"


def _author_candidates(line: str) -> list[int]:
    """Positions where an author list could start: a capital glued to what precedes it
    (not to a hyphen, slash or opening bracket, as in "Low-Light"), or a letter of a
    caseless script ("张伟") glued to a character of another kind."""
    first = max(1, len(line) - _MAX_AUTHORS_CHARS)
    return [
        i
        for i in range(first, len(line))
        if not line[i - 1].isspace()
        and line[i - 1] not in _NOT_BEFORE_A_NAME
        and (line[i].isupper() or (caseless(line[i]) and not caseless(line[i - 1])))
    ]


def _first_author_rank(names: list[str]) -> int:
    """How surely ``names[0]`` is a whole first author: 2 for a name of the ordinary shape
    of several words ("Alan Turing", "John F Kennedy", "张伟"); 1 for one word ("Madonna")
    or an unusual shape ("Jake VanderPlas", "OpenAI"); 0 for a loose one ("Wei zhang")."""
    first = names[0]
    if is_name(first):
        return 2 if len(first.split()) > 1 or caseless(first.split()[0]) else 1
    return 1 if is_unusual_name(first) else 0


def _split_glued(text: str, evidence: Evidence) -> Split | None:
    """Where the title ends and the first author begins, at a glued capital.

    Each candidate start is judged by its first name: an ordinary name of several words
    beats one word or an unusual shape, and among equals the earliest start wins. So
    "ScaleAlan Turing, Jake VanderPlas" is not split at "Plas" (one word), "DeepSeek
    CoderJohn Smith" is split at "John" (not at "Seek", whose first name "Seek CoderJohn
    Smith" has a capital inside a word), and "Jake VanderPlas" first is kept whole, as the
    earlier of two unusual readings.

    Names after the first are delimited by the separators, so a start inside one that an
    earlier reading found of the ordinary shape is not tried ("Madonna, Jane DeVito Smith"
    does not start at "Vito Smith"). A start inside a later name of an unusual shape
    explains that name as title and author glued ("... DeepMind Control, Atari and
    ProcgenJohn Smith") and wins a tie with the reading that made it.

    A first author in lower case is placed by the evidence (`_split_lower`) only when no
    capital start reads as names; a loose first name ("Wei zhang") comes last."""
    best: tuple[tuple[int, bool, int], Split] | None = None
    loose: Split | None = None
    whole = bytearray(len(text))  # 1 inside a later name of the ordinary shape, 2 unusual
    for start in _author_candidates(text):
        if whole[start] == 1:
            continue
        if not could_start_name(re.split(r"[\s,]", text[start : start + 64], maxsplit=1)[0]):
            continue
        parsed = parse_name_list(text[start:])
        title = text[:start].strip()
        if parsed is None or not title:
            continue
        names, truncated = parsed
        explains = whole[start] == 2
        for (first, last), name in zip(_later_spans(text, start), names[1:], strict=True):
            whole[first:last] = bytes([1 if is_loose_name(name) else 2]) * (last - first)
        rank = _first_author_rank(names)
        if rank == 0:
            loose = loose or (title, names, truncated)
            continue
        key = (rank, explains, -start)
        if best is None or key > best[0]:
            best = (key, (title, names, truncated))
    if best is not None:
        return best[1]
    return _split_lower(text, evidence) or loose


def _later_spans(text: str, start: int) -> list[tuple[int, int]]:
    """Where the names after the first of the list at ``start`` lie in ``text``, as
    `parse_name_list` splits them."""
    body, _ = strip_et_al(text[start:])
    end = start + len(body)
    spans: list[tuple[int, int]] = []
    position = start
    for separator in [*SEPARATORS.finditer(text, start, end), None]:
        stop = end if separator is None else separator.start()
        if spans and is_name_suffix(text[position:stop]):  # "Smith, Jr.": one name
            spans[-1] = (spans[-1][0], stop)
        else:
            spans.append((position, stop))
        if separator is not None:
            position = separator.end()
    return spans[1:]


def _split_lower(text: str, evidence: Evidence) -> Split | None:
    """A first author that starts in lower case ("wei zhang", "de la Cruz") glued to the
    title's last word. Where the name begins inside that glued word is read from the
    evidence: a name the listing knows, name words it knows, a title word its abstracts
    use ("Models|wei", not "Model|swei"), a particle ("de la", not "e la"). A list of
    lower-case words alone is not taken for authors: one of its names must be a name by
    shape or known to the listing."""
    best: tuple[tuple[bool, bool, bool, int], int, Split] | None = None
    first = max(1, len(text) - _MAX_AUTHORS_CHARS)
    for start in range(first, len(text)):
        if not text[start].islower() or text[start - 1].isspace():
            continue
        found = _lower_list(text, start, evidence)
        if found is None:
            continue
        names, truncated = found
        words = names[0].split()
        tail = _TAIL.search(text[:start])
        key = (
            names[0].casefold() in evidence.names,
            all(word.casefold() in evidence.name_words for word in words),
            tail is not None and tail.group().casefold() in evidence.words,
            _surname_with_particles(words),
        )
        if any(key) and (best is None or (key, start) > (best[0], best[1])):
            best = (key, start, (text[:start].strip(), names, truncated))
    return best[2] if best is not None else None


def _surname_with_particles(words: list[str]) -> int:
    """For "de la Cruz" or "van den Oord" (particles, then one capitalised word): how long
    the first particle is, which prefers "de la" to "e la"; 0 for any other shape."""
    *particles, last = words
    if not particles or not all(word in PARTICLES for word in particles):
        return 0
    if len(particles[0]) < 2 or not is_name(last):
        return 0
    return len(particles[0])


def _lower_list(text: str, start: int, evidence: Evidence) -> tuple[list[str], bool] | None:
    """The names of ``text[start:]`` when its first name is a loose one and the whole reads
    as a list of names with some name in it (not only lower-case words)."""
    if not text[:start].strip():
        return None
    body, truncated = strip_et_al(text[start:])
    if not is_loose_name(SEPARATORS.split(body[:200], maxsplit=1)[0]):
        return None
    names = [" ".join(name.split()) for name in split_names(body)]
    if len(names) < 2 and not truncated:
        return None  # alone, it could be the title's last words
    if not is_loose_name(names[0]) or not all(map(is_listed_name, names[1:])):
        return None
    if not any(is_name(name) or name.casefold() in evidence.names for name in names):
        return None
    return names, truncated


def split_title_authors(
    line: str, evidence: Evidence | None = None
) -> tuple[str, list[str], bool, list[str]]:
    """(title, authors, truncated, affiliations) from a glued title/author line.

    The author list starts at a capital glued to the preceding character from which the
    rest of the line reads entirely as a list of names, the first of them the most like a
    name (see `_split_glued`). Name tokens are strict (see `paperdeck.core.sources.authors`),
    so a glued boundary such as "LLMsJohn" or "GPT-4Alice" can only be read one way. A first
    author in lower case is placed by ``evidence`` (see `_split_lower`). A " · a, b" tail
    is affiliations only if what precedes it splits; a "·" in the title is left alone. When
    no split works, the line is the title.
    """
    text = line.strip()
    head, dot, tail = text.rpartition("·")
    attempts: list[tuple[str, list[str]]] = [(text, [])]
    if dot and head.strip():
        affiliations = [a for a in (part.strip() for part in tail.split(",")) if a]
        attempts.insert(0, (head.strip(), affiliations))
    for body, affiliations in attempts:
        found = _split_glued(body, evidence or Evidence())
        if found is not None:
            return *found, affiliations
    return text, [], False, []


_SNIFF_CHARS = 200_000
_SNIFF_LINES = 40  # page text (a profile's name, tabs, buttons) before the first heading
_SNIFF_ENTRY_LINES = 8  # enough of the first entries to see their shape
_HEADING_MAX = 80  # a heading is short; longer lines are not tried
_TITLE_MAX = 300
_ABSTRACT_MIN = 100


def _looks_like_listing(lines: list[str]) -> bool:
    """The listing's signature in a text's first lines (with content): within the first
    `_SNIFF_LINES`, a dated heading, whose entry reads as one. Page text before it is
    allowed, as the parser skips it."""
    headings: list[tuple[int, re.Match[str]]] = []
    for index, line in enumerate(lines):
        found = HEADING.fullmatch(line) if len(line) <= _HEADING_MAX else None
        if found is not None:
            headings.append((index, found))
    if not headings or headings[0][0] >= _SNIFF_LINES:
        return False
    ends = [index for index, _ in headings[1:]]
    for (index, heading), end in zip(headings, [*ends, None], strict=True):
        body = lines[index + 1 : end]
        if body:
            return _is_entry(heading, body, followed=end is not None)
    return any(heading.group("category") or heading.group("marker") for _, heading in headings)


def _is_entry(heading: re.Match[str], body: list[str], *, followed: bool) -> bool:
    """Do the lines after a heading read as one listing entry: a title line with its
    authors glued on, then the abstract, then (``followed``) the next heading?

    A dated line followed by several title/abstract pairs is a daily page's section, even
    with a year in the date ("Mar 11, 2025"). Otherwise a category or marker on the heading
    ("CLJul 12, 2024Code"), headings that recur after a short entry, or a title line that
    splits into title and authors mark a listing."""
    if _several_papers(body):
        return False
    if heading.group("category") or heading.group("marker"):
        return True
    if followed and len(body) <= _SNIFF_ENTRY_LINES // 2:
        return True
    return bool(split_title_authors(body[0])[1])


def _several_papers(body: list[str]) -> bool:
    """Title, abstract, title, abstract: more than the one paper a listing entry holds."""
    if len(body) < 4:
        return False
    return all(
        len(title) <= _TITLE_MAX and not title.endswith(".") and len(abstract) >= _ABSTRACT_MIN
        for title, abstract in ((body[0], body[1]), (body[2], body[3]))
    )


def _by_shape(authors: list[str]) -> bool:
    """Was the first author found by shape alone (a capitalised name)?"""
    return bool(authors) and is_name(authors[0])


class ListingSource:
    """Parses author-listing text."""

    name = "listing"
    extensions: tuple[str, ...] = (".txt",)

    def sniff(self, text: str) -> bool:
        """Does the text have a listing's shape? See `_looks_like_listing`."""
        lines = [line.strip() for line in text[:_SNIFF_CHARS].splitlines() if line.strip()]
        return _looks_like_listing(lines[: _SNIFF_LINES + _SNIFF_ENTRY_LINES])

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
        # A first reading gathers the names and words the whole listing uses; lines whose
        # first author it did not find by shape alone are read again with them.
        first = [split_title_authors(body[0]) if body else None for _, _, body in entries]
        unsure = [found is not None and not _by_shape(found[1]) for found in first]
        evidence = Evidence()
        if any(unsure):
            evidence = Evidence.gather(
                (found[1] for found in first if found is not None),
                (" ".join(body[1:]) for _, _, body in entries),
            )
        for (number, heading, body), found, again in zip(entries, first, unsure, strict=True):
            if found is None:
                result.warnings.append(context.warn(number, "heading without a title; skipped"))
                continue
            if again:
                found = split_title_authors(body[0], evidence)
            title, authors, truncated, affiliations = found
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
