"""Everything a command writes to the terminal goes through `terminal_safe`.

Titles, ids, tags, file names, `--library` paths and config keys come from files and
databases we do not control, and they reach the terminal in many places: result lines,
summaries, warnings, errors, argparse's own messages. Rather than trust each `print` to
remember, `main` runs every command with standard output and error wrapped, so no escape
sequence, control character or bidi override can get through, whatever prints it. Newlines
and tabs pass. What is written is otherwise unchanged: JSON output escapes the characters
this would remove (`json_text`), so no data is lost from it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from paperdeck.core.text import terminal_safe


class TerminalSafeStream:
    """A text stream whose every `write` is made safe first; the rest goes to ``unsafe``."""

    def __init__(self, stream: TextIO) -> None:
        self.unsafe = stream  # for our own control sequences only (the progress line)

    def write(self, text: str) -> int:
        self.unsafe.write(terminal_safe(text))
        return len(text)

    def writelines(self, lines: Iterator[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, fileno, isatty, encoding, ...
        return getattr(self.unsafe, name)


def unsafe(stream: TextIO) -> TextIO:
    """The stream beneath a `TerminalSafeStream`, for control sequences we write ourselves."""
    return stream.unsafe if isinstance(stream, TerminalSafeStream) else stream


@contextmanager
def terminal_safe_output() -> Iterator[None]:
    """Standard output and error wrapped in `TerminalSafeStream` for the block's duration."""
    out, err = sys.stdout, sys.stderr
    sys.stdout = TerminalSafeStream(out)
    sys.stderr = TerminalSafeStream(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


def print_json(value: object) -> None:
    """``value`` as a command's `--json` output (`json_text`: safe for the terminal)."""
    from paperdeck.core.json_output import json_text  # (not on the path of other output)

    print(json_text(value))
