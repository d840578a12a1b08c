"""The command palette's paperdeck commands, generated from the registry."""

from __future__ import annotations

from functools import partial
from typing import Protocol

from textual.command import DiscoveryHit, Hit, Hits, Provider

from paperdeck.ui.command import Command
from paperdeck.ui.commands import COMMANDS, works_full_screen
from paperdeck.ui.keys import display_keys, effective_key


class CommandRunner(Protocol):
    """A screen that can run a registry command (the main screen)."""

    def run_command(self, command: Command) -> None: ...


class PaperdeckCommands(Provider):
    """Every palette command with its key; nothing is stored on the class."""

    def _commands(self) -> list[tuple[str, str, Command]]:
        runner = self.screen
        if not hasattr(runner, "run_command"):
            return []
        keymap = getattr(self.app, "keymap", {})
        # Over the full-screen abstract, only what acts there (the rest would do nothing).
        full_screen = getattr(runner, "maximized", None) is not None
        return [
            (command.description, display_keys(effective_key(command, keymap)), command)
            for command in COMMANDS
            if command.palette and (not full_screen or works_full_screen(command))
        ]

    def _run(self, command: Command) -> None:
        runner = self.screen
        if hasattr(runner, "run_command"):
            runner.run_command(command)

    async def discover(self) -> Hits:
        for description, keys, command in self._commands():
            yield DiscoveryHit(
                f"{description}  ({keys})", partial(self._run, command), help=command.group
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for description, keys, command in self._commands():
            text = f"{description}  ({keys})"
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(text),
                    partial(self._run, command),
                    text=text,
                    help=command.group,
                )
