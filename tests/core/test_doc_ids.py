"""`DocIds`: paper ids by document number over segments, decoded one at a time for a few,
all at once (and kept) for many."""

from __future__ import annotations

from array import array

import pytest

from paperdeck.core.search import doc_ids
from paperdeck.core.search.doc_ids import DocIds, SegmentIds
from paperdeck.core.store.id_run import IdRun, RunPart


def column(ids: list[str]) -> SegmentIds:
    """A segment as Whoosh stores its id column: the bytes, starts and lengths."""
    encoded = [i.encode() for i in ids]
    starts = array("L", [sum(len(e) for e in encoded[:n]) for n in range(len(encoded))])
    return SegmentIds(b"".join(encoded), starts, array("B", map(len, encoded)))  # UTF-8


FIRST = ["2401.00001", "pd-3f2a", "2401.12345v2"]
SECOND = ["hep-th/9901001", "", "ünïcode-id"]


def test_ids_across_segments_one_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doc_ids, "MANY_SHARE", 3)  # a third of the index counts as many
    ids = DocIds([column(FIRST), SegmentIds.of(list(SECOND)), column(["last"])])
    assert len(ids) == 7
    assert [ids[d] for d in range(7)] == [*FIRST, *SECOND, "last"]
    assert ids.many([6, 4]) == ["last", ""]
    assert ids._flat is None  # two of seven: nothing decoded beyond them
    with pytest.raises(IndexError):
        ids[7]
    with pytest.raises(IndexError):
        ids[-1]


def test_many_ids_decode_the_index_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doc_ids, "MANY_SHARE", 2)  # half of the index counts as many
    segments = [column(FIRST), column(SECOND)]
    ids = DocIds(segments)
    assert ids.many([0, 1]) == FIRST[:2] and ids._flat is None
    assert ids.many([5, 3, 2]) == [SECOND[2], SECOND[0], FIRST[2]]
    assert ids._flat == [*FIRST, *SECOND]
    assert segments[0].decoded() is segments[0].decoded()  # decoded once, kept
    assert ids[4] == "" and ids.many([1]) == [FIRST[1]]


def test_an_empty_index_and_a_damaged_column() -> None:
    assert len(DocIds()) == 0 and DocIds().many([]) == []
    with pytest.raises(ValueError, match="damaged"):
        SegmentIds(b"abc", array("L", [0, 1]), array("B", [1]))


def test_a_field_with_its_own_decoding() -> None:
    encoded = [b"a", b"bc"]
    segment = SegmentIds(b"abc", array("L", [0, 1]), array("B", [1, 2]), lambda b: b.hex())
    assert [segment[0], segment[1]] == [e.hex() for e in encoded]
    assert segment.decoded() == ["61", "6263"]


def test_threads_asking_for_every_id_at_once_decode_them_once() -> None:
    # The reader decodes them as the index opens while a search may ask for them too.
    import threading
    import time

    calls: list[bytes] = []

    def decode(value: bytes) -> str:
        calls.append(value)
        if len(calls) == 1:
            time.sleep(0.05)  # the other threads ask while the first decodes
        return value.decode()

    encoded = [f"2401.{n:05d}".encode() for n in range(2000)]
    starts = array("L", [10 * n for n in range(2000)])
    segment = SegmentIds(b"".join(encoded), starts, array("B", [10] * 2000), decode)
    ids = DocIds([segment, column(FIRST)])
    got: list[list[str]] = []
    threads = [threading.Thread(target=lambda: got.append(ids.flat())) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(got) == 4 and all(flat is got[0] for flat in got)
    assert got[0] == [e.decode() for e in encoded] + FIRST
    assert len(calls) == 2000  # each id once
    assert ids.many([2001]) == [FIRST[1]]


def test_many_hits_come_back_as_document_numbers_and_read_as_ids(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from paperdeck.core.store.id_run import IdRun, PickedIds

    monkeypatch.setattr(doc_ids, "PICKED_FROM", 3)
    ids = DocIds([column(FIRST), column(SECOND), SegmentIds.of(["last"])])
    assert ids.many([1, 6]) == [FIRST[1], "last"]  # a few: a list
    assert isinstance(ids._flat, IdRun) and ids._flat == [*FIRST, *SECOND, "last"]
    picked = ids.many([6, 4, 0])
    assert isinstance(picked, PickedIds) and picked == ["last", "", FIRST[0]]
    assert picked.index(FIRST[0]) == 2 and SECOND[2] not in picked


def test_an_id_holding_the_separator_keeps_the_ids_as_a_list() -> None:
    ids = DocIds([column(["a\nb", "c"]), column(FIRST)])
    assert ids.many([1, 0, 3]) == ["c", "a\nb", FIRST[1]]
    assert ids._flat == ["a\nb", "c", *FIRST] and isinstance(ids._flat, list)


def test_an_empty_segment_leaves_the_ids_joined() -> None:
    from paperdeck.core.store.id_run import IdRun

    ids = DocIds([SegmentIds.of(["a", "b"]), SegmentIds.of([]), column(["c"])])
    assert ids.many([2, 0]) == ["c", "a"] and isinstance(ids.flat(), IdRun)


def test_segments_read_their_ids_from_the_joined_run_once_it_is_made() -> None:
    """Each segment's own run is let go once the index's is joined: kept once, not twice
    (15 MB at a million papers); a searcher after a sync joins them again."""
    segments = [column(FIRST), column(SECOND)]
    ids = DocIds(segments)
    joined = ids.flat()
    assert isinstance(joined, IdRun) and joined == [*FIRST, *SECOND]
    for segment, expected in zip(segments, (FIRST, SECOND), strict=True):
        part = segment.decoded()
        assert isinstance(part, RunPart) and part == expected
        assert [segment[n] for n in range(len(expected))] == expected
    assert segments[1].decoded().index("ünïcode-id") == 2
    # A newer searcher: the same two segments and a new one, joined again.
    again = DocIds([*segments, column(["last"])])
    assert again.many([6, 0, 3]) == ["last", FIRST[0], SECOND[0]]
    assert again.flat() == [*FIRST, *SECOND, "last"] and again.flat() is not joined
    assert all(s.decoded()._run is again.flat() for s in segments)  # type: ignore[attr-defined]
    assert ids.flat() is joined and ids[3] == SECOND[0]  # the older searcher's still reads


def test_an_older_searchers_ids_decoded_last_do_not_pin_its_run() -> None:
    """A decode of an older searcher's ids that ends after a newer searcher's (a sync
    while the reader decoded them) leaves the segments reading the newer run."""
    segments = [column(FIRST), column(SECOND)]
    older = DocIds(segments)
    newer = DocIds([*segments, column(["last"])])
    joined = newer.flat()
    assert older.flat() == [*FIRST, *SECOND]
    assert all(s.decoded()._run is joined for s in segments)  # type: ignore[attr-defined]
    assert older[3] == SECOND[0] and newer[6] == "last"
