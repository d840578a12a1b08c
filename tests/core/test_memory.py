"""Large blocks freed after a big search go back to the system (glibc on Linux)."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig

import pytest

glibc = pytest.mark.skipif(
    sys.platform != "linux"
    or not os.confstr("CS_GNU_LIBC_VERSION")
    or bool(sysconfig.get_config_var("Py_GIL_DISABLED")),  # free-threaded: mimalloc
    reason="glibc's malloc only",
)

# One 8 MB block freed (glibc then serves blocks up to 8 MB from its heap), then 32 MB in
# 4 MB blocks, a few 4 KB blocks after them (malloc's, so the heap cannot just shrink from its
# top), and the 32 MB freed: prints how many KiB the process still holds of them, and
# what `give_back_freed_memory` returned.
CHILD = """
import sys
from paperdeck.core.memory import _malloc_trim, give_back_freed_memory

_malloc_trim()  # ctypes loaded before the measure, not inside it

def rss_kib():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))

first = b"x" * (8 << 20)
del first
before = rss_kib()
blocks = [b"y" * (4 << 20) for _ in range(8)]
pinned = [bytes(4000) for _ in range(100)]  # malloc, not pymalloc (over 512 bytes)
del blocks
gave = give_back_freed_memory() if sys.argv[1] == "give back" else None
print(rss_kib() - before, gave)
"""


def _kept_kib(mode: str) -> tuple[int, str]:
    # glibc's defaults: no tunables, no other allocator preloaded, Python's own allocator.
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("MALLOC_", "GLIBC_TUNABLES", "LD_PRELOAD", "PYTHONMALLOC"))
    }
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode], capture_output=True, text=True, check=True, env=env
    )
    kept, gave = done.stdout.split()
    return int(kept), gave


@glibc
def test_freed_large_blocks_leave_the_process_when_given_back() -> None:
    assert _kept_kib("give back") == (pytest.approx(0, abs=4 * 1024), "True")


@glibc
def test_without_it_glibc_keeps_them() -> None:
    """The test above would pass for nothing if glibc returned them anyway."""
    kept, _ = _kept_kib("keep")
    assert kept > 24 * 1024
