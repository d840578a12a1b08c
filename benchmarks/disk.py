"""Temporary disk of an index build, sampled while a process runs.

A build writes its index into a folder beside the index (`index.tmp-*`) and Whoosh keeps its
sorting run files inside it (`MAIN.tmp/`); anything written to the system's temporary folder
counts too. `DiskWatch` samples both every `interval` seconds; the temporary disk is the peak
of their sum less the final index (what is left once the build is done). A peak shorter than
the interval can be missed: the figure is a lower bound of the true peak.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from pathlib import Path


def tree_bytes(path: Path) -> int:
    total = 0
    for root, _dirs, names in os.walk(path):
        for name in names:
            with contextlib.suppress(OSError):  # removed while we looked
                total += os.lstat(os.path.join(root, name)).st_size
    return total


class DiskWatch:
    """Peak bytes of the build folders beside ``index`` plus the growth of the system's
    temporary folder, sampled every ``interval`` seconds while in the ``with`` block."""

    def __init__(self, index: Path, interval: float = 0.25) -> None:
        self.index = index
        self.interval = interval
        self.tmpdir = Path(tempfile.gettempdir())
        self.peak_build = 0  # the build folder alone
        self.peak_tmpdir = 0  # growth of the system's temporary folder
        self.peak = 0  # of their sum
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        base = tree_bytes(self.tmpdir)
        while not self._stop.wait(self.interval):
            build = sum(tree_bytes(p) for p in self.index.parent.glob(f"{self.index.name}.tmp-*"))
            grown = max(0, tree_bytes(self.tmpdir) - base)
            self.peak_build = max(self.peak_build, build)
            self.peak_tmpdir = max(self.peak_tmpdir, grown)
            self.peak = max(self.peak, build + grown)
            self.samples += 1

    def __enter__(self) -> DiskWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def figures(self) -> dict[str, float | int]:
        """In MB; ``temporary_mb``: the peak less the final index, and its ratio to it."""
        final = tree_bytes(self.index)
        return {
            "peak_build_folder_mb": self.peak_build / 1e6,
            "peak_tmpdir_growth_mb": self.peak_tmpdir / 1e6,
            "final_index_mb": final / 1e6,
            "temporary_mb": max(0, self.peak - final) / 1e6,
            "temporary_to_index": max(0, self.peak - final) / final if final else 0.0,
            "samples": self.samples,
        }
