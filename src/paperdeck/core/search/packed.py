"""Arrays of numbers as the index's own files hold them (impact lists, pair postings):
little-endian, whatever the machine.

Read through a memoryview: slicing the bytes first would copy them twice, and a slice of a
large list costs far more than the array built from it (a 240 KB slice: ~190 µs, against
~6 µs read in place), on every directory opened and every list read.
"""

from __future__ import annotations

import sys
from array import array
from typing import Any, BinaryIO

_SWAP = sys.byteorder != "little"


def take(data: bytes, at: int, code: str, count: int) -> tuple[array[Any], int]:
    """The ``count`` numbers of type ``code`` stored from ``at``, and where they end;
    ValueError if ``data`` ends first."""
    out = array(code)
    end = at + out.itemsize * count
    if count < 0 or end > len(data):
        raise ValueError("the file ends early")
    out.frombytes(memoryview(data)[at:end])
    if _SWAP:
        out.byteswap()
    return out, end


def write(out: BinaryIO, values: array[Any]) -> None:
    """``values`` in file order, written from the array itself."""
    if _SWAP:
        values = array(values.typecode, values)
        values.byteswap()
    out.write(values)
