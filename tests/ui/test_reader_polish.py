"""What a new user tripped over: copies that say what they copied, removing a paper, a new
search's first hit and sort, the title line, and a browser that runs in the terminal."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from test_link_keys import go_to

from paperdeck.core.export import bibtex_keys, to_bibtex
from paperdeck.core.models import Paper
from paperdeck.core.store import Library
from paperdeck.ui.clipboard import Clipboard
from paperdeck.ui.screens.prompts import ConfirmDialog
from paperdeck.ui.widgets.title_bar import library_title
from testkit import SAMPLE_COUNT, capture_notifications, settle

ATTENTION = "Attention Is All You Need Again"


def add_code_only(root: Path) -> None:
    with Library(root) as library:
        library.add_papers(
            [Paper(title="Code Only Paper", date="2030-01-01", links=["https://github.com/x/y"])]
        )


async def test_y_copies_the_papers_own_link_and_says_which(sample_root, make_app, pyperclip):
    add_code_only(sample_root)
    app = make_app(sample_root)
    said = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await go_to(pilot, ATTENTION)
        await pilot.press("y")
        await go_to(pilot, "Graph Neural Networks for Molecules")
        await pilot.press("y")
        await go_to(pilot, "Reinforcement Learning from Human Feedback at Scale")
        await pilot.press("y")
        await go_to(pilot, "Code Only Paper")
        await pilot.press("y")  # the code link is c's, not y's
        assert pyperclip.calls == [
            "https://arxiv.org/abs/2406.00001",
            "https://doi.org/10.1000/graph",
            "https://rlhf.example.org/project",
        ]
        assert said[:3] == [
            "Copied the arXiv link arxiv.org/abs/2406.00001 to the clipboard",
            "Copied the DOI link doi.org/10.1000/graph to the clipboard",
            "Copied the page link rlhf.example.org/project to the clipboard",
        ]
        assert said[3] == "No arXiv, DOI or page link for this paper; c copies the code link"


async def test_the_bibtex_entry_and_the_citation_key_come_from_the_exporter(
    sample_root, make_app, pyperclip
):
    app = make_app(sample_root)
    said = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await go_to(pilot, ATTENTION)
        await pilot.press("B", "K")
        paper = app.screen.library.get(app.screen.current_id)
        key = bibtex_keys([paper])[0]
        assert pyperclip.calls == [to_bibtex([paper]), key]
        assert said == [
            f"Copied the BibTeX entry {key} to the clipboard",
            f"Copied the citation key {key} to the clipboard",
        ]


async def test_an_osc52_copy_is_reported_as_sent_with_how_to_enable_it(sample_root, make_app):
    clipboard = Clipboard(copy_function=None, environ={"SSH_TTY": "/dev/pts/1"})
    app = make_app(sample_root, clipboard=clipboard)
    sent: list[str] = []
    app.copy_to_clipboard = sent.append
    said = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await go_to(pilot, ATTENTION)
        await pilot.press("y")
        assert sent == ["https://arxiv.org/abs/2406.00001"]
        assert said == [
            "Sent the arXiv link arxiv.org/abs/2406.00001 to the terminal's clipboard (OSC 52); "
            "if it does not arrive, enable OSC 52 in your terminal "
            "(in tmux: set -g set-clipboard on)"
        ]


async def test_d_moves_the_paper_to_the_trash_after_asking(sample_root, make_app):
    app = make_app(sample_root)
    said = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await go_to(pilot, ATTENTION)
        screen = app.screen
        paper_id, following = screen.papers.ids[0], screen.papers.ids[1]
        await pilot.press("s", "D")
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.question == (
            f"Move “{ATTENTION}” to the trash? Its star goes with it. "
            f"paperdeck restore {paper_id} brings it back."
        )
        await pilot.press("n")
        await settle(pilot)
        assert screen.library.get(paper_id) is not None
        await pilot.press("D", "y")
        await settle(pilot)
        assert screen.library.get(paper_id) is None
        assert [p.id for p in screen.library.trashed()] == [paper_id]
        assert len(screen.papers.ids) == SAMPLE_COUNT - 1
        assert screen.current_id == following  # the next paper, not the top of another list
        assert said[-1] == f"Moved to the trash: {ATTENTION} (paperdeck restore {paper_id})"
        assert "39 papers" in screen.sub_title


async def test_a_new_search_starts_at_its_best_hit_and_sorts_by_relevance(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("slash", *"model", "enter")
        await settle(pilot, 0.3)
        hits = list(screen.papers.ids)
        assert len(hits) > 1
        screen.papers.cursor = 1
        await pilot.press("S")  # relevance -> newest, for this search
        await settle(pilot)
        assert "sorted by newest" in screen.status.view_plain
        last = screen.current_id
        # A new query, with the old hits. `/` goes back to the query with the cursor at its
        # end (it used to select it, so typing replaced it): ctrl+u erases it first.
        await pilot.press("slash", "ctrl+u", *"model OR learning", "enter")
        await settle(pilot, 0.3)
        assert "sorted by relevance" in screen.status.view_plain
        assert screen.papers.ids.index(last) > 0  # still listed, not the best hit
        assert screen.papers.cursor == 0 and screen.current_id == screen.papers.ids[0]
        await pilot.press("escape")  # cleared: browsing again, newest first
        await settle(pilot, 0.3)
        assert "sorted by newest" in screen.status.view_plain


def test_the_title_names_the_library(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERDECK_HOME", str(tmp_path / "default"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert library_title(tmp_path / "default") == "library"
    assert library_title(tmp_path / "home" / "papers" / "ml") == "~/papers/ml"
    assert library_title(tmp_path / "elsewhere" / "lib") == "lib"
    assert library_title(tmp_path / "x", demo=True) == "demo"
    long = library_title(tmp_path / "home" / "a-very-long-folder" / "with-a-long-name")
    assert long == "…folder/with-a-long-name" and len(long) == 24


async def test_a_text_browser_gets_the_terminal_while_the_reader_steps_aside(sample_root, make_app):
    events: list[str] = []

    class TextBrowser:
        def open(self, url: str) -> bool:
            events.append(f"open {url}")
            return True

    app = make_app(sample_root, terminal_browser=TextBrowser)
    said = capture_notifications(app)

    @contextmanager
    def suspend():
        events.append("suspended")
        yield
        events.append("resumed")

    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await go_to(pilot, "Reinforcement Learning from Human Feedback at Scale")
        await pilot.press("o")  # the headless driver cannot suspend: the link is shown
        await settle(pilot)
        assert events == []
        assert said[-1].startswith("The browser here runs in this terminal")
        assert said[-1].endswith("the link is: https://rlhf.example.org/project")
        app.suspend = suspend
        await pilot.press("o")
        await settle(pilot)
        assert events == ["suspended", "open https://rlhf.example.org/project", "resumed"]
