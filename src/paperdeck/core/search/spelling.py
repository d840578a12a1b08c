"""The words of titles, abstracts and notes as written: for "did you mean" and prefix searches.

The index stems its terms ("reinforcement" is kept as "reinforc"), so they can neither be
offered to a user nor tell a typo from a word ("reinforcment" has the same stem). This sorted
list of the words themselves (lower case, accents folded, no stop words) lives beside the index:
a rebuild writes it, each sync adds the new words of the papers it indexed. Words whose papers
are gone linger until the next rebuild, so callers check a word against the index before use.
Whoosh's own spelling sub-fields would do the same but double the time to build the index.
"""

from __future__ import annotations

import heapq
import re
import threading
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from whoosh import query as wq
from whoosh.analysis import STOP_WORDS
from whoosh.matching import ListMatcher, NullMatcher
from whoosh.reading import IndexReader
from whoosh.spelling import ListCorrector
from whoosh.support.charset import accent_map
from whoosh.support.levenshtein import distance

from paperdeck.core.atomic import write_atomic
from paperdeck.core.models import Paper
from paperdeck.core.search.index_files import DEFAULT_FIELDS, SPELLING_FIELDS, VOCABULARY_FILE

MAX_WORD = 32
MIN_PREFIX = 3  # `re*` would expand over a large part of the vocabulary
MAX_PREFIX_SCAN = 2000  # vocabulary words looked at per prefix and segment
MAX_PREFIX_TERMS = 100  # most frequent expansions kept, per field
CHECK_EVERY = 64  # words looked up between two cancel checks
_TOKEN = re.compile(r"\w+(?:\.?\w+)*")  # Whoosh's RegexTokenizer expression, less its `*`


def tokens_of(text: str) -> list[str]:
    """Every token of ``text`` as the prose fields see it before their filters (lower case,
    accents folded), stop words and all: to be gathered in bulk, then `kept_words`."""
    text = text.lower()
    if not text.isascii():
        text = text.translate(accent_map)
    return _TOKEN.findall(text)


def kept_words(tokens: Iterable[str]) -> set[str]:
    """The tokens a vocabulary keeps: no stop words, numbers, or very short or long words."""
    return {
        w
        for w in set(tokens)
        if 2 <= len(w) <= MAX_WORD and w not in STOP_WORDS and not w.isdigit()
    }


def words_of(text: str) -> set[str]:
    """The words the prose fields index, before stemming."""
    return kept_words(tokens_of(text))


def paper_text(paper: Paper) -> str:
    return f"{paper.title}\n{paper.abstract}\n{paper.note}"


def paper_words(paper: Paper) -> set[str]:
    return words_of(paper_text(paper))


class Vocabulary:
    """A sorted list of unique words, searched by bisection.

    Loaded, it is first kept as the file's text: checking that a word is known bisects the
    text itself, and the list is made only for what needs it (corrections, prefixes). A
    search checks its words each time, and splitting 40,000 words took 4 ms of a 10k
    library's `paperdeck search`, more with a real library's vocabulary."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self._words: list[str] | None = sorted(set(words))
        self._text = ""  # the file's words, one a line (``_words`` None: not split yet)
        self._splitting = threading.Lock()

    @classmethod
    def load(cls, folder: Path) -> Vocabulary:
        try:
            text = (folder / VOCABULARY_FILE).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return cls()
        vocabulary = cls()
        vocabulary._words, vocabulary._text = None, text  # written sorted and unique
        return vocabulary

    @property
    def words(self) -> list[str]:
        if self._words is None:
            with self._splitting:
                if self._words is None:
                    self._words = [w for w in self._text.split("\n") if w]
                    self._text = ""  # after the list is in place (see `__contains__`)
        return self._words

    def save(self, folder: Path) -> None:
        write_atomic(folder / VOCABULARY_FILE, "\n".join(self.words))

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not word or "\n" in word:
            return False
        text = self._text  # before the list: emptied only once the list is in place
        words = self._words
        return _in_lines(text, word) if words is None else _in_sorted(words, word)

    def add(self, words: Iterable[str]) -> bool:
        """Add words; returns whether any was new (and the file needs writing)."""
        known = self.words  # split first: many lookups, each cheaper in the list
        new = {w for w in words if not _in_sorted(known, w)}
        if new:
            self._words = sorted([*known, *new])  # timsort: cheap on two sorted runs
        return bool(new)

    def starting_with(self, prefix: str, limit: int) -> list[str]:
        """Up to ``limit`` words beginning with ``prefix``, in alphabetical order."""
        words, found = self.words, list[str]()
        i = bisect_left(words, prefix)
        while i < len(words) and len(found) < limit and words[i].startswith(prefix):
            found.append(words[i])
            i += 1
        return found

    def near(self, word: str, maxdist: int) -> list[tuple[int, str]]:
        """(edits, word) for words within ``maxdist`` edits, first letter kept (typos rarely
        hit it, and it makes the search ten times faster)."""
        candidates = ListCorrector(self.words).suggest(word, limit=20, maxdist=maxdist, prefix=1)
        return [(distance(word, c), c) for c in candidates if c != word]


def _in_sorted(words: list[str], word: str) -> bool:
    i = bisect_left(words, word)
    return i < len(words) and words[i] == word


def _in_lines(text: str, word: str) -> bool:
    """Whether ``word`` is a line of ``text``, whose lines are sorted: a bisection over
    character positions, each probe widened to the whole line around it."""
    lo, hi = 0, len(text)  # lo starts a line; hi ends one (or is past the last)
    while lo < hi:
        mid = (lo + hi) // 2
        start = text.rfind("\n", lo, mid) + 1 or lo
        end = text.find("\n", start, hi)
        end = hi if end < 0 else end
        line = text[start:end]
        if line == word:
            return True
        if line < word:
            lo = end + 1
        else:
            hi = start
    return False


class PrefixQuery(wq.Query):
    """`word*` in some fields: the documents of the most frequent matching terms, equally scored.

    Stemmed fields are expanded through the vocabulary of words as written (`learni*` must
    find `learning`, indexed as `learn`), other fields through their own terms. At most
    MAX_PREFIX_TERMS terms per field, and their postings are read straight into one sorted
    list: a union of matchers over a few hundred terms costs seconds at 100k papers.
    """

    def __init__(
        self,
        fieldnames: tuple[str, ...],
        text: str,
        vocabulary: Callable[[], Vocabulary],
        boost: float = 1.0,
    ) -> None:
        self.fieldnames = fieldnames
        self.text = text
        self.vocabulary = vocabulary
        self.boost = boost
        # Per segment reader (kept, so an id is never reused while it is here): its terms.
        self._memo: dict[int, tuple[IndexReader, list[tuple[str, bytes]]]] = {}
        self._stems: dict[int, set[bytes]] = {}  # per analyzer: the same in every segment

    def __repr__(self) -> str:
        return f"PrefixQuery({self.fieldnames!r}, {self.text!r})"

    def _key(self) -> tuple[tuple[str, ...], str, float]:
        return self.fieldnames, self.text, self.boost

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PrefixQuery) and other._key() == self._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __deepcopy__(self, memo: dict[int, object]) -> PrefixQuery:
        return PrefixQuery(self.fieldnames, self.text, self.vocabulary, self.boost)

    def field(self) -> str | None:
        return self.fieldnames[0] if len(self.fieldnames) == 1 else None

    def expanded(
        self, reader: IndexReader, check: Callable[[], None] | None = None
    ) -> list[tuple[str, bytes]]:
        """(field, term) pairs searched for in ``reader`` (computed once per reader).

        ``check`` is called every `CHECK_EVERY` words looked up (it raises to cancel): a
        short prefix looks up thousands of words in each segment, ~1 s at 100k papers."""
        memo = self._memo.get(id(reader))
        if memo is not None and memo[0] is reader:
            return memo[1]
        found: list[tuple[str, bytes]] = []
        for name in self.fieldnames:
            if name not in reader.schema or len(self.text) < MIN_PREFIX:
                continue
            fieldobj = reader.schema[name]
            if fieldobj.analyzer.has_morph():  # title, abstract and note share one analyzer
                key = id(fieldobj.analyzer)
                if key not in self._stems:
                    words = self.vocabulary().starting_with(self.text, MAX_PREFIX_SCAN)
                    analyse = fieldobj.process_text
                    self._stems[key] = {t.encode() for w in words for t in analyse(w, mode="index")}
                texts = self._stems[key]
            else:
                texts = set(islice(reader.expand_prefix(name, self.text), MAX_PREFIX_SCAN))
            ranked = []
            for n, btext in enumerate(texts):
                if check is not None and not n % CHECK_EVERY:
                    check()
                if count := reader.doc_frequency(name, btext):  # 0: not in this segment
                    ranked.append((count, btext))
            found += [(name, b) for _n, b in heapq.nlargest(MAX_PREFIX_TERMS, ranked)]
        self._memo[id(reader)] = (reader, found)
        return found

    def estimate_size(self, ixreader: IndexReader) -> int:
        return sum(ixreader.doc_frequency(name, b) for name, b in self.expanded(ixreader))

    estimate_min_size = estimate_size

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        reader = searcher.reader()
        docs: set[int] = set()
        for name, btext in self.expanded(reader):
            docs.update(reader.postings(name, btext).all_ids())
        if not docs:
            return NullMatcher()
        return ListMatcher(sorted(docs), all_weights=self.boost)


@dataclass(frozen=True, slots=True)
class Word:
    """A searched word and where it sits in the query text (for "did you mean")."""

    text: str
    start: int
    end: int
    origin: str | None  # the field the user named, None when unfielded


def suggest(
    reader: IndexReader, vocabulary: Callable[[], Vocabulary], text: str, words: Iterable[Word]
) -> str | None:
    """The query ``text`` with each unknown word replaced by the closest known one, or None.
    ``vocabulary`` is asked for only when a word is to be checked (not for `tag:llm`)."""
    changes: list[tuple[int, int, str]] = []
    known: Vocabulary | None = None
    for word in words:
        if word.text.endswith("*") or word.origin not in (None, *SPELLING_FIELDS):
            continue
        if known is None:
            known = vocabulary()
        if _known(reader, known, word):
            continue
        better = closest_word(reader, known, word.text)
        if better is not None:
            changes.append((word.start, word.end, better))
    if not changes:
        return None
    for start, end, better in sorted(changes, reverse=True):
        text = text[:start] + better + text[end:]
    return text


def _fold(word: str) -> str:
    return word if word.isascii() else word.translate(accent_map)


def _known(reader: IndexReader, vocabulary: Vocabulary, word: Word) -> bool:
    """In the vocabulary, or (unfielded) a term of a field the vocabulary does not cover."""
    if _fold(word.text) in vocabulary:
        return True
    if word.origin is not None:
        return False
    schema = reader.schema
    for name in DEFAULT_FIELDS:
        if name in schema and not schema[name].analyzer.has_morph():
            texts = set(schema[name].process_text(word.text, mode="query"))
            if any((name, text) in reader for text in texts):
                return True
    return False


def closest_word(reader: IndexReader, vocabulary: Vocabulary, word: str) -> str | None:
    """The nearest word still in a title or abstract: fewest edits, then one with the same
    stem as the typo (it is what the search found), then the most frequent."""
    if not 3 <= len(word) <= MAX_WORD or not word.isalpha():
        return None
    word = _fold(word)
    analyse = reader.schema[SPELLING_FIELDS[0]].process_text
    typed = set(analyse(word, mode="index"))
    best: tuple[int, bool, int, str] | None = None
    for edits, candidate in vocabulary.near(word, 1 if len(word) <= 4 else 2):
        stems = set(analyse(candidate, mode="index"))
        freq = sum(reader.doc_frequency(name, s) for s in stems for name in SPELLING_FIELDS)
        key = (edits, not stems & typed, -freq, candidate)
        if freq and (best is None or key < best):
            best = key
    return best[3] if best else None
