"""How the paper keys tell the user what happened: one plain line each.

`PaperActions`, `LinkActions`, `ViewExport` and `FeedKeys` speak through one `Notices`: a
title, a tag or a link in a message is never parsed as markup, a failed write is one line
that says why (never a crash), and a key is named as the user has it after remapping.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.widget import Widget

from paperdeck.core.text import clean_line
from paperdeck.ui.commands import COMMANDS_BY_ID
from paperdeck.ui.keys import display_keys, effective_key
from paperdeck.ui.write_failures import why_failed


def short_title(title: str, width: int = 60) -> str:
    """A title for a line of a message: cut before it is cleaned (a 50 MB title costs)."""
    title = clean_line(title[: width * 4])
    return title if len(title) <= width else title[: width - 1] + "…"


def sentence(text: str) -> str:
    """``text`` ended with a full stop, unless it ends a sentence already: a title cut to
    "…" (or one ending in "?") reads wrong with a "." after it."""
    return text if text.rstrip().endswith((".", "…", "?", "!")) else text + "."


class Notices:
    """Notifications from ``node`` (the screen); ``keymap``: the user's remapped keys."""

    def __init__(self, node: Widget, keymap: Mapping[str, str]) -> None:
        self.node = node
        self.keymap = keymap

    def say(self, message: str, *, severity: str = "information") -> None:
        """Notify with plain text: titles, tags and links are never parsed as markup."""
        self.node.notify(message, severity=severity, markup=False)  # type: ignore[arg-type]

    def failed(self, what: str, error: Exception, advice: str = "") -> None:
        """A write did not reach the library: one plain line, never a crash."""
        message = f"Could not {what}: {why_failed(error)}"
        self.say(message + (f" — {advice}" if advice else ""), severity="error")

    def key_for(self, command_id: str) -> str:
        """The key of a command as the user has it (after remaps), for messages."""
        return display_keys(effective_key(COMMANDS_BY_ID[command_id], self.keymap))
