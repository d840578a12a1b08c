"""The main screen's panes as a whole: tab's order over them, the sidebar folded or shown,
and which pane a palette command runs on.

The panes in focus order are the sidebar (when shown), the list and the abstract, as tab and
shift+tab cycle them; the search field is not one of them (`/` goes there). The main screen
owns one `Panes`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from textual.dom import DOMNode
from textual.widget import Widget

from paperdeck.ui.command import Command
from paperdeck.ui.screens.screen_parts import ArrangesPanes

if TYPE_CHECKING:
    from paperdeck.ui.widgets.abstract_view import AbstractView


class RunsActions(Protocol):
    async def run_action(
        self, action: str, namespaces: Mapping[str, DOMNode] | None = None
    ) -> None: ...


class PaneScreen(ArrangesPanes, RunsActions, Protocol):
    """All that the panes' keys may use of the screen that owns them (`MainScreen`)."""

    @property
    def abstract(self) -> AbstractView: ...

    def refresh_bindings(self) -> None: ...
    def call_later(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> bool: ...


class Panes:
    """Focus and folding over the panes of ``screen``."""

    def __init__(self, screen: PaneScreen) -> None:
        self.screen = screen

    def in_focus_order(self) -> list[Widget]:
        screen = self.screen
        sidebar: list[Widget] = [screen.sidebar] if screen.sidebar.display else []
        return [*sidebar, screen.papers, screen.abstract]

    def looking_at_a_paper(self) -> bool:
        """Whether the list or the abstract has focus: only then is a highlight read."""
        focused = self.screen.focused
        panes = (self.screen.papers, self.screen.abstract)
        return focused is not None and any(
            pane is focused or pane in focused.ancestors for pane in panes
        )

    def cycle(self, step: int) -> None:
        """tab (1) / shift+tab (-1): the next pane. From outside them (the search field, which
        sits above the list), tab goes to the list and shift+tab to the pane before it."""
        panes = self.in_focus_order()
        focused = self.screen.focused
        index = next(
            (
                i
                for i, pane in enumerate(panes)
                if focused is not None and (focused is pane or pane in focused.ancestors)
            ),
            None,
        )
        if index is None:
            index = panes.index(self.screen.papers) - (1 if step > 0 else 0)
        self.screen.set_focus(panes[(index + step) % len(panes)])

    def toggle_sidebar(self) -> None:
        screen = self.screen
        visible = screen.sidebar.display
        screen.set_class(visible, "-sidebar-hidden")
        screen.set_class(not visible, "-sidebar-shown")
        if visible and screen.sidebar.has_focus:
            screen.set_focus(screen.papers)
        screen.refresh_bindings()  # the key bar shows `b` while the sidebar is folded

    def keys_always_shown(self) -> tuple[str, ...]:
        """Keys the key bar shows even when short of room: `b` while the sidebar is folded."""
        return () if self.screen.sidebar.display else ("toggle_sidebar",)

    def run_command(self, command: Command) -> None:
        """Run a registry command from the palette, on the pane that binds it."""
        screen = self.screen
        targets: dict[str, RunsActions] = {
            "screen": screen,
            "list": screen.papers,
            "sidebar": screen.sidebar,
        }
        for scope in command.scopes:
            if scope == "app":
                screen.app.call_later(screen.app.run_action, command.action_name)
                return
            if scope in targets:
                target = targets[scope]
                screen.call_later(target.run_action, command.action_name)
                return
