"""Query parsing without an index: fields, operators, fallbacks, highlight words, vocabulary."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import query as wq

from paperdeck.core.models import Paper
from paperdeck.core.query_words import nothing_to_search_yet
from paperdeck.core.search.index_files import make_schema
from paperdeck.core.search.query import PaperQueryParser
from paperdeck.core.search.spelling import PrefixQuery, Vocabulary, paper_words, words_of

NASTY = [
    '"unbalanced quote',
    "(unbalanced bracket",
    "unbalanced bracket)",
    "year:[2020 TO",
    "title:",
    "title: attention",
    "*",
    "**",
    "re*",
    "*former",
    "trans*former",
    "year:abc",
    "year:[abc TO def]",
    "year:20*",
    "title:[a TO z]",
    "AND",
    "deep AND",
    "OR deep",
    "deep AND OR learning",
    "NOT",
    "-",
    "- -",
    "x" * 10_000,
    "deep " * 2_000,
    "\x00\x01\x1b[31mdeep\x07\x9b",
    "\u202edeep\u202c",
    "(((())))",
    "title:(",
    "^^^",
    "deep^",
    "*:*",
    '""',
    "'single",
    "a:b:c:d",
    "{2020 TO 2024]",
    "year:>",
    "<<>>",
]


@pytest.fixture(scope="module")
def parser() -> PaperQueryParser:
    return PaperQueryParser(make_schema(), Vocabulary)


def test_unfielded_words_search_every_default_field_and_all_are_required(parser):
    parsed = parser.parse("graph networks")
    assert isinstance(parsed.query, wq.And)
    first = parsed.query.subqueries[0]
    assert isinstance(first, wq.Or)
    assert sorted({q.fieldname for q in first.subqueries}) == [
        "abstract",
        "affiliations",
        "authors",
        "categories",
        "note",
        "tags",
        "title",
    ]
    assert wq.Term("title", "graph") in first.subqueries
    assert wq.Term("title", "network") in parsed.query.subqueries[1].subqueries  # stemmed
    assert parsed.terms == ["graph", "networks"]
    assert not parsed.fallback


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title:Graphs", wq.Term("title", "graph")),
        ("author:Lee", wq.Term("authors", "lee")),
        ("abstract:robots", wq.Term("abstract", "robot")),
        ("tag:RL", wq.Term("tags", "rl")),
        ("tag:#RL", wq.Term("tags", "rl")),
        ("cat:cs.CL", wq.Term("categories", "cs.cl")),
        ("category:cs.LG", wq.Term("categories", "cs.lg")),
        ("note:reread", wq.Term("note", "reread")),
        ("affil:Stanford", wq.Term("affiliations", "stanford")),
        ("affiliation:eth", wq.Term("affiliations", "eth")),
        ("author:Müller", wq.Term("authors", "muller")),
    ],
)
def test_field_aliases(parser, text, expected):
    parsed = parser.parse(text)
    assert parsed.query == expected
    assert not parsed.fallback


def test_year_queries_are_numeric_ranges(parser):
    assert isinstance(parser.parse("year:2024").query, wq.Term)
    ranged = parser.parse("year:[2017 TO 2020]").query
    assert isinstance(ranged, wq.NumericRange)
    assert (ranged.start, ranged.end) == (2017, 2020)
    after = parser.parse("year:>2020").query
    assert (after.start, after.end, after.startexcl) == (2020, None, True)


def test_minus_and_not_exclude_and_are_not_highlighted(parser):
    parsed = parser.parse("deep -robots NOT title:graph")
    assert parsed.terms == ["deep"]
    assert not parsed.fallback
    assert "NOT" in str(parsed.query)
    # a dash inside a word is not an operator
    assert parser.parse("state-of-the-art").terms == ["state", "art"]


def test_phrase_and_parentheses(parser):
    phrase = parser.parse('title:"Graph Neural"')
    assert phrase.query == wq.Phrase("title", ["graph", "neural"])
    assert phrase.terms == ["graph", "neural"]
    grouped = parser.parse("(graph OR attention) deep")
    assert isinstance(grouped.query, wq.And)
    assert grouped.terms == ["graph", "attention", "deep"]


def test_prefix_becomes_one_query_over_all_fields_and_is_highlighted_without_star(parser):
    parsed = parser.parse("Reinforc*")
    assert isinstance(parsed.query, PrefixQuery)
    assert parsed.query.text == "reinforc"
    assert len(parsed.query.fieldnames) == 7
    assert parsed.terms == ["reinforc"]
    assert parser.parse("author:le*").fallback  # two letters: too short
    assert parser.parse("title:gra*").query == PrefixQuery(("title",), "gra", Vocabulary)


def test_a_dashed_prefix_is_cut_where_each_field_cuts_its_words(parser):
    """The index holds "test-time" as two words of a title and `to-read` as one tag."""
    title = parser.parse("title:Test-Tim*").query
    assert title == wq.And([wq.Term("title", "test"), PrefixQuery(("title",), "tim", Vocabulary)])
    assert parser.parse("tag:to-r*").query == PrefixQuery(("tags",), "to-r", Vocabulary)
    # The start of a last word too short to expand: the words before it alone.
    assert parser.parse("title:test-ti*").query == wq.Term("title", "test")
    assert parser.parse("title:mixture-of-exp*").query == wq.And(
        [wq.Term("title", "mixtur"), PrefixQuery(("title",), "exp", Vocabulary)]
    )  # "of", a stop word, is left out as everywhere in prose
    unfielded = parser.parse("test-tim*")
    assert not unfielded.fallback and unfielded.terms == ["test-tim"]
    shapes = {type(sub).__name__: sub for sub in unfielded.query.subqueries}
    assert set(shapes) == {"And", "PrefixQuery"}  # the tags' and categories' whole words


def test_highlight_terms_skip_field_values_other_than_title_and_abstract(parser):
    parsed = parser.parse('author:lee tag:rl year:2024 abstract:Robots "Policy Gradients"')
    assert parsed.terms == ["robots", "policy", "gradients"]


def test_unfielded_stop_words_are_dropped_not_required_in_author_fields(parser):
    parsed = parser.parse("attention is all")
    assert "'is'" not in repr(parsed.query)
    assert parsed.terms == ["attention", "all"]
    assert parser.parse("author:he").query == wq.Term("authors", "he")


@pytest.mark.parametrize("text", NASTY, ids=lambda text: repr(text[:24]))
def test_nasty_queries_never_raise(parser, text):
    parsed = parser.parse(text)
    assert parsed.query is None or isinstance(parsed.query, wq.Query)
    assert all(t == t.lower() and len(t) <= 64 for t in parsed.terms)


@pytest.mark.parametrize(
    ("text", "plain", "terms"),
    [
        ('"unbalanced quote', "unbalanced quote", ["unbalanced", "quote"]),
        ("(deep learning", "deep learning", ["deep", "learning"]),
        ("title:", "", []),
        ("year:abc", "abc", ["abc"]),
        ("re*", "re", ["re"]),
        ("deep AND", "deep and", ["deep"]),
        ("title:[a TO z]", "a to z", []),
        ("*", "", []),
    ],
)
def test_malformed_queries_fall_back_to_plain_words(parser, text, plain, terms):
    parsed = parser.parse(text)
    assert parsed.fallback
    assert parsed.text == plain
    assert parsed.terms == terms


def test_long_input_is_capped(parser):
    parsed = parser.parse("deep " * 2_000)
    assert parsed.fallback
    assert parsed.text == " ".join(["deep"] * 32)
    assert parser.parse("x" * 10_000).query is None


def test_empty_and_control_only_queries_search_nothing(parser):
    for text in ("", "   ", "\x00\x1b[0m"):
        parsed = parser.parse(text)
        assert parsed.query is None
        assert not parsed.fallback


def test_control_characters_are_stripped_before_parsing(parser):
    parsed = parser.parse("\x1b[31mdeep\x07 learning")
    assert parsed.text == "deep learning"
    assert parsed.terms == ["deep", "learning"]
    assert not parsed.fallback


def test_word_positions_point_into_the_parsed_text(parser):
    parsed = parser.parse('title:reinforcment "deep nets" foo:bar')
    spans = [(w.text, parsed.text[w.start : w.end], w.origin) for w in parsed.words]
    assert spans == [
        ("reinforcment", "reinforcment", "title"),
        ("deep", "deep", None),
        ("nets", "nets", None),
        ("foo", "foo", None),
        ("bar", "bar", None),
    ]


def test_words_of_matches_the_index_tokens_before_stemming():
    assert words_of("The Müller-Lyon cs.CL model, 2024 of GPT4 x") == {
        "muller",
        "lyon",
        "cs.cl",
        "model",
        "gpt4",
    }
    paper = Paper(title="Graph Nets", abstract="Message passing", note="Reread")
    assert paper_words(paper) == {"graph", "nets", "message", "passing", "reread"}


def test_vocabulary_lookup_prefixes_and_neighbours(tmp_path):
    vocabulary = Vocabulary(["reinforcement", "graph", "graphs", "learning"])
    assert "graph" in vocabulary and "grap" not in vocabulary
    assert vocabulary.starting_with("gra", 10) == ["graph", "graphs"]
    assert vocabulary.starting_with("gra", 1) == ["graph"]
    assert vocabulary.near("reinforcment", 2) == [(1, "reinforcement")]
    assert vocabulary.add(["graph"]) is False
    assert vocabulary.add(["attention", "graph"]) is True
    vocabulary.save(tmp_path)
    assert Vocabulary.load(tmp_path).words == [
        "attention",
        "graph",
        "graphs",
        "learning",
        "reinforcement",
    ]
    assert len(Vocabulary.load(tmp_path / "missing")) == 0


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(
    st.sets(st.text("abcé", min_size=1, max_size=4), max_size=30),
    st.lists(st.text("abcé\n", max_size=5), max_size=20),
)
def test_a_loaded_vocabulary_knows_the_words_it_was_saved_with(tmp_path_factory, words, probes):
    # Loaded, it answers from the file's text by bisection before it is split into a list.
    folder = tmp_path_factory.mktemp("vocabulary")
    Vocabulary(words).save(folder)
    loaded = Vocabulary.load(folder)
    for probe in [*words, *probes]:
        assert (probe in loaded) == (probe in words), probe
    assert loaded.words == sorted(words)  # and split, the same answers
    assert all((probe in loaded) == (probe in words) for probe in probes)


ATOMS = ['"', "(", ")", "[", "]", "{", "}", "*", ":", "-", "+", "^", "~", " ", "AND", "OR"]
ATOMS += ["NOT", "TO", "title:", "year:", "author:", "tag:", "graph", "2021", "the", "\x00"]


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(ATOMS) | st.text(max_size=3), max_size=12).map("".join))
def test_any_text_parses_without_raising(text):
    parser = PaperQueryParser(make_schema(), Vocabulary)
    parsed = parser.parse(text)
    assert parsed.query is None or isinstance(parsed.query, wq.Query)
    assert all(0 <= w.start <= w.end <= len(parsed.text) for w in parsed.words)


SHORT_WORDS = ["a", "at", "of", "THE", "and", "AND", "NOT", "x", "é", "ón", "1", "ai", "tr"]


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(SHORT_WORDS) | st.text('aé1 -*:"', max_size=3), max_size=4))
def test_what_the_reader_does_not_search_yet_finds_nothing_here_either(words):
    """`nothing_to_search_yet` spares the reader a search of "a" or "at": the parser must
    agree that there is nothing in it to look for (else the reader would hide results)."""
    text = " ".join(words)
    if nothing_to_search_yet(text):
        parsed = PaperQueryParser(make_schema(), Vocabulary).parse(text)
        assert parsed.query is None or parsed.query is wq.NullQuery, text
