"""`ranked_first`: a complete result's docnums, the best first and then every other hit in
index order, built a run at a time between the best."""

from __future__ import annotations

from array import array

from hypothesis import given
from hypothesis import strategies as st

from paperdeck.core.search.index import ranked_first


@st.composite
def results(draw: st.DrawFn) -> tuple[list[int], list[int], int | None]:
    order = sorted(draw(st.sets(st.integers(0, 300), max_size=60)))
    head = draw(st.permutations(order).map(lambda hits: hits[: draw(st.integers(0, len(hits)))]))
    limit = draw(st.none() | st.integers(len(head) + 1, 90))
    return order, head, limit


@given(results())
def test_the_best_then_the_others_in_index_order_up_to_the_limit(
    result: tuple[list[int], list[int], int | None],
) -> None:
    order, head, limit = result
    others = [d for d in order if d not in set(head)]
    expected = head + (others if limit is None else others[: limit - len(head)])
    got = ranked_first(head, array("I", order), limit)
    assert isinstance(got, array) and list(got) == expected


def test_a_best_docnum_missing_from_the_hits_cuts_nothing_out() -> None:
    assert list(ranked_first([7, 2], array("I", [1, 2, 3]), None)) == [7, 2, 1, 3]
