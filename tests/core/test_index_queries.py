"""What searches of one fixed index find, rank and suggest, and that no query makes it raise."""

from __future__ import annotations

import random

import pytest
from index_papers import (
    ATTENTION,
    DIFFUSION,
    GNN,
    RENDERING,
    RL,
    RLHF,
    ROBOTS,
    SYNTHESIS,
    ids_by_title,
    make_library,
)

from paperdeck.core.search.index import SearchIndex
from paperdeck.core.search.search_result import SearchResult

NASTY = [
    '"unbalanced',
    "(unbalanced",
    "unbalanced)",
    "title:",
    "*",
    "re*",
    "*former",
    "year:abc",
    "year:[2020 TO",
    "title:[a TO z]",
    "AND",
    "graph OR",
    "NOT",
    "-",
    "x" * 10_000,
    "graph " * 2_000,
    "\x00\x1b[31mgraph\x07\x9b",
    "*:*",
    "^^^",
    "a:b:c:d",
    "{2020 TO 2024]",
]


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """One index for the read-only tests: building it is the slow part."""
    root = tmp_path_factory.mktemp("shared") / "lib"
    with make_library(root) as library, SearchIndex(library) as index:
        index.ensure()
        titles = {v: k for k, v in ids_by_title(library).items()}
        yield index, titles


def found(shared, query: str, **kwargs) -> list[str]:
    index, titles = shared
    return [titles[i] for i in index.search(query, **kwargs).ids]


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("title:graph", [RENDERING, GNN]),
        ("author:lee", [RL]),
        ("author:muller", [GNN]),
        ("abstract:recurrence", [ATTENTION]),
        ("cat:cs.RO", [RL, ROBOTS]),
        ("category:cs.cl", [ATTENTION, RLHF]),
        ("affil:stanford", [RL]),
        ("affiliation:zurich", [GNN]),
        ("year:2021", [DIFFUSION, SYNTHESIS]),
        ("year:[2022 TO 2023]", [RLHF, RENDERING]),
        ("year:>2023", [RL, ROBOTS]),
        ("year:<2020", [ATTENTION]),  # Whoosh's own range split matched every paper here
        ("year:<=2020", [ATTENTION, GNN]),
        ("year:[1000 TO 2019]", [ATTENTION]),
        ("year:[* TO 2017]", [ATTENTION]),  # Lucene's open bound
        ("year:[*to 2017]", [ATTENTION]),
        ("year:[2025 to *]", [ROBOTS]),
        ("year:[2025 TO *]", [ROBOTS]),
        ("year:{2023 TO 2025}", [RL]),
        ("year:<1900", []),
        ("year:[2030 TO 2020]", []),
        ('"graph neural"', [GNN]),
        ('"neural graph"', [RENDERING]),
        ("reinforc*", [RL, RLHF, ATTENTION, ROBOTS]),
        ("learni*", [RL, RLHF, ROBOTS]),
        ("author:vas*", [ATTENTION]),
        ("robot AND learning", [RL, ROBOTS]),
        ("rendering OR recurrence", [RENDERING, ATTENTION]),
        ("reinforcement -robots", [ATTENTION, RLHF]),
        ("reinforcement NOT title:robot", [ATTENTION, RLHF]),
        ("(graph OR diffusion) neural", [GNN, RENDERING]),
        ("networks survey", [GNN]),
    ],
)
def test_queries(shared, query, titles):
    assert sorted(found(shared, query)) == sorted(titles)


def test_title_hit_ranks_above_abstract_hit(shared):
    assert found(shared, "diffusion") == [DIFFUSION, SYNTHESIS]
    assert found(shared, "synthesis") == [SYNTHESIS, DIFFUSION]


def test_limit_keeps_the_exact_total(shared):
    index, _titles = shared
    result = index.search("learning", limit=2)
    assert len(result.ids) == 2
    assert result.total == 3
    assert index.search("learning").ids[:2] == result.ids


RANKING_QUERIES = [
    "learning",
    "reinforcement",
    '"reinforcement learning"',
    '"human feedback"',
    '"feedback human"',
    "neural OR graph",
    "reinforcement -robots",
    'reinforcement -"reinforcement learning"',
    "learni* robot",
    "year:[2020 TO 2025] neural",
    "image synthesis",
    "NOT graph",
    "robot ANDMAYBE learning",
]


@pytest.mark.parametrize("ranked", [0, 1, 2])
@pytest.mark.parametrize("query", RANKING_QUERIES)
def test_hits_beyond_the_ranked_ones_follow_in_index_order(shared, query, ranked):
    index, _titles = shared
    full = index.search(query, ranked=None)
    result = index.search(query, ranked=ranked)
    assert result.total == full.total == len(result.ids)
    assert sorted(result.ids) == sorted(full.ids)
    assert result.ids[:ranked] == full.ids[:ranked]  # the best, in relevance order
    in_index_order = index.search(query, ranked=0).ids
    rest = result.ids[ranked:]
    assert rest == [i for i in in_index_order if i in set(rest)]


def test_phrase_needs_its_words_side_by_side_also_unranked(shared):
    for ranked in (None, 0, 1):
        assert sorted(found(shared, '"reinforcement learning"', ranked=ranked)) == sorted(
            [RL, ROBOTS]  # not RLHF: "reinforcement signals", "Learning from"
        )
        assert found(shared, '"human feedback"', ranked=ranked) == [RLHF]
        assert found(shared, '"feedback human"', ranked=ranked) == []


def test_limit_with_few_ranked_keeps_the_best_and_the_total(shared):
    index, _titles = shared
    full = index.search("learning", ranked=None)
    result = index.search("learning", limit=2, ranked=1)
    assert result.total == full.total == 3
    assert len(result.ids) == 2
    assert result.ids[0] == full.ids[0]
    assert set(result.ids) <= set(full.ids)
    assert index.search("learning", limit=1, ranked=5).ids == full.ids[:1]


def test_positions_are_read_as_whoosh_reads_them():
    from whoosh.formats import Positions

    from paperdeck.core.search.hits import _decode_positions

    positions = Positions()
    rng = random.Random(11)
    cases = [[], [0], [7], [255], [256], [0, 1], [1, 2, 300], [70_000, 70_001]]
    for _ in range(300):
        top = rng.choice([40, 250, 600, 100_000])
        cases.append(sorted(rng.sample(range(top), rng.randint(1, min(top, 40)))))
    for case in cases:
        value = positions.encode(case)
        assert list(_decode_positions(value)) == positions.decode_positions(value) == case


def test_result_carries_highlight_words(shared):
    index, _titles = shared
    result = index.search('Robot* "policy gradients" -graph author:lee')
    assert result.terms == ["robot", "policy", "gradients"]
    assert result.suggestion is None
    assert result.fallback is False


def test_suggestions(shared):
    index, _titles = shared
    assert index.search("reinforcment").suggestion == "reinforcement"
    assert index.search("title:Reinforcment learning").suggestion == "title:reinforcement learning"
    assert index.search("grph nueral").suggestion == "graph neural"
    assert index.search("vaswani").suggestion is None  # an author, not a typo
    assert index.search("zzyzx").suggestion is None  # nothing close


def test_empty_query_is_no_search(shared):
    index, _titles = shared
    assert index.search("") == SearchResult(ids=[], total=0, terms=[], suggestion=None)
    assert index.search("the of").ids == []


@pytest.mark.parametrize("query", NASTY, ids=lambda query: repr(query[:24]))
def test_nasty_queries_never_raise(shared, query):
    result = shared[0].search(query)
    assert result.total == len(result.ids)


def test_random_queries_never_raise(shared):
    index, _titles = shared
    atoms = ['"', "(", ")", "[", "]", "*", ":", "-", "^", "~", " ", "AND", "OR", "NOT", "TO"]
    atoms += ["title:", "year:", "tag:", "graph", "neural", "2021", "reinforc", "é", "\x00", "漢字"]
    rng = random.Random(5)
    for _ in range(300):
        query = "".join(rng.choice(atoms) for _ in range(rng.randint(1, 10)))
        result = index.search(query)
        assert result.total == len(result.ids)


def test_malformed_query_runs_as_plain_words(shared):
    index, titles = shared
    result = index.search('"graph neural')
    assert result.fallback is True
    assert [titles[i] for i in result.ids] == [GNN, RENDERING]
    assert index.search("year:abc").fallback is True


def test_more_like_finds_related_papers_but_not_itself(shared):
    index, titles = shared
    ids = {title: i for i, title in titles.items()}
    similar = [titles[i] for i in index.more_like(ids[RL])]
    assert RL not in similar
    assert similar[0] == ROBOTS
    assert set(similar) >= {ROBOTS, RLHF}
    assert len(index.more_like(ids[RL], limit=1)) == 1
    assert index.more_like("pd-nonexistent") == []


@pytest.mark.parametrize(
    "query", ["robot", "cat:cs.RO", "year:>2023", "tag:later", "reinforc*", "robot -survey"]
)
def test_every_hit_unranked_leaves_out_papers_indexed_again(tmp_path, query):
    """A view listed by date asks for every hit and none ranked (`ranked=0`): a paper
    edited since the index was built is in a newer segment and deleted in the old one,
    and is listed once, as a ranked search lists it."""
    with make_library(tmp_path / "lib") as library, SearchIndex(library) as index:
        index.ensure()
        ids = ids_by_title(library)
        for title in (RL, ROBOTS):
            library.add_tags(ids[title], ["later"])  # indexed again: a deletion each
        index.sync()
        unranked = index.search(query, ranked=0)
        assert len(unranked.ids) == len(set(unranked.ids)) == unranked.total > 0
        assert sorted(unranked.ids) == sorted(index.search(query, ranked=None).ids)
        reader = index._current().reader()
        assert any(leaf.has_deletions() for leaf, _base in reader.leaf_readers())
