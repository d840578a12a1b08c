"""The main screen's keys that go through the reader: the cursor over the list, the
sidebar and the abstract, the panes, the full screen, and the search field. Part of the
table in `ui/commands.py`; the keys that act on papers are in `ui/paper_commands.py`."""

from __future__ import annotations

from paperdeck.ui.command import Command, Scope

_LISTS: tuple[Scope, ...] = ("list", "sidebar", "abstract", "help")  # help: it scrolls

BROWSE_COMMANDS: tuple[Command, ...] = (
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
)
