"""The key bar: the keys that work where the focus is, on the bottom line.

Textual's `Footer` makes a widget per key (ten here) and rebuilds them whenever the bindings
change; styling and laying those out was a fifth of the reader's start-up at 100,000 papers.
This is one widget drawing one line, redrawn only when what it lists changes.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.screen import Screen
from textual.widget import Widget

from paperdeck.ui.commands import COMMANDS_BY_ID

# (key, description, enabled, spare) of each listed key; spare keys show where there is room
Shown = tuple[tuple[str, str, bool, bool], ...]


class KeyBar(Widget):
    """Keys and what they do, as the focused widget, its screen and the app bind them."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-bar--key", "key-bar--description"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .key-bar--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.keys: Shown = ()
        self.palette: tuple[str, str] | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[object]) -> None:
        if screen is not self.screen:
            return
        app = self.app
        keys: list[tuple[str, str, bool, bool]] = []
        actions: set[str] = set()
        palette = None
        wanted = getattr(screen, "key_bar_wants", None)  # spare keys the screen needs shown
        promoted: set[str] = set(wanted()) if callable(wanted) else set()
        for key, (_node, binding, enabled, _tooltip) in screen.active_bindings.items():
            if key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = (app.get_key_display(binding), binding.description)
            elif binding.show and binding.action not in actions:  # one key per action
                actions.add(binding.action)
                command = COMMANDS_BY_ID.get(binding.id or "")
                spare = command is not None and command.spare and command.id not in promoted
                keys.append((app.get_key_display(binding), binding.description, enabled, spare))
        if (tuple(keys), palette) != (self.keys, self.palette):
            self.keys, self.palette = tuple(keys), palette
            self.refresh()

    @property
    def plain(self) -> str:
        """The line as text, for tests and the curious."""
        return self.render().plain

    def on_resize(self) -> None:
        self.bindings_changed(self.screen)  # a fold of the sidebar may change what is wanted

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        parts = []
        for key, description, enabled, spare in self.keys:
            part = Text.assemble((f" {key} ", key_style), (f"{description} ", description_style))
            if not enabled:
                part.stylize("dim")
            parts.append((part, spare))
        # The spare keys fill what the others leave, the last of them given up first.
        room = self.size.width - (
            len(self.palette[0]) + len(self.palette[1]) + 3 if self.palette else 0
        )
        used = sum(part.cell_len for part, _ in parts)
        for index in range(len(parts) - 1, -1, -1):
            if used <= room:
                break
            part, spare = parts[index]
            if spare:
                used -= part.cell_len
                del parts[index]
        line = Text(no_wrap=True, overflow="crop", end="")
        for part, _ in parts:
            line.append_text(part)
        if self.palette is not None:
            key, description = self.palette
            corner = Text.assemble("▏", (f"{key} ", key_style), (description, description_style))
            gap = self.size.width - line.cell_len - corner.cell_len
            if gap >= 0:
                line.append(" " * gap)
                line.append_text(corner)
        return line
