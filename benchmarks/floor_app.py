"""The cold-start floor: a bare Textual app that paints one `Static` (run in a terminal)."""

from textual.app import App, ComposeResult
from textual.widgets import Static

MARKER = "paperdeck-floor-first-paint"


class FloorApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static(MARKER)


if __name__ == "__main__":
    FloorApp().run()
