"""One user command of the reader: its id (for remapping), default keys, where it is bound
and what it does. The table of them is `ui/commands.py`, which joins the parts.

No Textual here, so `paperdeck keys` stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Scope = Literal[
    "app",
    "screen",
    "list",
    "sidebar",
    "abstract",
    "full_screen",
    "search",
    "note",
    "dialog",
    "export",
    "picker",
    "confirm",
    "conflict",
    "help",
    "welcome",
]


@dataclass(frozen=True, slots=True)
class Command:
    """One user command: its id (for remapping), default keys and what it does.

    ``key`` uses Textual key names, several separated by commas. ``label`` is the short footer
    text; ``description`` is the sentence in the help screen and the palette. ``scopes`` say
    which part of the reader binds it. ``per_key`` commands (pick 1-9) pass the pressed key to
    their action and cannot be remapped.
    """

    id: str
    key: str
    description: str
    show_in_footer: bool
    group: str
    label: str = ""
    scopes: tuple[Scope, ...] = ("screen",)
    action: str = ""
    palette: bool = True
    per_key: bool = False
    priority: bool = False
    spare: bool = False  # in the key bar too, where there is room once the others are shown
    essential: bool = False  # in the key bar at any width: the last keys to give way

    @property
    def action_name(self) -> str:
        return self.action or self.id

    @property
    def footer_label(self) -> str:
        return self.label or self.description


DIGITS = ",".join(str(n) for n in range(1, 10))
