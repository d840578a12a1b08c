"""The feed reader's keys: the next or previous unread paper, and everything here read.

A small helper the main screen owns (`screen.feed_keys`): it reads the read marks from the
library, never from the rows drawn, so papers marked read elsewhere are skipped too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from paperdeck.ui.screens.prompts import ConfirmDialog
from paperdeck.ui.screens.screen_parts import ListsAView
from paperdeck.ui.write_failures import WRITE_ERRORS

if TYPE_CHECKING:
    from paperdeck.ui.screens.notices import Notices


UNREAD_WINDOW = 2000  # rows asked about at a time for the next unread paper


class FeedScreen(ListsAView, Protocol):
    """All that the feed keys may use of the screen that owns them (`MainScreen`)."""

    @property
    def notices(self) -> Notices: ...
    def papers_changed(self) -> None: ...


class FeedKeys:
    """`.` `,` and `A` of the main screen."""

    def __init__(self, screen: FeedScreen) -> None:
        self.screen = screen

    def jump_to_unread(self, step: int) -> None:
        """Put the cursor on the nearest unread paper below (``step`` 1) or above (-1).

        The rows are read a window at a time from the cursor, not all those ahead at once:
        the nearest unread paper is most often close, and the whole library's list makes
        each id it is asked for (`IdRun`)."""
        papers = self.screen.papers
        ids, at = papers.ids, papers.cursor + step
        while 0 <= at < len(ids):
            if step > 0:
                window = ids[at : at + UNREAD_WINDOW]
            else:
                window = ids[max(0, at - UNREAD_WINDOW + 1) : at + 1][::-1]
            found = self.screen.library.first_unread(window)
            if found is not None:
                papers.move_to(at + step * window.index(found), step)
                return
            at += step * len(window)
        where = "below" if step > 0 else "above"
        self.screen.notices.say(f"No unread paper {where} this one in this view")

    def ask_to_mark_all_read(self) -> None:
        screen = self.screen
        ids = list(screen.papers.ids)
        if not ids:
            screen.notices.say("No papers here to mark read", severity="warning")
            return
        what = screen.pinned.description if screen.pinned else screen.paperset.description
        try:
            unread = screen.library.unread_count(ids)  # the number the question is about
        except WRITE_ERRORS as error:
            again = f"press {screen.notices.key_for('mark_all_read')} again"
            screen.notices.failed("count the unread papers", error, again)
            return
        if not unread:
            screen.notices.say(f"Every paper of this view ({what}) is read already")
            return
        noun = "unread paper" if unread == 1 else "unread papers"
        screen.app.push_screen(
            ConfirmDialog(f"Mark the {unread} {noun} of this view ({what}) read?"),
            lambda yes: self.mark_read(ids) if yes else None,
        )

    def mark_read(self, ids: list[str]) -> None:
        screen = self.screen
        try:
            marked = screen.library.mark_read(ids)
        except WRITE_ERRORS as error:
            again = f"press {screen.notices.key_for('mark_all_read')} again"
            screen.notices.failed("mark the papers read", error, again)
            return
        screen.papers_changed()
        screen.notices.say(f"Marked {marked} paper{'' if marked == 1 else 's'} read")
