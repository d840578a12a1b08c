"""What the keys do to the highlighted paper: star, note, tags, copy, open, read, similar, export.

Every change goes to SQLite at once (the library commits each one); the list row, the abstract
pane and the counts are then redrawn. Messages built from a paper's text are never markup.
The main screen owns one `PaperActions` and turns each paper key's action into its method.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import SuspendNotSupported
from textual.worker import get_current_worker

from paperdeck.core.links import is_web_link
from paperdeck.core.models import Paper
from paperdeck.core.paperset import PaperSet
from paperdeck.core.query_words import with_default_sort
from paperdeck.core.store import Library, NoteChanged
from paperdeck.core.text import clean_line, normalise_tag
from paperdeck.ui.clipboard import FAILED, TERMINAL
from paperdeck.ui.commands import COMMANDS_BY_ID, display_keys, effective_key
from paperdeck.ui.paper_links import code_links, page_link, paper_links, scheme_of, short_url
from paperdeck.ui.screens.prompts import ConfirmDialog, ExportPrompt, LinkPicker, TextPrompt
from paperdeck.ui.screens.view_loader import Pinned
from paperdeck.ui.write_failures import WRITE_ERRORS, why_failed

if TYPE_CHECKING:
    from paperdeck.ui.screens.main import MainScreen

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


def short_title(title: str, width: int = 60) -> str:
    title = clean_line(title)
    return title if len(title) <= width else title[: width - 1] + "…"


def tags_changed_elsewhere(shown: list[str], before: list[str], after: list[str]) -> str:
    """A note for the message when another session changed the tags while a prompt showed
    ``shown``: the change is applied to the tags as stored, and the user hears what they are."""
    if before == shown:
        return ""
    now = " ".join("#" + tag for tag in after) or "none"
    return f" (the tags changed elsewhere meanwhile; now: {now})"


def export_folder() -> Path:
    """Where an export goes by default: the working directory, as with the CLI's ``-o``."""
    try:
        return Path.cwd()
    except OSError:  # the folder was deleted under us
        return Path.home()


class PaperActions:
    """The paper keys of ``screen``: each reads the highlighted paper (`current_paper`),
    changes the library, and asks the screen to redraw it (`paper_changed`)."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.app = screen.app
        self.library = screen.library

    def changed_elsewhere(self, paper: Paper, what: str, key_id: str) -> None:
        """The row under the cursor was drawn before another process changed ``what``:
        show the library as it is now and say so, rather than act on an old picture."""
        self.screen.papers.forget(paper.id)
        self.screen.show_abstract()
        self.screen.library_changed()
        self.say(
            f"Changed in another window: now {what} — {short_title(paper.title)}."
            f" Press {self.key_for(key_id)} again to change it.",
            severity="warning",
        )

    def say(self, message: str, *, severity: str = "information") -> None:
        """Notify with plain text: titles, tags and links are never parsed as markup."""
        self.screen.notify(message, severity=severity, markup=False)  # type: ignore[arg-type]

    def failed(self, what: str, error: Exception, advice: str = "") -> None:
        """A write did not reach the library: one plain line, never a crash."""
        message = f"Could not {what}: {why_failed(error)}"
        self.say(message + (f" — {advice}" if advice else ""), severity="error")

    def key_for(self, command_id: str) -> str:
        """The key of a command as the user has it (after remaps), for messages."""
        return display_keys(effective_key(COMMANDS_BY_ID[command_id], self.app.keymap))

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
                self.failed("star the paper", error, "press s again")
                return
            self.screen.paper_changed(paper.id)
            self.say(("Starred: " if starred else "Unstarred: ") + short_title(paper.title))

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
                self.failed("mark the paper " + ("unread" if paper.read else "read"), error)
                return
            # Marked unread: the read timer leaves it alone until the cursor leaves it.
            self.screen.read_mark.keep_unread(paper.id if paper.read else None)
            self.screen.paper_changed(paper.id)

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
                self.failed("remove the paper", error)
                return
            ids = self.screen.papers.ids
            if paper.id in ids:  # the cursor goes to the next paper, not to the top
                at = ids.index(paper.id)
                rest = ids[at + 1 :] or ids[:at][-1:]
                self.screen.current_id = rest[0] if rest else None
            if self.screen.pinned is not None and paper.id in self.screen.pinned.ids:
                self.screen.pinned.ids.remove(paper.id)
            self.screen.reload()
            self.screen.index_keeper.schedule_sync()
            self.say(
                f"Moved to the trash: {short_title(paper.title)} (paperdeck restore {paper.id})"
            )

        self.app.push_screen(ConfirmDialog(question), answered)

    def mark_read(self, paper_id: str) -> None:
        """The paper has been looked at a moment (`ReadMark`): it counts as read."""
        try:
            changed = self.library.set_read(paper_id, True)
        except WRITE_ERRORS as error:
            self.failed("mark the paper read", error)
            return
        if changed:
            self.screen.paper_changed(paper_id)

    def note(self) -> None:
        paper = self.screen.current_paper()
        if paper is None:
            return

        def save(text: str, expected: str) -> bool:
            """Store the note; False keeps the editor open with the text (never lost).
            `NoteChanged` (the note was saved elsewhere meanwhile) goes to the editor."""
            try:
                self.library.set_note(paper.id, text, expected=expected)
            except NoteChanged:
                self.screen.paper_changed(paper.id)  # the pane shows the note saved elsewhere
                raise
            except WRITE_ERRORS as error:
                advice = f"your text is kept, press {self.key_for('note_save')} again"
                self.failed("save the note", error, advice)
                return False
            self.screen.paper_changed(paper.id)
            self.say("Note saved" if text.strip() else "Note removed")
            return True

        from paperdeck.ui.screens.note_editor import NoteEditor  # TextArea: 10 ms to import

        editor = NoteEditor(paper.title, paper.note, save=save, cursor_blink=self.app.cursor_blink)
        self.app.push_screen(editor)

    def stored_tags(self, paper_id: str) -> list[str]:
        stored = self.library.get(paper_id)
        return stored.tags if stored is not None else []

    def tag_add(self) -> None:
        paper = self.screen.current_paper()
        if paper is None:
            return

        def chosen(text: str | None) -> None:
            tag = normalise_tag(text or "")  # one entry, one tag: "test time" is #test-time
            if not tag:
                return
            try:  # checked against the tags as stored now, not as the prompt saw them
                before = self.stored_tags(paper.id)
                after = self.library.add_tags(paper.id, [tag])
            except WRITE_ERRORS as error:
                self.failed(f"add the tag #{tag}", error, f"press {self.key_for('tag_add')} again")
                return
            self.screen.paper_changed(paper.id)
            done = f"Already tagged #{tag}" if tag in before else f"Tagged #{tag}"
            self.say(done + tags_changed_elsewhere(paper.tags, before, after))

        self.app.push_screen(
            TextPrompt(
                "Add a tag to: " + short_title(paper.title),
                placeholder="a tag (spaces become dashes)",
                suggestions=self.library.tag_names(),
                hint="→ accepts a suggestion · enter adds · esc cancels",
                cursor_blink=self.app.cursor_blink,
            ),
            chosen,
        )

    def tag_remove(self) -> None:
        paper = self.screen.current_paper()
        if paper is None:
            return
        if not paper.tags:
            self.say("This paper has no tags", severity="warning")
            return

        def chosen(text: str | None) -> None:
            tag = normalise_tag(text or "")  # as the tag was stored: "Test Time" finds it
            if not tag:
                return
            try:  # checked against the tags as stored now, not as the prompt saw them
                before = self.stored_tags(paper.id)
                after = self.library.remove_tags(paper.id, [tag])
            except WRITE_ERRORS as error:
                advice = f"press {self.key_for('tag_remove')} again"
                self.failed(f"remove the tag #{tag}", error, advice)
                return
            elsewhere = tags_changed_elsewhere(paper.tags, before, after)
            if tag not in before:
                self.say(f"The paper has no tag #{tag}{elsewhere}", severity="warning")
                if elsewhere:
                    self.screen.paper_changed(paper.id)
                return
            self.screen.paper_changed(paper.id)
            self.say(f"Removed #{tag}{elsewhere}")

        self.app.push_screen(
            TextPrompt(
                "Remove a tag from: " + short_title(paper.title),
                value=paper.tags[0] if len(paper.tags) == 1 else "",
                placeholder=" ".join("#" + t for t in paper.tags),
                suggestions=paper.tags,
                hint="Tags: " + " ".join("#" + t for t in paper.tags),
                cursor_blink=self.app.cursor_blink,
            ),
            chosen,
        )

    # -- links ----------------------------------------------------------------------------

    def _with_link(self, title: str, links: list[str], use: object) -> None:
        """One link: use it; several: ask for a number."""
        if len(links) == 1:
            use(links[0])  # type: ignore[operator]
            return
        self.app.push_screen(
            LinkPicker(title, links),
            lambda url: use(url) if url else None,  # type: ignore[operator]
        )

    def copy_link(self, what: str, url: str) -> None:
        """Every copy of a link goes through here, under the link policy of `o`: only
        http(s) links reach the clipboard (a `javascript:` link pasted into a browser runs)."""
        text = clean_line(url)
        if not is_web_link(text):
            scheme = scheme_of(text) or "this"
            self.say(
                f"Refused to copy a {scheme}: link; only http(s) links are copied",
                severity="error",
            )
            return
        self.copy_text(what, text, short_url(text))

    def copy_text(self, what: str, text: str, shown: str) -> None:
        """Copy ``text`` and say what it was (``what``, ``shown``) and how it went. A copy
        through the terminal (OSC 52) is only sent: the terminal may not act on it."""
        how = self.app.copier.copy(self.app, text)
        if how == FAILED:
            self.say(f"Could not copy the {what}", severity="error")
        elif how == TERMINAL:
            self.say(
                f"Sent the {what} {shown} to the terminal's clipboard (OSC 52); if it does "
                "not arrive, enable OSC 52 in your terminal (in tmux: set -g set-clipboard on)"
            )
        else:
            self.say(f"Copied the {what} {shown} to the clipboard")

    def copy_code(self) -> None:
        if paper := self.screen.current_paper():
            links = code_links(paper)
            if not links:
                self.say("No code link for this paper", severity="warning")
                return
            self._with_link(
                "Copy which code link?", links, lambda url: self.copy_link("code link", url)
            )

    def copy_link_of_paper(self) -> None:
        """The paper's own page (arXiv, DOI, a project page); the code is `c`'s."""
        if paper := self.screen.current_paper():
            page = page_link(paper)
            if page is None:
                extra = (
                    f"; {self.key_for('copy_code')} copies the code link"
                    if code_links(paper)
                    else ""
                )
                self.say(f"No arXiv, DOI or page link for this paper{extra}", severity="warning")
                return
            self.copy_link(*page)

    def copy_bibtex(self) -> None:
        """The BibTeX entry as `paperdeck export --format bibtex` writes it."""
        if paper := self.screen.current_paper():
            from paperdeck.core.export import bibtex_keys, to_bibtex

            self.copy_text("BibTeX entry", to_bibtex([paper]), bibtex_keys([paper])[0])

    def copy_key(self) -> None:
        """The citation key the BibTeX export gives the paper, for `\\cite{...}`."""
        if paper := self.screen.current_paper():
            from paperdeck.core.export import bibtex_keys

            key = bibtex_keys([paper])[0]
            self.copy_text("citation key", key, key)

    def open_link_of_paper(self) -> None:
        if paper := self.screen.current_paper():
            links = paper_links(paper)
            if not links:
                self.say("This paper has no link", severity="warning")
                return
            self._with_link("Open which link?", links, self.open_link)

    def open_link(self, url: str) -> None:
        if not is_web_link(url):
            scheme = scheme_of(url) or "this"
            self.say(f"Refused to open a {scheme}: link; only http(s) links open", severity="error")
            return
        browser = self.app.terminal_browser()
        if browser is not None:
            self.open_in_terminal_browser(browser, clean_line(url))
            return
        self.screen.run_worker(
            partial(self.open_in_browser, url), name="open_in_browser", group="browser",
            thread=True, exit_on_error=False,
        )  # fmt: skip

    def open_in_terminal_browser(self, browser: Any, url: str) -> None:
        """A text browser gets the terminal: the reader steps aside until it quits."""
        try:
            with self.app.suspend():
                browser.open(url)
        except SuspendNotSupported:
            self.say(
                f"The browser here runs in this terminal, which the reader cannot hand over; "
                f"the link is: {url}",
                severity="warning",
            )
            return
        except Exception as exc:  # a broken browser must not take the reader down
            self.say(f"The browser failed ({exc}); the link is: {url}", severity="warning")
            return
        self.screen.refresh(layout=True)

    def open_in_browser(self, url: str) -> None:
        """webbrowser.open can block (it may start a browser): never on the UI thread.

        It returns False when no browser is found; then the link is shown instead.
        """
        try:
            opened = self.app.open_url_function(url) is not False
        except Exception:  # a broken browser setup must not cost more than a message
            opened = False
        link = clean_line(url)
        if opened:
            self.app.call_from_thread(self.say, f"Opened {short_url(link)} in the browser")
        else:
            self.app.call_from_thread(
                self.say, f"No browser available — the link is: {link}", severity="warning"
            )

    # -- similar papers and export --------------------------------------------------------

    def more_like(self) -> None:
        paper = self.screen.current_paper()
        if paper is None:
            return
        if not self.screen.search_service.ready:
            self.say(
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

    def export_choice(self) -> tuple[list[str], str, str, str]:
        """(ids, title, summary, file stem): the starred list, or the view when one is
        narrowed; headed as `paperdeck export` heads the same set."""
        from paperdeck.core.export import export_heading

        if self.screen.pinned is not None:
            return list(self.screen.papers.ids), self.screen.pinned.description, "", "export"
        if not self.screen.paperset.filters and not self.screen.paperset.query:
            starred = PaperSet().starred()
            return self.library.select(starred), *export_heading(starred), "starred"
        ids = list(self.screen.papers.ids)
        if self.screen.paperset.filters:
            # Rows stay put after an unstar, untag or read mark; the file has what still fits.
            ids = self.library.select(self.screen.paperset, hits=ids)
        shown = self.screen.paperset
        if (
            self.screen.view is not None and self.screen.view.widened
        ):  # "transf" listed "transf*"'s papers
            shown = shown.matching(self.screen.view.widened)
        return ids, *export_heading(with_default_sort(shown)), "export"

    def export(self) -> None:
        ids, title, summary, stem = self.export_choice()
        if not ids:
            what = "starred papers" if stem == "starred" else "papers in this view"
            self.say(f"Nothing to export: no {what}", severity="warning")
            return
        default = export_folder() / f"paperdeck-{stem}-{date.today().isoformat()}.md"
        prompt = ExportPrompt(
            f"Export {len(ids)} paper{'' if len(ids) == 1 else 's'} ({title}) to Markdown:",
            value=str(default),
            cursor_blink=self.app.cursor_blink,
        )

        def chosen(text: str | None) -> None:
            if not text:
                return
            path = export_folder() / Path(text).expanduser()  # an absolute path stays as it is
            if path.is_dir():
                self.say(f"{path} is a folder; give a file name", severity="error")
                return

            def write() -> None:
                self.export_papers_in_thread(ids, title, summary, path, abstracts=prompt.abstracts)

            if path.exists():
                # A FIFO or a device is written into, never replaced (see `write_atomic`).
                verb = (
                    "Replace it?" if path.is_file() else "It is not a regular file: write into it?"
                )
                self.app.push_screen(
                    ConfirmDialog(f"{path} exists. {verb}"),
                    lambda yes: write() if yes else None,
                )
                return
            write()

        self.app.push_screen(prompt, chosen)

    def export_papers_in_thread(
        self, ids: list[str], title: str, summary: str, path: Path, *, abstracts: bool = False
    ) -> None:
        work = partial(self.export_papers, ids, title, summary, path, abstracts=abstracts)
        self.screen.run_worker(
            work, name="export_papers", group="export", thread=True, exclusive=True,
            exit_on_error=False,
        )  # fmt: skip

    def export_papers(
        self, ids: list[str], title: str, summary: str, path: Path, *, abstracts: bool = False
    ) -> None:
        from paperdeck.core.export import to_markdown, write_atomic

        self.app.call_from_thread(self.screen.status.activity_if_slow, "Exporting…")
        try:
            with Library(self.app.library_root) as library:
                papers = library.get_many(ids)
            text = to_markdown(
                papers,
                title=title,
                description=summary,
                generated=date.today(),
                abstracts=abstracts,
            )
            written = write_atomic(path, text)
        except OSError as exc:
            self.app.call_from_thread(
                self.say, f"Export failed: {exc.strerror or exc}", severity="error"
            )
            return
        finally:
            self.app.call_from_thread(self.screen.status.end_slow_activity)
        noun = "paper" if len(papers) == 1 else "papers"
        self.app.call_from_thread(self.say, f"Exported {len(papers)} {noun} to {written}")
