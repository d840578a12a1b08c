"""Phrases through the word-pair fields (`pairs`) find and rank exactly what the positions of
their words find: the same hits, the same scores bit for bit, the same order, on a generated
library of common words spread over segments with deletions."""

from __future__ import annotations

import json
import random

import pytest
from whoosh import query as wq

from paperdeck.core.importer import import_file
from paperdeck.core.search import pairs, threshold
from paperdeck.core.search.impact_nodes import Tally
from paperdeck.core.search.impact_phrases import PhraseField, phrase_field
from paperdeck.core.search.index import SearchIndex
from paperdeck.core.search.pair_files import PairFile
from paperdeck.core.search.pairs import PairFormat, decode, encode, pair_field, study
from paperdeck.core.search.ranking import Ranker, _Run, top
from paperdeck.core.search.threshold import top_k_by_impacts
from paperdeck.core.search.topk import top_k
from paperdeck.core.store import Library

COMMON = ["large", "language", "model", "models", "learning", "neural", "network", "deep"]
STOPS = ["of", "the", "a", "to", "in", "and", "for"]
COLLOCATIONS = [
    "large language model",
    "large language models",
    "state of the art",
    "learning to learn",
    "model of the model",
    "deep neural network",
    "language model language model",
    "neural network",
]
PHRASES = [
    '"large language"',
    '"language model"',
    '"large language model"',
    '"large language models"',
    '"deep neural network"',
    '"large language model language"',
    '"language model language model"',
    '"state of the art"',  # stop words inside: "state art"
    '"state of art"',
    '"model of the model"',  # a word repeated: "model model"
    '"model model"',
    '"learning to learn"',
    '"learn learn"',
    '"network large"',  # mostly across a title's end and its abstract's start
    '"neural network" -"deep neural network"',  # negated phrases
    '-"large language" model',
    '"large language" -learning',
    '"large language" mod*',  # prefix and wildcard neighbours
    'langu* "neural network"',
    '"neural network" OR "large language model"',
    '"large language model" AND neural',
    'title:"large language model"',
    'abstract:"deep neural network"',
    'author:"ada lovelace"',  # across two authors: "Grace Ada" + "Lovelace Byron"
    'author:"lovelace byron"',
    'author:"byron grace"',
    'note:"neural network"',
    '"large language model"^2 OR title:model',
    '"w17x w18x"',
    '"zebra language model"',
    '"zebra language"',
    '"language model zebra"',
    '"zzz qqq"',
]


def _text(rng: random.Random, vocabulary: list[str], low: int, high: int) -> str:
    words = []
    for _ in range(rng.randint(low, high)):
        roll = rng.random()
        if roll < 0.12:
            words.append(rng.choice(COLLOCATIONS))
        elif roll < 0.3:
            words.append(rng.choice(STOPS))
        else:
            words.append(rng.choice(vocabulary))
    return " ".join(words)


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    """800 papers in several segments (edits re-index some, leaving deleted copies)."""
    rng = random.Random(23)
    vocabulary = COMMON * 12 + [f"w{n}x" for n in range(300)]
    folder = tmp_path_factory.mktemp("pairs")
    path = folder / "papers.jsonl"
    names = ["Grace Ada", "Lovelace Byron", "Alan Turing", "Ada Lovelace"]
    with path.open("w", encoding="utf-8") as out:
        for n in range(800):
            paper = {
                "title": f"{_text(rng, vocabulary, 2, 8)} t{n}",
                "authors": rng.sample(names, rng.randint(1, 3)),
                "abstract": _text(rng, vocabulary, 10, 90),
                "date": f"2023-02-{1 + n % 28:02d}",
            }
            if n % 40 == 3:  # a word too rare to be common; "zebra language": a collocation
                paper["abstract"] += " zebra language model"
            if n % 9 == 0:  # a title ending "... network", an abstract starting "large ..."
                paper["title"] += " neural network"
                paper["abstract"] = "large " + paper["abstract"]
            out.write(json.dumps(paper) + "\n")
    with Library(folder / "lib") as library, SearchIndex(library) as index:
        report = import_file(library, path)
        assert report.added == 800
        index.ensure()
        for n, paper_id in enumerate(report.ids[:120]):
            library.set_note(paper_id, _text(rng, vocabulary, 3, 20))
            if n % 20 == 19:
                index.sync()
        index.sync()
        yield index


@pytest.fixture(autouse=True)
def _read_from_the_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    """This library's phrases are few enough to be scored whole (`threshold.WHOLE`): here
    they are read best first from their pairs, what a larger library does."""
    monkeypatch.setattr(threshold, "WHOLE", 0)


def _without_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pairs, "ENABLED", False)


def test_the_library_has_segments_deletions_and_pairs(index: SearchIndex) -> None:
    reader = index._current().reader()
    leaves = [leaf for leaf, _base in reader.leaf_readers()]
    assert len(leaves) >= 3
    assert any(leaf.has_deletions() for leaf in leaves)
    assert ("abstract_pairs", b"larg languag") in reader
    assert ("title_pairs", b"larg languag") in reader
    assert ("authors_pairs", b"ada lovelace") in reader


@pytest.mark.parametrize("text", PHRASES)
def test_the_same_scores_as_from_the_words_positions(index, text, monkeypatch) -> None:
    searcher = index._current()
    q = index._parser.parse(text).query
    assert q is not None
    paired = Ranker().scores(searcher, q)  # Whoosh's pair postings
    compact = index._new_ranker().scores(searcher, q)  # the segments' pair files
    _without_pairs(monkeypatch)
    positions = Ranker().scores(searcher, q)
    assert paired == positions  # the same documents, the same scores bit for bit
    assert compact == positions
    # ... and the same documents as Whoosh's own phrase matching (through spans)
    assert paired.keys() == {docnum for _score, docnum in searcher.search(q, limit=None).top_n}


@pytest.mark.parametrize("text", PHRASES)
def test_the_same_results_in_the_same_order(index, text, monkeypatch) -> None:
    index.drop_caches()
    ranked = index.search(text, ranked=None)
    first = index.search(text, complete=False)
    best = top_k(Ranker(), index._current(), index._parser.parse(text).query, 20, window=64)
    _without_pairs(monkeypatch)
    index.drop_caches()
    assert index.search(text, ranked=None) == ranked
    positions = index.search(text, complete=False)
    # The pairs' orders stop early: the same best in the same order, the total estimated
    same = ("ids", "terms", "suggestion", "fallback", "complete", "widened")
    assert [getattr(first, name) for name in same] == [getattr(positions, name) for name in same]
    if not (first.estimated or positions.estimated):
        assert first.total == positions.total
    again = top_k(Ranker(), index._current(), index._parser.parse(text).query, 20, window=64)
    assert (best.docs, best.scores, best.estimate) == (again.docs, again.scores, again.estimate)


@pytest.mark.parametrize("deep", [False, True])
@pytest.mark.parametrize("k", [1, 7, 40])
@pytest.mark.parametrize("text", PHRASES)
def test_the_pairs_orders_give_the_best_of_every_hit(index, text, k, deep, monkeypatch) -> None:
    """Read best first from the pairs' orders (`impact_phrases`): the k best of scoring
    every hit, with the same scores bit for bit and equal scores in index order; ``deep``:
    never given up for reading too deep, so the bounds alone stop the reading."""
    if deep:
        monkeypatch.setattr(threshold, "DEEP", 10.0)
        monkeypatch.setattr(threshold, "SHALLOW", 10**9)
    searcher = index._current()
    q = index._parser.parse(text).query
    every = index._new_ranker().scores(searcher, q)
    found = index._impacts_top_k(searcher, q, k, None)
    assert found is not None  # each of these phrases is served without the windows
    assert found.docs == top(every, k)
    assert found.scores == [every[d] for d in found.docs]


def test_a_common_phrase_reads_a_fraction_of_its_pairs(index) -> None:
    searcher = index._current()
    q = index._parser.parse('"large language model"').query
    tally = Tally()
    sums = index._sums()
    found = top_k_by_impacts(
        index._new_ranker(), searcher, q, 5, lambda r: index._impacts.get(r, sums), tally=tally
    )
    assert found is not None and not found.exact  # stopped before every hit was scored
    run = _Run(index._new_ranker(), searcher, relax=False)
    listed = 0  # the postings of its pairs, in every field and segment
    for leaf, _offset in searcher.leaf_searchers():
        for fieldname in ("title", "abstract", "note"):
            phrase = wq.Phrase(fieldname, ["larg", "languag", "model"])
            node = phrase_field(run, leaf.reader(), phrase, Tally())
            if isinstance(node, PhraseField):
                listed += sum(len(found) for found in node.lists)
    assert listed > 1000
    assert 0 < tally.read < listed  # (here half: 32 of each pair a segment at least)


def test_phrases_alone_of_few_papers_are_scored_whole(index, monkeypatch) -> None:
    """Below `threshold.WHOLE` postings of pairs, phrases alone are scored at once (their
    count comes with their best); a phrase beside a word is still read best first."""
    monkeypatch.setattr(threshold, "WHOLE", 10**9)
    searcher = index._current()
    alone = index._parser.parse('"large language model" OR "neural network"').query
    assert index._impacts_top_k(searcher, alone, 40, None) is None
    first = index.search('"large language model"', complete=False)
    assert first.total == index.search('"large language model"').total and not first.estimated
    beside = index._parser.parse('"large language" learning').query
    assert index._impacts_top_k(searcher, beside, 40, None) is not None


def test_a_pair_file_failing_mid_search_is_set_aside(index, monkeypatch) -> None:
    """A pair list that cannot be read sets its file aside; that segment's phrases are
    then scored from Whoosh's pair postings, the others' still read best first, and the
    best are the same."""
    text = '"large language model" OR "neural network"'
    searcher = index._current()
    q = index._parser.parse(text).query
    every = index._new_ranker().scores(searcher, q)
    index.drop_caches()
    failed: list[str] = []
    reading = PairFile.read

    def read(self, fieldname, n):
        if not failed:
            failed.append(self.segment)
            raise ValueError("a pair list ends early")
        return reading(self, fieldname, n)

    monkeypatch.setattr(PairFile, "read", read)
    try:
        found = index._impacts_top_k(searcher, q, 40, None)
        assert failed
        assert found is None or found.docs == top(every, 40)
        assert index.search(text, complete=False).ids[:40] == index.search(text).ids[:40]
        assert index._new_ranker().scores(searcher, q) == every
    finally:
        index._pairs.discard()  # (opened again, sound, by the tests after this one)
        index.drop_caches()


def test_a_phrase_read_too_deep_is_scored_whole(index, monkeypatch) -> None:
    """Where a phrase's papers score alike its bound stays above the k-th best: past a
    share of its pairs read best first, every hit is scored instead, with the same best."""
    text = '"large language model"'
    searcher = index._current()
    q = index._parser.parse(text).query
    expected = index.search(text, complete=False)
    monkeypatch.setattr(threshold, "DEEP", 0.01)
    monkeypatch.setattr(threshold, "SHALLOW", 0)
    assert index._impacts_top_k(searcher, q, 40, None) is None
    index.drop_caches()
    again = index.search(text, complete=False)
    assert again.ids == expected.ids


def test_each_pairs_bound_is_above_every_score_after_it(index) -> None:
    """Walking a pair's order, its bound never rises and never falls below the score of
    the 2-word phrase in the papers still to read (the bound is what stops the reading)."""
    searcher = index._current()
    ranker = index._new_ranker()
    run = _Run(ranker, searcher, relax=False)
    walked = 0
    for leaf, _offset in searcher.leaf_searchers():
        reader = leaf.reader()
        for fieldname, words in [
            ("abstract", ["larg", "languag"]),
            ("title", ["neural", "network"]),
        ]:
            node = phrase_field(run, reader, wq.Phrase(fieldname, words), Tally())
            assert isinstance(node, PhraseField)
            [stream] = node.pairs
            last = float("inf")
            while (bound := stream.bound()) is not None:
                assert bound <= last
                [d] = stream.read(1)
                score = node.exact(d)
                assert score is not None and score <= bound * (1 + 1e-9) + 1e-9
                last = bound
                walked += 1
    assert walked > 200


def test_a_later_pairs_bound_is_above_its_second_words_score_after_it(index) -> None:
    """A later pair of a longer phrase is read by its second word's score alone, so the
    streams' bounds sum each word once (`pair_order`)."""
    searcher = index._current()
    run = _Run(index._new_ranker(), searcher, relax=False)
    walked = 0
    for leaf, _offset in searcher.leaf_searchers():
        reader = leaf.reader()
        for fieldname in ("abstract", "title"):
            phrase = wq.Phrase(fieldname, ["larg", "languag", "model"])
            node = phrase_field(run, reader, phrase, Tally())
            assert isinstance(node, PhraseField)
            later = node.pairs[1]
            boost = reader.schema[fieldname].format.field_boost
            last = float("inf")
            while (bound := later.bound()) is not None:
                assert bound <= last
                [d] = later.read(1)
                i = later.list.docs.index(d)
                weight = later.list.seconds[i] * boost
                score = node.ks[2] * weight / (weight + node.norm[node.lengths[d]])
                assert score <= bound * (1 + 1e-9) + 1e-9
                last = bound
                walked += 1
    assert walked > 200


def test_most_phrases_find_something(index) -> None:
    """The comparisons above prove little about phrases that find nothing."""
    found = {text: index.search(text).total for text in PHRASES}
    assert sum(1 for total in found.values() if total) >= len(PHRASES) - 4
    assert found['"zzz qqq"'] == 0
    assert found['"large language model"'] > 50
    assert found['"zebra language model"'] == 20
    assert 0 < found['"network large"'] < index.search('"neural network"').total


def test_a_phrase_reads_its_pairs_never_its_words(index) -> None:
    searcher = index._current()
    ranker = Ranker()
    q = index._parser.parse('"large language model"').query
    assert ranker.scores(searcher, q)
    terms = {(key[1], key[2]) for key in ranker.postings.kept() if key[0] == "blocks"}
    assert ("abstract_pairs", b"larg languag") in terms
    assert ("abstract_pairs", b"languag model") in terms
    assert not any(name in ("title", "abstract") for name, _text in terms)


def test_a_pair_posting_holds_both_counts_and_the_positions() -> None:
    assert encode(2, 1, [4, 9]) == bytes([2, 1, 4, 5])
    assert encode(300, 1, [5, 400]) == bytes([0xAC, 0x02, 1, 5, 0x8B, 0x03])
    for counts in [(2, 1, [4, 9]), (300, 1, [5, 400]), (1, 1, [0]), (7, 200, [130, 131])]:
        first, second, at = decode(encode(*counts))
        assert (first, second, list(at)) == counts


def test_pairs_are_the_adjacent_common_words_as_the_field_indexes_them() -> None:
    from paperdeck.core.search.index_files import make_schema

    schema = make_schema()
    found = {
        text: (freq, decode(value)[:2], list(decode(value)[2]))
        for text, freq, _weight, value in PairFormat({"model", "world"}).word_values(
            "The model of the model: a model world.", schema["abstract"].analyzer, mode="index"
        )
    }
    # "the" (stopped) keeps place 0; "model" is there 3 times, "world" once
    assert found == {"model model": (2, (3, 3), [1, 2]), "model world": (1, (3, 1), [3])}
    assert pair_field("title") in schema.names()
    authors = PairFormat({"ada", "lovelace", "alan"})  # "turing" is not common
    names = authors.word_values(
        "Ada Lovelace\nAlan Turing", schema["authors"].analyzer, mode="index"
    )
    assert {text for text, *_rest in names} == {"ada lovelace", "lovelace alan"}


def test_common_words_are_the_most_frequent_within_the_pairs_budget() -> None:
    from paperdeck.core.models import Paper
    from paperdeck.core.search.index_files import make_schema

    papers = [
        Paper(
            id=f"p{n}",
            title=f"Large models {n + 100} {n + 1000} {n + 2000}",
            abstract="models" if n < 5 else "",
        )
        for n in range(100)
    ]
    found = study(make_schema(), papers)
    assert found.common["title"] == {"larg", "model"}  # numbers: one paper each
    assert found.common["abstract"] == {"model"}  # in 5 of 100
    assert found.common["note"] == frozenset()
    # title: 5 words and the pair "larg model"; 5 abstracts of one word; 10 others
    assert found.postings_per_paper == 6 + 5 / 100 + 10
    # a pair in every title costs a third of the title's postings: over the budget
    short = [Paper(id=f"p{n}", title=f"Large models {n + 100}") for n in range(100)]
    assert len(study(make_schema(), short).common["title"]) == 1  # one of the two


def test_the_index_pairs_the_common_words_of_its_library(index) -> None:
    schema = index._current().schema
    fmt = schema["abstract_pairs"].format
    assert {"larg", "languag", "model", "neural"} <= fmt.common
    assert "zebra" not in fmt.common  # in 2.5% of the papers
    assert ("zebra", "languag") in fmt.collocations  # side by side in those 2.5%
    assert ("languag", "zebra") not in fmt.collocations
    assert ("larg", "languag") not in fmt.collocations  # both common: paired already
    assert fmt.answers(["zebra", "languag", "model"])  # a collocation, then common words
    assert not fmt.answers(["languag", "model", "zebra"])
    assert not fmt.answers(["w17x", "w18x"])


def test_a_phrase_of_a_collocation_is_read_from_the_pairs(index, monkeypatch) -> None:
    searcher = index._current()
    reader = searcher.reader()
    assert ("abstract_pairs", b"zebra languag") in reader
    assert ("abstract_pairs", b"model zebra") not in reader
    leaf, _base = reader.leaf_readers()[0]
    files = index._pairs.get(leaf, index._sums())
    assert files is not None
    found = pairs.phrase_pairs(leaf, "abstract", ["zebra", "languag", "model"], files)
    assert found == ("abstract_pairs", [b"zebra languag", b"languag model"])
    assert pairs.phrase_pairs(leaf, "abstract", ["languag", "model", "zebra"], files) is None
    ranker = Ranker()
    q = index._parser.parse('abstract:"zebra language model"').query
    scores = ranker.scores(searcher, q)
    assert len(scores) == 20  # every 40th of the 800 papers
    fields = {key[1] for key in ranker.postings.kept() if key[0] == "blocks"}
    assert fields == {"abstract_pairs"}  # never the words' positions
    _without_pairs(monkeypatch)
    assert Ranker().scores(searcher, q) == scores


def test_collocations_are_the_most_frequent_pairs_of_words_not_both_common() -> None:
    from paperdeck.core.models import Paper
    from paperdeck.core.search.index_files import make_schema

    papers_of = {"monte carlo": 7, "dark matter": 6, "black hole": 6, "phase transition": 4}
    papers_of["cosmic string"] = 1

    def abstract(n: int) -> str:  # the first 7 papers "... monte carlo", the next 6 ...
        for pair, papers in papers_of.items():
            if n < papers:
                return f"w{n}x {pair}"
            n -= papers
        return f"w{n}x"

    papers = [Paper(id=f"p{n}", title=f"t{n}", abstract=abstract(n)) for n in range(400)]
    found = study(make_schema(), papers)
    assert found.common["abstract"] == frozenset()  # no word in 2% (8) of the papers
    # 5% of the 448 word postings: 7 + 6 + 6 fit, "phase transit" (4 more) does not, and
    # "cosmic string" is in one paper
    assert found.collocations["abstract"] == {
        ("mont", "carlo"),
        ("dark", "matter"),
        ("black", "hole"),
    }
    assert found.collocations["title"] == frozenset()  # no pair in two titles
    assert found.postings_per_paper == (400 + 448 + 19) / 400 + 10  # titles, words, pairs
    papers_of["monte carlo"] = 20  # common words now (5%): their pair is no collocation
    papers = [Paper(id=f"p{n}", title=f"t{n}", abstract=abstract(n)) for n in range(400)]
    found = study(make_schema(), papers)
    assert {"mont", "carlo"} <= found.common["abstract"]
    assert ("mont", "carlo") not in found.collocations["abstract"]


def test_a_collocation_is_written_with_both_words_counts() -> None:
    from paperdeck.core.search.index_files import make_schema

    analyzer = make_schema()["abstract"].analyzer
    fmt = PairFormat({"model"}, {("mont", "carlo")})
    found = {
        text: (freq, decode(value)[:2], list(decode(value)[2]))
        for text, freq, _weight, value in fmt.word_values(
            "Monte Carlo model: a Monte Carlo model of Monte rays", analyzer, mode="index"
        )
    }
    # "a" and "of" are stopped; "mont" 3 times, "carlo" twice
    assert found == {"mont carlo": (2, (3, 2), [0, 3])}
    assert list(PairFormat().word_values("Monte Carlo", analyzer, mode="index")) == []


def test_a_format_unpickled_from_an_index_before_collocations_pairs_common_words() -> None:
    """Such an index is rebuilt (`INDEX_FORMAT` 4) unless the library is read-only, where
    it is searched as it is."""
    from paperdeck.core.search.index_files import make_schema

    analyzer = make_schema()["abstract"].analyzer
    old = PairFormat({"model", "world"})
    del old.__dict__["collocations"], old.__dict__["followers"]  # as unpickled
    assert old.kept() == (frozenset({"model", "world"}), {})
    assert old.answers(["model", "world"]) and not old.answers(["mont", "carlo"])
    texts = [text for text, *_rest in old.word_values("model world", analyzer, mode="index")]
    assert texts == ["model world"]
