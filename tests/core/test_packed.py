"""The arrays of the index's own files: what is written reads back, in file order."""

from __future__ import annotations

import io
from array import array

import pytest

from paperdeck.core.search import packed


def test_written_arrays_read_back_in_place() -> None:
    out = io.BytesIO()
    out.write(b"head")
    packed.write(out, array("I", [1, 2, 0xFFFFFFFF]))
    packed.write(out, array("Q", [1 << 40]))
    packed.write(out, array("f", [0.5, -2.0]))
    data = out.getvalue()

    ints, at = packed.take(data, 4, "I", 3)
    big, at = packed.take(data, at, "Q", 1)
    floats, at = packed.take(data, at, "f", 2)

    assert (list(ints), list(big), list(floats)) == ([1, 2, 0xFFFFFFFF], [1 << 40], [0.5, -2.0])
    assert at == len(data)


def test_the_file_order_is_little_endian() -> None:
    out = io.BytesIO()
    packed.write(out, array("I", [0x01020304]))
    assert out.getvalue() == b"\x04\x03\x02\x01"


def test_a_file_that_ends_early_is_an_error() -> None:
    with pytest.raises(ValueError, match="ends early"):
        packed.take(bytes(10), 4, "I", 2)


def test_a_big_endian_machine_writes_and_reads_the_same_file(monkeypatch) -> None:
    """Swapped both ways where the machine's order is not the file's; the array written
    is left as it was."""
    monkeypatch.setattr(packed, "_SWAP", True)
    values = array("I", [0x01020304, 7])
    out = io.BytesIO()
    packed.write(out, values)
    assert out.getvalue() == b"\x01\x02\x03\x04\x00\x00\x00\x07"  # each number swapped
    assert list(values) == [0x01020304, 7]
    read, _end = packed.take(out.getvalue(), 0, "I", 2)
    assert list(read) == [0x01020304, 7]


def test_a_negative_count_is_an_error() -> None:
    with pytest.raises(ValueError, match="ends early"):
        packed.take(bytes(16), 8, "Q", -1)
