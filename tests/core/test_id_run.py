"""`IdRun`: ids held as one string read as the list they join, whatever the pieces read."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paperdeck.core.store import id_run
from paperdeck.core.store.id_run import SEPARATOR, IdRun

# Ids as libraries hold them, and the odd ones a store may meet: empty, one character.
paper_id = st.text(st.characters(blacklist_characters=SEPARATOR), max_size=12)
id_lists = st.lists(paper_id, min_size=1, max_size=40, unique=True)


def test_it_reads_as_the_list_it_joins() -> None:
    run = IdRun("2401.00001\npd-3f2a\nhep-th/9901001")
    assert len(run) == 3
    assert run[0] == "2401.00001" and run[2] == "hep-th/9901001" and run[-1] == "hep-th/9901001"
    assert (
        run[1:] == ["pd-3f2a", "hep-th/9901001"]
        and run[5:] == []
        and run[::2]
        == [
            "2401.00001",
            "hep-th/9901001",
        ]
    )
    assert list(run) == ["2401.00001", "pd-3f2a", "hep-th/9901001"]
    assert run == ["2401.00001", "pd-3f2a", "hep-th/9901001"]
    assert run.index("pd-3f2a") == 1 and "pd-3f2a" in run
    # Only whole ids: a part of one, or two with their separator, is not one.
    assert "2401" not in run and "pd-3f2a\nhep-th/9901001" not in run and 3 not in run
    with pytest.raises(ValueError):
        run.index("3f2a")
    with pytest.raises(ValueError):
        run.index("2401.00001", 1)  # as list.index: not from there on
    with pytest.raises(IndexError):
        run[3]


@given(id_lists, st.sampled_from([1, 3, 8, 1 << 20]))
def test_any_ids_read_in_any_pieces_are_the_list(ids: list[str], piece: int) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(id_run, "PIECE", piece)
        run = IdRun(SEPARATOR.join(ids))
        assert len(run) == len(ids)
        assert [run[i] for i in range(len(ids))] == ids == list(run)
        assert [run[-i] for i in range(1, len(ids) + 1)] == [
            ids[-i] for i in range(1, len(ids) + 1)
        ]
        for start in range(len(ids) + 1):
            assert run[start:] == ids[start:] and run[: start + 2] == ids[: start + 2]
            assert run[start : start + 3] == ids[start : start + 3]
        for place, one in enumerate(ids):
            assert one in run and run.index(one) == place
        assert ("x" + SEPARATOR in run) is False


def test_making_it_can_be_stopped_between_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(id_run, "PIECE", 4)
    asked: list[int] = []

    def before() -> None:
        asked.append(1)
        if len(asked) == 2:
            raise KeyboardInterrupt  # what a caller's stop raises, here any exception

    with pytest.raises(KeyboardInterrupt):
        IdRun("aaaa\nbbbb\ncccc\ndddd", before)
    assert len(asked) == 2  # the first piece read, stopped before the second


@given(st.lists(id_lists, max_size=4), st.sampled_from([1, 2, 5]))
def test_runs_made_of_pieces_or_joined_read_as_the_ids_in_order(
    pieces: list[list[str]], size: int
) -> None:
    every = [i for piece in pieces for i in piece]
    run = IdRun.of_pieces(pieces)
    assert run is not None and run == every and len(run) == len(every)
    parts = [IdRun.of_pieces([every[at : at + size]]) for at in range(0, len(every), size)]
    joined = IdRun.joined([IdRun.of_pieces([]), *parts, IdRun.of_pieces([[]])])  # type: ignore[list-item]
    assert joined == every and list(joined) == every
    for place, one in enumerate(every):
        assert next(joined.positions(one)) == every.index(one) == place or every.count(one) > 1
    assert joined.take(range(len(every) - 1, -1, -1)) == every[::-1]


def test_ids_that_hold_the_separator_make_no_run() -> None:
    assert IdRun.of_pieces([["a", "b"], ["c\nd"]]) is None


def test_picked_ids_read_as_the_list_of_their_positions() -> None:
    run = IdRun("2401.00001\npd-3f2a\nhep-th/9901001\n\nlast")
    picked = id_run.PickedIds([4, 0, 2, 3], run)
    expected = ["last", "2401.00001", "hep-th/9901001", ""]
    assert len(picked) == 4 and picked == expected and expected == picked
    assert picked[0] == "last" and picked[-1] == "" and picked[1:3] == expected[1:3]
    assert list(picked) == expected and picked[::-1] == expected[::-1]
    assert "hep-th/9901001" in picked and picked.index("hep-th/9901001") == 2
    assert picked.index("") == 3
    # In the run but not picked, part of an id, or not a string: not there.
    assert "pd-3f2a" not in picked and "2401" not in picked and 4 not in picked
    with pytest.raises(ValueError):
        picked.index("pd-3f2a")
    with pytest.raises(ValueError):
        picked.index("last", 1)  # as list.index: not from there on
    with pytest.raises(IndexError):
        picked[4]
    assert picked != expected[:3] and picked != "last" and id_run.frozen(picked)
    assert not id_run.frozen(expected) and id_run.frozen(run)
    assert "4 ids" in repr(picked)


def test_picked_ids_are_read_a_piece_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(id_run, "PIECE", 16 * 3)  # three positions a piece
    ids = [f"p{n}" for n in range(10)]
    picked = id_run.PickedIds(range(9, -1, -1), IdRun(SEPARATOR.join(ids)))
    assert list(picked) == ids[::-1]


def test_picked_ids_find_an_id_the_run_holds_twice() -> None:
    # A search index's ids hold a deleted document's id beside its new version's.
    run = IdRun("a\nb\nc\nb")
    assert list(run.positions("b")) == [1, 3] and list(run.positions("x")) == []
    picked = id_run.PickedIds([3, 0], run)
    assert "b" in picked and picked.index("b") == 0 and picked.index("a") == 1
    assert "c" not in id_run.PickedIds([0, 1], run)


def test_bounds_of_index_read_as_a_lists_and_an_empty_run_is_not_one_empty_id() -> None:
    run = IdRun("y\nx\nz")
    for ids in (run, id_run.PickedIds([0, 1, 2], run)):
        assert ids.index("y", 0, -1) == ["y", "x", "z"].index("y", 0, -1) == 0
        assert ids.index("z", -1) == 2
        with pytest.raises(ValueError):
            ids.index("y", -2)
    assert IdRun("", starts=id_run.new_starts()) != IdRun("")  # no ids, one empty id
    assert IdRun("") == [""] and len(IdRun("", starts=id_run.new_starts())) == 0


@given(id_lists, st.integers(0, 8), st.integers(0, 8))
def test_a_part_of_a_run_reads_as_that_slice_of_its_ids(ids: list[str], a: int, b: int) -> None:
    run = IdRun.of_pieces([ids]) or IdRun("")
    assert run == ids
    first, stop = sorted((min(a, len(ids)), min(b, len(ids))))
    assert run.part(first, stop) == ids[first:stop]
    window = id_run.RunPart(run, first, stop - first)
    expected = ids[first:stop]
    assert window == expected and list(window) == expected and len(window) == len(expected)
    assert window[::-1] == expected[::-1] and window[1:] == expected[1:]
    assert window.as_run() == expected
    for one in ids:
        assert (one in window) == (one in expected)
        if one in expected:
            assert window.index(one) == expected.index(one)
    if expected:
        assert window[-1] == expected[-1] and window[0] == expected[0]
    with pytest.raises(IndexError):
        window[len(expected)]


def test_a_part_out_of_its_run_is_refused() -> None:
    run = IdRun("a\nb\nc")
    with pytest.raises(IndexError):
        run.part(2, 4)
    with pytest.raises(IndexError):
        id_run.RunPart(run, 2, 2)
    assert id_run.frozen(id_run.RunPart(run, 1, 2))
