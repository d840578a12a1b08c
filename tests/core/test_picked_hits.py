"""Many hits handed on as document numbers (`PickedIds`) list, sort, filter and count as
the same hits as a list of ids do: every consumer of a search's ids sees the same papers."""

from __future__ import annotations

import pytest
from demo_index import demo_index_in_segments

from paperdeck.core.paperset import PaperSet, Sort
from paperdeck.core.search import doc_ids
from paperdeck.core.store.id_run import PickedIds

QUERIES = ["learning", "model OR graph", "keep", '"language model"', "lang*", "model -graph"]


@pytest.mark.parametrize("query", QUERIES)
def test_picked_hits_are_listed_and_counted_as_a_list_of_them(
    tmp_path, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    with demo_index_in_segments(tmp_path / "lib", note_every=4) as index:
        library = index.library
        library.set_starred(library.all_ids()[0], True)
        listed = index.search(query)
        monkeypatch.setattr(doc_ids, "PICKED_FROM", 1)  # every answer picked
        picked = index.search(query)
        assert listed.ids and isinstance(picked.ids, PickedIds) and isinstance(listed.ids, list)
        assert list(picked.ids) == listed.ids and picked.ids == listed.ids
        assert all(picked.ids.index(i) == n for n, i in enumerate(listed.ids))
        counted = [library.facets(ids) for ids in (picked.ids, listed.ids)]
        assert [(f.total, f.views, f.values) for f in counted][0] == (
            counted[1].total,
            counted[1].views,
            counted[1].values,
        )
        assert counted[0].total == len(listed.ids)
        for paperset in (
            PaperSet(query=query),
            PaperSet(query=query, sort=Sort.NEWEST),
            PaperSet(query=query).unread(),
            PaperSet(query=query, sort=Sort.TITLE).unread(),
        ):
            assert list(library.select(paperset, picked.ids)) == list(
                library.select(paperset, listed.ids)
            ), paperset
