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
