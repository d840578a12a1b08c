"""Every key of the reader, defined once.

Bindings, the footer, the `?` help table, the command palette and `paperdeck keys` are all
generated from `COMMANDS`, so what is shown can never drift from what is bound. The main
screen's keys are here, the dialogs' in `ui/dialog_commands.py`, the `Command` type in
`ui/command.py`; how keys are shown, remapped and checked for clashes is `ui/keys.py`. Users
remap a key by its command id in config.toml (``[keys]`` ``star = "8"``).

This module does not import Textual at load time, so `paperdeck keys` stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from paperdeck.ui.command import Command, Scope
from paperdeck.ui.dialog_commands import DIALOG_COMMANDS

if TYPE_CHECKING:
    from textual.binding import BindingType

_LISTS: tuple[Scope, ...] = ("list", "sidebar", "abstract", "help")  # help: it scrolls

SCREEN_COMMANDS: tuple[Command, ...] = (
    # -- Move ----------------------------------------------------------------------------
    # Not priority keys: a priority key overtakes the keys of the same terminal read before
    # it (`sj` starred the row below). The app runs the main screen's keys in order and
    # without the bubbling through the panes' containers instead (`key_order`).
    Command(
        "cursor_down",
        "j,down",
        "Move down",
        False,
        "Move",
        scopes=(*_LISTS, "picker"),
        palette=False,
    ),
    Command(
        "cursor_up",
        "k,up",
        "Move up",
        False,
        "Move",
        scopes=(*_LISTS, "picker"),
        palette=False,
    ),
    Command("cursor_top", "g,home", "Go to the top", False, "Move", scopes=_LISTS),
    Command("cursor_bottom", "G,end", "Go to the bottom", False, "Move", scopes=_LISTS),
    Command("page_up", "pageup", "Page up", False, "Move", scopes=_LISTS, palette=False),
    Command("page_down", "pagedown", "Page down", False, "Move", scopes=_LISTS, palette=False),
    # Feed-reader keys, as in newsboat's next/previous unread: n and p are taken (note, and
    # p is free but reads as "previous" only to some), and . , sit under j k's fingers.
    Command(
        "next_unread",
        "full_stop",
        "Go to the next unread paper",
        False,
        "Move",
        label="Next unread",
    ),
    Command(
        "previous_unread",
        "comma",
        "Go to the previous unread paper",
        False,
        "Move",
        label="Previous unread",
    ),
    Command("next_pane", "tab", "Cycle focus: sidebar, list, abstract", False, "Move"),
    Command("previous_pane", "shift+tab", "Cycle focus backwards", False, "Move", palette=False),
    Command(
        "open_paper",
        "enter",
        "Read the highlighted paper's abstract",
        True,
        "Move",
        label="Abstract",
        scopes=("list",),
        palette=False,
    ),
    Command(
        "apply_filter",
        "enter",
        "Filter the list by the highlighted entry (again: remove it)",
        True,
        "Move",
        label="Filter",
        scopes=("sidebar",),
        palette=False,
    ),
    Command(
        "pager_down",
        "space",
        "Page down the abstract, as a pager does",
        False,
        "Move",
        scopes=("abstract",),
        action="page_down",
        palette=False,
    ),
    Command(
        "pager_up",
        "shift+space",
        "Page up the abstract (PgUp too)",
        False,
        "Move",
        scopes=("abstract",),
        action="page_up",
        palette=False,
    ),
    Command(
        "read_full_screen",
        "z",
        "Read the highlighted paper full screen",
        False,
        "Move",
        scopes=("list",),
        action="zoom",
        palette=False,
    ),
    # The abstract pane binds these too; they act only while it fills the screen, where
    # they take esc and `z` from the two commands below: the key bar names the way back
    # for what it does, by esc (first).
    Command(
        "leave_full_screen",
        "escape,z",
        "Leave the full screen: back to where it was opened",
        True,
        "Move",
        label="Back",
        scopes=("full_screen",),
        palette=False,
    ),
    Command(
        "zoom",
        "z",
        "Show the abstract full screen (esc or z again: back)",
        True,
        "Move",
        label="Zoom",  # as tmux names it; "Full screen" would push q Quit off 80 columns
        scopes=("abstract",),
        palette=False,
    ),
    Command(
        "back_to_list",
        "escape",
        "Back to the paper list",
        False,
        "Move",
        scopes=("abstract",),
        palette=False,
    ),
    # -- Search --------------------------------------------------------------------------
    # Priority: the app acts on `/` before it hands on the next key, so a word typed right
    # after it (one read of the terminal) goes to the field, not to the list. In the field
    # the screen disables the command and `/` is typed (`MainScreen.check_action`).
    Command(
        "search",
        "slash",
        "Search the library (type to search)",
        True,
        "Search",
        label="Search",
        priority=True,
    ),
    Command(
        "search_to_list",
        "enter",
        "Keep the search and move to the list",
        True,
        "Search",
        label="To list",
        scopes=("search",),
        # Priority, as `/`: the screen moves the focus before the app hands on the next key
        # of the same terminal read, so that key reaches the list (SearchKeys.typed_first).
        action="screen.search_done",
        palette=False,
        priority=True,
    ),
    Command(
        "search_clear",
        "escape",
        "Clear the search",
        True,
        "Search",
        label="Clear",
        scopes=("search",),
        action="screen.search_cleared",
        palette=False,
        priority=True,
    ),
    Command(
        "erase_query",
        "ctrl+u",
        "Erase the query, to type another",
        False,
        "Search",
        label="Erase",
        scopes=("search",),
        palette=False,
        spare=True,
    ),
    Command(
        "accept_suggestion",
        "tab",
        "Search for the “did you mean” suggestion (when one is shown)",
        True,
        "Search",
        label="Accept suggestion",
        scopes=("search",),
        action="accept_suggestion",
        palette=False,
    ),
    Command(
        "clear",
        "escape",
        "Clear the search, filters or similar-papers view",
        False,
        "Search",
        label="Clear",
    ),
    # -- Paper ---------------------------------------------------------------------------
    Command("star", "s", "Star or unstar the paper", True, "Paper", label="Star"),
    # Not priority keys (`jt` tagged the row above): the text typed right after them reaches
    # the dialog because the app runs the main screen's keys in order, the dialog mounted
    # before the next key is read (`key_order`).
    Command("note", "n", "Edit the paper's note", True, "Paper", label="Note"),
    Command("tag_add", "t", "Add a tag to the paper", True, "Paper", label="Tag"),
    Command(
        "tag_remove", "T", "Remove a tag from the paper", False, "Paper", label="Untag", spare=True
    ),
    Command(
        "copy_code",
        "c",
        "Copy the code link (pick 1-9 when several)",
        False,
        "Paper",
        label="Copy code",
        spare=True,
    ),
    Command(
        "copy_link",
        "y",
        "Copy the paper's own link (arXiv, DOI or page; not the code)",
        False,
        "Paper",
        label="Copy link",
        spare=True,
    ),
    Command(
        "copy_bibtex",
        "B",
        "Copy the paper's BibTeX entry",
        False,
        "Paper",
        label="Copy BibTeX",
    ),
    Command(
        "copy_key",
        "K",
        "Copy the paper's citation key",
        False,
        "Paper",
        label="Copy key",
    ),
    Command(
        "remove_paper",
        "D",
        "Move the paper to the trash (asks first; paperdeck restore undoes it)",
        False,
        "Paper",
        label="Remove",
    ),
    Command(
        "open_link",
        "o",
        "Open a link in the browser (pick 1-9 when several)",
        True,
        "Paper",
        label="Open",
    ),
    Command(
        "toggle_read",
        "r",
        "Mark the paper read or unread",
        False,
        "Paper",
        label="Read",
        spare=True,
    ),
    Command(
        "more_like", "m", "Show papers like this one", False, "Paper", label="More like", spare=True
    ),
    # -- Views ---------------------------------------------------------------------------
    Command(
        "unread_only",
        "u",
        "Show unread papers only (again: all)",
        False,
        "Views",
        label="Unread",
        spare=True,
    ),
    Command(
        "starred_only",
        "f",
        "Show starred papers only (again: all)",
        False,
        "Views",
        label="Starred",
        spare=True,
    ),
    Command(
        "cycle_sort",
        "S",
        "Cycle the sort: relevance, newest, oldest, title, starred, upvotes",
        False,
        "Views",
        label="Sort",
        spare=True,
    ),
    Command(
        "mark_all_read",
        "A",
        "Mark every paper of this view read (asks first)",
        False,
        "Views",
        label="All read",
    ),
    Command(
        "refresh_feeds",
        "R",
        "Refresh the feeds of config.toml (as paperdeck fetch does)",
        False,
        "Views",
        label="Refresh",
    ),
    Command(
        "export",
        "x",
        "Export the starred list (or the current view) to Markdown",
        False,
        "Views",
        label="Export",
        spare=True,
    ),
    Command(
        "toggle_sidebar",
        "b,f2",
        "Show or hide the sidebar",
        False,
        "Views",
        label="Sidebar",
        spare=True,
    ),
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
