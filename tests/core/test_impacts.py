"""Impact lists (`impacts`) and top-k over them (`threshold`) against scoring every hit
(`ranking`): the same k best documents, the same scores bit for bit, in the same order, for
many generated queries on a generated library spread over segments with deletions; what is
read (postings, not time) shows the pruning and the cancellation."""

from __future__ import annotations

import json
import os
import random

import pytest
from demo_index import demo_index_in_segments

from paperdeck.core.cancel import SearchCancelled
from paperdeck.core.importer import import_file
from paperdeck.core.search import (
    conjunction,
    impact_nodes,
    impact_query,
    impacts,
    pairs,
    threshold,
)
from paperdeck.core.search import index_files as files
from paperdeck.core.search.index import SearchIndex
from paperdeck.core.search.ranking import Ranker, best
from paperdeck.core.search.threshold import FIRST_BATCH, Tally, top_k_by_impacts
from paperdeck.core.store import Library

COMMON = ["learning", "model", "language", "large", "neural", "network", "graph", "policy"]
PHRASES = ["large language model", "state of the art", "neural network", "reward model"]
TAIL = [f"w{n}x" for n in range(300)]


def _abstract(rng: random.Random) -> str:
    words = COMMON * 25 + TAIL
    out = []
    for _ in range(rng.randint(10, 120)):
        out.append(rng.choice(PHRASES) if rng.random() < 0.08 else rng.choice(words))
    return " ".join(out)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """2,400 papers written by two processes (two segments), then 40 re-indexed in four
    syncs (more segments, deleted copies in the old ones); "zebra" in 24 papers."""
    rng = random.Random(1717)
    folder = tmp_path_factory.mktemp("impacts")
    path = folder / "papers.jsonl"
    words = COMMON * 30 + TAIL
    with path.open("w", encoding="utf-8") as out:
        for n in range(2400):
            title = " ".join(rng.choice(words) for _ in range(rng.randint(2, 9)))
            paper = {
                "title": f"{title} {n}",
                "authors": [f"Author{n % 17} Person", f"Graph{n % 5} Learning"],
                "abstract": _abstract(rng) + (" zebra" if n % 100 == 7 else ""),
                "date": f"{2020 + n % 5}-01-{1 + n % 28:02d}",
            }
            out.write(json.dumps(paper) + "\n")
    with Library(folder / "lib") as library, SearchIndex(library) as index:
        index.bulk_threshold = 500
        report = import_file(library, path)
        assert report.added == 2400
        index.ensure()
        for n, paper_id in enumerate(report.ids[:40]):
            library.add_tags(paper_id, ["keep"])
            if n % 10 == 9:
                index.sync()
        yield index


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    with demo_index_in_segments(tmp_path_factory.mktemp("impacts-real") / "lib") as index:
        yield index


def _queries(count: int) -> list[str]:
    """Words common and rare, AND, OR, NOT, fielded parts, boosts, ANDMAYBE, prefixes."""
    rng = random.Random(17)
    vocabulary = COMMON * 3 + TAIL[:40] + ["zebra", "nothingsuch"]

    def word() -> str:
        return rng.choice(vocabulary)

    shapes = [
        lambda: word(),
        lambda: f"{word()} {word()}",
        lambda: f"{word()} {word()} {word()}",
        lambda: f"{word()} OR {word()}",
        lambda: f"{word()} OR {word()} OR {word()}",
        lambda: f"{word()} -{word()}",
        lambda: f"{word()} NOT {word()}",
        lambda: f"title:{word()} {word()}",
        lambda: f"title:{word()} OR abstract:{word()}",
        lambda: f"{word()}^3 OR {word()}",
        lambda: f"author:author{rng.randrange(17)} {word()}",
        lambda: f"author:learning OR {word()}",
        lambda: f"{word()} ANDMAYBE {word()}",
        lambda: f"({word()} OR {word()}) AND {word()}",
        lambda: f"tag:keep OR {word()}",
        lambda: f"year:{rng.randrange(2020, 2025)} {word()}",
        lambda: f"{word()} w1*",
    ]
    return [rng.choice(shapes)() for _ in range(count)]


def _check(index: SearchIndex, text: str, k: int) -> None:
    searcher = index._current()
    q = index._parser.parse(text).query
    assert q is not None
    scores = Ranker().scores(searcher, q)
    head, _order = best(scores, k)
    found = top_k_by_impacts(Ranker(), searcher, q, k, _files(index))
    assert found is not None, f"{text!r} was not answered from the impact lists"
    assert found.docs == head, text
    assert found.scores == [scores[d] for d in head], text  # bit for bit
    if found.exact:
        assert found.estimate == len(scores) and found.every == scores
    # The complete search: every hit in index order, from the lists' documents (no scores)
    counted = top_k_by_impacts(Ranker(), searcher, q, k, _files(index), count=True)
    assert counted is not None and counted.docs == head
    assert counted.hits is not None and list(counted.hits) == sorted(scores), text
    # The hits alone (the complete search once the best are known): none scored, none ranked
    hits_only = top_k_by_impacts(Ranker(), searcher, q, 0, _files(index), count=True)
    assert (
        hits_only is not None
        and hits_only.docs == []
        and list(hits_only.hits or ()) == sorted(scores)
    )


def _files(index: SearchIndex):
    state = index._state
    return lambda reader: index._impacts.get(reader, state.sums)


@pytest.mark.parametrize("text", _queries(150))
@pytest.mark.parametrize("k", [1, 10, 200])
def test_the_same_best_as_scoring_every_hit(generated: SearchIndex, text: str, k: int) -> None:
    _check(generated, text, k)


@pytest.mark.parametrize(
    "text",
    [
        "language",
        "language models",
        "large language models",
        "reasoning OR retrieval",
        "diffusion -video",
        "agent NOT benchmark",
        "title:reasoning",
        "author:wang",
        "cat:cs.CL",
        "tag:keep",
        "year:2025 reasoning",
        "learn* agents",
        "(vision OR speech) AND model",
        "reasoning ANDMAYBE reinforcement",
        "title:model^3 OR abstract:model",
    ],
)
@pytest.mark.parametrize("k", [1, 10, 200])
def test_real_listings_in_segments_with_deletions(real: SearchIndex, text: str, k: int) -> None:
    _check(real, text, k)


def test_the_library_is_spread_over_segments_with_deletions(generated: SearchIndex) -> None:
    leaves = [leaf for leaf, _base in generated._current().reader().leaf_readers()]
    assert len(leaves) >= 3
    assert any(leaf.has_deletions() for leaf in leaves)


def test_a_common_word_is_answered_from_the_top_of_its_list(generated: SearchIndex) -> None:
    """What makes it fast, as counts: a word in most papers, its best 10 found after
    reading a small part of its list."""
    searcher = generated._current()
    q = generated._parser.parse("learning").query
    hits = Ranker().scores(searcher, q)
    assert len(hits) > 2000
    found = top_k_by_impacts(Ranker(), searcher, q, 10, _files(generated))
    assert found is not None and not found.exact
    assert found.read < len(hits) / 5
    assert found.estimate >= len(hits) * 0.8  # "about N": from the lists' lengths


def test_a_common_word_with_a_rare_one_costs_what_the_rare_one_costs(
    generated: SearchIndex,
) -> None:
    searcher = generated._current()
    q = generated._parser.parse("learning zebra").query
    expected = Ranker().scores(searcher, q)
    assert 0 < len(expected) < 30
    found = top_k_by_impacts(Ranker(), searcher, q, 200, _files(generated))
    assert found is not None and found.exact and found.estimate == len(expected)
    segments = len(list(searcher.leaf_searchers()))
    # Each segment: the rare word's list to its end, and one batch of each other list.
    assert found.read <= segments * 8 * FIRST_BATCH


def _ands_of_common_words() -> list[str]:
    """Every pair of the common words, triples, and a few with a word left out or repeated:
    each word in most papers (the AND that `conjunction` reads)."""
    pairs = [f"{a} {b}" for n, a in enumerate(COMMON) for b in COMMON[n + 1 :]]
    rng = random.Random(13)
    triples = [" ".join(rng.sample(COMMON, 3)) for _ in range(12)]
    return [*pairs, *triples, "large language model -graph", "model model", "zebra learning"]


@pytest.mark.parametrize("text", _ands_of_common_words())
@pytest.mark.parametrize("k", [1, 10, 200])
def test_an_and_of_common_words_is_the_same_as_scoring_every_hit(
    generated: SearchIndex, text: str, k: int
) -> None:
    _check(generated, text, k)


@pytest.mark.parametrize("text", _ands_of_common_words()[::4])
@pytest.mark.parametrize("prune_at", [1, 10**9])
def test_an_and_is_the_same_however_often_its_noted_papers_are_passed_over(
    generated: SearchIndex, text: str, prune_at: int, monkeypatch
) -> None:
    """The noted papers passed over as soon as they double (1), or only when the reading
    may stop (10**9): the same k best, scores and count either way."""
    monkeypatch.setattr(conjunction, "PRUNE_AT", prune_at)
    for k in (1, 10, 200):
        _check(generated, text, k)


def _scored(generated: SearchIndex, text: str, k: int, monkeypatch, conjunction: bool) -> int:
    """Papers scored (`And.exact` calls) for the k best of ``text``."""
    calls: list[int] = []
    exact = impact_nodes.And.exact

    def counted(self, d):
        calls.append(d)
        return exact(self, d)

    with monkeypatch.context() as patched:
        patched.setattr(impact_nodes.And, "exact", counted)
        if not conjunction:
            patched.setattr(threshold, "words_of", lambda node: None)
        searcher = generated._current()
        q = generated._parser.parse(text).query
        found = top_k_by_impacts(Ranker(), searcher, q, k, _files(generated))
    assert found is not None
    return len(calls)


@pytest.mark.parametrize("text", ["large language model", "neural network", "graph policy model"])
def test_an_and_of_common_words_scores_few_papers(
    generated: SearchIndex, text: str, monkeypatch
) -> None:
    """What makes it fast, as counts: the threshold algorithm scores every paper it reads;
    the AND's reading scores a fraction of them, for the same result (above)."""
    q = generated._parser.parse(text).query
    node_words = [conjunction.words_of(node) for node in _nodes(generated, q)]
    assert all(words is not None and len(words) == len(text.split()) for words in node_words)
    every = _scored(generated, text, 10, monkeypatch, conjunction=False)
    fewer = _scored(generated, text, 10, monkeypatch, conjunction=True)
    assert fewer < every / 2, (fewer, every)


def _nodes(index: SearchIndex, q):
    from paperdeck.core.search.impact_query import Builder
    from paperdeck.core.search.ranking import _Run

    searcher = index._current()
    run = _Run(Ranker(), searcher, relax=False)
    files = _files(index)
    return [
        Builder(run, leaf, leaf.reader(), files(leaf.reader()), Tally()).node(q)
        for leaf, _offset in searcher.leaf_searchers()
        if leaf.reader().doc_count_all()
    ]


def test_a_cancelled_and_of_common_words_stops_reading_at_once(generated: SearchIndex) -> None:
    searcher = generated._current()
    q = generated._parser.parse("large language model").query
    asked: list[int] = []

    def cancel() -> bool:
        asked.append(1)
        return len(asked) > 2

    with pytest.raises(SearchCancelled):
        top_k_by_impacts(Ranker(), searcher, q, 10, _files(generated), cancel)
    assert len(asked) == 3


def test_a_newer_key_is_looked_for_before_each_segments_lists_are_read(
    generated: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Building a segment's query reads its words' impact lists whole (three common words
    at a million papers: ~100 ms in all), so the cancel check is asked between segments."""
    searcher = generated._current()
    segments = [leaf for leaf, _ in searcher.leaf_searchers() if leaf.reader().doc_count_all()]
    assert len(segments) > 2
    q = generated._parser.parse("large language model").query
    built: list[int] = []
    original = impact_query.Builder.node

    def node(self: impact_query.Builder, part: object) -> object:
        built.append(id(self))  # (one builder a segment; it calls itself for the parts)
        return original(self, part)  # type: ignore[arg-type]

    monkeypatch.setattr(impact_query.Builder, "node", node)
    asked: list[int] = []

    def cancel() -> bool:
        asked.append(1)
        return len(asked) > 1

    with pytest.raises(SearchCancelled):
        top_k_by_impacts(Ranker(), searcher, q, 10, _files(generated), cancel)
    assert len(set(built)) == 1


def test_a_phrase_of_common_words_is_read_from_its_pairs(
    generated: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(threshold, "WHOLE", 0)  # (this library's would be scored whole)
    searcher = generated._current()
    q = generated._parser.parse('"large language model"').query
    ranker = generated._new_ranker()
    found = top_k_by_impacts(ranker, searcher, q, 10, _files(generated))
    every = ranker.scores(searcher, q)
    assert found is not None and found.docs == best(every, 10)[0]
    fast = generated.search('"large language model"', complete=False)
    assert fast.ids[:200] == generated.search('"large language model"').ids[:200]
    # Without pairs, a phrase of words in many papers is read by its words' lists, its
    # positions checked only for the papers that may be among the best
    monkeypatch.setattr(pairs, "ENABLED", False)
    monkeypatch.setattr(impact_query, "FEW", 0)  # (this library is small)
    ranker, tally = generated._new_ranker(), Tally()
    found = top_k_by_impacts(ranker, searcher, q, 10, _files(generated), tally=tally)
    every = ranker.scores(searcher, q)
    assert found is not None and found.docs == best(every, 10)[0]
    assert found.scores == [every[d] for d in found.docs]
    assert 10 <= tally.checked < len(every) / 4, (tally.checked, len(every))


def test_a_cancelled_search_stops_reading_at_once(generated: SearchIndex) -> None:
    """A cancel check that flips mid-search: SearchCancelled, no check asked after it, and
    far fewer postings read than the search reads to its end."""
    searcher = generated._current()
    q = generated._parser.parse("learning OR model OR graph").query
    whole = Tally()
    top_k_by_impacts(Ranker(), searcher, q, 10**6, _files(generated), tally=whole)
    asked: list[int] = []
    # (asked once before each segment's query is built, then before each batch read)
    building = sum(1 for leaf, _ in searcher.leaf_searchers() if leaf.reader().doc_count_all())

    def cancel() -> bool:
        asked.append(1)
        return len(asked) > building + 3

    stopped = Tally()
    with pytest.raises(SearchCancelled):
        top_k_by_impacts(Ranker(), searcher, q, 10**6, _files(generated), cancel, stopped)
    assert len(asked) == building + 4
    assert 0 < stopped.read < whole.read / 4


@pytest.mark.parametrize("text", ["learning", "graph policy", "zebra", "model -graph"])
def test_search_best_first_agrees_with_the_complete_search(
    generated: SearchIndex, text: str
) -> None:
    generated.drop_caches()
    fast = generated.search(text, complete=False)
    full = generated.search(text)  # the best known: only the hits are found
    assert fast.ids == full.ids[: len(fast.ids)] and len(fast.ids) == min(200, full.total)
    assert fast.total == full.total or (fast.estimated and not fast.complete)
    generated.drop_caches()
    alone = generated.search(text)  # the best and the hits found again, together
    assert (alone.ids, alone.total) == (full.ids, full.total)


@pytest.mark.parametrize("text", ["graph policy", "model -graph", "learning OR zebra"])
def test_the_complete_search_takes_the_best_from_the_pass_before(
    generated: SearchIndex, text: str, monkeypatch
) -> None:
    generated.drop_caches()
    fast = generated.search(text, complete=False)
    assert not fast.complete  # not every hit was scored: the best are kept, not their scores
    monkeypatch.setattr(generated, "_best", lambda *args: pytest.fail("searched the best again"))
    full = generated.search(text)
    assert full.ids[: len(fast.ids)] == fast.ids and full.complete


def _impact_files(index: SearchIndex) -> set[str]:
    return {path.name for path in index.path.glob(f"*{impacts.SUFFIX}")}


def _segment_files(index: SearchIndex) -> set[str]:
    reader = index._current().reader()
    return {
        impacts.file_name(leaf.segment().segment_id())
        for leaf, _base in reader.leaf_readers()
        if leaf.doc_count_all()
    }


def test_each_segment_has_its_lists_recorded_with_checksums(tmp_path) -> None:
    with demo_index_in_segments(tmp_path / "lib") as index:
        state, _stat = files.read_state(index.path)
        assert state is not None
        # merged-away segments' lists went with them
        assert _impact_files(index) == _segment_files(index)
        for name in _impact_files(index):
            assert name in state.files and state.sums[name]


def test_missing_lists_are_derived_again_and_searches_never_fail(tmp_path) -> None:
    """An index written before the lists existed: searches answer (the block-max way) and
    `ensure` writes the lists, recorded in the state."""
    with demo_index_in_segments(tmp_path / "lib") as index:
        expected = index.search("language models").ids
        for name in _impact_files(index):
            (index.path / name).unlink()
        index.close()
        assert index.search("language models", complete=False).ids == expected[:200]
        assert not _impact_files(index)
        index.ensure()
        assert _impact_files(index) == _segment_files(index)
        state, _stat = files.read_state(index.path)
        assert state is not None and all(name in state.sums for name in _impact_files(index))
        assert index.search("language models", complete=False).ids == expected[:200]


def test_a_damaged_list_is_set_aside(tmp_path) -> None:
    with demo_index_in_segments(tmp_path / "lib") as index:
        expected = index.search("language models").ids[:200]
        index.close()
        for name in _impact_files(index):
            path = index.path / name
            data = bytearray(path.read_bytes())
            data[20] ^= 0xFF  # inside the first word's arrays
            stat = path.stat()
            path.write_bytes(bytes(data))
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # as if never touched
        assert index.search("language models", complete=False).ids == expected


@pytest.mark.parametrize("where", ["find", "value"])
def test_lists_whose_directory_fails_while_read_are_set_aside(tmp_path, monkeypatch, where):
    """The directory is read as it is asked (`word_table`), the pair files' too: damage
    found there leaves the search to the slower way, the same, the index not damaged."""
    from paperdeck.core.search.checksums import ChecksumMismatch
    from paperdeck.core.search.word_table import WordTable

    with demo_index_in_segments(tmp_path / "lib") as index:
        expected = {q: index.search(q).ids[:200] for q in ["language models", '"language models"']}

        def damaged(self, *args):
            raise ChecksumMismatch("block 1 does not match its checksum")

        monkeypatch.setattr(WordTable, where, damaged)
        index.drop_caches()
        for query, ids in expected.items():
            assert index.search(query, complete=False).ids == ids
            assert index.search(query).ids[:200] == ids


def test_impact_lists_kept_between_searches_are_bounded_by_bytes(generated: SearchIndex) -> None:
    """The cache counts a list by the bytes of its arrays, not as one entry: a budget of a
    few lists' bytes keeps only a few, however many words are searched."""
    from paperdeck.core.search.postings import Postings, footprint

    searcher = generated._current()
    leaves = [leaf for leaf, _base in searcher.reader().leaf_readers()]
    reader = max(leaves, key=lambda leaf: leaf.doc_count_all())
    source = generated._impacts.get(reader, generated._state.sums)
    assert source is not None
    common = source.read(source.find(b"learn"))
    assert footprint(common) == common.nbytes >= 8 * len(common) > 8 * 1000
    postings = Postings(budget=3 * common.nbytes)
    for word in [b"learn", b"model", b"languag", b"larg", b"neural", b"network", b"graph"]:
        n = source.find(word)
        postings.remember(reader, ("impact", word), lambda n=n: source.read(n))
        assert postings._size <= postings.budget
    assert 0 < len(postings._kept) < 7


def test_a_list_that_fails_its_checksum_while_read_is_set_aside(tmp_path, monkeypatch) -> None:
    """Damage found inside a word's arrays (not at open): the search answers the slower
    way, the same, and the index is not declared damaged."""
    from paperdeck.core.search.checksums import ChecksumMismatch

    with demo_index_in_segments(tmp_path / "lib") as index:
        expected = index.search("language models").ids[:200]

        def damaged(self, n):
            raise ChecksumMismatch("block 3 does not match its checksum")

        monkeypatch.setattr(impacts.ImpactFile, "read", damaged)
        index.drop_caches()
        assert index.search("language models", complete=False).ids == expected
        assert index.search("language models").ids[:200] == expected
