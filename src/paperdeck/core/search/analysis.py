"""The index's analyzers: Whoosh's own chains, with one fast path for indexing.

Whoosh runs each token through a generator per filter (tokenize, lower case, fold accents,
drop stop words, stem), and at 100,000 papers that chain is a fifth of building the index.
`FastChain` is the same chain: queries, highlighting and anything unusual still go through
Whoosh's filters, and only `mode="index"` calls take one loop that yields the same tokens at
the same positions; `FastPositions` then gathers them without a Token per word. Tests
compare both with Whoosh's own on real listings, odd Unicode and generated text.

The schema pickled into the index names this module's classes, so their names and module
path are part of the index's format: renaming them means bumping `INDEX_FORMAT`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from whoosh.analysis import (
    STOP_WORDS,
    CharsetFilter,
    CompositeAnalyzer,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.analysis.acore import Token
from whoosh.formats import Positions
from whoosh.lang.porter import stem
from whoosh.support.charset import accent_map

# Words of letters and digits, joined by single dots or underscores ("3.5", "e.g",
# "max_tokens"). Whoosh's own pattern keeps `*` and edge underscores in words, so a note's
# Markdown (`*emphasised*`, `**bold**`, `_under_`) was indexed as words nobody searches.
TOKEN_PATTERN = r"[^\W_]+(?:[._]?[^\W_]+)*"
MIN_WORD = 2  # StopFilter's default minimum length
INDEX = {"mode": "index"}  # what a field passes when a document is added
STEM_CACHE = 100_000  # words kept stemmed per process (Whoosh keeps 50,000); cleared when full


class FastChain(CompositeAnalyzer):
    """Tokenize, lower case and fold accents; with ``prose``, also drop stop words and stem."""

    def __init__(self, *, prose: bool) -> None:
        items = [RegexTokenizer(TOKEN_PATTERN), LowercaseFilter(), CharsetFilter(accent_map)]
        if prose:
            items += [StopFilter(STOP_WORDS, minsize=MIN_WORD), StemFilter(stem)]
        super().__init__(*items)
        self.prose = prose
        self._setup()

    def _setup(self) -> None:
        self._pattern = re.compile(TOKEN_PATTERN)
        self._stems: dict[str, str] = {}
        self._last: tuple[str, list[tuple[str, int]]] | None = None

    def __getstate__(self) -> dict[str, Any]:
        skip = ("_pattern", "_stems", "_last")
        return {k: v for k, v in self.__dict__.items() if k not in skip}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._setup()

    def __call__(self, value: str, no_morph: bool = False, **kwargs: Any) -> Iterator[Token]:
        plain = (
            kwargs.get("mode") == "index"
            and kwargs.get("tokenize", True)
            and kwargs.get("removestops", True)
            and not kwargs.get("chars")
            and not kwargs.get("keeporiginal")
            and not no_morph
        )
        if not plain:
            return super().__call__(value, no_morph=no_morph, **kwargs)
        return self._index_tokens(value, **kwargs)

    def _index_tokens(
        self, value: str, positions: bool = False, start_pos: int = 0, **kwargs: Any
    ) -> Iterator[Token]:
        """What the filter chain yields for indexing: the same Token object, updated for
        each word as Whoosh's tokenizer does."""
        for name in ("chars", "removestops", "start_char", "tokenize", "keeporiginal"):
            kwargs.pop(name, None)
        token = Token(positions, False, removestops=True, **kwargs)
        token.boost = 1.0
        token.stopped = False
        for token.text, pos in self.words(value, start_pos):
            if positions:
                token.pos = pos
            yield token

    def analysed(self, value: str) -> list[tuple[str, int]]:
        """`words` of ``value`` as a list, kept for the next call: a field and its word-pair
        field (`pairs`) are indexed one after the other from the same string object, which
        is then analysed once."""
        last = self._last
        if last is not None and last[0] is value:
            return last[1]
        found = list(self.words(value))
        self._last = (value, found)
        return found

    def words(self, value: str, start_pos: int = 0) -> Iterator[tuple[str, int]]:
        """(word as indexed, position) for each word the chain keeps."""
        prose = self.prose
        stems = self._stems
        if len(stems) > STEM_CACHE:
            stems.clear()
        pos: int | None = None
        for raw, match in enumerate(self._pattern.finditer(value), start_pos):
            text = match.group().lower()
            if not text.isascii():
                text = text.translate(accent_map)
            if not prose:
                yield text, raw
                continue
            if len(text) < MIN_WORD or text in STOP_WORDS:
                continue
            stemmed = stems.get(text)
            if stemmed is None:
                stemmed = stems[text] = stem(text)
            pos = raw if pos is None else pos + 1  # StopFilter's renumbering: the first kept
            yield stemmed, pos  # word keeps its place, the next ones follow it


class FastPositions(Positions):
    """Whoosh's format for phrase-searchable fields; with a `FastChain` it gathers each
    word's positions straight from `FastChain.words` (no Token per word): 10,000 abstracts
    2.8 -> 2.0 s. Encoded by Whoosh's own `encode`, so the bytes are the same."""

    def word_values(
        self, value: Any, analyzer: Any, **kwargs: Any
    ) -> Iterator[tuple[str, int, float, bytes]]:
        if not isinstance(analyzer, FastChain) or not isinstance(value, str) or kwargs != INDEX:
            yield from super().word_values(value, analyzer, **kwargs)
            return
        found: dict[str, list[int]] = {}
        for word, pos in analyzer.analysed(value):
            at = found.get(word)
            if at is None:
                found[word] = [pos]
            else:
                at.append(pos)
        boost = self.field_boost
        encode = self.encode
        for word, poslist in found.items():
            yield word, len(poslist), len(poslist) * boost, encode(poslist)
