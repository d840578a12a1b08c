"""What the keys do to the highlighted paper: star, note, tags, copy, open, read, similar, export.

Every change goes to SQLite at once (the library commits each one); the list row, the abstract
pane and the counts are then redrawn. Messages built from a paper's text are never markup.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.worker import get_current_worker

from paperdeck.core.models import Paper
from paperdeck.core.paperset import PaperSet
from paperdeck.core.store import Library, LibraryError
from paperdeck.core.text import clean_line
from paperdeck.ui.clipboard import FAILED, TERMINAL
from paperdeck.ui.paper_links import code_links, is_web_link, paper_links, scheme_of, short_url
from paperdeck.ui.screens.note_editor import NoteEditor
from paperdeck.ui.screens.prompts import ConfirmDialog, LinkPicker, TextPrompt
from paperdeck.ui.screens.view_loader import Pinned

if TYPE_CHECKING:
    from paperdeck.ui.screens.main import MainScreen

    _Base = MainScreen
else:
    _Base = object

PAPER_ACTIONS = {
    "star",
    "note",
    "tag_add",
    "tag_remove",
    "copy_code",
    "copy_link",
    "open_link",
    "toggle_read",
    "more_like",
}


def short_title(title: str, width: int = 60) -> str:
    title = clean_line(title)
    return title if len(title) <= width else title[: width - 1] + "…"


class PaperActions(_Base):
    """Mixed into `MainScreen`; uses its library, current paper and panes."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Paper keys are greyed out in the footer while no paper is highlighted."""
        if action in PAPER_ACTIONS and self.current_id is None:
            return None
        return True

    def current_paper(self) -> Paper | None:
        """The paper under the list's cursor.

        Read from the list itself: a key typed right after a move must act on the row the
        cursor is on now, even before the list's `Highlighted` message has arrived.
        """
        paper_id = self.papers.highlighted_id
        if paper_id != self.current_id:
            self.current_id = paper_id
        return self.library.get(paper_id) if paper_id else None

    def paper_changed(self, paper_id: str) -> None:
        """Redraw what shows this paper, refresh the counts, and queue an index update."""
        self.papers.forget(paper_id)
        if paper_id == self.current_id:
            self.show_abstract()
        self.refresh_counts()
        self.schedule_index_sync()

    def say(self, message: str, *, severity: str = "information") -> None:
        """Notify with plain text: titles, tags and links are never parsed as markup."""
        self.notify(message, severity=severity, markup=False)  # type: ignore[arg-type]

    # -- state changes --------------------------------------------------------------------

    def action_star(self) -> None:
        if paper := self.current_paper():
            starred = self.library.toggle_star(paper.id)
            self.paper_changed(paper.id)
            self.say(("Starred: " if starred else "Unstarred: ") + short_title(paper.title))

    def action_toggle_read(self) -> None:
        if paper := self.current_paper():
            if self._read_timer is not None:
                self._read_timer.stop()
                self._read_timer = None
            self.library.set_read(paper.id, not paper.read)
            self.paper_changed(paper.id)

    def mark_read_after_delay(self, paper_id: str) -> None:
        """The abstract has been open a moment: the paper counts as read."""
        self._read_timer = None
        if paper_id != self.current_id:
            return
        try:
            if self.library.set_read(paper_id, True):
                self.paper_changed(paper_id)
        except LibraryError:
            pass

    def action_note(self) -> None:
        paper = self.current_paper()
        if paper is None:
            return

        def saved(text: str | None) -> None:
            if text is None:
                return
            self.library.set_note(paper.id, text)
            self.paper_changed(paper.id)
            self.say("Note saved" if text.strip() else "Note removed")

        editor = NoteEditor(paper.title, paper.note, cursor_blink=self.app.cursor_blink)
        self.app.push_screen(editor, saved)

    def action_tag_add(self) -> None:
        paper = self.current_paper()
        if paper is None:
            return

        def chosen(text: str | None) -> None:
            if not text:
                return
            wanted = [t for t in text.replace(",", " ").split() if t.strip("#+")]
            before = set(paper.tags)
            after = self.library.add_tags(paper.id, wanted)
            self.paper_changed(paper.id)
            added = [t for t in after if t not in before]
            self.say("Tagged " + " ".join("#" + t for t in added) if added else "No new tag")

        self.app.push_screen(
            TextPrompt(
                "Add tags to: " + short_title(paper.title),
                placeholder="tag (several: separate with spaces)",
                suggestions=self.library.tag_names(),
                hint="→ accepts a suggestion · enter adds · esc cancels",
                cursor_blink=self.app.cursor_blink,
            ),
            chosen,
        )

    def action_tag_remove(self) -> None:
        paper = self.current_paper()
        if paper is None:
            return
        if not paper.tags:
            self.say("This paper has no tags", severity="warning")
            return

        def chosen(text: str | None) -> None:
            if not text:
                return
            tag = text.strip().lstrip("#+").lower()
            if tag not in paper.tags:
                self.say(f"The paper has no tag #{tag}", severity="warning")
                return
            self.library.remove_tags(paper.id, [tag])
            self.paper_changed(paper.id)
            self.say(f"Removed #{tag}")

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

    def copy_text(self, what: str, text: str) -> None:
        how = self.app.copier.copy(self.app, text)
        if how == FAILED:
            self.say(f"Could not copy the {what}", severity="error")
        elif how == TERMINAL:
            self.say(f"Copied {what} {short_url(text)} via the terminal (OSC 52)")
        else:
            self.say(f"Copied {what} {short_url(text)} to the clipboard")

    def action_copy_code(self) -> None:
        if paper := self.current_paper():
            links = code_links(paper)
            if not links:
                self.say("No code link for this paper", severity="warning")
                return
            self._with_link(
                "Copy which code link?", links, lambda url: self.copy_text("code link", url)
            )

    def action_copy_link(self) -> None:
        if paper := self.current_paper():
            link = paper.primary_link
            if not link:
                self.say("This paper has no link", severity="warning")
                return
            self.copy_text("link", clean_line(link))

    def action_open_link(self) -> None:
        if paper := self.current_paper():
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
        self.say(f"Opening {short_url(url)}")
        self.open_in_browser(url)

    @work(thread=True, group="browser", exit_on_error=False)
    def open_in_browser(self, url: str) -> None:
        """webbrowser.open can block (it may start a browser): never on the UI thread."""
        self.app.open_url_function(url)

    # -- similar papers and export --------------------------------------------------------

    def action_more_like(self) -> None:
        paper = self.current_paper()
        if paper is None:
            return
        if not self.search_service.ready:
            self.say(
                self.search_service.error or "The search index is still opening", severity="warning"
            )
            return
        self.find_similar(paper.id, "More like: " + short_title(paper.title))

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def find_similar(self, paper_id: str, description: str) -> None:
        ids = self.search_service.more_like(paper_id)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_pinned, Pinned(ids, description))

    def export_choice(self) -> tuple[list[str], str, str]:
        """(ids, title, file stem): the starred list, or the view when one is narrowed."""
        if self.pinned is None and not self.paperset.filters and not self.paperset.query:
            return self.library.select(PaperSet().starred()), "Starred papers", "starred"
        ids = list(self.papers.ids)
        title = self.pinned.description if self.pinned else self.paperset.description
        return ids, title, "export"

    def action_export(self) -> None:
        ids, title, stem = self.export_choice()
        if not ids:
            what = "starred papers" if stem == "starred" else "papers in this view"
            self.say(f"Nothing to export: no {what}", severity="warning")
            return
        default = Path.home() / f"paperdeck-{stem}-{date.today().isoformat()}.md"

        def chosen(text: str | None) -> None:
            if not text:
                return
            path = Path(text).expanduser()
            if path.is_dir():
                self.say(f"{path} is a folder; give a file name", severity="error")
                return
            if path.exists():
                self.app.push_screen(
                    ConfirmDialog(f"{path} exists. Replace it?"),
                    lambda yes: self.export_papers(ids, title, path) if yes else None,
                )
                return
            self.export_papers(ids, title, path)

        self.app.push_screen(
            TextPrompt(
                f"Export {len(ids)} paper{'' if len(ids) == 1 else 's'} ({title}) to Markdown:",
                value=str(default),
                hint="enter writes the file · esc cancels",
                cursor_blink=self.app.cursor_blink,
            ),
            chosen,
        )

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def export_papers(self, ids: list[str], title: str, path: Path) -> None:
        from paperdeck.core.export import to_markdown, write_atomic

        self.app.call_from_thread(self._start_slow_timer, "Exporting…")
        try:
            with Library(self.app.library_root) as library:
                papers = library.get_many(ids)
            text = to_markdown(papers, title=title, generated=date.today())
            written = write_atomic(path, text)
        except OSError as exc:
            self.app.call_from_thread(
                self.say, f"Export failed: {exc.strerror or exc}", severity="error"
            )
            return
        finally:
            self.app.call_from_thread(self._stop_slow_timer)
        noun = "paper" if len(papers) == 1 else "papers"
        self.app.call_from_thread(self.say, f"Exported {len(papers)} {noun} to {written}")
