"""Recognising person names and splitting author lists.

Listings glue the author list straight onto the title ("...EvaluationBiqing Qi, Kai Tian
et al."), so the parser needs a strict idea of what a name looks like to find where the
title ends. The rules are about the shape of names, never about particular names:
a token is a capitalised word ("Łukasz", "Jean-Luc", "O'Brien", "McDonald"), an initial
("J.", "J.-L."), or, inside a name, a particle ("van", "der", "d'Ascoli"), a suffix ("Jr.")
or a single capital. A capital inside a word is only allowed after a known surname prefix
(Mc, Mac, Le, De, Al, ...), which is what keeps "LLMsJohn" from being read as a name. Names
written in a script without case ("张伟") are words of that script, a few letters long.

Some authors' names have other shapes: inner capitals ("Jake VanderPlas", "OpenAI",
"DeepSeek-AI", "Google DeepMind"), initials without full stops ("JD Smith"). Those are
`is_listed_name` when the list's commas delimit them, and `is_unusual_name` when such a
name comes first, where the listing parser ranks them below names of the ordinary shape.
"""

from __future__ import annotations

import re

from paperdeck.core.text import clean_line

PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "dei", "di", "da", "das", "dos", "du",
     "la", "le", "ter", "ten", "zu", "zur", "bin", "ibn", "al", "el", "y", "e"}
)  # fmt: skip
# Surname prefixes after which a capital is part of a person's name: "McDonald", "LeCun",
# "VanderPlas", "AlQuraishi", "VanDerWal" (shared with the BibTeX writer's `is_organisation`).
SURNAME_PREFIXES = (
    "Mac", "Mc", "Fitz", "Van", "Vander", "Von", "De", "Del", "Della", "Di", "Da", "Du",
    "Le", "La", "Al", "El", "O'", "Der", "Den",
)  # fmt: skip
_SUFFIXES = frozenset({"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"})
_SUFFIX_WORDS = frozenset({"jr", "sr", "ii", "iii", "iv"})  # `is_name_suffix`, any case
_APOSTROPHES = "'’"
_MAX_TOKENS = 5
_MAX_WORD = 40  # letters in one word of a name; longer is not a name (and bounds the work)
_MAX_ELISION = 4  # the lower-case word before an apostrophe: "d'Ascoli", "dell'Orto"
_MAX_BARE_INITIALS = 3  # capitals written without full stops: "F", "JD", "JRR"
_MAX_CASELESS = 8  # letters of one caseless name word ("欧阳娜娜" is 4, "佐々木希" 4)
_ET_AL = re.compile(r"[\s,]*(?:\bet\.?\s*al\b\.?|\band\s+others)\s*$", re.IGNORECASE)
# "et al." given as if it were a name: arXiv's `authors_parsed` has ["al", "et", ""].
_ET_AL_NAME = re.compile(r"et\.?\s*al\.?|(?:and\s+)?others", re.IGNORECASE)
SEPARATORS = re.compile(r"\s*,\s*(?:and\s+)?|\s*;\s*|\s+and\s+|\s*&\s*", re.IGNORECASE)


def _cased(segment: str) -> bool:
    """Letters that all have case ("Models张伟" does not: two scripts glued together)."""
    return segment.isalpha() and all(c.isupper() or c.islower() for c in segment)


def _capitalised(segment: str) -> bool:
    """One upper-case letter then lower-case letters: "Smith", "Łukasz", "Zoë"."""
    return len(segment) >= 2 and _cased(segment) and segment[0].isupper() and segment[1:].islower()


def _prefixed(segment: str) -> bool:
    """A known surname prefix glued to a capitalised word: "McDonald", "LeCun", "DiCaprio"."""
    return any(
        segment.startswith(prefix) and _capitalised(segment[len(prefix) :])
        for prefix in SURNAME_PREFIXES
    )


def caseless(token: str) -> bool:
    """Letters of a script without case, as Chinese, Japanese and Korean names are written:
    "张伟", "山田", "김민준" (their length bounded like a name's, not a sentence's)."""
    return (
        1 <= len(token) <= _MAX_CASELESS
        and token.isalpha()
        and not any(c.isupper() or c.islower() for c in token)
    )


def _lower_word(segment: str) -> bool:
    return _cased(segment) and segment.islower()


def _inner_capitals(segment: str) -> bool:
    """A capitalised word with more capitals inside: "VanderPlas", "OpenAI", "DeepMind"."""
    return (
        len(segment) >= 3
        and _cased(segment)
        and segment[0].isupper()
        and segment[1].islower()
        and not segment[1:].islower()
    )


def _bare_initials(token: str) -> bool:
    """Initials without full stops: "F" in "John F Kennedy", "Ó" in "Seán Ó Briain", "JD"."""
    return len(token) <= _MAX_BARE_INITIALS and _cased(token) and token.isupper()


def _word(token: str) -> bool:
    """A capitalised name word, possibly hyphenated or with apostrophes."""
    for index, part in enumerate(token.split("-")):
        first, *rest = re.split(f"[{_APOSTROPHES}]", part)
        lead_ok = (
            _capitalised(first)
            or _prefixed(first)
            or (bool(rest) and len(first) == 1 and first.isupper())  # "O'Brien", "D'Angelo"
            or (  # an elided particle: "d'Ascoli", "dell'Orto"
                bool(rest)
                and len(first) <= _MAX_ELISION
                and _lower_word(first)
                and _capitalised(rest[0])
            )
            or (index > 0 and _lower_word(first))  # only after a hyphen: "Abdel-rahman"
        )
        if not lead_ok or not all(_capitalised(piece) or _lower_word(piece) for piece in rest):
            return False
    return True


def _initials(token: str) -> bool:
    """ "J.", "J.R.R.", "J.-L.": capitals each followed by a full stop."""
    body = token.replace(".-", ".")
    if len(body) < 2 or not body.endswith("."):
        return False
    letters = body.split(".")[:-1]
    return all(len(letter) == 1 and letter.isalpha() and letter.isupper() for letter in letters)


def is_name_start(token: str) -> bool:
    """Can ``token`` be the first token of a name? (A cheap test before a full parse.)"""
    return _word(token) or _initials(token) or caseless(token)


def is_name(text: str) -> bool:
    """Does ``text`` look like one person's name, "First Last" order, 1-5 tokens (or 1-5
    words of a caseless script: "张伟", "山田 太郎")?"""
    tokens = text.split()
    if not 1 <= len(tokens) <= _MAX_TOKENS or not is_name_start(tokens[0]):
        return False
    if caseless(tokens[0]):
        return all(map(caseless, tokens))
    for position, token in enumerate(tokens[1:], start=1):
        ordinary = _word(token) or _initials(token) or token in _SUFFIXES
        single_capital = len(token) == 1 and token.isupper()  # "John F Kennedy"
        particle = token in PARTICLES and position < len(tokens) - 1  # never last
        if not (ordinary or single_capital or particle):
            return False
    return True


def strip_et_al(text: str) -> tuple[str, bool]:
    """Remove a trailing "et al." / "and others"; report whether the list was truncated."""
    match = _ET_AL.search(text)
    if match is None:
        return text.strip(), False
    return text[: match.start()].strip(), True


def _loose_token(token: str) -> bool:
    """A name word in any case: "zhang", "Wei", "García-López", "d'Amico", "J." — letters
    only, and no capital after a lower-case letter ("memoryJane" is two words glued)."""
    if _word(token) or _initials(token) or token in _SUFFIXES or caseless(token):
        return True
    if _bare_initials(token):
        return True
    parts = re.split(f"[-{_APOSTROPHES}]", token)
    return all(
        _cased(part) and (part.islower() or _capitalised(part) or _prefixed(part)) for part in parts
    )


def is_loose_name(text: str) -> bool:
    """A person's name whose words need not be capitalised: lower-case romanised surnames
    ("wei zhang"), particles ("van den Oord", "de la Cruz"). For names after the first of a
    list, whose start the first name has already fixed."""
    tokens = text.split()
    return 1 <= len(tokens) <= _MAX_TOKENS and all(map(_loose_token, tokens))


def _odd_token(token: str) -> bool:
    """A name word of a shape people's names rarely have but authors' do: inner capitals
    ("VanderPlas", "DeepMind"), capitals only ("AI", "NVIDIA"), any of them hyphenated
    ("DeepSeek-AI"). It starts with a capital."""
    parts = re.split(f"[-{_APOSTROPHES}]", token)
    return token[:1].isupper() and all(
        _cased(part)
        and (part.islower() or part.isupper() or _capitalised(part) or _inner_capitals(part))
        for part in parts
    )


def is_listed_name(text: str) -> bool:
    """A name after the first of a list, whose commas delimit it: any words a name can have,
    in any case ("li wei", "de la Cruz"), with inner capitals ("Jake VanderPlas", "Google
    DeepMind", "OpenAI") or bare initials ("Seán Ó Briain", "JD Smith")."""
    tokens = text.split()
    return 1 <= len(tokens) <= _MAX_TOKENS and all(
        _loose_token(token) or _odd_token(token) for token in tokens
    )


def could_start_name(token: str) -> bool:
    """Can ``token`` be the first word of a name, of any shape (`is_name`,
    `is_unusual_name`)? A cheap test before a full parse."""
    if len(token) > _MAX_WORD:
        return False
    if is_name_start(token):
        return True
    lead = re.split(f"[-{_APOSTROPHES}]", token)[0]
    # An inner capital needs a word before it ("OpenAI"), not a plural ("LLMsJohn", "NsJD").
    word_lead = _capitalised(lead) or (_inner_capitals(lead) and lead[1:3].islower())
    return (_odd_token(token) and word_lead) or (len(token) <= 2 and _bare_initials(token))


def is_unusual_name(text: str) -> bool:
    """A first name of the shapes `is_listed_name` adds ("OpenAI", "Jake VanderPlas", "JD
    Smith"), still starting with a capitalised word or initials. Where the first author
    begins inside "ReportOpenAI" is sure, but "Deep|Seek CoderJohn Smith" has a capital
    inside a word too, so the listing parser ranks these below names of the ordinary shape."""
    tokens = text.split()
    if not 1 <= len(tokens) <= _MAX_TOKENS:
        return False
    if not could_start_name(tokens[0]) or (_bare_initials(tokens[0]) and len(tokens) == 1):
        return False  # "JD Smith", but not "AI" alone
    for position, token in enumerate(tokens[1:], start=1):
        ordinary = _word(token) or _initials(token) or token in _SUFFIXES
        odd = _odd_token(token) or _bare_initials(token)
        particle = token in PARTICLES and position < len(tokens) - 1  # never last
        if not (ordinary or odd or particle):
            return False
    return True


def is_et_al(name: str) -> bool:
    """Whether a "name" only says the list goes on: "et al.", "others", "and others"."""
    return _ET_AL_NAME.fullmatch(clean_line(name)) is not None


def until_et_al(names: list[str]) -> tuple[list[str], bool]:
    """The names before the first "et al." given as a name, and whether there was one."""
    for index, name in enumerate(names):
        if is_et_al(name):
            return names[:index], True
    return names, False


def is_name_suffix(word: str) -> bool:
    """A generational suffix written after a surname ("Jr.", "SR", "III"): never a name, nor
    a surname, of its own. One rule for splitting lists (`split_names`, the listing's
    spans) and for comparing first authors (`merge.author_key`)."""
    return word.strip().rstrip(".").casefold() in _SUFFIX_WORDS


def split_names(body: str) -> list[str]:
    """A list of names at its separators; a bare suffix after a comma ("Jan van der Berg,
    Jr.") belongs to the name before it, as "First Last, Jr." is written."""
    names: list[str] = []
    for name in SEPARATORS.split(body):
        if names and is_name_suffix(name):
            names[-1] = f"{names[-1]} {name.strip()}"
        else:
            names.append(name)
    return names


def parse_name_list(text: str) -> tuple[list[str], bool] | None:
    """ "A B, C D and E F et al." → (["A B", "C D", "E F"], True); None unless all are names.

    The first name marks where a glued list starts, so it must look like one strictly, or
    be an unusual one that starts with an ordinary word or that later names (or an "et
    al.") confirm starts a list. The others are delimited by the separators and may be any
    `is_listed_name`."""
    body, truncated = strip_et_al(text)
    if not body:
        return None
    names = split_names(body)
    first, rest = names[0], names[1:]
    loose_first = bool(rest) and _loose_first(first)  # alone, it could be the title's tail
    # Alone, "OpenAI" or "AI Gym" could be the tail of "Introducing OpenAI Gym"; "Jake
    # VanderPlas" starts with an ordinary word and stands alone.
    confirmed = bool(rest) or truncated or _ordinary_start(first)
    unusual_first = confirmed and is_unusual_name(first)
    if not (is_name(first) or loose_first or unusual_first):
        return None
    if not all(map(is_listed_name, rest)):
        return None
    return [" ".join(name.split()) for name in names], truncated


def _ordinary_start(name: str) -> bool:
    """A name of several words whose first is a capitalised word or initials."""
    tokens = name.split()
    return len(tokens) > 1 and (_word(tokens[0]) or _initials(tokens[0]))


def _loose_first(name: str) -> bool:
    """A first name that starts like a name and goes on in any case ("Wei zhang")."""
    tokens = name.split()
    return bool(tokens) and is_name_start(tokens[0]) and is_loose_name(name)


def split_author_string(text: str) -> tuple[list[str], bool]:
    """A free-form author string ("A, B and C", "A; B", "A et al.") into names, leniently."""
    body, truncated = strip_et_al(clean_line(text))
    names, cut = until_et_al([clean_line(name) for name in split_names(body)])
    return [name for name in names if name], truncated or cut


def unique_names(names: list[str]) -> list[str]:
    """Cleaned names without blanks, in order. A name given twice stays twice: large
    collaborations have namesakes, and two people are not one."""
    return [c for c in (clean_line(name) for name in names) if c]
