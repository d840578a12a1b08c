"""The link keys of the highlighted paper: copy its code link, page, BibTeX entry or citation
key; open one of its links in a browser.

Only http(s) links are copied or opened (a `javascript:` link pasted into a browser runs).
A desktop browser is started in a thread worker (it may block); a text browser gets the
terminal while the reader steps aside. The main screen owns one `LinkActions`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from textual.app import SuspendNotSupported

from paperdeck.core.links import is_web_link
from paperdeck.core.text import clean_line
from paperdeck.ui.clipboard import FAILED, TERMINAL
from paperdeck.ui.paper_links import code_links, page_link, paper_links, scheme_of, short_url
from paperdeck.ui.screens.notices import Notices
from paperdeck.ui.screens.prompts import LinkPicker
from paperdeck.ui.screens.screen_parts import RunsWorkers

if TYPE_CHECKING:
    from paperdeck.core.models import Paper
    from paperdeck.ui.app import PaperdeckApp


class LinkScreen(RunsWorkers, Protocol):
    """All that the link keys may use of the screen that owns them (`MainScreen`)."""

    @property
    def app(self) -> PaperdeckApp: ...
    def current_paper(self) -> Paper | None: ...
    def refresh(self, *, layout: bool = False) -> object: ...


class LinkActions:
    """The link keys of ``screen``; each reads the highlighted paper (`current_paper`)."""

    def __init__(self, screen: LinkScreen, notices: Notices) -> None:
        self.screen = screen
        self.app = screen.app
        self.notices = notices

    def _with_link(self, title: str, links: list[str], use: Callable[[str], object]) -> None:
        """One link: use it; several: ask for a number."""
        if len(links) == 1:
            use(links[0])
            return

        def picked(url: str | None) -> None:
            if url:
                use(url)

        self.app.push_screen(LinkPicker(title, links), picked)

    def copy_link(self, what: str, url: str) -> None:
        """Every copy of a link goes through here, under the link policy of `o`: only
        http(s) links reach the clipboard (a `javascript:` link pasted into a browser runs)."""
        text = clean_line(url)
        if not is_web_link(text):
            scheme = scheme_of(text) or "this"
            self.notices.say(
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
            self.notices.say(f"Could not copy the {what}", severity="error")
        elif how == TERMINAL:
            self.notices.say(
                f"Sent the {what} {shown} to the terminal's clipboard (OSC 52); if it does "
                "not arrive, enable OSC 52 in your terminal (in tmux: set -g set-clipboard on)"
            )
        else:
            self.notices.say(f"Copied the {what} {shown} to the clipboard")

    @staticmethod
    def idle_keys(paper: Paper | None) -> tuple[str, ...]:
        """The link keys that can do nothing for ``paper`` but say so: the key bar leaves
        them out (they stay bound, so a press still hears why). Each asks what its action
        asks before it gives up; `B` and `K` always act (a key is made up when there is none)."""
        if paper is None:
            return ()
        idle = (
            ("copy_code", not code_links(paper)),
            ("copy_link", page_link(paper) is None),
            ("open_link", not paper_links(paper)),
        )
        return tuple(key for key, nothing_to_do in idle if nothing_to_do)

    def copy_code(self) -> None:
        if paper := self.screen.current_paper():
            links = code_links(paper)
            if not links:
                self.notices.say("No code link for this paper", severity="warning")
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
                    f"; {self.notices.key_for('copy_code')} copies the code link"
                    if code_links(paper)
                    else ""
                )
                self.notices.say(
                    f"No arXiv, DOI or page link for this paper{extra}", severity="warning"
                )
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
                self.notices.say("This paper has no link", severity="warning")
                return
            self._with_link("Open which link?", links, self.open_link)

    def open_link(self, url: str) -> None:
        if not is_web_link(url):
            scheme = scheme_of(url) or "this"
            self.notices.say(
                f"Refused to open a {scheme}: link; only http(s) links open", severity="error"
            )
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
            self.notices.say(
                f"The browser here runs in this terminal, which the reader cannot hand over; "
                f"the link is: {url}",
                severity="warning",
            )
            return
        except Exception as exc:  # a broken browser must not take the reader down
            self.notices.say(f"The browser failed ({exc}); the link is: {url}", severity="warning")
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
            self.app.call_from_thread(self.notices.say, f"Opened {short_url(link)} in the browser")
        else:
            self.app.call_from_thread(
                self.notices.say, f"No browser available — the link is: {link}", severity="warning"
            )
