"""The tag prompts and the note editor name their paper with as much of its title as fits:
wrapped to the dialog's width, three lines at most, the last cut with "…" when there is more."""

from __future__ import annotations

import sqlite3

import pytest

from paperdeck.core.models import Paper
from paperdeck.core.store import DB_NAME, Library
from paperdeck.ui.widgets.dialog_title import DialogTitle
from testkit import CONTROLS, MARKUP, clean_of_controls, settle

# 121 characters: twice the 60 the dialogs used to show.
LONG = (
    "Retrieval-Augmented Generation for Large Language Models in Clinical Decision Support: "
    "A Systematic Survey and Benchmark"
)
DIALOGS = [("t", "Add a tag to: "), ("T", "Remove a tag from: "), ("n", "Note: ")]


def one_paper(root, title: str) -> None:
    with Library(root) as library:
        library.add_papers([Paper(title=title, date="2025-01-02", tags=["x"])])


async def dialog_title(pilot, key: str) -> list[str]:
    await settle(pilot)
    await pilot.press(key)
    await settle(pilot)
    title = pilot.app.screen.query_one(DialogTitle)
    assert title.region.width > 0
    lines = title.plain.splitlines()
    assert all(len(line) <= title.content_size.width for line in lines)
    assert len(lines) == title.region.height  # drawn as computed, nothing cropped
    return lines


@pytest.mark.parametrize("key, prefix", DIALOGS)
async def test_a_long_title_is_shown_whole_wrapped_to_the_dialog(tmp_path, make_app, key, prefix):
    root = tmp_path / "lib"
    one_paper(root, LONG)
    app = make_app(root)
    async with app.run_test(size=(120, 35)) as pilot:
        lines = await dialog_title(pilot, key)
    assert len(lines) == 2
    assert " ".join(lines) == prefix + LONG  # every word, none cut at 60 characters


@pytest.mark.parametrize("key, prefix", DIALOGS)
async def test_a_huge_title_takes_three_lines_and_ends_in_an_ellipsis(
    tmp_path, make_app, key, prefix
):
    root = tmp_path / "lib"
    words = [f"w{n}" for n in range(600)]
    one_paper(root, " ".join(words))
    app = make_app(root)
    async with app.run_test(size=(80, 24)) as pilot:
        lines = await dialog_title(pilot, key)
        field = app.screen.query_one("Input, TextArea")  # still in view below the title
        assert field.region.height > 0 and field.region.bottom <= 23
    assert len(lines) == 3 and lines[-1].endswith(" …")
    assert lines[0].startswith(prefix + "w0 w1 w2 ")
    shown = " ".join(lines)[len(prefix) : -2].split()
    assert shown[:-1] == words[: len(shown) - 1]  # the title from its start, word by word


async def test_a_title_written_by_another_tool_reaches_the_dialog_safe(tmp_path, make_app):
    root = tmp_path / "lib"
    one_paper(root, "placeholder")
    with sqlite3.connect(root / DB_NAME) as db:
        db.execute("UPDATE papers SET title = ?", (f"Evil {MARKUP}{CONTROLS} end",))
    app = make_app(root)
    async with app.run_test(size=(120, 35)) as pilot:
        lines = await dialog_title(pilot, "t")
    text = " ".join(lines)
    assert text.startswith("Add a tag to: Evil [bold red]x[/]") and text.endswith("end")
    assert clean_of_controls(text)
