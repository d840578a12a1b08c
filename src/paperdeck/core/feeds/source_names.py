"""How a paper's sources are named: a feed's as ``feed:NAME``, a file's by its path.

Apart from `config` so that the reader's sidebar can name its Sources entries without the
feeds' settings (loading them on the UI thread held the first counts' paint ~20 ms).
"""

from __future__ import annotations

from pathlib import PurePath

SOURCE_PREFIX = "feed:"


def source_label(source: str) -> str:
    """How a paper's source is named in the sidebar: a feed by its name ("feed: cs.CL"),
    a file by its file name."""
    if source.startswith(SOURCE_PREFIX):
        return f"feed: {source.removeprefix(SOURCE_PREFIX)}"
    return PurePath(source).name or source
