"""The search field's side of the main screen: `/` opens it, each change searches, enter
leaves it for the list, esc clears the search (or what else narrows the view).

A new query is sorted by relevance (one of filters alone, as ``author:zhang``, newest first:
`with_default_sort`) unless the user picks a sort for it; the sort picked while
browsing comes back when the search is cleared, so this helper keeps that sort. The main
screen owns one `SearchKeys` and forwards the search bar's messages to it.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Protocol

from rich.text import Text

from paperdeck.core.paperset import PaperSet, Sort
from paperdeck.core.query_words import nothing_to_search_yet
from paperdeck.ui.screens.screen_parts import ArrangesPanes

if TYPE_CHECKING:
    from paperdeck.ui.screens.view_loader import HalfTyped, Pinned, ViewLoader
    from paperdeck.ui.search_service import ViewData
    from paperdeck.ui.widgets.status_bar import StatusBar


class SearchScreen(ArrangesPanes, Protocol):
    """All that the search keys may use of the screen that owns them (`MainScreen`): they
    set what it lists."""

    paperset: PaperSet
    pinned: Pinned | None
    loader: ViewLoader

    @property
    def status(self) -> StatusBar: ...

    def reload(self) -> None: ...
    def show_found(self, view: ViewData) -> None: ...
    def minimize(self) -> None: ...


class SearchKeys:
    """The search of ``screen``: it sets the screen's `paperset` and moves the focus."""

    def __init__(self, screen: SearchScreen) -> None:
        self.screen = screen
        self._browse_sort: Sort | None = None  # the sort picked before the search began
        self._kept: HalfTyped | None = None  # the answer of the query the kept list waits on

    def search_for(self, typed: str) -> None:
        """Search for what the field holds. While it holds nothing the search would look
        for ("a", "at": stop words, single letters), the list is the one without a query,
        and the status line asks for more rather than saying that nothing matches."""
        current = self.screen.paperset
        typed = typed.strip()
        query = "" if nothing_to_search_yet(typed) else typed
        self.screen.status.set_typing_note(Text("type more to search" if query != typed else ""))
        if query == current.query:
            return
        if not current.query:
            self._browse_sort = current.sort
        self.screen.paperset = current.matching(query).sorted_by(
            None if query else self._browse_sort
        )

    def half_typed(self, found: HalfTyped) -> None:
        """``found.query`` found nothing, and ends in a word too short to be searched as the
        start of a word ("neural di"): the list stays as it was while that word is typed
        on, and the answer is kept for when the typing ends."""
        self._kept = found
        note = Text.assemble("“", found.query, "” matches nothing yet: type more")
        self.screen.status.keep_view(note)

    def typing_ended(self) -> None:
        """The field was left (enter, tab) while it kept the list of an earlier query: the
        answer of the query typed is the list now, not searched again. A newer load on its
        way (another query, enter's own) shows its view itself."""
        kept, self._kept = self._kept, None
        if kept is not None and kept.generation == self.screen.loader.generation:
            self.screen.show_found(kept.view)

    def open(self) -> None:
        """`/`: show the search field and type into it, after the query already there
        (a pane shown full screen first goes back to its place, or the field would take
        the keys unseen)."""
        self.screen.minimize()
        self.screen.add_class("-searching")
        field = self.screen.search_bar.input
        field.cursor_position = len(field.value)
        self.screen.set_focus(field)

    async def typed_first(self) -> None:
        """Wait until the field has taken the keys handed to it before this one.

        Enter and esc are priority keys, run by the app as they arrive, so that the focus
        moves before the next key is handed on; the letters before them may still wait in
        the field's queue, and must land in the query first."""
        typed = asyncio.Event()
        self.screen.search_bar.input.call_later(typed.set)
        await typed.wait()

    def done(self) -> None:
        """Enter in the field: the list takes the focus, and shows the query's view. A query
        searched already, or being searched, is not searched again; another one is searched
        now, not as a message (see `caught_up`), and as typed to its end (not `HalfTyped`)."""
        screen = self.screen
        screen.search_bar.cancel_pending()
        screen.set_focus(screen.papers)
        self.search_for(screen.search_bar.value)
        self.typing_ended()  # a list kept while a word was typed: the query's own, now
        if not screen.search_bar.value.strip():
            screen.remove_class("-searching")

    def clear(self) -> None:
        screen = self.screen
        screen.search_bar.set_value("")
        screen.search_bar.set_suggestion(None)
        screen.remove_class("-searching")
        self.search_for("")
        screen.set_focus(screen.papers)

    def escape(self) -> None:
        """esc: drop the similar-papers list, else the search, else the filters."""
        screen = self.screen
        if screen.pinned is not None:
            screen.pinned = None
            screen.reload()
        elif screen.paperset.query or screen.has_class("-searching"):
            self.clear()
        elif screen.paperset.filters:
            screen.paperset = screen.paperset.cleared()
