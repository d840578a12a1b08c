"""The abstract pane shows MSC/ACM class terms on their own line, apart from categories."""

from __future__ import annotations

from textual.app import App, ComposeResult

from paperdeck.core.models import Paper
from paperdeck.ui.widgets.abstract_view import AbstractView


class _Pane(App[None]):
    def compose(self) -> ComposeResult:
        yield AbstractView(id="pane")


async def test_class_terms_are_shown_apart_from_categories() -> None:
    paper = Paper(
        title="Parsing", id="p1", categories=["cs.CL"], subject_classes=["68T50", "I.2.7"]
    )
    app = _Pane()
    async with app.run_test(size=(80, 20)) as pilot:
        pane = app.query_one(AbstractView)
        pane.show(paper)
        await pilot.pause()
        lines = pane.render_paper().plain.splitlines()
    assert "Categories: cs.CL" in lines
    assert "Classes: 68T50, I.2.7" in lines
