"""Many paper ids held as one string: the whole library newest first, as the reader lists it.

A million ids as a list of strings take ~70 MB (a string object each); joined with a
separator they take 11 MB, and where each starts 4 MB more. The reader's list reads a
screenful of them at a time, by position, so nothing needs them as separate objects: an
`IdRun` makes each id when it is read. `in` and `index` search the string itself.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import accumulate
from typing import Any, TypeAlias, overload

SEPARATOR = "\n"
# Characters split at a time while the starts are found (~6,000 ids): a piece holds the
# interpreter ~1 ms, where a megabyte's split and starts held it 10-30 ms at a time, and
# the reader's keys waited behind each as it opened (no slower in all: 94 ms a million).
PIECE = 1 << 16
_ONE_MORE = (1).__add__  # an id's length and its separator


# Where each id starts, then one past the end: id i is text[starts[i]:starts[i+1]-1]. Four
# bytes each: a run holds up to 4 GB of ids (a million arXiv ids are 11 MB).
Starts: TypeAlias = "array[int]"


def new_starts() -> Starts:
    return array("I", [0])


def add_starts(starts: Starts, ids: list[str]) -> None:
    """The starts of ``ids``, joined after those ``starts`` holds: from where the first
    starts (the last start found, taken back) to where the next one will."""
    starts.extend(accumulate(map(_ONE_MORE, map(len, ids)), initial=starts.pop()))


class _Ids(Sequence[str]):
    """What `IdRun` and `PickedIds` share: found by a search of their text, equal to any
    sequence of the same ids (a list too), unhashable as a list is."""

    __slots__ = ()

    def _find(self, paper_id: str) -> int:
        raise NotImplementedError

    def __contains__(self, value: object) -> bool:
        return isinstance(value, str) and self._find(value) >= 0

    def index(self, value: object, start: int = 0, stop: int | None = None) -> int:
        """The position of ``value`` (ids are unique: its only one), as `list.index`."""
        found = self._find(value) if isinstance(value, str) else -1
        start, end, _ = slice(start, stop).indices(len(self))  # negative bounds as a list's
        if found < 0 or not start <= found < end:
            raise ValueError(f"{value!r} is not among the ids")
        return found

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(other) == len(self) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal to a list, which has none

    def __repr__(self) -> str:
        shown = ", ".join(map(repr, self[:3]))
        more = ", ..." if len(self) > 3 else ""
        return f"{type(self).__name__}([{shown}{more}], {len(self)} ids)"


class IdRun(_Ids):
    """One or more ids joined by `SEPARATOR` (none holds it), read by position; immutable,
    so the views of one order share one."""

    __slots__ = ("text", "_starts")

    def __init__(
        self, text: str, before: Callable[[], None] | None = None, *, starts: Starts | None = None
    ) -> None:
        """``before``: called before each piece of the text is read (it may raise, to stop:
        a million ids take ~0.1 s). ``starts``: found already as the ids were joined
        (`new_starts`, `add_starts`)."""
        self.text = text
        if starts is None:
            starts = new_starts()
            for piece in pieces(text, PIECE, before):
                add_starts(starts, piece)
        self._starts = starts

    @classmethod
    def of_pieces(cls, pieces: Iterable[list[str]]) -> IdRun | None:
        """The ids of ``pieces`` joined, a piece at a time (a list of them all would hold a
        string object each); None if one holds `SEPARATOR`."""
        starts, parts = new_starts(), []
        for piece in pieces:
            if not piece:
                continue
            part = SEPARATOR.join(piece)
            if part.count(SEPARATOR) != len(piece) - 1:
                return None
            parts.append(part)
            add_starts(starts, piece)
        return cls(SEPARATOR.join(parts), starts=starts)

    @classmethod
    def joined(cls, runs: Sequence[IdRun]) -> IdRun:
        """``runs`` one after another, as one run."""
        if len(runs) == 1:
            return runs[0]
        starts = new_starts()
        for run in runs:
            if len(run):
                base = starts.pop()
                shift, step = base.__add__, PIECE // 16
                # A piece at a time: other threads (the reader's keys) run between pieces,
                # where one call over a segment of a million ids would hold the interpreter.
                for at in range(0, len(run._starts), step):
                    starts.extend(map(shift, run._starts[at : at + step]))
        return cls(SEPARATOR.join(run.text for run in runs if len(run)), starts=starts)

    def part(self, first: int, stop: int) -> IdRun:
        """The ids ``first`` to ``stop`` (not included) as a run of their own (a copy)."""
        if not 0 <= first <= stop <= len(self):
            raise IndexError("IdRun part out of range")
        if first == stop:
            return IdRun("", starts=new_starts())
        starts = self._starts
        base = starts[first]
        shifted = array("I", map((-base).__add__, starts[first : stop + 1]))
        return IdRun(self.text[base : starts[stop] - 1], starts=shifted)

    def take(self, positions: Iterable[int]) -> list[str]:
        """The ids at ``positions``, in their order (each within the run)."""
        text, starts = self.text, self._starts
        return [text[starts[at] : starts[at + 1] - 1] for at in positions]

    def positions(self, paper_id: str) -> Iterator[int]:
        """Every position of ``paper_id`` in the run, first to last: a run of a search
        index's ids holds a deleted document's id beside its new version's."""
        if SEPARATOR in paper_id:
            return
        text, at = self.text, 0
        while (at := text.find(paper_id, at)) >= 0:
            end = at + len(paper_id)
            if (at == 0 or text[at - 1] == SEPARATOR) and (
                end == len(text) or text[end] == SEPARATOR
            ):
                yield bisect_right(self._starts, at) - 1
            at += 1

    def __len__(self) -> int:
        return len(self._starts) - 1

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return [self[i] for i in range(start, stop, step)]
            if start >= stop:
                return []
            starts = self._starts
            return self.text[starts[start] : starts[stop] - 1].split(SEPARATOR)
        count = len(self)
        if index < 0:
            index += count
        if not 0 <= index < count:
            raise IndexError("IdRun index out of range")
        return self.text[self._starts[index] : self._starts[index + 1] - 1]

    def __iter__(self) -> Iterator[str]:
        if len(self):  # an empty text is one empty id, unless the starts say none
            for piece in pieces(self.text, PIECE):
                yield from piece

    def _find(self, paper_id: str) -> int:
        """Its first position, or -1: the id whole, between separators or the text's ends."""
        return next(self.positions(paper_id), -1)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, IdRun):  # (an empty run and one empty id share their text)
            return self.text == other.text and len(self) == len(other)
        return super().__eq__(other)


class RunPart(_Ids):
    """A stretch of an `IdRun`, read in place: a segment's ids within the index's joined
    run, not kept a second time (15 MB at a million papers)."""

    __slots__ = ("_run", "_first", "_count")

    def __init__(self, run: IdRun, first: int, count: int) -> None:
        if not 0 <= first <= first + count <= len(run):
            raise IndexError("RunPart out of range")
        self._run, self._first, self._count = run, first, count

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            start, stop, step = index.indices(self._count)
            if step != 1:
                return [self._run[self._first + at] for at in range(start, stop, step)]
            return self._run[self._first + start : self._first + max(start, stop)]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError("RunPart index out of range")
        return self._run[self._first + index]

    def __iter__(self) -> Iterator[str]:
        for start in range(0, self._count, PIECE // 16):
            yield from self[start : start + PIECE // 16]

    def as_run(self) -> IdRun:
        """These ids as a run of their own: a copy, to be joined with others."""
        return self._run.part(self._first, self._first + self._count)

    def _find(self, paper_id: str) -> int:
        for at in self._run.positions(paper_id):
            if self._first <= at < self._first + self._count:
                return at - self._first
        return -1


class PickedIds(_Ids):
    """Ids of an `IdRun` picked by position (a search's hits, by document number): four
    bytes each, an id made when read. A million hits as a list held a million strings, or
    kept every id of the index decoded for them to share (74 MB at a million papers).
    Immutable, as `IdRun`."""

    __slots__ = ("_positions", "_run")

    def __init__(self, positions: Iterable[int], run: IdRun) -> None:
        # An array of them is kept as it is (`ranked_first` makes one for each result).
        if isinstance(positions, array) and positions.typecode == "I":
            self._positions: array[int] = positions
        else:
            self._positions = array("I", positions)
        self._run = run

    def __len__(self) -> int:
        return len(self._positions)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return self._run.take(self._positions[index])
        return self._run[self._positions[index]]

    def __iter__(self) -> Iterator[str]:
        for start in range(0, len(self._positions), PIECE // 16):
            yield from self._run.take(self._positions[start : start + PIECE // 16])

    def positions_in(self, run: IdRun) -> array[int] | None:
        """The positions picked, if picked from ``run`` (the very one): None otherwise."""
        return self._positions if self._run is run else None

    def _find(self, paper_id: str) -> int:
        for at in self._run.positions(paper_id):  # one, or a deleted document's first
            try:
                return self._positions.index(at)  # C speed: ~18 ms at a million
            except ValueError:
                continue
        return -1


def frozen(ids: Sequence[Any]) -> bool:
    """Whether ``ids`` is one of the sequences here, which nothing changes: shared, not
    copied."""
    return isinstance(ids, IdRun | PickedIds | RunPart)


def pieces(text: str, size: int, before: Callable[[], None] | None = None) -> Iterator[list[str]]:
    """The ids of ``text`` a piece of about ``size`` characters at a time, ``before`` called
    before each: split whole, a million ids would be 70 MB of strings at once, and the heap
    they left behind stayed in the reader's memory; and that one call held the interpreter
    while a key typed waited."""
    start = 0
    while True:
        if before is not None:
            before()
        end = text.find(SEPARATOR, start + size) if start + size < len(text) else -1
        if end < 0:
            yield text[start:].split(SEPARATOR)
            return
        yield text[start:end].split(SEPARATOR)
        start = end + 1
