"""A pair file's words kept as keys (`word_keys`), read from its directory as a phrase
asks for them: the phrase found, and about what finding it costs."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from paperdeck.core.search import packed
from paperdeck.core.search.pairs import PAD
from paperdeck.core.search.word_keys import next_phrase_counts, phrase_counts
from paperdeck.core.search.word_table import WordTable

Read = Callable[[int, int], bytes]  # (offset, size) -> the file's bytes there
Found = tuple[list[int], list[list[int]]]  # documents, each word's count in each


@dataclass(frozen=True, slots=True)
class KeyedField:
    first: int  # a field's words kept as keys: numbers first .. first + count - 1
    count: int
    shift: int
    keycode: str
    nexts: int  # where their next words start (`word_keys.write_next`), -1: not written


class KeyedWords:
    """The keyed fields of one pair file, their words' keys and next words read on demand
    (the file's directory, ``table``, numbers them with the pairs)."""

    def __init__(self, table: WordTable, read: Read, fields: dict[str, KeyedField]) -> None:
        self.table, self._read, self.fields = table, read, fields
        self._keys_before: dict[int, array[int]] = {}  # per field: keys before each word

    def phrase(
        self, source: str, btexts: Sequence[bytes], check: Callable[[], None]
    ) -> Found | None:
        """Where the words ``btexts`` of the field ``source`` stand one after the other,
        with how often each occurs there: by the words next to each where they are
        written, else by set operations; None where one is not kept as keys here (in few
        papers: its positions are cheap), or the phrase is too long for them."""
        found = self.numbers(source, btexts)
        if found is None:
            return None
        field, numbers = found
        read: dict[bytes, array[int]] = {}
        for btext, n in numbers.items():
            read[btext] = self.keys(field, n)
            check()
        lists = [read[b] for b in btexts]
        if field.nexts < 0:
            return phrase_counts(lists, field.shift, check)
        ids = [numbers[b] - field.first + 1 for b in btexts]
        nexts = [self.nexts(field, numbers[b], len(read[b])) for b in btexts[:-1]]
        return next_phrase_counts(lists, nexts, ids, field.shift, check)

    def cost(self, source: str, btexts: Sequence[bytes]) -> int | None:
        """About the keys `phrase` goes through one at a time: its two rarest words' for
        set operations (the rest are looked up for the starts left); with the next words,
        a 16th of every word's (read and scanned as bytes, not one by one). None where it
        would not answer."""
        found = self.numbers(source, btexts)
        if found is None:
            return None
        sizes = sorted(int(self.table.value("keys", n)[0]) for n in found[1].values())
        return sum(sizes) // 16 if found[0].nexts >= 0 else sum(sizes[:2])

    def numbers(
        self, source: str, btexts: Sequence[bytes]
    ) -> tuple[KeyedField, dict[bytes, int]] | None:
        """The field's keyed words and each word's number in the directory, if all are."""
        field = self.fields.get(source)
        if field is None or not 2 <= len(btexts) <= PAD:
            return None
        numbers: dict[bytes, int] = {}
        for btext in btexts:
            if btext not in numbers:
                n = self.table.find(btext, field.first, field.first + field.count)
                if n < 0:
                    return None
                numbers[btext] = n
        return field, numbers

    def nexts(self, field: KeyedField, n: int, count: int) -> bytes:
        """The ``n``-th word's next words (`word_keys.write_next`), as their bytes."""
        before = self._keys_before.get(field.first)
        if before is None:
            before = array("Q", [0])
            for number in range(field.first, field.first + field.count):
                before.append(before[-1] + int(self.table.value("keys", number)[0]))
            self._keys_before[field.first] = before
        data = self._read(field.nexts + 2 * before[n - field.first], 2 * count)
        if len(data) != 2 * count:
            raise ValueError("next words end early")
        return data

    def keys(self, field: KeyedField, n: int) -> array[int]:
        """The ``n``-th word's keys."""
        count = int(self.table.value("keys", n)[0])
        length = array(field.keycode).itemsize * count
        data = self._read(int(self.table.value("offset", n)[0]), length)
        return packed.take(data, 0, field.keycode, count)[0]
