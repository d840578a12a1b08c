"""A missing, truncated or corrupt search index is found on open and rebuilt from SQLite, saying
so (the CLI on stderr, the reader in its status line), and no star or note is lost. A reader
whose index another process holds locked keeps working and catches up."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from paperdeck.cli import main
from paperdeck.core.models import Paper
from paperdeck.core.search.index import SearchIndex
from paperdeck.core.search.index_files import STATE_FILE
from paperdeck.core.search.index_writing import writer_lock
from paperdeck.core.store import Library
from paperdeck.ui.widgets.status_bar import StatusBar
from testkit import settle

ANNOUNCE = "paperdeck: search index missing or damaged; rebuilding it ("


def garbage_in_segments(folder: Path, at: float) -> None:
    for segment in folder.glob("*.seg"):
        data = bytearray(segment.read_bytes())
        start = int(len(data) * at)
        end = min(len(data), start + 200)
        data[start:end] = (b"\x93junk" * 50)[: end - start]
        segment.write_bytes(bytes(data))


DAMAGE: dict[str, Callable[[Path], object]] = {
    "index folder deleted": shutil.rmtree,
    "every file deleted": lambda d: [f.unlink() for f in d.iterdir()],
    "segments deleted": lambda d: [f.unlink() for f in d.glob("*.seg")],
    "garbage at the start of a segment": lambda d: garbage_in_segments(d, 0.0),
    "garbage in the middle of a segment": lambda d: garbage_in_segments(d, 0.5),
    "segments truncated": lambda d: [f.write_bytes(f.read_bytes()[:40]) for f in d.glob("*.seg")],
    "TOC truncated": lambda d: [f.write_bytes(f.read_bytes()[:10]) for f in d.glob("*.toc")],
    "TOC emptied": lambda d: [f.write_bytes(b"") for f in d.glob("*.toc")],
    "state file garbage": lambda d: (d / STATE_FILE).write_text("\x00{nope"),
}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60 papers, some starred, noted and tagged, with an index built and synced."""
    root = tmp_path_factory.mktemp("repair") / "lib"
    with Library(root) as library:
        ids = library.add_papers(
            Paper(title=f"Robust paper {n}", abstract=f"Words about topic t{n}t and robots.")
            for n in range(60)
        ).ids
        for pid in ids[:5]:
            library.set_starred(pid, True)
            library.set_note(pid, f"precious note {pid}")
            library.add_tags(pid, ["keep"])
        with SearchIndex(library) as index:
            index.ensure()
    return root


@pytest.fixture
def root(template: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "lib"
    shutil.copytree(template, copy)
    return copy


def run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--library", str(root), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_cli_search_rebuilds_a_damaged_index_and_says_so(root, capsys, damage):
    code, before, _ = run(root, capsys, "search", "robots")
    assert code == 0 and len(before.splitlines()) == 60
    DAMAGE[damage](root / "index")
    code, out, err = run(root, capsys, "search", "robots")
    assert code == 0, err
    assert out == before
    assert err.startswith(ANNOUNCE) and err.count(ANNOUNCE) == 1
    assert "Traceback" not in err
    # Nothing the user did was lost, and it is findable again.
    code, out, _ = run(root, capsys, "search", "tag:keep", "--starred")
    assert code == 0 and len(out.splitlines()) == 5
    code, out, err = run(root, capsys, "search", "note:precious")
    assert len(out.splitlines()) == 5
    assert err == ""  # mended: the next command says nothing


def test_cli_import_rebuilds_a_damaged_index_and_says_so(root, capsys, tmp_path):
    garbage_in_segments(root / "index", 0.5)
    extra = tmp_path / "extra.jsonl"
    extra.write_text('{"title": "A fresh robots paper"}\n', encoding="utf-8")
    code, out, err = run(root, capsys, "import", str(extra))
    assert code == 0, err
    assert ANNOUNCE in err
    code, out, _ = run(root, capsys, "search", "robots")
    assert len(out.splitlines()) == 61


def test_an_index_of_an_earlier_format_is_rebuilt_and_the_user_told_why(root, capsys):
    """An upgrade that changes how words are indexed (`INDEX_FORMAT`) rebuilds the index,
    saying it was made by an earlier paperdeck, not that it is damaged."""
    import json

    from paperdeck.core.search.index_files import INDEX_FORMAT

    state = root / "index" / STATE_FILE
    data = json.loads(state.read_text(encoding="utf-8"))
    state.write_text(json.dumps({**data, "format": INDEX_FORMAT - 1}), encoding="utf-8")
    code, out, err = run(root, capsys, "search", "robots")
    assert (code, len(out.splitlines())) == (0, 60)
    assert err.startswith(
        "paperdeck: search index made by an earlier paperdeck; rebuilding it ("
    ), err
    assert run(root, capsys, "search", "robots")[2] == ""  # rebuilt once


def test_the_first_index_of_a_new_library_is_built_silently(tmp_path, capsys):
    listing = tmp_path / "new.jsonl"
    listing.write_text('{"title": "A first paper"}\n', encoding="utf-8")
    code, _, err = run(tmp_path / "new", capsys, "import", str(listing))
    assert (code, err) == (0, "")


async def test_the_reader_rebuilds_a_damaged_index_with_a_status_line(root, make_app, monkeypatch):
    garbage_in_segments(root / "index", 0.5)
    shown: list[str] = []
    original = StatusBar.set_activity

    def record(self: StatusBar, text: str) -> None:
        shown.append(text)
        original(self, text)

    monkeypatch.setattr(StatusBar, "set_activity", record)
    app = make_app(root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert app.search_service.ready
        assert any(text.startswith("Rebuilding search index") for text in shown), shown
        await pilot.press("slash", *"note:precious")
        await settle(pilot, 0.4)
        assert len(app.screen.papers.ids) == 5
    with Library(root) as library:
        assert len([p for p in library.iter_papers() if p.starred and p.note]) == 5


@pytest.mark.slow
async def test_a_reader_whose_index_is_locked_keeps_working_and_catches_up(
    root, make_app, monkeypatch
):
    monkeypatch.setattr(SearchIndex, "lock_timeout", 0.2)
    app = make_app(root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        screen = app.screen
        with writer_lock(root / "index.lock", 1.0) as locked:  # another process's writer
            assert locked
            await pilot.press("t", *"locked-out", "enter")  # tags the highlighted paper
            await settle(pilot)
            screen.index_keeper.sync_now()
            await settle(pilot)
            await pilot.press("slash", *"robots")
            await settle(pilot, 0.4)
            assert len(screen.papers.ids) == 60  # searching still works
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("slash", *"tag:locked-out")
            await settle(pilot, 0.4)
            assert list(screen.papers.ids) == []  # the sync was skipped, not forced
            await pilot.press("escape")
            await settle(pilot)
        with Library(root) as library:
            tagged = [p.id for p in library.iter_papers() if "locked-out" in p.tags]
        assert len(tagged) == 1
        screen.index_keeper.sync_now()  # the lock is free: the edit reaches the index
        await settle(pilot)
        await pilot.press("slash", *"tag:locked-out")
        await settle(pilot, 0.4)
        assert list(screen.papers.ids) == tagged
