"""Word pairs: phrases of common words found without reading their words' postings.

A phrase used to be checked by reading every posting of each of its words, positions
included, and `"large language model"` reads three words found in most papers. Beside each
field a phrase can search, the index holds a field of the field's adjacent pairs of common
words, made from the same analysed words at the same positions: a title "Large language
models" holds `larg languag` at 0 and `languag model` at 1. A phrase of common words is
where all its pairs stand one after the other (a 2-word phrase: its one pair), so only the
pairs' postings are read, and their positions only for the documents holding every pair.

Which words are common is decided from a sample of the papers when the index is built and
kept in the schema (`PairFormat.common`), so that syncs and searches use the same set: the
most frequent words, as many as keep the field's pair postings within `PAIR_BUDGET` of its
word postings (each posting costs Whoosh's writer the same, so this bounds what pairs add
to a build), and each in at least `COMMON_SHARE` of the papers. Pairs of every word would
cost more than the rest of the index (most are unique). The same sample also names the
field's collocations (`PairFormat.collocations`): pairs of words that are not both common
but stand side by side in at least `COLLOCATION_SHARE` of the papers ("neural radiance",
"monte carlo"), the most frequent first within `COLLOCATION_BUDGET`. A phrase is read from
the pairs when each of its adjacent pairs is kept, either way; else it is checked from
positions, as before.

Each pair's posting also records how often each of its two words occurs in the field, so a
phrase is scored (the sum of its words' BM25F, as `ranking` scores a phrase) from its pairs
and the field's lengths alone, bit for bit as from the words' postings.

A posting's value is a list of unsigned varints: the first word's count, the second word's
count, then the pair's positions as gaps. The schema names `PairFormat`: its module path and
this encoding are part of the index format (`index_files.INDEX_FORMAT`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from whoosh.fields import FieldType, Schema
from whoosh.formats import Format, tokens
from whoosh.reading import IndexReader

from paperdeck.core.models import Paper
from paperdeck.core.search.analysis import INDEX, FastChain
from paperdeck.core.search.documents import PAIR_SUFFIX, PAIRED_FIELDS, paper_document
from paperdeck.core.search.postings import Postings

if TYPE_CHECKING:
    from paperdeck.core.search.pair_files import PairFile

ENABLED = True  # False: phrases are checked from their words' positions (tests compare)
PAIR_BUDGET = 0.25
COMMON_SHARE = 0.02
COLLOCATION_BUDGET = 0.05  # of the field's word postings, beside `PAIR_BUDGET`
COLLOCATION_SHARE = 0.005  # of the papers: 10 of a sample of 2,000
MIN_COMMON = 2  # papers; a word in fewer is never common (a library of a few papers)
SAMPLE = 2000  # papers read to find the common words and collocations
PAD = 31  # the longest phrase a pair file answers, in pairs (`pair_files.PAD`)

Counts = tuple[int, ...]  # how often each word of a phrase occurs in one document's field
Pair = tuple[str, str]  # two analysed words, side by side


def pair_field(fieldname: str) -> str:
    return fieldname + PAIR_SUFFIX


def add_pair_fields(schema: Schema) -> None:
    """A pair field beside each field in `PAIRED_FIELDS`, analysed by the same analyzer,
    with no common words yet (`with_common_words` gives them)."""
    for name in PAIRED_FIELDS:
        schema.add(pair_field(name), _pair_type(PairFormat(), schema[name].analyzer))


@dataclass(frozen=True, slots=True)
class Study:
    """What a sample of the papers says: each paired field's common words and collocations,
    and how many postings a paper adds to the index on average (words, pairs, other
    fields)."""

    common: dict[str, frozenset[str]]
    collocations: dict[str, frozenset[Pair]]
    postings_per_paper: float


OTHER_POSTINGS = 10  # id, year, categories, tags: a few postings each paper


def study(schema: Schema, papers: Sequence[Paper]) -> Study:
    """Each paired field's common words and collocations in ``papers`` (a sample), see the
    module's docstring."""
    analysed: dict[str, list[list[tuple[str, int]]]] = {name: [] for name in PAIRED_FIELDS}
    for paper in papers:
        doc = paper_document(paper)
        for name, texts in analysed.items():
            if name in doc:
                texts.append(_analysed(doc[name], schema[name].analyzer, INDEX))
    least = max(MIN_COMMON, COMMON_SHARE * len(papers))
    least_pair = max(MIN_COMMON, COLLOCATION_SHARE * len(papers))
    common: dict[str, frozenset[str]] = {}
    collocations: dict[str, frozenset[Pair]] = {}
    postings = 0.0
    for name, texts in analysed.items():
        frequency: Counter[str] = Counter()  # word -> the texts holding it
        for words in texts:
            frequency.update({word for word, _pos in words})
        common[name], paired = _most_common(texts, frequency, least)
        collocations[name], joined = _collocations(texts, frequency, common[name], least_pair)
        postings += frequency.total() + paired + joined
    return Study(common, collocations, postings / max(len(papers), 1) + OTHER_POSTINGS)


def _most_common(
    texts: list[list[tuple[str, int]]], frequency: Counter[str], least: float
) -> tuple[frozenset[str], int]:
    """(the field's common words, the pair postings they add).

    A pair is kept when both its words are among the first k by document frequency (ties
    by the word: the same in every process); with each pair of a document ranked by its
    rarer word, the pair postings of the first k words are the pairs ranked below k, so
    every k is counted in one pass."""
    ranked = sorted(
        (w for w, n in frequency.items() if n >= least), key=lambda w: (-frequency[w], w)
    )
    rank = {word: n for n, word in enumerate(ranked)}
    beyond = len(ranked)
    pairs_by_rank = Counter(
        max(rank.get(a, beyond), rank.get(b, beyond))
        for words in texts
        for a, b in {(a, b) for (a, _pos), b in _adjacent(words)}
    )
    budget = PAIR_BUDGET * frequency.total()
    kept = spent = 0
    for k in range(len(ranked)):
        if spent + pairs_by_rank[k] > budget:
            break
        spent += pairs_by_rank[k]
        kept = k + 1
    return frozenset(ranked[:kept]), spent


def _collocations(
    texts: list[list[tuple[str, int]]],
    frequency: Counter[str],
    common: frozenset[str],
    least: float,
) -> tuple[frozenset[Pair], int]:
    """(the field's collocations, the pair postings they add): its pairs not already kept,
    in at least ``least`` of the texts, the most frequent first (ties by the pair) while
    they add at most `COLLOCATION_BUDGET` of the field's word postings. A pair is in no
    more texts than either word: pairs of rarer words are not counted at all."""
    often = {word for word, count in frequency.items() if count >= least}
    counts: Counter[Pair] = Counter()
    for words in texts:
        counts.update(
            {
                (a, b)
                for (a, _pos), b in _adjacent(words)
                if a in often and b in often and not (a in common and b in common)
            }
        )
    budget = COLLOCATION_BUDGET * frequency.total()
    kept: list[Pair] = []
    spent = 0
    for pair, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        if count < least or spent + count > budget:
            break
        kept.append(pair)
        spent += count
    return frozenset(kept), spent


def with_pairs(schema: Schema, studied: Study) -> Schema:
    """A copy of ``schema`` whose pair fields pair the common words and collocations of
    ``studied``."""
    fitted = Schema()
    for name, field_type in schema.items():
        source = name.removesuffix(PAIR_SUFFIX)
        if name.endswith(PAIR_SUFFIX) and source in studied.common:
            fmt = PairFormat(studied.common[source], studied.collocations[source])
            field_type = _pair_type(fmt, field_type.analyzer)
        fitted.add(name, field_type)
    return fitted


def _pair_type(fmt: PairFormat, analyzer: Any) -> FieldType:
    """Scorable only so that Whoosh keeps a length column: without one, its writer looks for
    the column's file once for each posting written (a stat call each)."""
    return FieldType(fmt, analyzer, scorable=True)


def pair_text(first: str, second: str) -> str:
    """The term of two adjacent words (an analysed word never holds a space)."""
    return f"{first} {second}"


class PairFormat(Format):
    """Postings of a pair field: see the module's docstring. Not scorable, no phrases of its
    own (Whoosh never reads these values: only `phrase_counts` does)."""

    def __init__(self, common: Iterable[str] = (), collocations: Iterable[Pair] = ()) -> None:
        super().__init__(field_boost=1.0)
        self.common = frozenset(common)
        self.collocations = frozenset(collocations)
        # the same, by first word: looked up for each two adjacent words of each paper
        self.followers = {
            first: frozenset(second for one, second in self.collocations if one == first)
            for first, _second in self.collocations
        }

    def kept(self) -> tuple[frozenset[str], dict[str, frozenset[str]]]:
        """(common words, collocations by first word). An index of an earlier format has
        none: it is rebuilt (`index_files.INDEX_FORMAT`) unless the library is read-only."""
        return self.common, getattr(self, "followers", {})

    def answers(self, words: Sequence[str]) -> bool:
        """Whether every two adjacent words of ``words`` (a phrase, analysed) are a pair:
        what `word_values` writes."""
        common, followers = self.kept()
        return all(
            (first in common and second in common) or second in followers.get(first, ())
            for first, second in zip(words, words[1:], strict=False)
        )

    def word_values(
        self, value: Any, analyzer: Any, **kwargs: Any
    ) -> Iterator[tuple[str, int, float, bytes]]:
        common, followers = self.kept()
        if not common and not followers:
            return
        words = _analysed(value, analyzer, kwargs)
        found: dict[tuple[str, str], list[int]] = {}
        for (first, pos), second in _adjacent(words):
            both = first in common and second in common
            if not both and second not in followers.get(first, ()):
                continue
            at = found.get((first, second))
            if at is None:
                found[(first, second)] = [pos]
            else:
                at.append(pos)
        if not found:
            return
        paired = {word for pair in found for word in pair}
        counts = Counter(word for word, _pos in words if word in paired)
        for (first, second), positions in found.items():
            encoded = encode(counts[first], counts[second], positions)
            yield pair_text(first, second), len(positions), float(len(positions)), encoded


def _analysed(value: Any, analyzer: Any, kwargs: dict[str, Any]) -> list[tuple[str, int]]:
    """(word, position) as the field's own format records them."""
    if isinstance(analyzer, FastChain) and isinstance(value, str) and kwargs == INDEX:
        return analyzer.analysed(value)
    options = dict(kwargs, positions=True)
    return [(token.text, token.pos) for token in tokens(value, analyzer, options)]


def _adjacent(words: list[tuple[str, int]]) -> Iterator[tuple[tuple[str, int], str]]:
    """((first word, its position), second word) for each two words one position apart."""
    if all(a[1] < b[1] for a, b in zip(words, words[1:], strict=False)):
        for (first, pos), (second, nxt) in zip(words, words[1:], strict=False):
            if nxt == pos + 1:
                yield (first, pos), second
        return
    at: dict[int, list[str]] = {}  # several words at one position: any analyzer may do it
    for word, pos in words:
        at.setdefault(pos, []).append(word)
    for pos in sorted(at):
        for first in at[pos]:
            for second in at.get(pos + 1, ()):
                yield (first, pos), second


def encode(first: int, second: int, positions: Sequence[int]) -> bytes:
    """The posting value: both words' counts, then the positions (ascending) as gaps."""
    gaps = [b - a for a, b in zip((0, *positions), positions, strict=False)]
    if first < 0x80 and second < 0x80 and all(gap < 0x80 for gap in gaps):
        return bytes((first, second, *gaps))  # nearly always: one byte each
    return b"".join(_varint(number) for number in (first, second, *gaps))


def _varint(number: int) -> bytes:
    out = bytearray()
    while number >= 0x80:
        out.append((number & 0x7F) | 0x80)
        number >>= 7
    out.append(number)
    return bytes(out)


def decode(value: bytes) -> tuple[int, int, Iterable[int]]:
    """(first word's count, second word's count, the pair's positions)."""
    numbers: Sequence[int] = value if value.isascii() else _unvarints(value)
    return numbers[0], numbers[1], accumulate(numbers[2:])


def _unvarints(value: bytes) -> list[int]:
    numbers: list[int] = []
    number = shift = 0
    for byte in value:
        number |= (byte & 0x7F) << shift
        if byte & 0x80:
            shift += 7
        else:
            numbers.append(number)
            number = shift = 0
    return numbers


@dataclass(frozen=True, slots=True)
class PhraseCounts:
    """The documents of one segment where a phrase stands (ascending, deleted ones
    included), and for each word of the phrase how often it occurs in each of them."""

    docs: Sequence[int]
    counts: list[Sequence[int]]  # per word, aligned with ``docs``

    def __len__(self) -> int:
        return len(self.docs)

    @property
    def footprint_bytes(self) -> int:  # for the byte-bounded cache (`postings.footprint`)
        return 8 * len(self.docs) * (1 + len(self.counts)) + 200


def phrase_counts(
    postings: Postings,
    reader: IndexReader,
    fieldname: str,
    words: Sequence[str],
    files: PairFile | None = None,
) -> PhraseCounts | None:
    """Where ``words`` stand one after the other in ``fieldname`` in one segment, with how
    often each word occurs there: from the segment's pair file (`pair_files`) when given,
    else from Whoosh's pair postings. None: the segment has no pairs for the field (or the
    phrase is one word): ask the positions."""
    name = pair_field(fieldname)
    if not ENABLED or len(words) < 2 or name not in reader.schema:
        return None
    paired = _paired(reader, name, words)
    usable = files is not None and not files.broken and name in files.fields
    if not paired and not (usable and files is not None and files.every_pair(name)):
        return None
    terms = _pair_terms(words)
    if terms is None:
        return None
    if usable and files is not None and len(terms) <= PAD:
        key = ("pair file", fieldname, tuple(words))
        try:
            return postings.remember(reader, key, lambda: files.phrase(name, terms, postings.check))
        except files.READ_ERRORS:  # damaged: set aside; Whoosh's pair postings answer
            files.broken = True
    if not paired:
        return None
    if any((name, term) not in reader for term in terms):
        return PhraseCounts([], [[] for _word in words])
    key = ("pairs", fieldname, tuple(words))
    return postings.remember(reader, key, lambda: _counts(postings, reader, name, terms))


def phrase_pairs(
    reader: IndexReader, fieldname: str, words: Sequence[str], files: PairFile
) -> tuple[str, list[bytes]] | None:
    """(the pair field, the phrase's pairs) where the segment's pair file holds them as
    `phrase_counts` reads them; None where it does not (a pair neither common nor a
    collocation)."""
    name = pair_field(fieldname)
    if not ENABLED or len(words) < 2 or name not in reader.schema:
        return None
    if files.broken or name not in files.fields:
        return None
    if not (_paired(reader, name, words) or files.every_pair(name)):
        return None
    terms = _pair_terms(words)
    return None if terms is None else (name, terms)


def _paired(reader: IndexReader, name: str, words: Sequence[str]) -> bool:
    """Whether the pair field ``name`` keeps every pair of ``words``."""
    fmt = reader.schema[name].format
    return isinstance(fmt, PairFormat) and fmt.answers(words)


def _pair_terms(words: Sequence[str]) -> list[bytes] | None:
    try:
        return [pair_text(a, b).encode("utf-8") for a, b in zip(words, words[1:], strict=False)]
    except (TypeError, UnicodeError):
        return None


def _counts(postings: Postings, reader: IndexReader, name: str, terms: list[bytes]) -> PhraseCounts:
    """The rarest pair's documents first; positions decoded only where every pair is."""
    values = {term: _values(postings, reader, name, term) for term in dict.fromkeys(terms)}
    rarest = min(values.values(), key=len)
    tables = [values[term] for term in terms]
    found: dict[int, Counts] = {}
    check = postings.check
    for n, doc in enumerate(rarest):
        if n % 4096 == 4095:
            postings.check()
        if not all(doc in table for table in tables):
            continue
        if len(tables) == 1:  # a 2-word phrase: its pair is the phrase
            first, second, _at = decode(tables[0][doc])
            found[doc] = (first, second)
            continue
        decoded = [decode(table[doc]) for table in tables]
        starts = set(decoded[0][2])
        for shift, (_first, _second, at) in enumerate(decoded[1:], 1):
            starts.intersection_update([p - shift for p in at])
            if not starts:
                break
        if starts:
            found[doc] = (decoded[0][0], *(second for _first, second, _at in decoded))
    check()
    docs = sorted(found)
    return PhraseCounts(docs, [[found[d][w] for d in docs] for w in range(len(terms) + 1)])


def _values(postings: Postings, reader: IndexReader, name: str, term: bytes) -> dict[int, bytes]:
    """docnum -> posting value of one pair."""
    table: dict[int, bytes] = {}
    for ids, _weights, values in postings.blocks(reader, name, term):
        table.update(zip(ids, values, strict=True))
    return table
