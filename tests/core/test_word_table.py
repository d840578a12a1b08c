"""`WordTable`: a directory's words found, and their numbers read, from the file, with
only every `STRIDE`-th word in memory."""

from __future__ import annotations

import random
import struct
from array import array

import pytest

from paperdeck.core.search import word_table
from paperdeck.core.search.word_table import WordTable

HEAD = b"\x00" * 7  # bytes before the directory's words, as a header would be


def _directory(groups: list[list[bytes]]) -> tuple[bytes, list[bytes], int]:
    """Words sorted within each group (a pair file's fields), then a column of one uint64
    and one of three uint32 per word; (the bytes, the words in order, the blob's size)."""
    words = [w for group in groups for w in sorted(group)]
    blob = b"".join(words)
    starts = array("I", [0])
    for w in words:
        starts.append(starts[-1] + len(w))
    offsets = b"".join(struct.pack("<Q", 1000 + 7 * n) for n in range(len(words)))
    triples = b"".join(struct.pack("<3I", n, 2 * n, 3 * n) for n in range(len(words)))
    return HEAD + blob + starts.tobytes() + offsets + triples, words, len(blob)


@pytest.fixture(params=[1, 3, 64])
def stride(request, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(word_table, "STRIDE", request.param)
    return int(request.param)


def _table(data: bytes, count: int, blob: int, where: int = 500) -> WordTable:
    def read(offset: int, size: int) -> bytes:  # the directory as if it began at ``where``
        return data[offset - where : offset - where + size]

    columns = [("offset", "Q", 1), ("triple", "I", 3)]
    return WordTable(read, where + len(HEAD), count, blob, columns)


def test_every_word_is_found_in_its_range_and_nowhere_else(stride: int) -> None:
    rng = random.Random(5)
    groups = [
        list({bytes(rng.choice(b"abcxyz") for _ in range(rng.randint(1, 6))) for _ in range(90)})
        for _ in range(3)
    ]
    data, words, blob = _directory(groups)
    table = _table(data, len(words), blob)
    assert table.end == 500 + len(data)
    bounds = []
    at = 0
    for group in groups:
        bounds.append((at, at + len(group)))
        at += len(group)
    for n, word in enumerate(words):
        lo, hi = next(b for b in bounds if b[0] <= n < b[1])
        assert table.find(word, lo, hi) == n
        others = [b for b in bounds if b != (lo, hi) and word not in words[b[0] : b[1]]]
        assert all(table.find(word, *b) == -1 for b in others)
        assert table.value("offset", n) == (1000 + 7 * n,)
        assert table.value("triple", n) == (n, 2 * n, 3 * n)
    for lo, hi in bounds:  # absent: before the first word, between words, after the last
        for missing in [b"", b"a" * 9, b"zzzzzzz", b"abz" * 3, b"m"]:
            found = table.find(missing, lo, hi)
            assert found == -1 or words[found] == missing


def test_a_table_without_words(stride: int) -> None:
    data, words, blob = _directory([])
    table = _table(data, 0, blob)
    assert table.find(b"anything") == -1 and table.end == 500 + len(data)


def test_a_directory_whose_words_do_not_add_up_is_refused() -> None:
    data, words, blob = _directory([[b"alpha", b"beta"]])
    with pytest.raises(ValueError):
        _table(data, len(words), blob - 1)


def test_a_directory_cut_short_is_said_when_read(stride: int) -> None:
    data, words, blob = _directory([[b"alpha", b"beta", b"gamma"]])
    table = _table(data[: len(data) - 4], len(words), blob)
    with pytest.raises(ValueError):
        table.value("triple", 2)
