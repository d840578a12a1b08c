"""The reader application: opens the library, applies the config, shows the right screen.

`PaperdeckApp` is also the factory tests use: every outside dependency (config file,
clipboard, browser, the read-mark delay, today's date for the demo) can be passed in.
"""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App
from textual.screen import Screen
from textual.theme import Theme
from textual.worker import Worker, WorkerState

from paperdeck.core.arrivals import last_quit, record_quit
from paperdeck.core.live import LibraryWatch
from paperdeck.core.store import Library, LibraryError
from paperdeck.core.text import terminal_safe
from paperdeck.ui import cropped_frames, frame_pacing, key_order
from paperdeck.ui.clipboard import Clipboard
from paperdeck.ui.commands import COMMANDS_BY_ID, bindings_for
from paperdeck.ui.config import ReaderConfig, load_config, save_theme
from paperdeck.ui.keys import display_keys, effective_key
from paperdeck.ui.palette import PaperdeckCommands
from paperdeck.ui.screens.live_refresh import WATCH_SECONDS
from paperdeck.ui.screens.main import MainScreen
from paperdeck.ui.search_service import SearchService
from paperdeck.ui.write_failures import WRITE_ERRORS

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from paperdeck.ui.screens.welcome import WelcomeScreen

READ_DELAY_SECONDS = 1.5
# The UI thread shares the interpreter with the search and count workers. While it runs,
# a busy worker hands the GIL back within 1 ms rather than 5 (search throughput measured
# unchanged); and a full garbage collection, which walks every live object (100-250 ms
# once 100,000 papers are listed and searched), comes after every hundred collections of
# the middle generation rather than every ten. Both are restored when the reader exits.
SWITCH_INTERVAL = 0.001
FULL_COLLECTION_EVERY = 100
# Writes run on the UI thread: wait this long for another process's write lock (a long
# import, say), then say "the library is busy" rather than freeze the screen for 30 s.
WRITE_WAIT_MS = 2_000


def open_in_browser(url: str) -> bool:
    """`webbrowser.open`, imported when first used: 5 ms the first paint need not wait for."""
    import webbrowser

    return webbrowser.open(url)


def find_terminal_browser() -> Any:
    """`browser.terminal_browser`, imported when first used (it imports webbrowser)."""
    from paperdeck.ui.browser import terminal_browser

    return terminal_browser()


def no_terminal_browser() -> None:
    return None


class PaperdeckApp(App[int]):
    """Keyboard-only reader over one library folder."""

    CSS_PATH = "app.tcss"
    TITLE = "paperdeck"
    BINDINGS: ClassVar = bindings_for("app")
    COMMANDS: ClassVar = App.COMMANDS | {PaperdeckCommands}

    def __init__(
        self,
        library_root: Path | str,
        *,
        config_path: Path | None = None,
        clipboard: Clipboard | None = None,
        open_url: Callable[[str], object] | None = None,
        demo: bool = False,
        read_delay: float | None = READ_DELAY_SECONDS,
        today: date | None = None,
        cursor_blink: bool = True,
        search_service: SearchService | None = None,
        watch_interval: float | None = WATCH_SECONDS,
        terminal_browser: Callable[[], Any] | None = None,
    ) -> None:
        """``watch_interval``: how often the reader looks for other processes' changes
        (None: never; tests that need a stale screen). ``terminal_browser``: the browser to
        run in this terminal, with the reader suspended (None: the browser is not one); by
        default a text browser that Python's `webbrowser` would pick, unless ``open_url``
        stands in for the browser."""
        frame_pacing.install()  # a key is painted in the next frame, not the one after
        cropped_frames.install()  # a frame renders the lines that changed, not the screen
        super().__init__()
        self.library_root = Path(library_root)
        self.config: ReaderConfig = load_config(config_path)
        self.keymap: dict[str, str] = dict(self.config.keys)
        self.copier = clipboard or Clipboard()
        self.open_url_function = open_url or open_in_browser
        if terminal_browser is None:
            terminal_browser = find_terminal_browser if open_url is None else no_terminal_browser
        self.terminal_browser = terminal_browser
        self.demo = demo
        self.read_delay = read_delay
        self.today = today
        self.cursor_blink = cursor_blink
        # Nor copies the write-ahead log in a commit: after a large import that is seconds.
        self.library = Library(self.library_root, busy_timeout_ms=WRITE_WAIT_MS, checkpoints=False)
        self.search_service = search_service or SearchService(self.library_root)
        # Papers that arrive after this are new for the whole session (core/arrivals.py).
        self.new_since = last_quit(self.library)
        self.library_watch = LibraryWatch(self.library)  # `watch` is a Textual method
        self.watch_interval = watch_interval
        self._interpreter = (sys.getswitchinterval(), gc.get_threshold())
        # Keys and theme before the first screen is built and styled, not after (again).
        if self.keymap:
            self.set_keymap(self.keymap)
        if self.config.theme:
            if self.config.theme in self.available_themes:
                self.theme = self.config.theme
            else:
                self.config.problems.append(f"unknown theme {self.config.theme!r}")

    async def on_event(self, event: events.Event) -> None:
        if (
            isinstance(event, events.Key)
            and not event.is_forwarded
            and await key_order.run_in_order(self, event)
        ):
            return
        await super().on_event(event)

    @property
    def escape_to_minimize(self) -> bool:
        """esc in the abstract shown full screen is the pane's own key (`leave_full_screen`,
        remappable): it goes back where `z` was pressed. Any other pane shown full screen
        (the palette's Maximize) is left by Textual's minimize, as before."""
        screen = self.screen
        if isinstance(screen, MainScreen) and screen.maximized is screen.abstract:
            return False
        return super().escape_to_minimize

    def get_default_screen(self) -> Screen[Any]:
        """The reader is the app's first screen: pushed from `on_mount` instead, its first
        layout is rendered while Textual holds updates back, then again, and the first
        paint comes two frames later (20 ms at 100,000 papers)."""
        if self.library.is_empty():
            return super().get_default_screen()  # the welcome screen goes on top of it
        return MainScreen(self.library, self.search_service)

    def on_mount(self) -> None:
        interval, (young, middle, _) = self._interpreter
        sys.setswitchinterval(min(interval, SWITCH_INTERVAL))
        gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)
        self.theme_changed_signal.subscribe(self, self.remember_theme)
        for problem in self.config.problems:
            self.notify(problem, severity="warning", markup=False, timeout=8)
        if not isinstance(self.screen, MainScreen):
            # Imported when shown: the reader's first paint needs none of it.
            from paperdeck.ui.screens.welcome import WelcomeScreen

            self.push_screen(WelcomeScreen(self.library_root, today=self.today))

    def on_unmount(self) -> None:
        interval, threshold = self._interpreter
        sys.setswitchinterval(interval)
        gc.set_threshold(*threshold)
        self.search_service.close()
        # Quitting records what this reader has shown as no longer new; a crash records
        # nothing, and those papers are new again next time.
        with contextlib.suppress(*WRITE_ERRORS):
            record_quit(self.library, self.library_watch.seen_arrival)
        self.library.close()

    def remember_theme(self, theme: Theme) -> None:
        """The chosen theme is saved at once (atomically) in config.toml; not by the demo,
        which is a try-out that must leave the user's settings as they were."""
        if self.demo:
            self.config.theme = theme.name
            return
        try:
            save_theme(self.config.path, theme.name)
        except (OSError, ValueError) as exc:
            self.notify(f"Could not save the theme: {exc}", severity="warning", markup=False)
        self.config.theme = theme.name

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification (the screens' and widgets' come here too) is plain text made
        safe for the terminal: messages carry titles, tags, paths, config keys and errors,
        so they are never markup and never carry escape sequences. ``markup`` is ignored."""
        super().notify(
            terminal_safe(str(message)),
            title=terminal_safe(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def on_welcome_screen_library_filled(self, message: WelcomeScreen.LibraryFilled) -> None:
        self.switch_screen(MainScreen(self.library, self.search_service))
        self.notify(f"Imported {message.added} demo papers", markup=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.report_failed_worker(event)

    def report_failed_worker(self, event: Worker.StateChanged) -> None:
        """The one place where a failed worker becomes a notification. The message does not
        bubble: a screen that runs workers hands its own here (the main screen's counts,
        index and LaTeX workers failed silently)."""
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.notify(f"{event.worker.name}: {error}", severity="error", markup=False)

    def action_help_quit(self) -> None:
        """ctrl+c: Textual's reminder of how to quit, in plain text (notices here are never
        markup, so Textual's own "[b]ctrl+q[/b]" showed its brackets), naming our key."""
        from textual.widgets import Input, TextArea  # (the note editor's: loaded when opened)

        key = display_keys(effective_key(COMMANDS_BY_ID["quit"], self.keymap))
        if isinstance(self.focused, Input | TextArea):  # where the quit key is typed
            key = f"esc, then {key},"
        self.notify(f"Press {key} to quit paperdeck", title="Do you want to quit?")

    def action_help(self) -> None:
        from paperdeck.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            full_screen = self.screen.maximized is not None  # only the keys that act there
            self.push_screen(HelpScreen(self.keymap, full_screen=full_screen))


def run_reader(library_root: Path, demo: bool = False) -> int:
    """Run the reader on ``library_root`` until the user quits; the exit status."""
    try:
        app = PaperdeckApp(library_root, demo=demo)
    except LibraryError as exc:
        print(f"paperdeck: {exc}", file=sys.stderr)
        return 1
    result = app.run()
    return result if isinstance(result, int) else (app.return_code or 0)
