"""Every key of the reader, defined once.

Bindings, the footer, the `?` help table, the command palette and `paperdeck keys` are all
generated from `COMMANDS`, so what is shown can never drift from what is bound. The main
screen's keys are in `ui/browse_commands.py` (moving about, searching) and
`ui/paper_commands.py` (acting on papers), the app's own here, the dialogs' in
`ui/dialog_commands.py`, the `Command` type in `ui/command.py`; how keys are shown, remapped
and checked for clashes is `ui/keys.py`. Users remap a key by its command id in config.toml
(``[keys]`` ``star = "8"``).

This module does not import Textual at load time, so `paperdeck keys` stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from paperdeck.ui.browse_commands import BROWSE_COMMANDS
from paperdeck.ui.command import Command, Scope
from paperdeck.ui.dialog_commands import DIALOG_COMMANDS
from paperdeck.ui.paper_commands import PAPER_COMMANDS

if TYPE_CHECKING:
    from textual.binding import BindingType


SCREEN_COMMANDS: tuple[Command, ...] = (
    *BROWSE_COMMANDS,
    *PAPER_COMMANDS,
    # -- App -----------------------------------------------------------------------------
    # Help and quit stay in the key bar at any width: they let a new user find the rest.
    Command(
        "help",
        "question_mark",
        "Show every key",
        True,
        "App",
        label="Help",
        scopes=("app",),
        essential=True,
    ),
    Command(
        "command_palette",
        "ctrl+p",
        "Open the command palette",
        False,
        "App",
        label="Palette",
        scopes=("app",),
        priority=True,
    ),
    Command(
        "quit", "q", "Quit paperdeck", True, "App", label="Quit", scopes=("app",), essential=True
    ),
)

COMMANDS: tuple[Command, ...] = (*SCREEN_COMMANDS, *DIALOG_COMMANDS)

COMMANDS_BY_ID: dict[str, Command] = {command.id: command for command in COMMANDS}

# The screen's keys that still make sense while the abstract fills the screen (`z`): those
# that act on the paper being read, the next / previous unread one (the abstract follows),
# and `/`, which brings the panes back. The others act on panes that are hidden then.
FULL_SCREEN_KEYS: frozenset[str] = frozenset(
    {
        "next_unread",
        "previous_unread",
        "search",
        "star",
        "note",
        "tag_add",
        "tag_remove",
        "copy_code",
        "copy_link",
        "copy_bibtex",
        "copy_key",
        "open_link",
        "toggle_read",
    }
)


def works_full_screen(command: Command) -> bool:
    """Whether ``command`` acts while the abstract is shown full screen."""
    if command.id in ("zoom", "back_to_list"):
        return False  # `leave_full_screen` takes their keys there
    if {"abstract", "full_screen", "app"}.intersection(command.scopes):
        return True
    return "screen" in command.scopes and command.id in FULL_SCREEN_KEYS


GROUPS: tuple[str, ...] = tuple(dict.fromkeys(command.group for command in COMMANDS))


def commands_in(scope: Scope) -> Iterable[Command]:
    return (command for command in COMMANDS if scope in command.scopes)


def bindings_for(scope: Scope) -> list[BindingType]:
    """Textual bindings for one part of the reader, built from the registry."""
    from textual.binding import Binding

    result: list[BindingType] = []
    for command in commands_in(scope):
        if command.per_key:
            for key in command.key.split(","):
                result.append(
                    Binding(
                        key,
                        f"{command.action_name}({key!r})",
                        command.footer_label,
                        show=False,
                        tooltip=command.description,
                    )
                )
            continue
        result.append(
            Binding(
                command.key,
                command.action_name,
                command.footer_label,
                show=command.show_in_footer or command.spare,
                tooltip=command.description,
                id=command.id,
                priority=command.priority,
            )
        )
    return result
