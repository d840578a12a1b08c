"""The main screen's keys that act on papers: the highlighted one (star, note, tags,
links, read mark, trash) or the papers of the view (filters, sort, mark all read, feeds,
export). Part of the table in `ui/commands.py`."""

from __future__ import annotations

from paperdeck.ui.command import Command

PAPER_COMMANDS: tuple[Command, ...] = (
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
)
