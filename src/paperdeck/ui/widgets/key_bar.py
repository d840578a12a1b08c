"""The key bar: the keys that work where the focus is, on the bottom line.

Textual's `Footer` makes a widget per key (ten here) and rebuilds them whenever the bindings
change; styling and laying those out was a fifth of the reader's start-up at 100,000 papers.
This is one widget drawing one line, redrawn only when what it lists changes.
"""

from __future__ import annotations

from enum import IntEnum
from typing import ClassVar

from rich.text import Text
from textual.screen import Screen
from textual.widget import Widget

from paperdeck.ui.commands import COMMANDS_BY_ID


class Keep(IntEnum):
    """How long a key stays in a short key bar: the lowest give way first (the palette hint
    between spare and usual keys), and within a level the last listed."""

    SPARE = 0  # shown where there is room once the others are
    USUAL = 1
    WANTED = 2  # a spare key the screen needs shown now (`b` while the sidebar is folded)
    ESSENTIAL = 3  # help and quit: how a new user finds the rest, and leaves


PALETTE_KEEP = 0.5  # the palette hint gives way after the spare keys, before the usual ones

# (key, description, enabled, keep) of each listed key
Shown = tuple[tuple[str, str, bool, Keep], ...]


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
        keys: list[tuple[str, str, bool, Keep]] = []
        actions: set[str] = set()
        palette = None
        wanted = getattr(screen, "key_bar_wants", None)  # spare keys the screen needs shown
        promoted: set[str] = set(wanted()) if callable(wanted) else set()
        hides = getattr(screen, "key_bar_hides", None)  # bound, but of no use here now
        hidden: set[str] = set(hides()) if callable(hides) else set()
        for key, (_node, binding, enabled, _tooltip) in screen.active_bindings.items():
            if key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = (app.get_key_display(binding), binding.description)
            elif binding.show and binding.action not in actions and binding.id not in hidden:
                # one key per action, and none of those the screen hides
                actions.add(binding.action)
                keep = _keep(binding.id, promoted)
                keys.append((app.get_key_display(binding), binding.description, enabled, keep))
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
        parts: list[tuple[Text, float]] = []
        for key, description, enabled, keep in self.keys:
            part = Text.assemble((f" {key} ", key_style), (f"{description} ", description_style))
            if not enabled:
                part.stylize("dim")
            parts.append((part, keep))
        corner = None
        if self.palette is not None:
            key, description = self.palette
            corner = Text.assemble("▏", (f"{key} ", key_style), (description, description_style))
            parts.append((corner, PALETTE_KEEP))
        shown = fitting(parts, self.size.width)
        line = Text(no_wrap=True, overflow="crop", end="")
        for part in shown:
            if part is corner:  # on the right, after what room is left
                line.append(" " * (self.size.width - line.cell_len - part.cell_len))
            line.append_text(part)
        return line


def _keep(command_id: str | None, promoted: set[str]) -> Keep:
    command = COMMANDS_BY_ID.get(command_id or "")
    if command is None:
        return Keep.USUAL
    if command.essential:
        return Keep.ESSENTIAL
    if command.id in promoted:
        return Keep.WANTED
    return Keep.SPARE if command.spare else Keep.USUAL


def fitting(parts: list[tuple[Text, float]], width: int) -> list[Text]:
    """The parts that fit in ``width``, in their order: whole parts only, those kept least
    (``keep``, then the last listed) given up first, so the line never ends in half a key."""
    used = sum(part.cell_len for part, _ in parts)
    dropped: set[int] = set()
    by_keep = sorted(range(len(parts)), key=lambda i: (parts[i][1], -i))
    for index in by_keep:
        if used <= width:
            break
        dropped.add(index)
        used -= parts[index][0].cell_len
    return [part for index, (part, _) in enumerate(parts) if index not in dropped]
