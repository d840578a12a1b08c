"""A note holds at most `NOTE_LIMIT` characters and a tag `TAG_LIMIT`, and nothing is lost to
a limit unseen: `paperdeck note` refuses a longer note in one line naming the paper (with
--edit the text is kept in a file), reads standard input only so far, and an import cuts a
longer note with a warning naming the file and entry; `tag` refuses a longer tag.
(The reader's side is tests/ui/test_note_editor_limit.py.)"""

from __future__ import annotations

import io
import json
import sys
import tempfile
from pathlib import Path

import pytest

from paperdeck.cli import main
from paperdeck.core.models import Paper
from paperdeck.core.store import NOTE_LIMIT, TAG_LIMIT, Library, NoteTooLong


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    lines = err.splitlines(keepends=True)
    return code, out, "".join(x for x in lines if not x.startswith("search index updated ("))


@pytest.fixture
def one_paper(tmp_path: Path) -> tuple[Path, str]:
    root = tmp_path / "lib"
    with Library(root) as library:
        paper_id = library.add_papers([Paper(title="A paper", date="2024-01-02")]).ids[0]
        library.set_note(paper_id, "kept")
    return root, paper_id


def note_of(root: Path, paper_id: str) -> str:
    with Library(root) as library:
        paper = library.get(paper_id)
        assert paper is not None
        return paper.note


def test_the_library_refuses_a_note_over_the_limit_and_keeps_the_one_it_has(one_paper):
    root, paper_id = one_paper
    with Library(root) as library:
        assert library.set_note(paper_id, "y" * NOTE_LIMIT) == "y" * NOTE_LIMIT  # at: fine
        with pytest.raises(NoteTooLong) as refused:
            library.set_note(paper_id, "z" * (NOTE_LIMIT + 1))
    assert refused.value.length == NOTE_LIMIT + 1
    assert note_of(root, paper_id) == "y" * NOTE_LIMIT


def test_note_over_the_limit_is_one_line_naming_the_paper(one_paper, capsys, monkeypatch):
    root, paper_id = one_paper
    monkeypatch.setattr(sys, "stdin", io.StringIO("w" * (NOTE_LIMIT + 10)))
    code, out, err = cli(capsys, "--library", str(root), "note", paper_id, "-")
    assert (code, out) == (1, "")
    assert err == (
        f"paperdeck: the note of {paper_id} would be {NOTE_LIMIT + 10:,} characters, over the "
        f"{NOTE_LIMIT:,} a note may hold; nothing was changed (keep longer text in a file of "
        "your own and put its path in the note)\n"
    )
    assert note_of(root, paper_id) == "kept"


def test_note_edit_over_the_limit_keeps_the_text_in_a_file(
    one_paper, capsys, monkeypatch, tmp_path
):
    root, paper_id = one_paper
    editor = tmp_path / "editor.py"
    editor.write_text(
        f"import sys\nopen(sys.argv[1], 'w', encoding='utf-8').write('e' * {NOTE_LIMIT + 1})\n"
    )
    monkeypatch.setenv("VISUAL", f"{sys.executable} {editor}")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the text is kept
    code, out, err = cli(capsys, "--library", str(root), "note", paper_id, "--edit")
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and "nothing was changed; your text is in " in err
    kept = Path(err.split("your text is in ")[1].split(" (keep")[0])
    assert kept.read_text(encoding="utf-8") == "e" * (NOTE_LIMIT + 1)
    assert note_of(root, paper_id) == "kept"


def test_an_import_cuts_a_note_over_the_limit_with_a_warning(tmp_path, capsys):
    source = tmp_path / "export.jsonl"
    records = [{"title": "Small", "note": "fine"}, {"title": "Long notes", "note": "n" * 150_000}]
    source.write_text("".join(json.dumps(r) + "\n" for r in records))
    root = tmp_path / "lib"
    code, out, err = cli(capsys, "--library", str(root), "import", str(source))
    assert code == 0
    assert out == f"{source}: json: 2 added, 0 merged, 0 unchanged, 0 skipped, 1 cut to size\n"
    assert err == (
        f"{source}:2: 'Long notes': note cut to {NOTE_LIMIT:,} characters (was 150,000)\n"
    )
    with Library(root) as library:
        notes = {p.title: p.note for p in library.iter_papers()}
    assert notes == {"Small": "fine", "Long notes": "n" * NOTE_LIMIT}


class EndlessInput:
    """Standard input that never ends (as /dev/zero): only a bounded read can finish."""

    def __init__(self) -> None:
        self.asked = 0

    def read(self, size: int = -1) -> str:
        assert size is not None and size >= 0, "an unbounded read of an endless input"
        self.asked += size
        return "\0" * size


def test_note_from_an_endless_standard_input_is_refused(one_paper, capsys, monkeypatch):
    root, paper_id = one_paper
    endless = EndlessInput()
    monkeypatch.setattr(sys, "stdin", endless)
    code, out, err = cli(capsys, "--library", str(root), "note", paper_id, "-")
    assert (code, out) == (1, "")
    assert err == (
        f"paperdeck: standard input holds more than {4 * NOTE_LIMIT:,} characters, far over "
        f"the {NOTE_LIMIT:,} a note for {paper_id} may hold; nothing was changed\n"
    )
    assert endless.asked == 4 * NOTE_LIMIT + 1
    assert note_of(root, paper_id) == "kept"  # NULs cleaned away did not clear it


def test_a_tag_over_the_limit_is_refused_in_one_line(one_paper, capsys):
    root, paper_id = one_paper
    code, out, err = cli(capsys, "--library", str(root), "tag", paper_id, "ok", "t" * 201)
    assert (code, out) == (1, "")
    assert err == (
        f"paperdeck: a tag holds at most {TAG_LIMIT} characters (this one has 201); nothing "
        "was changed\n"
    )
    with Library(root) as library:
        assert library.tag_names() == []  # not even the short one: all or nothing
    assert cli(capsys, "--library", str(root), "tag", paper_id, "t" * 200)[0] == 0
