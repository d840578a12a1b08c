"""Give memory freed by a big search back to the system, in long-running processes.

A complete search at a million papers builds lists of a million items (8 MB each) and
drops them. glibc's malloc serves such blocks with mmap and unmaps them when freed, until
the first one is freed: then it raises its mmap threshold (up to 32 MB) so the next ones
come from the heap, whose free pages it keeps. In the reader at a million papers that kept
~90 MB after a few searches. Fixing the threshold at its default stops the raise; every
block over 128 KiB is then unmapped when freed.
"""

from __future__ import annotations

import ctypes
import os
import sys

M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter (malloc.h)
THRESHOLD = 128 * 1024  # glibc's own default, kept fixed


def release_large_frees() -> bool:
    """Whether the process now unmaps freed large blocks (glibc on Linux only)."""
    if sys.platform != "linux":
        return False
    try:
        if not os.confstr("CS_GNU_LIBC_VERSION"):  # musl and others: not glibc's malloc
            return False
        libc = ctypes.CDLL(None)
        return bool(libc.mallopt(M_MMAP_THRESHOLD, THRESHOLD))
    except (OSError, ValueError, AttributeError):
        return False
