"""Complete results kept for a query asked again while the index is unchanged."""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Sequence

from whoosh.searching import Searcher


class Results:
    """The complete results of the last queries, for a query asked again while the index
    is unchanged: search as you type asks for the same query after a key is deleted and
    typed again. Kept for one searcher (a commit or a rebuild gives a new one, and drops
    them all), the least recently used dropped past ``budget`` bytes (hits kept as 4-byte
    docnums)."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._searcher: Searcher | None = None
        self._kept: OrderedDict[tuple[str, int | None], tuple[list[int], array[int]]] = (
            OrderedDict()
        )
        self._size = 0

    def get(
        self, searcher: Searcher, query: str, want: int | None
    ) -> tuple[list[int], array[int]] | None:
        if searcher is not self._searcher:
            return None
        found = self._kept.get((query, want))
        if found is not None:
            self._kept.move_to_end((query, want))
        return found

    def put(
        self,
        searcher: Searcher,
        query: str,
        want: int | None,
        head: list[int],
        order: Sequence[int],
    ) -> array[int]:
        """Keep a result (``order``: every hit's docnum, ascending); returns ``order`` as
        kept (an array of them is kept as it is: nothing changes it)."""
        if searcher is not self._searcher:
            self.clear()
            self._searcher = searcher
        kept = order if isinstance(order, array) and order.typecode == "I" else array("I", order)
        size = _size(head, kept)
        if size > self.budget:
            return kept
        old = self._kept.pop((query, want), None)
        if old is not None:
            self._size -= _size(*old)
        self._kept[(query, want)] = (list(head), kept)
        self._size += size
        while self._size > self.budget:
            _key, dropped = self._kept.popitem(last=False)
            self._size -= _size(*dropped)
        return kept

    def clear(self) -> None:
        self._kept.clear()
        self._size = 0
        self._searcher = None


def _size(head: list[int], order: array[int]) -> int:
    return 36 * len(head) + order.itemsize * len(order) + 300
