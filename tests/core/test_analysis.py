"""The index's fast path yields exactly what Whoosh's own filter chain yields."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.formats import Positions
from whoosh.support.charset import accent_map

from file_parsing import parse_as_imported
from paperdeck.core.search.analysis import TOKEN_PATTERN, FastChain, FastPositions

SEEDS = Path(__file__).parents[2] / "assets" / "demo"

ODD_TEXTS = [
    "",
    "the of a",  # only stop words
    "The Transformer is all you need",  # a stop word before the first kept word
    "Müller, Ångström and Straße: İstanbul ΣΊΣΥΦΟΣ café",
    "cafe\u0301 na\u00efve re\u0301sume\u0301",  # combining accents
    "U.S.A. e.g. 3.141 v1.2.3 GPT-4o x_y __init__ a.b..c",
    "Ł ø æ œ ß ﬁ ½ ² ℃ Ⅻ",
    "日本語の論文 和 中文 한국어",
    "a " * 40 + "word",
    "running runs ran runner",
]


def whoosh_chain(prose: bool):  # type: ignore[no-untyped-def]
    chain = RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map)
    return chain | StopFilter() | StemFilter() if prose else chain


def indexed(text: str, analyzer, fmt=None) -> list[tuple]:  # type: ignore[no-untyped-def,type-arg]
    """What Whoosh writes for ``text`` in a phrase-searchable field: word, count, weight and
    encoded positions; by default through Whoosh's own format."""
    return list((fmt or Positions()).word_values(text, analyzer, mode="index"))


def fast_indexed(text: str, prose: bool, boost: float = 1.0) -> list[tuple]:  # type: ignore[type-arg]
    return indexed(text, FastChain(prose=prose), FastPositions(field_boost=boost))


def tokens(text: str, analyzer, **kwargs) -> list[tuple]:  # type: ignore[no-untyped-def,type-arg]
    return [(t.text, t.pos, t.stopped) for t in analyzer(text, positions=True, **kwargs)]


def seed_texts() -> list[str]:
    texts = []
    for path in sorted(SEEDS.glob("*.txt")):
        for paper in parse_as_imported(path).papers:
            texts += [paper.title, paper.abstract, "\n".join(paper.authors)]
            texts.append("\n".join(paper.affiliations))
    return texts


@pytest.mark.parametrize("prose", [True, False])
def test_seed_listings_index_the_same_words_at_the_same_places(prose: bool) -> None:
    texts = seed_texts()
    assert len(texts) > 100
    fast, whoosh = FastChain(prose=prose), whoosh_chain(prose)
    for text in texts:
        assert indexed(text, fast) == indexed(text, whoosh), text
        assert fast_indexed(text, prose) == indexed(text, whoosh), text


@pytest.mark.parametrize("prose", [True, False])
@pytest.mark.parametrize("text", ODD_TEXTS)
def test_odd_text_indexes_the_same(prose: bool, text: str) -> None:
    fast, whoosh = FastChain(prose=prose), whoosh_chain(prose)
    assert tokens(text, fast, mode="index") == tokens(text, whoosh, mode="index")
    assert indexed(text, fast) == indexed(text, whoosh)
    boosted = indexed(text, whoosh, Positions(field_boost=3.0))
    assert fast_indexed(text, prose, boost=3.0) == boosted


@settings(max_examples=300, deadline=None)
@given(st.text(), st.integers(min_value=0, max_value=5))
def test_any_text_indexes_the_same(text: str, start_pos: int) -> None:
    for prose in (True, False):
        fast, whoosh = FastChain(prose=prose), whoosh_chain(prose)
        got = tokens(text, fast, mode="index", start_pos=start_pos)
        assert got == tokens(text, whoosh, mode="index", start_pos=start_pos)
        assert fast_indexed(text, prose) == indexed(text, whoosh)


def test_the_first_kept_word_keeps_its_place_after_stop_words() -> None:
    # StopFilter's renumbering, which phrase positions depend on
    assert tokens("the of transformers are good", FastChain(prose=True), mode="index") == [
        ("transform", 2, False),
        ("good", 3, False),
    ]


def test_queries_go_through_whoosh_filters() -> None:
    """Outside indexing (queries keep stop words marked, highlighting wants offsets) the
    analyzer is Whoosh's own chain."""
    fast = FastChain(prose=True)
    kwargs = {"mode": "query", "removestops": False}
    assert tokens("the models", fast, **kwargs) == tokens(
        "the models", whoosh_chain(True), **kwargs
    )
    assert [t.stopped for t in fast("the models", mode="query", removestops=False)] == [True, False]
    spans = [(t.startchar, t.endchar) for t in fast("Deep nets", chars=True, mode="index")]
    assert spans == [(0, 4), (5, 9)]


def test_other_analyzers_and_values_take_whoosh_s_path() -> None:
    whoosh = whoosh_chain(True)
    assert FastPositions().word_values("Deep nets", whoosh, mode="index") is not None
    assert indexed("Deep deep nets", whoosh, FastPositions()) == indexed("Deep deep nets", whoosh)
    as_list = list(FastPositions().word_values(["a", "b"], FastChain(prose=True), mode="index"))
    assert as_list == list(Positions().word_values(["a", "b"], whoosh, mode="index"))


def test_the_schema_indexes_text_fields_through_the_fast_path() -> None:
    from paperdeck.core.search.index_files import make_schema

    schema = make_schema()
    for name in ("title", "authors", "abstract", "affiliations", "note"):
        assert isinstance(schema[name].format, FastPositions)
        assert isinstance(schema[name].analyzer, FastChain)
    assert schema["title"].format.field_boost == 3.0
    stored = pickle.loads(pickle.dumps(schema))  # as the index's table of contents keeps it
    for name in ("title", "authors", "abstract", "affiliations", "note"):
        assert stored[name] == schema[name]


def test_pickles_as_the_index_stores_it() -> None:
    fast = FastChain(prose=True)
    list(fast("warming the stem cache", mode="index"))
    copy = pickle.loads(pickle.dumps(fast))
    assert copy == fast
    assert copy.prose is True
    assert indexed("Reinforcement learning", copy) == indexed("Reinforcement learning", fast)


def test_phrases_read_positions_through_the_fast_decoder() -> None:
    """hits.py decodes positions itself for the formats whose bytes it knows."""
    from paperdeck.core.search.hits import _decode_positions, decoder
    from paperdeck.core.search.index_files import make_schema

    schema = make_schema()
    assert decoder(schema["abstract"].format) is _decode_positions
    assert decoder(Positions()) is _decode_positions
    encoded = FastPositions().encode([3, 7, 8])
    assert list(decoder(schema["title"].format)(encoded)) == [3, 7, 8]


def test_markdown_marks_and_edge_underscores_are_not_part_of_words() -> None:
    """A note's `*emphasis*`, `**bold**` and `_underline_` index the words inside them;
    dotted and snake_case words stay whole."""
    text = "an *emphasised* word, **bold** and _under_ foo*bar max_tokens GPT-3.5 __init__"
    words = [word for word, _pos in FastChain(prose=False).words(text)]
    assert words == [
        "an", "emphasised", "word", "bold", "and", "under", "foo", "bar", "max_tokens",
        "gpt", "3.5", "init",
    ]  # fmt: skip
