"""Which browser `o` starts, and whether it runs in this terminal.

Without a display (over SSH, most often) Python's `webbrowser` picks a text browser (`lynx`,
`w3m`, `www-browser`, ...) and runs it in the terminal the reader is drawing on: the two
fight for the keys. Such a browser is run with the reader suspended (`App.suspend`), as an
editor would be; a graphical one is started in the background as before.
"""

from __future__ import annotations

import os
import sys
import webbrowser
from pathlib import PurePath

# Browsers that draw in the terminal; `webbrowser` runs them in the foreground.
TEXT_BROWSERS = frozenset(
    {"www-browser", "lynx", "w3m", "links", "links2", "elinks", "browsh", "carbonyl", "edbrowse"}
)


def has_display(environ: dict[str, str] | os._Environ[str] = os.environ) -> bool:
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return True
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def terminal_browser() -> webbrowser.BaseBrowser | None:
    """The browser `webbrowser.open` would use, if it runs in this terminal; else None."""
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return None
    return browser if runs_in_terminal(browser) else None


def runs_in_terminal(browser: webbrowser.BaseBrowser, display: bool | None = None) -> bool:
    """A browser run in the foreground that is a text browser, or any foreground command
    ($BROWSER) where there is no display for a window."""
    if isinstance(browser, webbrowser.BackgroundBrowser):
        return False
    if isinstance(browser, webbrowser.UnixBrowser) and browser.background:
        return False
    if not isinstance(browser, webbrowser.GenericBrowser | webbrowser.UnixBrowser):
        return False  # macOS, Windows: the system opens a window
    name = PurePath(browser.name or "").name
    return name in TEXT_BROWSERS or not (has_display() if display is None else display)
