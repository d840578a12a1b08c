"""The user's marks from the command line: star, tag, note (typed, piped or edited) and read."""

from __future__ import annotations

import io
import json
import sqlite3
import sys
from pathlib import Path

import pytest
from cli_kit import SURVEY, TTRL, Cli


def test_star_and_unstar_round_trip(seeded: Cli) -> None:
    ttrl, survey = seeded.id_of(TTRL), seeded.id_of(SURVEY)
    code, out, _ = seeded("star", ttrl, survey)
    assert code == 0
    assert out.splitlines() == [f"starred {ttrl}  {TTRL}", f"starred {survey}  {SURVEY}"]
    assert seeded("star", ttrl)[1] == f"already starred {ttrl}  {TTRL}\n"
    assert {p["id"] for p in seeded.json("--starred")} == {ttrl, survey}
    assert seeded("unstar", ttrl)[1] == f"unstarred {ttrl}  {TTRL}\n"
    starred = seeded.json("--starred")
    assert [p["id"] for p in starred] == [survey] and starred[0]["starred_at"]


def test_unknown_id_is_one_line_and_changes_nothing(seeded: Cli) -> None:
    ttrl = seeded.id_of(TTRL)
    code, out, err = seeded("star", ttrl, "no-such-paper")
    assert (code, out, err) == (1, "", "paperdeck: no paper with id 'no-such-paper'\n")
    assert seeded.json("--starred") == []
    assert seeded("show", "pd-")[2] == "paperdeck: paper id 'pd-' is ambiguous; type more of it\n"
    for command in (["note", "nope", "x"], ["tag", "nope", "x"], ["read", "nope"]):
        code, out, err = seeded(*command)
        assert (code, out, err) == (1, "", "paperdeck: no paper with id 'nope'\n")


def test_note_set_print_clear(seeded: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    ttrl = seeded.id_of(TTRL)
    assert seeded("note", ttrl)[2] == f"{ttrl} has no note\n"
    assert seeded("note", ttrl, "Majority vote\nas reward")[1] == f"note saved for {ttrl}\n"
    assert seeded("note", ttrl)[1] == "Majority vote\nas reward\n"
    assert seeded("note", ttrl, "Majority vote\nas reward")[1] == f"note unchanged for {ttrl}\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO("from stdin\x1b[31m\n"))
    assert seeded("note", ttrl, "-")[1] == f"note saved for {ttrl}\n"
    assert next(p for p in seeded.json() if p["id"] == ttrl)["note"] == "from stdin"
    assert seeded("note", ttrl, "")[1] == f"note cleared for {ttrl}\n"
    assert seeded("note", ttrl)[1] == ""


def test_note_edit_uses_the_editor(
    seeded: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ttrl = seeded.id_of(TTRL)
    seeded("note", ttrl, "old text")
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys\n"
        "path = sys.argv[1]\n"
        "old = open(path, encoding='utf-8').read()\n"
        "open(path, 'w', encoding='utf-8').write(old.upper() + 'added line\\n')\n"
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    assert seeded("note", ttrl, "--edit")[1] == f"note saved for {ttrl}\n"
    assert seeded("note", ttrl)[1] == "OLD TEXT\nadded line\n"
    monkeypatch.setenv("VISUAL", f'{sys.executable} -c "raise SystemExit(3)"')
    code, _, err = seeded("note", ttrl, "--edit")
    assert (code, err) == (1, "paperdeck: the editor exited with status 3; the note is unchanged\n")
    assert seeded("note", ttrl)[1] == "OLD TEXT\nadded line\n"
    monkeypatch.setenv("VISUAL", "no-such-editor-anywhere")
    code, _, err = seeded("note", ttrl, "--edit")
    assert code == 1 and err.startswith(
        "paperdeck: cannot run the editor 'no-such-editor-anywhere'"
    )
    # --edit with TEXT opens the editor on TEXT, in either order (as `git commit -e -m`).
    monkeypatch.delenv("VISUAL")
    for args in ((ttrl, "--edit", "draft"), (ttrl, "draft two", "--edit"), ("--edit", ttrl, "x")):
        assert seeded("note", *args)[1] == f"note saved for {ttrl}\n"
    assert seeded("note", ttrl)[1] == "X\nadded line\n"
    assert seeded("note", ttrl, "-", "--edit")[0] == 2


def test_an_edited_note_that_cannot_be_saved_is_kept(
    seeded: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import tempfile

    from paperdeck.cli import notes
    from paperdeck.core.store import Library

    pid = json.loads(seeded("search", "--json")[1])[0]["id"]
    monkeypatch.setattr(notes, "edit_text", lambda initial: "hours of careful thought")

    def refuse(self: Library, paper_id: str, note: str, **_: object) -> str:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(Library, "set_note", refuse)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the kept text stays in the test
    code, _, err = seeded("note", pid, "--edit")
    assert code == 1
    kept = Path(err.split("your text is in ")[1].split("\n")[0])
    assert kept.read_text() == "hours of careful thought"
    assert kept.is_relative_to(tmp_path)


def test_tag_and_untag_round_trip(seeded: Cli) -> None:
    ttrl = seeded.id_of(TTRL)
    assert seeded("tag", ttrl, "+RL", "Test Time", "#rl")[1] == f"{ttrl} tags: rl, test-time\n"
    assert [p["id"] for p in seeded.json("--tag", "rl")] == [ttrl]
    assert [p["id"] for p in seeded.json("--tag", "+test-time")] == [ttrl]
    assert next(p for p in seeded.json() if p["id"] == ttrl)["tags"] == ["rl", "test-time"]
    assert seeded("untag", ttrl, "rl")[1] == f"{ttrl} tags: test-time\n"
    assert seeded("untag", ttrl, "test-time")[1] == f"{ttrl} tags: (none)\n"
    code, out, err = seeded("untag", ttrl, "Nosuch")
    assert (code, out) == (0, f"{ttrl} tags: (none)\n")
    assert err == f"paperdeck: {ttrl} had no tag 'nosuch'\n"
    assert seeded.json("--tag", "rl") == []
    code, _, err = seeded("tag", ttrl, "+")
    assert code == 2 and "not a tag name: '+'" in err


def test_read_and_unread(seeded: Cli) -> None:
    ttrl, survey = seeded.id_of(TTRL), seeded.id_of(SURVEY)
    assert seeded("read", ttrl, survey)[1].splitlines() == [
        f"marked read {ttrl}  {TTRL}",
        f"marked read {survey}  {SURVEY}",
    ]
    assert len(seeded.json("--unread")) == 121
    assert seeded("read", "--unread", ttrl)[1] == f"marked unread {ttrl}  {TTRL}\n"
    assert {p["id"] for p in seeded.json() if p["read"]} == {survey}


def test_marks_and_notes_as_json(seeded: Cli) -> None:
    """Each command that changes a mark prints, with --json, what it did to each paper and
    nothing else on either stream."""
    ttrl, survey = seeded.id_of(TTRL), seeded.id_of(SURVEY)

    def run(*args: str) -> object:
        code, out, err = seeded(*args, "--json")
        assert (code, err) == (0, ""), args
        return json.loads(out)

    assert run("star", ttrl, survey) == [
        {"id": ttrl, "title": TTRL, "starred": True, "changed": True},
        {"id": survey, "title": SURVEY, "starred": True, "changed": True},
    ]
    assert run("star", ttrl) == [{"id": ttrl, "title": TTRL, "starred": True, "changed": False}]
    assert run("unstar", ttrl) == [{"id": ttrl, "title": TTRL, "starred": False, "changed": True}]
    assert run("read", ttrl) == [{"id": ttrl, "title": TTRL, "read": True, "changed": True}]
    assert run("read", "--unread", ttrl, survey) == [
        {"id": ttrl, "title": TTRL, "read": False, "changed": True},
        {"id": survey, "title": SURVEY, "read": False, "changed": False},
    ]
    assert run("tag", ttrl, "+To read", "rl") == {
        "id": ttrl,
        "tags": ["to-read", "rl"],  # in the order they were added
        "missing": [],
    }
    assert run("untag", ttrl, "rl", "nope") == {
        "id": ttrl,
        "tags": ["to-read"],
        "missing": ["nope"],
    }
    assert run("note", ttrl) == {"id": ttrl, "note": "", "changed": False}
    assert run("note", ttrl, "  keep\tthis  ") == {
        "id": ttrl,
        "note": "keep\tthis",
        "changed": True,
    }
    assert run("note", ttrl, "keep\tthis") == {"id": ttrl, "note": "keep\tthis", "changed": False}
    assert run("note", ttrl, "") == {"id": ttrl, "note": "", "changed": True}
    assert {p["id"]: p["tags"] for p in seeded.json("--starred")} == {survey: []}
