"""BibTeX person names: split into First / von / Last / Jr as BibTeX does, and written back so
that BibTeX reads the same person.

A name is split into words at white space and ties (``~``) outside braces and outside a
command: ``Mu\\~noz`` is one word, and so is ``{Barnes and Noble}``. A word's case is that of
its first letter outside braces, or of the letter a ``{\\"O}``-style special character makes;
a word in plain braces has no case. Then, as in BibTeX's own ``format.name$``:

- ``First von Last``: von runs from the first lower-case word to the last lower-case word
  before the final word; without one, Last is the final word.
- ``von Last, First`` and ``von Last, Jr, First``: von is the lower-case words that start the
  part before the first comma (never its final word).

One reading differs from BibTeX's: "Martin Luther King, Jr." (one comma, then only a suffix
such as "Jr." or "III") is "First von Last, Jr" with its given names before the comma, which
is what its writer meant; BibTeX would make "Jr." the given name.

Each part is decoded from LaTeX word by word, so a command LaTeX does not know can never glue a
given name to a surname.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from paperdeck.core.sources.authors import SURNAME_PREFIXES
from paperdeck.core.sources.latex import latex_to_unicode

# Control words that are letters themselves: their case is the word's case.
_LETTER_COMMANDS = frozenset(
    {"i", "j", "l", "L", "o", "O", "oe", "OE", "ae", "AE", "aa", "AA", "ss"}
)
_JR = re.compile(r"(?:jr|sr|[ivx]+|[0-9]+(?:st|nd|rd|th))\.?", re.IGNORECASE)
# A suffix alone after the only comma: strict, so that a given name or an initial ("Xi",
# "V.", "Iv") is never taken for one.
_SUFFIX_ONLY = re.compile(r"(?:[JS]r|JR|SR)\.?|(?:II|III|IV|VI|VII|VIII)|[0-9]+(?:st|nd|rd|th)")


@dataclass(frozen=True, slots=True)
class Name:
    """One person, each part as the source's LaTeX words."""

    first: tuple[str, ...] = ()
    von: tuple[str, ...] = ()
    last: tuple[str, ...] = ()
    jr: tuple[str, ...] = ()

    def display(self) -> str:
        """ "First von Last Jr" in Unicode, each word decoded on its own."""
        words = (*self.first, *self.von, *self.last, *self.jr)
        return " ".join(filter(None, (latex_to_unicode(word) for word in words)))

    def bibtex(self) -> str:
        """The name as BibTeX reads it back: "von Last, Jr, First" (or "Last" alone). A
        suffix with no given name is "Last, Jr," (an empty given name): "Last, Jr" would
        make the suffix the given name."""
        surname = " ".join((*self.von, *self.last))
        parts = [surname]
        if self.jr:
            parts += [" ".join(self.jr), " ".join(self.first)]
        elif self.first:
            parts.append(" ".join(self.first))
        return ", ".join(parts) if parts[-1] else ", ".join(parts[:-1]) + ","


def split_top(text: str, separator: str) -> list[str]:
    """Split on ``separator`` outside braces."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(0, depth - 1)
        elif char == separator and depth == 0 and (index == 0 or text[index - 1] != "\\"):
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


def words(text: str) -> list[str]:
    """The words of a name part: split at white space and ``~`` ties outside braces and
    outside commands (``\\~n`` is an accent, not a tie)."""
    found: list[str] = []
    current: list[str] = []
    depth = 0
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):  # a command and its first character
            current.append(text[index : index + 2])
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(0, depth - 1)
        if depth == 0 and (char.isspace() or char == "~"):
            if current:
                found.append("".join(current))
                current = []
        else:
            current.append(char)
        index += 1
    if current:
        found.append("".join(current))
    return found


def word_case(word: str) -> str:
    """ "upper", "lower" or "none": the case BibTeX gives a word."""
    index, depth = 0, 0
    while index < len(word):
        char = word[index]
        if char == "{":
            if depth == 0 and word[index + 1 : index + 2] == "\\":
                return _special_case(word[index + 1 :])
            depth += 1
        elif char == "}":
            depth = max(0, depth - 1)
        elif depth == 0 and char == "\\":
            command = re.match(r"\\([A-Za-z]+)", word[index:])
            if command and command.group(1) in _LETTER_COMMANDS:
                return "upper" if command.group(1)[0].isupper() else "lower"
            index += len(command.group(0)) if command else 2
            continue
        elif depth == 0 and char.isalpha():
            return "upper" if char.isupper() else "lower"
        index += 1
    return "none"


def _special_case(text: str) -> str:
    """The case of a special character ``{\\"O}``, ``{\\ss}``, ``{\\relax Ch}``."""
    command = re.match(r"\\([A-Za-z]+|.)", text)
    if command and command.group(1) in _LETTER_COMMANDS:
        return "upper" if command.group(1)[0].isupper() else "lower"
    rest = text[command.end() if command else 0 :]
    letter = next((c for c in rest if c.isalpha()), "")
    if not letter:
        return "none"
    return "upper" if letter.isupper() else "lower"


def parse_name(text: str) -> Name:
    """One BibTeX name, split as BibTeX splits it. Empty comma parts (a stray trailing
    comma, "Lee, Anna,") are ignored rather than read as an empty given name."""
    parts = [part.strip() for part in split_top(text.strip(), ",")]
    parts = [part for part in parts if part]
    if not parts:
        return Name()
    if len(parts) == 1:
        return _first_von_last(words(parts[0]))
    if len(parts) == 2 and _SUFFIX_ONLY.fullmatch(latex_to_unicode(parts[1])):
        name = _first_von_last(words(parts[0]))  # "Martin Luther King, Jr."
        return Name(first=name.first, von=name.von, last=name.last, jr=tuple(words(parts[1])))
    von, last = _von_last(words(parts[0]))
    if len(parts) == 2:
        return Name(first=tuple(words(parts[1])), von=von, last=last)
    return Name(
        first=tuple(words(", ".join(parts[2:]))), von=von, last=last, jr=tuple(words(parts[1]))
    )


def _first_von_last(tokens: list[str]) -> Name:
    if len(tokens) <= 1:
        return Name(last=tuple(tokens))
    lower = [i for i, word in enumerate(tokens[:-1]) if word_case(word) == "lower"]
    if not lower:
        return Name(first=tuple(tokens[:-1]), last=(tokens[-1],))
    start, end = lower[0], lower[-1] + 1
    return Name(first=tuple(tokens[:start]), von=tuple(tokens[start:end]), last=tuple(tokens[end:]))


def _von_last(tokens: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    lower = [i for i, word in enumerate(tokens[:-1]) if word_case(word) == "lower"]
    end = lower[-1] + 1 if lower else 0
    return tuple(tokens[:end]), tuple(tokens[end:])


def is_jr(text: str) -> bool:
    """Does a middle comma part look like a generational suffix ("Jr.", "III", "2nd")?"""
    return _JR.fullmatch(latex_to_unicode(text)) is not None


# Words that make a name an organisation's wherever they stand ("Gemini Team", "Institute
# for Advanced Study"); compared without case or a final full stop.
_ORGANISATION_WORDS = frozenset(
    {"collaboration", "consortium", "team", "group", "lab", "labs", "laboratory",
     "laboratories", "inc", "ltd", "llc", "corp", "corporation", "company", "foundation",
     "institute", "university", "project", "initiative", "society", "association",
     "committee", "council", "network", "alliance", "center", "centre", "organization",
     "organisation", "research", "technologies", "systems", "workshop"}
)  # fmt: skip
_ORGANISATION_CAPITALS = frozenset({"AI", "ML", "NLP"})  # "Meta AI"; "Ai" is a given name
_INNER_CAPITAL = re.compile(r"[a-z][A-Z]")
_NAME_PARTS = re.compile(r"[-'’]")  # "Smith-McDonald", "O'Neil"


def is_organisation(display: str) -> bool:
    """Is a name of several words an organisation's, which has no given name and surname:
    "The ATLAS Collaboration", "Gemini Team", "Google DeepMind", "ByteDance Seed"? It is when
    a word is one organisations use or has a digit, or has a capital inside that no surname
    prefix explains ("DeepMind"; "McDonald", "DeAndre", "VanDerWal" and "Smith-McDonald"
    are people's). Some people's names are braced too ("JoAnne Yates", "XiaoMing Wang"):
    braced, a name is printed as written and only sorted as one word, where an organisation
    taken for a person would be printed "Seed, B.". A single word is never split, so it needs
    no such care."""
    tokens = display.split()
    if len(tokens) < 2:
        return False
    for token in tokens:
        word = token.rstrip(".")
        if word.casefold() in _ORGANISATION_WORDS or word in _ORGANISATION_CAPITALS:
            return True
        if any(map(str.isdigit, token)):
            return True
    return any(map(_unexplained_capital, tokens))


def _unexplained_capital(word: str) -> bool:
    """Does a part of ``word`` have a capital inside that follows no surname prefix? The
    prefixes may follow each other ("DeLaCruz", "VanDerWal")."""
    for part in _NAME_PARTS.split(word):
        stripped = True
        while stripped:
            stripped = False
            for prefix in SURNAME_PREFIXES:
                if part.startswith(prefix) and part[len(prefix) :][:1].isupper():
                    part, stripped = part[len(prefix) :], True
                    break
        if _INNER_CAPITAL.search(part):
            return True
    return False


def name_of_display(display: str) -> Name:
    """A "First von Last" name from a source that is not BibTeX, split the way BibTeX would
    split the same words (it must read the same person back)."""
    tokens = display.split()
    if tokens and len(tokens) > 1 and is_jr(tokens[-1]) and tokens[-1][:1].isupper():
        name = _first_von_last(tokens[:-1])
        return Name(first=name.first, von=name.von, last=name.last, jr=(tokens[-1],))
    return _first_von_last(tokens)
