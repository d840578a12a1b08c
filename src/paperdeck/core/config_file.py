"""Reading config.toml: one file shared by the reader's settings and the feeds.

The reader (`paperdeck.ui.config`) and the feed list (`paperdeck.core.feeds.config`) each
read their own tables from the same file through `read_config`, so a broken file is
reported the same way wherever it is read, and the CLI reads it without Textual.
"""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path
from typing import Any


def not_a_file(path: Path) -> bool:
    """Whether ``path`` exists as something other than a regular file (a FIFO, a device)."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def read_config(path: Path, problems: list[str]) -> dict[str, Any]:
    """The file's tables; {} when it is missing, and {} with a problem noted when it cannot
    be read or parsed (a broken file never stops paperdeck: the defaults apply).

    A FIFO or device is not read (a FIFO would block the reader's start, /dev/zero never
    ends): /dev/null means no settings, anything else is said."""
    if not_a_file(path):
        if not path.samefile(os.devnull):
            problems.append(f"{path}: not a regular file; using defaults")
        return {}
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problems.append(f"{path}: {exc}; using defaults")
        return {}
