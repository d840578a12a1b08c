"""Copying text: the local clipboard when there is one, else the terminal's OSC 52.

Over SSH the local clipboard belongs to the wrong machine, and without a display pyperclip
has nothing to talk to; then the terminal is asked to copy (OSC 52, via
`App.copy_to_clipboard`). The pyperclip function is injectable so tests can make it fail.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

LOCAL = "clipboard"
TERMINAL = "terminal (OSC 52)"
FAILED = ""


class TerminalCopier(Protocol):
    def copy_to_clipboard(self, text: str) -> None: ...


def _pyperclip_copy(text: str) -> None:
    import pyperclip

    pyperclip.copy(text)


@dataclass(slots=True)
class Clipboard:
    """Decides how to copy. ``copy_function`` stands for ``pyperclip.copy``."""

    copy_function: Callable[[str], object] | None = _pyperclip_copy
    environ: Mapping[str, str] | None = None
    platform: str = sys.platform

    def prefers_terminal(self) -> bool:
        """True over SSH, or on a Linux/BSD machine without a display."""
        env = os.environ if self.environ is None else self.environ
        if env.get("SSH_TTY") or env.get("SSH_CONNECTION"):
            return True
        if self.copy_function is None:
            return True
        if self.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
            return not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))
        return False

    def copy(self, terminal: TerminalCopier, text: str) -> str:
        """Copy ``text`` and say how (``LOCAL``, ``TERMINAL`` or ``FAILED``). Never raises."""
        if not self.prefers_terminal() and self.copy_function is not None:
            try:
                self.copy_function(text)
                return LOCAL
            except Exception:  # pyperclip raises its own errors, or is missing a backend
                pass
        try:
            terminal.copy_to_clipboard(text)
        except Exception:
            return FAILED
        return TERMINAL
