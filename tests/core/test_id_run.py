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
