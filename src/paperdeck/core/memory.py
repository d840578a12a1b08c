"""Give memory freed by a big search back to the system (glibc on Linux).

A complete search at a million papers builds lists of a million items (8 MB each) and
drops them. glibc's malloc serves such blocks with mmap and unmaps them when freed, until
the first one is freed: then it raises its mmap threshold (up to 32 MB), so the next ones
come from its heap, whose free pages it keeps. In the reader at a million papers that kept
~90 MB after a few searches.

Keeping the threshold low instead made every search at 100k papers 20-30% slower (each
large block mapped and faulted in anew); `malloc_trim` once a view is complete costs
0.4-0.6 ms at 100k papers and 3-5 ms at a million, and gives the same memory back.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import cache
from typing import cast


def give_back_freed_memory() -> bool:
    """Return the free pages of the process's heaps to the system; whether any were."""
    trim = _malloc_trim()
    return bool(trim is not None and trim(0))


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's `malloc_trim`, or None elsewhere (musl, macOS, Windows)."""
    if sys.platform != "linux":
        return None
    try:
        if not os.confstr("CS_GNU_LIBC_VERSION"):
            return None
        import ctypes  # ~6 ms: only where it is needed, once

        trim = ctypes.CDLL(None).malloc_trim
        trim.argtypes = [ctypes.c_size_t]
        trim.restype = ctypes.c_int
        return cast("Callable[[int], int]", trim)
    except (OSError, ValueError, AttributeError):
        return None
