"""Large blocks freed after a big search go back to the system (glibc on Linux)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from paperdeck.core.memory import release_large_frees

glibc = pytest.mark.skipif(
    sys.platform != "linux" or not os.confstr("CS_GNU_LIBC_VERSION"),
    reason="glibc's malloc only",
)

# One 8 MB block freed (glibc then serves blocks up to 8 MB from its heap), then 32 MB in
# 4 MB blocks, a few small objects after them (so the heap cannot just shrink from its
# top), and the 32 MB freed: prints how many KiB the process still holds of them.
CHILD = """
import sys
from paperdeck.core.memory import release_large_frees

def rss_kib():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))

if sys.argv[1] == "release":
    assert release_large_frees()
first = b"x" * (8 << 20)
del first
before = rss_kib()
blocks = [b"y" * (4 << 20) for _ in range(8)]
pinned = [bytes(200) for _ in range(1000)]
del blocks
print(rss_kib() - before)
"""


def _kept_kib(mode: str) -> int:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode], capture_output=True, text=True, check=True
    )
    return int(done.stdout)


@glibc
def test_freed_large_blocks_leave_the_process() -> None:
    assert _kept_kib("release") < 4 * 1024


@glibc
def test_without_it_glibc_keeps_them() -> None:
    """The test above would pass for nothing if glibc returned them anyway."""
    assert _kept_kib("default") > 24 * 1024


@glibc
def test_it_says_it_took_effect() -> None:
    assert release_large_frees() is True
