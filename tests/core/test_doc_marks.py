"""`DocMarks`: a segment's documents matched by a NOT or a filter, a byte each, answer as
the set of them did."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from paperdeck.core.search.doc_marks import DocMarks

SIZE = 64
docnums = st.sets(st.integers(0, SIZE - 1))


@given(docnums, docnums)
def test_marks_answer_as_the_set_of_the_documents(marked: set[int], found: set[int]) -> None:
    marks = DocMarks(SIZE, sorted(marked))
    assert len(marks) == len(marked)
    assert all((d in marks) == (d in marked) for d in range(SIZE))
    assert marks.kept(found) == found & marked
    assert marks.left(found) == found - marked
    assert [d for d in range(SIZE) if marks.marks[d]] == sorted(marked)


def test_what_no_segment_holds_is_not_marked() -> None:
    marks = DocMarks(4, [0, 3])
    assert -1 not in marks and 4 not in marks and "0" not in marks
    assert 0 in marks and 3 in marks and 1 not in marks
    assert len(DocMarks(0, [])) == 0
