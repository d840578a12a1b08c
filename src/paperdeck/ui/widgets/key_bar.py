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

Shown = tuple[tuple[str, str, bool], ...]  # (key, description, enabled) of each listed key


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
        keys: list[tuple[str, str, bool]] = []
        actions: set[str] = set()
        palette = None
        for key, (_node, binding, enabled, _tooltip) in screen.active_bindings.items():
            if key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = (app.get_key_display(binding), binding.description)
            elif binding.show and binding.action not in actions:  # one key per action
                actions.add(binding.action)
                keys.append((app.get_key_display(binding), binding.description, enabled))
        if (tuple(keys), palette) != (self.keys, self.palette):
            self.keys, self.palette = tuple(keys), palette
            self.refresh()

    @property
    def plain(self) -> str:
        """The line as text, for tests and the curious."""
        return self.render().plain

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        line = Text(no_wrap=True, overflow="crop", end="")
        for key, description, enabled in self.keys:
            part = Text.assemble((f" {key} ", key_style), (f"{description} ", description_style))
            if not enabled:
                part.stylize("dim")
            line.append_text(part)
        if self.palette is not None:
            key, description = self.palette
            corner = Text.assemble("▏", (f"{key} ", key_style), (description, description_style))
            gap = self.size.width - line.cell_len - corner.cell_len
            if gap >= 0:
                line.append(" " * gap)
                line.append_text(corner)
        return line
