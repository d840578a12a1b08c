"""The reader's keys as a person sees and remaps them: names shown (``pagedown`` → ``PgDn``),
the user's remaps from config.toml applied, the help table, and remaps that clash.

Like `ui/commands.py`, whose table it reads, it does not import Textual.
"""

from __future__ import annotations

from collections.abc import Mapping

from paperdeck.core.text import terminal_safe
from paperdeck.ui.command import DIGITS, Command, Scope
from paperdeck.ui.commands import COMMANDS, COMMANDS_BY_ID, works_full_screen

_KEY_NAMES = {
    "down": "↓",
    "up": "↑",
    "left": "←",
    "right": "→",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "home": "Home",
    "end": "End",
    "escape": "esc",
    "slash": "/",
    "full_stop": ".",
    "comma": ",",
    "question_mark": "?",
    "shift+tab": "shift+tab",
    "space": "space",
    "shift+space": "shift+space",
}


def display_key(key: str) -> str:
    """A key name as a person reads it: ``question_mark`` → ``?``, ``pagedown`` → ``PgDn``.
    A remap comes from config.toml: shown terminal-safe, wherever it is shown."""
    key = terminal_safe(key.strip())
    if key in _KEY_NAMES:
        return _KEY_NAMES[key]
    if key.startswith("f") and key[1:].isdigit():
        return key.upper()
    return key


def display_keys(keys: str) -> str:
    """``"j,down"`` → ``"j ↓"``; the nine digits of a picker → ``"1-9"``."""
    if keys == DIGITS:
        return "1-9"
    return " ".join(display_key(key) for key in keys.split(","))


def effective_key(command: Command, keymap: Mapping[str, str] | None = None) -> str:
    """The command's keys after the user's remaps (per-key commands are never remapped)."""
    if keymap and not command.per_key and command.id in keymap:
        return keymap[command.id]
    return command.key


def key_table(
    keymap: Mapping[str, str] | None = None, *, full_screen: bool = False
) -> list[tuple[str, str, str, str]]:
    """(group, keys as shown, description, id) for every command: the help screen's rows
    (``full_screen``: only those that act while the abstract fills the screen)."""
    return [
        (c.group, display_keys(effective_key(c, keymap)), c.description, c.id)
        for c in COMMANDS
        if not full_screen or works_full_screen(c)
    ]


def unknown_ids(keymap: Mapping[str, str]) -> list[str]:
    """Ids in a user's ``[keys]`` table that name no command (typos worth reporting)."""
    return [name for name in keymap if name not in COMMANDS_BY_ID]


# The scopes whose bindings apply at once: the app's with one screen's, and on the main
# screen the screen's with the focused pane's. Two commands of one group must not share a key.
_TOGETHER: tuple[frozenset[Scope], ...] = tuple(
    frozenset(("app", *scopes))
    for scopes in (
        ("screen", "list"),
        ("screen", "sidebar"),
        ("screen", "abstract", "full_screen"),
        ("screen", "search"),
        ("note",),
        ("dialog", "export"),
        ("picker",),
        ("confirm",),
        ("conflict",),
        ("help",),
        ("welcome",),
    )
)


def _clashes(keymap: Mapping[str, str] | None) -> set[tuple[str, str, str]]:
    """(key, id, other id) for commands bound to one key where both bindings apply."""
    keys = {c.id: {k.strip() for k in effective_key(c, keymap).split(",")} for c in COMMANDS}
    found: set[tuple[str, str, str]] = set()
    for group in _TOGETHER:
        members = [c for c in COMMANDS if group.intersection(c.scopes)]
        for i, first in enumerate(members):
            for second in members[i + 1 :]:
                for key in keys[first.id] & keys[second.id]:
                    found.add((key, first.id, second.id))
    return found


def key_conflicts(keymap: Mapping[str, str]) -> list[str]:
    """One sentence per remap in ``keymap`` that takes a key another command uses in the same
    place, so that one of the two cannot be reached there. The defaults' own overlaps are
    meant (esc closes the abstract pane before it clears the search) and never reported."""
    meant = _clashes(None)
    problems = []
    for key, first, second in sorted(_clashes(keymap) - meant):
        remapped, other = (first, second) if first in keymap else (second, first)
        problems.append(
            f"keys.{remapped} = {display_key(key)!r} is also the key of "
            f"“{COMMANDS_BY_ID[other].description}” ({other}); one of them cannot be used"
        )
    return problems
