"""Phrases of words in many papers found from the words' keys in the pair files
(`word_keys`): the same papers, order and counts as from the words' positions, with no
position read; a field whose positions do not fit, or a damaged file, answers as before."""

from __future__ import annotations

import io
import random
import re
from array import array
from itertools import repeat

import pytest
from demo_index import demo_index_in_segments

from paperdeck.core.search import hits, impact_query, word_keys
from paperdeck.core.search.checksums import ChecksumMismatch
from paperdeck.core.search.index import SearchIndex
from paperdeck.core.search.keyed_words import KeyedWords
from paperdeck.core.search.pair_files import PairFile
from paperdeck.core.search.pairs import PAD
from paperdeck.core.search.word_keys import phrase_docs

SHIFT = 8


def _keys(*placed: tuple[int, int]) -> array[int]:
    """Keys of a word standing at (document, position) ..."""
    return array("I", sorted(doc << SHIFT | pos + PAD for doc, pos in placed))


def _never(*_args: object) -> None:
    return None


def test_the_phrase_starts_where_each_word_stands_one_further() -> None:
    a = _keys((1, 0), (2, 5), (3, 1), (4, 3), (4, 4))
    b = _keys((1, 1), (2, 7), (3, 2))
    c = _keys((1, 2), (3, 0), (2, 8))
    assert phrase_docs([a, b], SHIFT, _never) == {1, 3}
    assert phrase_docs([a, b, c], SHIFT, _never) == {1}
    assert phrase_docs([b, c], SHIFT, _never) == {1, 2}
    assert phrase_docs([c, a], SHIFT, _never) == {3}
    assert phrase_docs([a, a], SHIFT, _never) == {4}  # a word twice, side by side
    assert phrase_docs([b, a], SHIFT, _never) == set()


def test_a_common_word_is_looked_up_for_the_few_starts_left() -> None:
    """Past `LOOK_UP` keys a start left, each start is looked up by bisection: the same
    answer as the intersection, the word at the end or in the middle of the phrase."""
    rare = _keys((3, 39), (5, 10), (7, 0), (9, 3), (11, 5))
    common = _keys(*((doc, pos) for doc in range(12) for pos in range(0, 40, 2)))  # even
    assert len(common) > word_keys.LOOK_UP * len(rare)
    assert phrase_docs([rare, common], SHIFT, _never) == {9, 11}  # 40: past the last
    assert phrase_docs([common, rare], SHIFT, _never) == {3, 9, 11}  # -1: before the first
    assert phrase_docs([common, rare, common], SHIFT, _never) == {9, 11}


def _nexts(numbers: list[int]) -> bytes:
    return b"".join(n.to_bytes(2, "little") for n in numbers)


def test_the_phrase_starts_where_each_next_word_is_the_following_one() -> None:
    """Words 1 (a), 2 (b), 3 (c); each key's next word given as `write_next` writes it."""
    a = _keys((1, 0), (2, 5), (3, 1), (4, 3), (4, 4))
    b = _keys((1, 1), (2, 7), (3, 2))
    c = _keys((1, 2), (2, 8), (3, 0))
    next_a = _nexts([2, 0, 2, 1, 0])  # in key order: (1,0) b, (2,5) -, (3,1) b, ...
    next_b = _nexts([3, 3, 0])
    next_c = _nexts([0, 0, 1])  # (3,0) then a at (3,1)
    found = word_keys.next_phrase_counts
    assert found([a, b], [next_a], [1, 2], SHIFT, _never) == ([1, 3], [[1, 1], [1, 1]])
    assert found([a, b, c], [next_a, next_b], [1, 2, 3], SHIFT, _never) == (
        [1],
        [[1], [1], [1]],
    )
    assert found([c, a], [next_c], [3, 1], SHIFT, _never) == ([3], [[1], [1]])
    assert found([a, a], [next_a], [1, 1], SHIFT, _never) == ([4], [[2], [2]])


def test_a_number_is_found_only_where_it_starts_a_number() -> None:
    """0x0101 spans the bytes of 0x0100 and 0x0101 at an odd offset: not a place, and
    the place right after it is still found."""
    nexts = _nexts([0x0100, 0x0101, 7, 0x0101])
    assert word_keys._places(nexts, 0x0101) == [1, 3]
    assert word_keys._places(nexts, 7) == [2]
    assert word_keys._places(nexts, 9) == []


def test_next_words_are_written_a_range_of_documents_at_a_time(monkeypatch) -> None:
    """Each key's next word, across ranges of documents smaller than a document's keys
    (a table of 2 documents); and nothing where two words share a place."""
    a = _keys((0, 0), (1, 3), (2, 0), (5, 9), (6, 1))
    b = _keys((0, 1), (1, 2), (2, 1), (5, 10), (6, 2))
    c = _keys((1, 4), (2, 2), (6, 0))
    monkeypatch.setattr(word_keys, "TABLE", 2 << SHIFT)
    monkeypatch.setattr(word_keys, "READ", 2)  # (a word's keys read back 2 at a time)
    out = io.BytesIO()
    placed = []
    for keys in (a, b, c):
        placed.append((out.tell(), len(keys)))
        out.write(keys.tobytes())
    at = word_keys.write_next(out, placed, SHIFT, "I", 7)
    assert at == out.tell() - 2 * (len(a) + len(b) + len(c))
    data = out.getvalue()[at:]
    numbers = array("H")
    numbers.frombytes(data)
    assert list(numbers) == [2, 3, 2, 2, 2] + [0, 1, 3, 0, 0] + [0, 0, 1]
    out = io.BytesIO()
    twice = _keys((2, 1))  # where b stands
    placed = []
    for keys in (a, b, twice):
        placed.append((out.tell(), len(keys)))
        out.write(keys.tobytes())
    end = out.tell()
    assert word_keys.write_next(out, placed, SHIFT, "I", 7) == -1
    assert len(out.getvalue()) == end  # nothing written


def test_every_word_in_more_papers_than_the_few_is_kept_with_each_position(
    keyed: SearchIndex,
) -> None:
    reader = keyed._current().reader()
    checked = nexts_checked = 0
    for leaf, _base in reader.leaf_readers():
        if not leaf.doc_count_all():
            continue
        files = keyed._ranker.pair_files(leaf)
        assert files is not None
        least = word_keys.dense_above(leaf.doc_count_all())
        for source in ("title", "abstract"):
            dense = [t for t in leaf.lexicon(source) if leaf.doc_frequency(source, t) > least]
            words = files.words.get(source)
            if not dense:  # (a segment of a few papers)
                assert words is None
                continue
            assert words is not None and words.count == len(dense)
            for text in dense:
                n = files._table.find(text, words.first, words.first + words.count)
                keys = files.keyed.keys(words, n)
                boost = leaf.schema[source].format.field_boost  # (in the frequency)
                assert len(keys) * boost == leaf.frequency(source, text)
                assert list(keys) == sorted(keys)
                checked += 1
            if words.nexts < 0:
                continue
            number_at = {}  # key -> the number of the word there
            listed = []
            for number in range(words.first, words.first + words.count):
                keys = files.keyed.keys(words, number)
                listed.append((number, keys))
                number_at.update(dict.fromkeys(keys, number - words.first + 1))
            for number, keys in listed:
                nexts = files.keyed.nexts(words, number, len(keys))
                expected = [number_at.get(key + 1, 0) for key in keys]
                assert list(array("H", nexts)) == expected
                nexts_checked += 1
    assert checked > 100
    written = word_keys.write_next.__name__ == "write_next"  # (not the fixture's stand-in)
    assert nexts_checked > 100 if written else nexts_checked == 0


@pytest.fixture(params=["next words", "set operations"])
def keyed(tmp_path, monkeypatch, request):
    """The demo, its words in more than 4 papers of a segment kept as keys (a small
    library has no word in 2,048 papers); with their next words, or without (as where
    two words share a place)."""
    monkeypatch.setattr(word_keys, "FEW", 4)
    monkeypatch.setattr(impact_query, "FEW", 4)
    if request.param == "set operations":
        monkeypatch.setattr(word_keys, "write_next", lambda *args: -1)
    with demo_index_in_segments(tmp_path / "lib", note_every=3) as index:
        yield index


def _phrases(index: SearchIndex, count: int) -> list[str]:
    """Runs of 2-4 words from the demo's abstracts and titles (stop words included)."""
    pick = random.Random(17)
    texts = [p.abstract for p in index.library.iter_papers()]
    texts += [p.title for p in index.library.iter_papers()]
    found: list[str] = []
    while len(found) < count:
        words = re.findall(r"[A-Za-z]+", pick.choice(texts))
        size = pick.choice((2, 2, 3, 4))
        if len(words) > size:
            at = pick.randrange(len(words) - size)
            found.append('"' + " ".join(words[at : at + size]) + '"')
    return found


def _answers(index: SearchIndex, phrases: list[str]) -> list[tuple[list[str], int, list[str]]]:
    found = []
    for text in phrases:
        index.drop_caches()
        first = index.search(text, complete=False)
        whole = index.search(text, ranked=None)
        found.append((first.ids, first.total, whole.ids))
    return found


@pytest.mark.parametrize("keys_a_paper", [impact_query.KEYS_A_PAPER, -1])
def test_a_phrase_found_from_keys_ranks_and_counts_as_from_positions(
    keyed: SearchIndex, monkeypatch, keys_a_paper: int
) -> None:
    """(-1 keys a paper: first results are always read best first from positions, and
    only the complete list from keys.)"""
    monkeypatch.setattr(impact_query, "KEYS_A_PAPER", keys_a_paper)
    phrases = _phrases(keyed, 120) + ['"language model"', '"of the model"', '"learning to learn"']
    answered = []
    real = PairFile.keyed_phrase

    def counted(self, *args):
        found = real(self, *args)
        answered.append(found is not None)
        return found

    monkeypatch.setattr(PairFile, "keyed_phrase", counted)
    from_keys = _answers(keyed, phrases)
    assert sum(answered) > 30 or keys_a_paper < 0  # answered from keys, not only asked
    monkeypatch.setattr(PairFile, "keyed_phrase", lambda self, *args: None)
    assert _answers(keyed, phrases) == from_keys
    assert sum(1 for _first, total, _whole in from_keys if total) > 60


def test_a_phrase_of_keyed_words_reads_no_position(keyed: SearchIndex, monkeypatch) -> None:
    text = '"of the model"'
    keyed.drop_caches()
    expected = keyed.search(text, ranked=None)
    assert expected.total > 0

    def read(*_args):
        raise AssertionError("positions read")

    monkeypatch.setattr(hits, "_positions", read)
    monkeypatch.setattr(impact_query.PositionPhrase, "_stands", read)
    keyed.drop_caches()
    first = keyed.search(text, complete=False).ids
    assert len(first) > 20 and first == expected.ids[: len(first)]
    keyed.drop_caches()
    assert keyed.search(text, ranked=None).ids == expected.ids


def test_first_results_of_a_phrase_of_too_many_keys_are_read_from_positions(
    keyed: SearchIndex, monkeypatch
) -> None:
    """Past `KEYS_A_PAPER` keys a paper of the segment, a phrase of keyed words is read
    best first (no key read) unless every hit is listed (`Builder.listing`)."""
    from whoosh import query as wq

    from paperdeck.core.search.impact_query import Builder
    from paperdeck.core.search.ranking import _Run
    from paperdeck.core.search.threshold import Tally

    asked = []
    real = PairFile.keyed_phrase

    def counted(self, *args):
        asked.append(args)
        return real(self, *args)

    monkeypatch.setattr(PairFile, "keyed_phrase", counted)
    searcher = keyed._current()
    leaf, _offset = max(searcher.leaf_searchers(), key=lambda s: s[0].doc_count_all())
    reader = leaf.reader()
    files = keyed._ranker.pair_files(reader)
    assert files is not None
    least = word_keys.dense_above(reader.doc_count_all())
    lexicon = reader.lexicon("abstract")
    texts = [t for t in lexicon if reader.doc_frequency("abstract", t) > least][:2]
    q = wq.Phrase("abstract", [t.decode() for t in texts])
    state = keyed._state
    impacts = keyed._impacts.get(reader, state.sums)
    cost = files.keyed_cost("abstract", texts)
    assert cost is not None

    def keyed_node(listing: bool) -> object:
        keyed.drop_caches()
        run = _Run(keyed._ranker, searcher, relax=False)
        builder = Builder(run, leaf, reader, impacts, Tally())
        builder.listing = listing
        return builder._keyed(q)

    monkeypatch.setattr(impact_query, "KEYS_A_PAPER", -1)
    assert keyed_node(listing=False) is None and asked == []
    keyed_node(listing=True)
    assert asked
    asked.clear()
    monkeypatch.setattr(impact_query, "KEYS_A_PAPER", cost)  # (a segment of over 1 paper)
    keyed_node(listing=False)
    assert asked


def test_a_field_whose_positions_do_not_fit_is_not_keyed(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(word_keys, "FEW", 4)
    monkeypatch.setattr(impact_query, "FEW", 4)
    monkeypatch.setattr(word_keys, "key_shifts", lambda reader, name: [3, 4])  # < PAD
    with demo_index_in_segments(tmp_path / "lib") as index:
        phrases = _phrases(index, 30)
        reader = index._current().reader()
        leaves = [leaf for leaf, _base in reader.leaf_readers() if leaf.doc_count_all()]
        assert all(index._ranker.pair_files(leaf).words == {} for leaf in leaves)
        expected = _answers(index, phrases)
        monkeypatch.setattr(PairFile, "keyed_phrase", lambda self, *args: None)
        assert _answers(index, phrases) == expected


def test_keys_that_do_not_fit_are_written_again_with_the_next_shift(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(word_keys, "FEW", 4)
    monkeypatch.setattr(impact_query, "FEW", 4)
    monkeypatch.setattr(word_keys, "key_shifts", lambda reader, name: [3, 16])
    with demo_index_in_segments(tmp_path / "lib") as index:
        phrases = _phrases(index, 30)
        reader = index._current().reader()
        leaves = [leaf for leaf, _base in reader.leaf_readers() if leaf.doc_count_all()]
        shifts = {w.shift for leaf in leaves for w in index._ranker.pair_files(leaf).words.values()}
        assert shifts == {16}  # (and the file adds up: the first try's keys were cut off)
        expected = _answers(index, phrases)
        monkeypatch.setattr(PairFile, "keyed_phrase", lambda self, *args: None)
        assert _answers(index, phrases) == expected


def test_keys_failing_while_read_set_the_file_aside(keyed: SearchIndex, monkeypatch) -> None:
    phrases = _phrases(keyed, 30)
    expected = _answers(keyed, phrases)

    def damaged(self, *args):
        raise ChecksumMismatch("block 2 does not match its checksum")

    monkeypatch.setattr(KeyedWords, "keys", damaged)
    assert _answers(keyed, phrases) == expected  # from the positions
    assert any(found is not None and found.broken for found in keyed._pairs._open.values())


def test_a_phrase_longer_than_the_pad_is_read_from_positions(keyed: SearchIndex) -> None:
    reader = keyed._current().reader()
    leaf = next(leaf for leaf, _base in reader.leaf_readers() if leaf.doc_count_all())
    files = keyed._ranker.pair_files(leaf)
    assert files is not None
    field = next(iter(files.words))
    assert files.keyed_phrase(field, list(repeat(b"model", PAD + 1)), _never) is None


VOCAB = [
    "model",
    "network",
    "graph",
    "attention",
    "learn",
    "data",
    "train",
    "deep",
    "neural",
    "layer",
    "loss",
    "image",
]


def _crafted_papers(pick: random.Random, count: int, start: int) -> list[dict[str, object]]:
    """Abstracts of a few words repeated, stop words among them, some long (positions
    past 1,024) or opening with stop words (a first position past 0)."""
    papers = []
    for n in range(start, start + count):
        words = ["the"] * pick.randrange(0, 30) if pick.random() < 0.2 else []
        length = 1500 if pick.random() < 0.02 else pick.choice((3, 8, 20, 60, 200))
        for _ in range(length):
            roll = pick.random()
            if roll < 0.15:
                words.append(pick.choice(("the", "of", "and", "to", "in")))
            elif roll < 0.25 and words:
                words.append(words[-1])
            else:
                words.append(pick.choice(VOCAB[: pick.choice((4, 8, 12))]))
        title = " ".join(pick.choice(VOCAB) for _ in range(pick.randrange(1, 6)))
        papers.append(
            {"id": f"p{n}", "title": title, "abstract": " ".join(words), "date": "2024-01-02"}
        )
    return papers


def test_phrases_of_a_crafted_library_rank_and_count_as_from_positions(
    tmp_path, monkeypatch
) -> None:
    """First results too: a phrase whose papers are known from keys but too many to score
    at once is still sampled, and scored whole where it is rare among its words' papers,
    its count exact as from positions (a review found it estimated, ~3x too high)."""
    import json

    from paperdeck.core.importer import import_file
    from paperdeck.core.store import Library

    monkeypatch.setattr(word_keys, "FEW", 4)
    monkeypatch.setattr(impact_query, "FEW", 4)
    pick = random.Random(5)
    phrases = [
        '"' + " ".join(pick.choice(VOCAB[:8]) for _ in range(pick.choice((2, 2, 3, 4)))) + '"'
        for _ in range(70)
    ] + ['"model model model"', 'abstract:"data model"', '"the model"']
    with Library(tmp_path / "lib") as library, SearchIndex(library) as index:
        index.ensure()
        start = 0
        for batch, count in enumerate((120, 80, 60, 40)):
            path = tmp_path / f"batch{batch}.jsonl"
            papers = _crafted_papers(pick, count, start)
            path.write_text("\n".join(json.dumps(paper) for paper in papers))
            start += count
            assert import_file(library, path).error is None
            index.sync()
        for deleted in (False, True):
            if deleted:  # segments with deleted papers
                library.remove_papers(library.all_ids()[::3])
                index.sync()
            real = PairFile.keyed_phrase
            found = []
            for keyed in (True, False):
                monkeypatch.setattr(
                    PairFile, "keyed_phrase", real if keyed else (lambda self, *args: None)
                )
                answers = []
                for text in phrases:
                    index.drop_caches()
                    first = index.search(text, complete=False)
                    index.drop_caches()
                    whole = index.search(text, ranked=None)
                    answers.append((first.ids, first.total, first.estimated, whole.ids))
                found.append(answers)
            monkeypatch.setattr(PairFile, "keyed_phrase", real)
            for from_keys, from_positions in zip(*found, strict=True):
                first, total, estimated, whole = from_keys
                assert whole == from_positions[3]
                shown = min(len(first), len(from_positions[0]))
                assert first[:shown] == from_positions[0][:shown]
                if not from_positions[2]:  # exact from positions: the same from keys
                    assert from_keys == from_positions
                if not estimated:  # (keys may know the exact count where positions guess)
                    assert total == len(whole) and first == whole[: len(first)]
            exact = sum(1 for answer in found[1] if not answer[2] and answer[3])
            assert exact > 30
            assert sum(1 for answer in found[0] if answer[3]) > 40
