"""The `?` screen: every command with its keys, generated from the registry (never by hand)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from paperdeck.ui.commands import GROUPS, bindings_for
from paperdeck.ui.keys import key_table
from paperdeck.ui.widgets.key_bar import KeyBar
from paperdeck.ui.widgets.paper_list import ROW_MARKS
from paperdeck.ui.widgets.scroll_keys import ScrollKeys


def help_table(keymap: Mapping[str, str] | None = None, *, full_screen: bool = False) -> Table:
    """One table: a row per command, grouped, with the keys in force after remaps
    (``full_screen``: only the keys that act while the abstract fills the screen)."""
    table = Table(box=None, expand=True, show_header=True, pad_edge=False, padding=(0, 2, 0, 0))
    table.add_column(Text("Keys"), no_wrap=True, style="bold", min_width=10)
    table.add_column(Text("Command"), ratio=1)
    table.add_column(Text("Id"), no_wrap=True, style="dim")
    rows = key_table(keymap, full_screen=full_screen)
    for group in GROUPS:
        if not any(row[0] == group for row in rows):
            continue
        table.add_row(Text(group, style="bold underline"), "", "")
        for row_group, keys, description, command_id in rows:
            if row_group == group:
                table.add_row(Text(keys), Text(description), Text(command_id))
        table.add_row("", "", "")
    return table


def marks_legend() -> Text:
    """What the marks in the paper list mean: "★ starred · ● unread · …"."""
    legend = Text("In the list: ")
    for number, (mark, meaning) in enumerate(ROW_MARKS):
        if number:
            legend.append(" · ")
        legend.append(mark, "bold")
        legend.append(f" {meaning}")
    legend.append("\n")
    return legend


class HelpScreen(ScrollKeys, ModalScreen[None]):
    """Shows the key table; esc, ? or q closes it. Asked from the abstract shown full
    screen, it lists the keys that act there."""

    BINDINGS: ClassVar = bindings_for("help")

    def __init__(
        self, keymap: Mapping[str, str] | None = None, *, full_screen: bool = False
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.keymap = dict(keymap or {})
        self.full_screen = full_screen
        self.table = help_table(self.keymap, full_screen=full_screen)

    def compose(self) -> ComposeResult:
        title = (
            "paperdeck keys in the full-screen abstract" if self.full_screen else "paperdeck keys"
        )
        with VerticalScroll(classes="dialog help-dialog", id="help-body"):
            yield Static(Text(title), classes="dialog-title")
            if not self.full_screen:  # (no list is shown there)
                yield Static(marks_legend(), id="help-legend")
            yield Static(self.table, id="help-table")
            yield Static(
                Text('Remap a key by its id in config.toml, e.g. [keys] then star = "8".'),
                classes="dialog-hint",
            )
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def scrolled(self) -> VerticalScroll:
        """The movement keys scroll the table, as they scroll the abstract."""
        return self.body

    @property
    def body(self) -> VerticalScroll:
        return self.query_one("#help-body", VerticalScroll)
