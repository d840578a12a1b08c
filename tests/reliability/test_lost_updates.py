"""No lost updates: a note or tags changed by another session while the reader (or an editor)
had them open are never overwritten silently. The other session is a second `Library`
connection, or a real `paperdeck` process."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from paperdeck.cli import main
from paperdeck.core.models import Paper
from paperdeck.core.store import Library, NoteChanged
from paperdeck.ui.screens.note_editor import NoteEditor
from paperdeck.ui.screens.prompts import NoteConflict, TextPrompt
from testkit import capture_notifications_with_markup, settle


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    with Library(root) as library:
        (paper_id,) = library.add_papers([Paper(title="Shared Paper", authors=["A. Author"])]).ids
        library.set_note(paper_id, "first note")
        library.add_tags(paper_id, ["keep", "old"])
    return root


def only_id(root: Path) -> str:
    with Library(root) as library:
        return library.all_ids()[0]


def stored(root: Path) -> Paper:
    with Library(root) as library:
        paper = library.get(library.all_ids()[0])
    assert paper is not None
    return paper


def paperdeck(root: Path, *args: str) -> None:
    """Another session: a real process."""
    subprocess.run(
        [sys.executable, "-m", "paperdeck", "--library", str(root), *args],
        check=True,
        capture_output=True,
        timeout=120,
    )


def test_set_note_with_a_stale_expected_note_writes_nothing(root: Path) -> None:
    paper_id = only_id(root)
    with Library(root) as mine, Library(root) as other:
        other.set_note(paper_id, "from elsewhere")
        with pytest.raises(NoteChanged) as caught:
            mine.set_note(paper_id, "my edit", expected="first note")
        assert caught.value.current == "from elsewhere"
        assert mine.get(paper_id).note == "from elsewhere"
        # The same text saved elsewhere is no conflict; the expected note is none either.
        assert mine.set_note(paper_id, "from elsewhere", expected="first note") == "from elsewhere"
        assert mine.set_note(paper_id, "mine", expected="from elsewhere") == "mine"


async def open_editor_and_type(pilot, text: str) -> None:
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, NoteEditor)
    await pilot.press("end", *text)


async def test_a_note_saved_by_another_process_is_not_overwritten_keep_both(root, make_app):
    app = make_app(root)
    async with app.run_test(size=(120, 35)) as pilot:
        await open_editor_and_type(pilot, " + mine")
        paperdeck(root, "note", only_id(root), "saved by another process")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NoteConflict)  # says it changed; nothing written yet
        assert "changed elsewhere" in str(app.screen.query(".dialog-title").first().render())
        assert stored(root).note == "saved by another process"
        await pilot.press("k")
        await settle(pilot)
        assert not isinstance(app.screen, NoteEditor | NoteConflict)
    assert stored(root).note == "saved by another process\n\nfirst note + mine"


async def test_reload_takes_the_other_note_and_esc_goes_back_to_the_edit(root, make_app):
    app = make_app(root)
    seen = capture_notifications_with_markup(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await open_editor_and_type(pilot, " + mine")
        with Library(root) as other:
            other.set_note(only_id(root), "from a second reader")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")  # back to my edit: still there, still not saved
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.text == "first note + mine"
        await pilot.press("ctrl+s")  # asks again: the conflict is not forgotten
        await settle(pilot)
        assert isinstance(app.screen, NoteConflict)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.text == "from a second reader"
        await pilot.press("end", *" and more", "ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, NoteEditor)
    assert stored(root).note == "from a second reader and more"
    assert ("Note saved", False) in seen


async def test_a_tag_removed_elsewhere_while_the_prompt_was_open_is_added(root, make_app):
    app = make_app(root)
    seen = capture_notifications_with_markup(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TextPrompt)
        paperdeck(root, "untag", only_id(root), "old")  # the prompt still thinks #old is there
        await pilot.press(*"old", "enter")
        await settle(pilot)
    assert stored(root).tags == ["keep", "old"]
    assert seen[-1] == (
        "Tagged #old (the tags changed elsewhere meanwhile; now: #keep #old)",
        False,
    )


async def test_a_tag_added_elsewhere_while_the_prompt_was_open_can_be_removed(root, make_app):
    app = make_app(root)
    seen = capture_notifications_with_markup(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await settle(pilot)
        assert isinstance(app.screen, TextPrompt)
        with Library(root) as other:
            other.add_tags(only_id(root), ["new"])
        app.screen.query_one("Input").value = "new"
        await pilot.press("enter")
        await settle(pilot)
    assert stored(root).tags == ["keep", "old"]
    assert seen[-1] == (
        "Removed #new (the tags changed elsewhere meanwhile; now: #keep #old)",
        False,
    )


def test_note_edit_does_not_overwrite_a_note_saved_while_the_editor_ran(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    paper_id = only_id(root)
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import subprocess, sys\n"
        "subprocess.run([sys.executable, '-m', 'paperdeck', '--library', sys.argv[1],"
        " 'note', sys.argv[2], 'saved meanwhile'], check=True)\n"
        "open(sys.argv[3], 'w', encoding='utf-8').write('my long edit\\n')\n"
    )
    monkeypatch.setenv("VISUAL", f"{sys.executable} {editor} {root} {paper_id}")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the kept text stays in the test
    assert main(["--library", str(root), "note", paper_id, "--edit"]) == 1
    err = capsys.readouterr().err
    assert f"paperdeck: the note of {paper_id} changed elsewhere while you edited it" in err
    kept = Path(err.split("your text is in ", 1)[1].split(" (", 1)[0])
    assert kept.read_text(encoding="utf-8") == "my long edit\n"
    assert kept.is_relative_to(tmp_path)
    assert stored(root).note == "saved meanwhile"
