"""`x`: export the starred papers, or the view when it is narrowed, to a Markdown file.

The set is headed as `paperdeck export` heads the same set; the file is written atomically
in a thread worker from a connection of its own, after asking before a file is replaced.
The main screen owns one `ViewExport`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from paperdeck.core.paperset import PaperSet
from paperdeck.core.query_words import with_default_sort
from paperdeck.core.store import Library
from paperdeck.ui.screens.notices import Notices
from paperdeck.ui.screens.prompts import ConfirmDialog, ExportPrompt
from paperdeck.ui.screens.screen_parts import ListsAView, RunsWorkers

if TYPE_CHECKING:
    from paperdeck.ui.search_service import ViewData
    from paperdeck.ui.widgets.status_bar import StatusBar


class ExportScreen(ListsAView, RunsWorkers, Protocol):
    """All that the export key may use of the screen that owns it (`MainScreen`): what it
    lists, and its status line."""

    @property
    def view(self) -> ViewData | None: ...
    @property
    def status(self) -> StatusBar: ...


def export_folder() -> Path:
    """Where an export goes by default: the working directory, as with the CLI's ``-o``."""
    try:
        return Path.cwd()
    except OSError:  # the folder was deleted under us
        return Path.home()


class ViewExport:
    """The export key of ``screen``: what it lists (`papers`, `paperset`, `pinned`, `view`)
    decides what is exported."""

    def __init__(self, screen: ExportScreen, notices: Notices) -> None:
        self.screen = screen
        self.app = screen.app
        self.library = screen.library
        self.notices = notices

    def export_choice(self) -> tuple[Sequence[str], str, str, str]:
        """(ids, title, summary, file stem): the starred list, or the view when one is
        narrowed; headed as `paperdeck export` heads the same set."""
        from paperdeck.core.export import export_heading

        if self.screen.pinned is not None:
            return list(self.screen.papers.ids), self.screen.pinned.description, "", "export"
        if not self.screen.paperset.filters and not self.screen.paperset.query:
            starred = PaperSet().starred()
            return self.library.select(starred), *export_heading(starred), "starred"
        ids: Sequence[str] = list(self.screen.papers.ids)
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
            self.notices.say(f"Nothing to export: no {what}", severity="warning")
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
                self.notices.say(f"{path} is a folder; give a file name", severity="error")
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
        self, ids: Sequence[str], title: str, summary: str, path: Path, *, abstracts: bool = False
    ) -> None:
        work = partial(self.export_papers, ids, title, summary, path, abstracts=abstracts)
        self.screen.run_worker(
            work, name="export_papers", group="export", thread=True, exclusive=True,
            exit_on_error=False,
        )  # fmt: skip

    def export_papers(
        self, ids: Sequence[str], title: str, summary: str, path: Path, *, abstracts: bool = False
    ) -> None:
        from paperdeck.core.export import to_markdown, write_atomic

        say = self.notices.say
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
                say, f"Export failed: {exc.strerror or exc}", severity="error"
            )
            return
        finally:
            self.app.call_from_thread(self.screen.status.end_slow_activity)
        noun = "paper" if len(papers) == 1 else "papers"
        self.app.call_from_thread(say, f"Exported {len(papers)} {noun} to {written}")
