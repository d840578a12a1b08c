"""The pair files (`pair_files`): written beside each segment, recorded with their checksums,
derived again when missing or of another version, set aside when damaged; a phrase of
common words then reads them and never Whoosh's pair postings, and answers the same.
(That they rank exactly as the words' positions do: `test_phrase_pairs`.)"""

from __future__ import annotations

import os

import pytest
from demo_index import demo_index_in_segments

from paperdeck.core.search import index_files as files
from paperdeck.core.search import pair_files
from paperdeck.core.search.index import SearchIndex
from paperdeck.core.search.pair_files import PairFile

PHRASES = ['"language models"', '"large language models"', '"reinforcement learning"']


def _pair_files(index: SearchIndex) -> set[str]:
    return {p.name for p in index.path.iterdir() if p.name.endswith(pair_files.SUFFIX)}


def _segment_files(index: SearchIndex) -> set[str]:
    reader = index._current().reader()
    return {
        pair_files.file_name(leaf.segment().segment_id())
        for leaf, _base in reader.leaf_readers()
        if leaf.doc_count_all()
    }


def _answers(index: SearchIndex) -> dict[str, tuple[list[str], int]]:
    index.drop_caches()
    found = {}
    for text in PHRASES:
        result = index.search(text, ranked=None)
        found[text] = (result.ids, result.total)
    return found


@pytest.fixture
def index(tmp_path):
    with demo_index_in_segments(tmp_path / "lib", note_every=3) as index:
        yield index


def test_each_segment_has_its_pair_file_recorded_with_checksums(index: SearchIndex) -> None:
    assert len(_segment_files(index)) >= 3
    assert _pair_files(index) == _segment_files(index)
    state, _stat = files.read_state(index.path)
    assert state is not None
    assert all(name in state.sums and name in state.files for name in _pair_files(index))


def test_a_phrase_reads_the_pair_files_never_whoosh_pair_postings(index: SearchIndex) -> None:
    index.drop_caches()
    assert all(index.search(text).total for text in PHRASES)
    kept = index._ranker.postings.kept()
    assert any(key[0] in ("pair file", "pair list") for key in kept)  # the pair files'
    assert not any(key[0] == "pairs" for key in kept)  # no phrase from Whoosh's pairs
    assert not any(str(key[1]).endswith("_pairs") for key in kept)  # no pair block read


def test_missing_or_old_pair_files_are_derived_again_and_answer_the_same(
    index: SearchIndex,
) -> None:
    expected = _answers(index)
    names = sorted(_pair_files(index))
    (index.path / names[0]).unlink()
    old = index.path / names[1]
    old.write_bytes(b"PDPRSv0\n" + old.read_bytes()[8:])  # a version before this one
    index.close()
    assert _answers(index) == expected  # Whoosh's pair postings answer meanwhile
    missing = {name.removesuffix(pair_files.SUFFIX) for name in names[:2]}
    assert set(pair_files.missing_segments(index.path)) == missing
    index.ensure()
    assert not pair_files.missing_segments(index.path)
    state, _stat = files.read_state(index.path)
    assert state is not None
    assert state.sums[names[1]] == files.block_sums(old)  # recorded as written again
    assert _answers(index) == expected


def test_a_damaged_pair_file_is_set_aside(index: SearchIndex) -> None:
    expected = _answers(index)
    index.close()
    for name in _pair_files(index):
        path = index.path / name
        data = bytearray(path.read_bytes())
        data[20] ^= 0xFF  # inside the first pair's arrays
        stat = path.stat()
        path.write_bytes(bytes(data))
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # as if never touched
    assert _answers(index) == expected  # not IndexCorrupt: Whoosh's pair postings answer
    assert all(found is None or found.broken for found in index._pairs._open.values())


def test_a_pair_file_failing_while_read_is_set_aside(index: SearchIndex, monkeypatch) -> None:
    from paperdeck.core.search.checksums import ChecksumMismatch

    expected = _answers(index)

    def damaged(self, fieldname, n):
        raise ChecksumMismatch("block 3 does not match its checksum")

    monkeypatch.setattr(PairFile, "read", damaged)
    assert _answers(index) == expected
    assert any(found is not None and found.broken for found in index._pairs._open.values())


@pytest.mark.parametrize("where", ["find", "value"])
def test_a_pair_file_whose_directory_fails_while_read_is_set_aside(
    index: SearchIndex, monkeypatch, where
) -> None:
    """The directory is read as it is asked (`word_table`): damage found there is the
    file's, not the index's."""
    from paperdeck.core.search.checksums import ChecksumMismatch
    from paperdeck.core.search.word_table import WordTable

    expected = _answers(index)

    def damaged(self, *args):
        raise ChecksumMismatch("block 1 does not match its checksum")

    monkeypatch.setattr(WordTable, where, damaged)
    assert _answers(index) == expected
    assert any(found is not None and found.broken for found in index._pairs._open.values())


def test_a_pair_list_holds_the_pair_postings(index: SearchIndex) -> None:
    """Documents, both words' counts and the positions of `larg languag`, as Whoosh's pair
    postings hold them (`pairs.decode`)."""
    from paperdeck.core.search.pairs import decode

    reader = index._current().reader()
    checked = 0
    for leaf, _base in reader.leaf_readers():
        source = index._pairs.get(leaf, index._state.sums)
        assert source is not None
        n = source.find("abstract_pairs", b"larg languag")
        if n < 0:
            assert ("abstract_pairs", b"larg languag") not in leaf
            continue
        found = source.read("abstract_pairs", n)
        matcher = leaf.postings("abstract_pairs", b"larg languag")
        matcher = getattr(matcher, "child", matcher)
        expected = []
        while matcher.is_active():  # Whoosh's public way, a posting at a time
            expected.append((matcher.id(), matcher.value()))
            matcher.next()
        assert list(found.docs) == [d for d, _v in expected]
        keys = []
        for (d, value), first, second in zip(expected, found.firsts, found.seconds, strict=True):
            count_a, count_b, at = decode(value)
            assert (first, second) == (count_a, count_b)
            keys.extend(d << found.shift | p + pair_files.PAD for p in at)
        assert list(found.keys) == keys
        checked += len(found)
    assert checked > 10


def test_a_note_phrase_of_rare_words_reads_every_pair_of_the_notes(index: SearchIndex) -> None:
    """Notes are in few papers: their words are never common, yet a phrase in them is
    answered by the pair files, which keep every pair of a note's adjacent words."""
    index.drop_caches()
    found = index.search('note:"reasoning section"').total
    kept = index._ranker.postings.kept()
    assert ("pair file", "note", ("reason", "section")) in kept  # (few: scored whole)
    assert not any(key[0] in ("blocks", "block", "weights") for key in kept)  # no word's postings
    assert found == index.search("note:reasoning").total > 0  # each note holds the phrase
