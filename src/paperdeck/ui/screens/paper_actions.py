"""What the keys do to the highlighted paper's state: star, read, note, tags, trash; and `m`,
the papers like it.

Every change goes to SQLite at once (the library commits each one); the list row, the abstract
pane and the counts are then redrawn. Messages built from a paper's text are never markup
(`Notices`). The main screen owns one `PaperActions` and turns each paper key's action into
its method; the link keys are `LinkActions`', the export key `ViewExport`'s.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Protocol

from textual.worker import get_current_worker

from paperdeck.core.models import Paper
from paperdeck.core.store import NOTE_LIMIT, TAG_LIMIT, NoteChanged, NoteTooLong
from paperdeck.core.text import clean_line, normalise_tag
from paperdeck.ui.screens.notices import Notices, sentence, short_title
from paperdeck.ui.screens.prompts import ConfirmDialog, TextPrompt
from paperdeck.ui.screens.screen_parts import RunsWorkers, ShowsPapers
from paperdeck.ui.screens.view_loader import Pinned
from paperdeck.ui.write_failures import WRITE_ERRORS

if TYPE_CHECKING:
    from paperdeck.ui.screens.read_mark import ReadMark
    from paperdeck.ui.search_service import SearchService


class PaperScreen(ShowsPapers, RunsWorkers, Protocol):
    """All that the paper keys may use of the screen that owns them (`MainScreen`)."""

    @property
    def read_mark(self) -> ReadMark: ...
    @property
    def search_service(self) -> SearchService: ...

    def current_paper(self) -> Paper | None: ...
    def paper_changed(self, paper_id: str) -> None: ...
    def paper_removed(self, paper_id: str) -> None: ...
    def library_changed(self) -> None: ...
    def index_wanted(self) -> None: ...
    def show_abstract(self) -> None: ...
    def show_pinned(self, pinned: Pinned) -> None: ...


PAPER_ACTIONS = {
    "star",
    "note",
    "tag_add",
    "tag_remove",
    "copy_code",
    "copy_link",
    "copy_bibtex",
    "copy_key",
    "remove_paper",
    "open_link",
    "toggle_read",
    "more_like",
}


def tags_changed_elsewhere(shown: list[str], before: list[str], after: list[str]) -> str:
    """A note for the message when another session changed the tags while a prompt showed
    ``shown``: the change is applied to the tags as stored, and the user hears what they are."""
    if before == shown:
        return ""
    now = " ".join("#" + tag for tag in after) or "none"
    return f" (the tags changed elsewhere meanwhile; now: {now})"


class PaperActions:
    """The paper keys of ``screen``: each reads the highlighted paper (`current_paper`),
    changes the library, and asks the screen to redraw it (`paper_changed`)."""

    def __init__(self, screen: PaperScreen, notices: Notices) -> None:
        self.screen = screen
        self.app = screen.app
        self.library = screen.library
        self.notices = notices

    def changed_elsewhere(self, paper: Paper, what: str, key_id: str) -> None:
        """The row under the cursor was drawn before another process changed ``what``:
        show the library as it is now and say so, rather than act on an old picture."""
        self.screen.papers.forget(paper.id)
        self.screen.show_abstract()
        self.screen.library_changed()
        self.notices.say(
            f"Changed in another window: now {what} — {sentence(short_title(paper.title))}"
            f" Press {self.notices.key_for(key_id)} again to change it.",
            severity="warning",
        )

    # -- state changes --------------------------------------------------------------------

    def star(self) -> None:
        """Set the star opposite to what the row shows (not blindly flipped: another
        process may have changed it since the row was drawn; then the row is redrawn)."""
        if paper := self.screen.current_paper():
            shown = self.screen.papers.shown_row(paper.id)
            if shown is not None and shown.starred != paper.starred:
                self.changed_elsewhere(paper, "starred" if paper.starred else "unstarred", "star")
                return
            starred = not paper.starred
            try:
                self.library.set_starred(paper.id, starred)
            except WRITE_ERRORS as error:
                self.notices.failed("star the paper", error, "press s again")
                return
            self.screen.paper_changed(paper.id)
            self.notices.say(("Starred: " if starred else "Unstarred: ") + short_title(paper.title))

    def toggle_read(self) -> None:
        if paper := self.screen.current_paper():
            shown = self.screen.papers.shown_row(paper.id)
            if shown is not None and shown.read != paper.read:
                self.changed_elsewhere(paper, "read" if paper.read else "unread", "toggle_read")
                return
            self.screen.read_mark.stop(paper.id)
            try:
                self.library.set_read(paper.id, not paper.read)
            except WRITE_ERRORS as error:
                self.notices.failed("mark the paper " + ("unread" if paper.read else "read"), error)
                return
            # Marked unread: the read timer leaves it alone until the cursor leaves it.
            self.screen.read_mark.keep_unread(paper.id if paper.read else None)
            self.screen.paper_changed(paper.id)
            # Said as `s` says it: full screen, or with the abstract scrolled, no mark shows it.
            done = "Marked unread: " if paper.read else "Marked read: "
            self.notices.say(done + short_title(paper.title))

    def remove_paper(self) -> None:
        """Move the paper to the trash, after asking; its star, note and tags go with it."""
        paper = self.screen.current_paper()
        if paper is None:
            return
        marks = [
            what
            for what, has in (("star", paper.starred), ("note", paper.note), ("tags", paper.tags))
            if has
        ]
        named = " and ".join([", ".join(marks[:-1]), marks[-1]] if len(marks) > 1 else marks)
        kept = f" Its {named} {'go' if len(marks) > 1 else 'goes'} with it." if marks else ""
        question = (
            f"Move “{short_title(paper.title)}” to the trash?{kept} "
            f"paperdeck restore {paper.id} brings it back."
        )

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.library.remove_papers([paper.id])
            except WRITE_ERRORS as error:
                self.notices.failed("remove the paper", error)
                return
            self.screen.paper_removed(paper.id)
            self.notices.say(
                f"Moved to the trash: {short_title(paper.title)} (paperdeck restore {paper.id})"
            )

        self.app.push_screen(ConfirmDialog(question), answered)

    def mark_read(self, paper_id: str) -> None:
        """The paper has been looked at a moment (`ReadMark`): it counts as read."""
        try:
            changed = self.library.set_read(paper_id, True)
        except WRITE_ERRORS as error:
            self.notices.failed("mark the paper read", error)
            return
        if changed:
            self.screen.paper_changed(paper_id)

    async def note(self) -> None:
        paper = self.screen.current_paper()
        if paper is None:
            return
        if len(paper.note) > NOTE_LIMIT:  # written by another tool, or two notes merged
            self.notices.say(
                f"The note of {short_title(paper.title)} is {len(paper.note):,} characters, "
                f"more than the {NOTE_LIMIT:,} the editor takes: edit it with "
                f"`paperdeck note {clean_line(paper.id)} --edit` (the pane shows all of it)",
                severity="warning",
            )
            return

        def save(text: str, expected: str) -> bool:
            """Store the note; False keeps the editor open with the text (never lost).
            `NoteChanged` (the note was saved elsewhere meanwhile) goes to the editor."""
            try:
                self.library.set_note(paper.id, text, expected=expected)
            except NoteChanged:
                self.screen.paper_changed(paper.id)  # the pane shows the note saved elsewhere
                raise
            except NoteTooLong as error:
                self.notices.say(
                    f"Not saved: this note is {error.length:,} characters, more than the "
                    f"{NOTE_LIMIT:,} a note may hold — your text is kept here; shorten it, "
                    "or keep long text in a file and put its path in the note",
                    severity="error",
                )
                return False
            except WRITE_ERRORS as error:
                advice = f"your text is kept, press {self.notices.key_for('note_save')} again"
                self.notices.failed("save the note", error, advice)
                return False
            self.screen.paper_changed(paper.id)
            self.notices.say("Note saved" if text.strip() else "Note removed")
            return True

        from paperdeck.ui.screens.note_editor import NoteEditor  # TextArea: 10 ms to import

        editor = NoteEditor(paper.title, paper.note, save=save, cursor_blink=self.app.cursor_blink)
        await self.app.push_screen(editor)  # mounted before the next key is handed on

    @staticmethod
    def idle_keys(paper: Paper | None) -> tuple[str, ...]:
        """`T` for a paper without tags: it can only say so, so the key bar leaves it out
        (still bound: a press hears why)."""
        return ("tag_remove",) if paper is not None and not paper.tags else ()

    def stored_tags(self, paper_id: str) -> list[str]:
        stored = self.library.get(paper_id)
        return stored.tags if stored is not None else []

    async def tag_add(self) -> None:
        paper = self.screen.current_paper()
        if paper is None:
            return

        def chosen(text: str | None) -> None:
            tag = normalise_tag(text or "")  # one entry, one tag: "test time" is #test-time
            if not tag:
                return
            if len(tag) > TAG_LIMIT:  # a paste, say: the tag is not repeated in the line
                self.notices.say(
                    f"Not tagged: a tag holds at most {TAG_LIMIT:,} characters (this one has "
                    f"{len(tag):,})",
                    severity="error",
                )
                return
            try:  # checked against the tags as stored now, not as the prompt saw them
                before = self.stored_tags(paper.id)
                after = self.library.add_tags(paper.id, [tag])
            except WRITE_ERRORS as error:
                self.notices.failed(
                    f"add the tag #{tag}", error, f"press {self.notices.key_for('tag_add')} again"
                )
                return
            self.screen.paper_changed(paper.id)
            done = f"Already tagged #{tag}" if tag in before else f"Tagged #{tag}"
            self.notices.say(done + tags_changed_elsewhere(paper.tags, before, after))

        await self.app.push_screen(
            TextPrompt(
                "Add a tag to: ",
                paper_title=paper.title,
                placeholder="a tag (spaces become dashes)",
                suggestions=self.library.tag_names(),
                hint="→ accepts a suggestion · enter adds · esc cancels",
                cursor_blink=self.app.cursor_blink,
            ),
            chosen,
        )

    async def tag_remove(self) -> None:
        paper = self.screen.current_paper()
        if paper is None:
            return
        if not paper.tags:
            self.notices.say("This paper has no tags", severity="warning")
            return

        def chosen(text: str | None) -> None:
            tag = normalise_tag(text or "")  # as the tag was stored: "Test Time" finds it
            if not tag:
                return
            try:  # checked against the tags as stored now, not as the prompt saw them
                before = self.stored_tags(paper.id)
                after = self.library.remove_tags(paper.id, [tag])
            except WRITE_ERRORS as error:
                advice = f"press {self.notices.key_for('tag_remove')} again"
                self.notices.failed(f"remove the tag #{tag}", error, advice)
                return
            elsewhere = tags_changed_elsewhere(paper.tags, before, after)
            if tag not in before:
                self.notices.say(f"The paper has no tag #{tag}{elsewhere}", severity="warning")
                if elsewhere:
                    self.screen.paper_changed(paper.id)
                return
            self.screen.paper_changed(paper.id)
            self.notices.say(f"Removed #{tag}{elsewhere}")

        await self.app.push_screen(
            TextPrompt(
                "Remove a tag from: ",
                paper_title=paper.title,
                value=paper.tags[0] if len(paper.tags) == 1 else "",
                placeholder=" ".join("#" + t for t in paper.tags),
                suggestions=paper.tags,
                hint="Tags: " + " ".join("#" + t for t in paper.tags),
                cursor_blink=self.app.cursor_blink,
            ),
            chosen,
        )

    # -- similar papers --------------------------------------------------------

    def more_like(self) -> None:
        paper = self.screen.current_paper()
        if paper is None:
            return
        if not self.screen.search_service.ready:
            self.screen.index_wanted()
            self.notices.say(
                self.screen.search_service.error or "The search index is still opening",
                severity="warning",
            )
            return
        work = partial(self.find_similar, paper.id, "More like: " + short_title(paper.title))
        self.screen.run_worker(
            work, name="find_similar", group="search", thread=True, exclusive=True,
            exit_on_error=False,
        )  # fmt: skip

    def find_similar(self, paper_id: str, description: str) -> None:
        ids = self.screen.search_service.more_like(paper_id)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.screen.show_pinned, Pinned(ids, description))
