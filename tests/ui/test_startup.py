"""Start-up: the first paint never waits for Whoosh (or for modules only a key needs); the
index opens later, in a worker."""

from __future__ import annotations

import subprocess
import sys

import pytest

from paperdeck.ui.widgets.paper_list import PaperList
from testkit import settle, until

CHECK = """
import sys
import paperdeck.ui.app, paperdeck.ui.commands
later = ("whoosh", "paperdeck.core.search.index", "webbrowser", "paperdeck.ui.screens.welcome",
         "paperdeck.ui.screens.help", "paperdeck.ui.screens.note_editor",
         "paperdeck.core.feeds.runner", "paperdeck.core.feeds.http", "paperdeck.core.sources",
         "bibtexparser", "urllib.request")
print(sorted(m for m in later if m in sys.modules))
"""


def test_loading_the_reader_imports_neither_whoosh_nor_what_a_key_opens():
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


async def test_the_list_is_painted_before_the_index_is_ready(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        assert len(app.screen.query_one(PaperList).ids) == 40  # on mount, from SQLite
        assert not app.search_service.ready
        await settle(pilot)
        assert app.search_service.ready
        assert app.screen.status.activity_plain == ""


async def test_the_index_opens_once_the_whole_list_is_in(sample_root, make_app, monkeypatch):
    """Not beside the whole list's loading: two workers at once each hold the interpreter
    in turn with the keys, and a cursor key pressed then waits (10-50 ms at 1M papers)."""
    from paperdeck.ui.screens.index_keeper import IndexKeeper
    from paperdeck.ui.screens.main import MainScreen

    events: list[str] = []
    shown, opened = MainScreen.on_view_loaded, IndexKeeper.open
    monkeypatch.setattr(
        MainScreen, "on_view_loaded", lambda self, m: (events.append("list"), shown(self, m))
    )
    monkeypatch.setattr(IndexKeeper, "open", lambda self: (events.append("index"), opened(self)))
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert app.search_service.ready
        assert events == ["list", "index"]


def hold_the_whole_list(monkeypatch):
    """The whole list's load waits until the returned event is set (a search's does not),
    as at a million papers, where it takes a second."""
    import threading

    from paperdeck.ui.screens.view_loader import ViewLoader

    release = threading.Event()
    load = ViewLoader._load

    def held(self, paperset, *args, **kwargs):
        if not paperset.query:
            release.wait(30)  # longer than `until` waits: a search left waiting fails
        return load(self, paperset, *args, **kwargs)

    monkeypatch.setattr(ViewLoader, "_load", held)
    return release


async def test_a_search_started_before_the_whole_list_opens_the_index(
    sample_root, make_app, monkeypatch
):
    """The whole list held back: `/` alone opens the index, and the query typed runs."""
    from paperdeck.ui.screens import main

    monkeypatch.setattr(main, "INDEX_OPEN_LATEST_SECONDS", 60.0)  # no help from the timer
    release = hold_the_whole_list(monkeypatch)
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        try:
            await pilot.pause(0.2)
            assert not app.search_service.ready
            await pilot.press("slash")
            await until(pilot, lambda: app.search_service.ready, "the index opened")
            await pilot.press(*"transformer")
            status = app.screen.status
            await until(pilot, lambda: "“transformer”" in status.view_plain, "the search ran")
        finally:
            release.set()
        await settle(pilot)


async def test_the_index_opens_once_cursor_keys_moving_as_the_whole_list_lands_rest(
    sample_root, make_app, monkeypatch
):
    """Opened as the cursor keys move, the index (~0.3 s of the interpreter at a million
    papers) makes each of their frames wait its turn with it."""
    import time

    from paperdeck.ui.screens import details_timer, main

    monkeypatch.setattr(main, "INDEX_OPEN_LATEST_SECONDS", 60.0)
    monkeypatch.setattr(details_timer, "REST_SECONDS", 1.0)  # longer than any stall of the test
    release = hold_the_whole_list(monkeypatch)
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        try:
            await pilot.pause(0.2)
            await pilot.press("j")
            moved = app.screen.details.moved_at
        finally:
            release.set()
        await until(pilot, lambda: not app.screen.view.partial, "the whole list landed")
        assert not app.search_service.ready and app.screen.details.moved_at == moved
        await until(pilot, lambda: app.search_service.ready, "the index opened")
        assert time.monotonic() >= moved + 1.0
        await settle(pilot)


@pytest.mark.parametrize(
    ("keys", "latest"), [(("m",), 60.0), ((), 0.3)], ids=["more like this", "after a while"]
)
async def test_the_index_opens_before_a_slow_whole_list_when_asked_or_after_a_while(
    sample_root, make_app, monkeypatch, keys, latest
):
    """`m` asks for it (it said the index was opening while nothing opened it); else it
    opens `INDEX_OPEN_LATEST_SECONDS` after the start, however slow the whole list."""
    from paperdeck.ui.screens import main

    monkeypatch.setattr(main, "INDEX_OPEN_LATEST_SECONDS", latest)
    release = hold_the_whole_list(monkeypatch)
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        try:
            await pilot.pause(0.2)
            await pilot.press(*keys)
            await until(pilot, lambda: app.search_service.ready, "the index opened")
        finally:
            release.set()
        await settle(pilot)


async def test_the_index_ids_are_decoded_once_it_is_open(sample_root, make_app):
    # Before the first search with many hits, which would otherwise wait for them.
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        index = app.search_service._index
        assert index is not None and index._ids._flat is not None
        assert len(index._ids._flat) == index._searcher.doc_count_all()


SEARCH_IMPORTS = """
import sys
import paperdeck.cli, paperdeck.core.catalog, paperdeck.core.search.index
print(sorted(m for m in ("multiprocessing", "ctypes", "uuid") if m in sys.modules))
"""


def test_a_search_imports_nothing_only_indexing_needs():
    # `paperdeck search` pays for every module it imports (~2-3 ms each of these).
    out = subprocess.run(
        [sys.executable, "-c", SEARCH_IMPORTS], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


MADE = """
import sys
from pathlib import Path
from paperdeck.ui.app import PaperdeckApp
PaperdeckApp(sys.argv[1], config_path=Path(sys.argv[2]))
print("importlib.metadata" in sys.modules)
"""


def test_making_the_reader_does_not_read_package_metadata(tmp_path):
    # Textual's version read through importlib.metadata cost the start 10 ms.
    argv = [sys.executable, "-c", MADE, str(tmp_path / "library"), str(tmp_path / "c.toml")]
    out = subprocess.run(argv, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_library_path_that_is_a_file_is_one_line_not_a_traceback(tmp_path, capsys):
    """The reader on `--library papers.bib` used to end in a NotADirectoryError traceback."""
    from paperdeck.ui.app import run_reader

    file = tmp_path / "papers.bib"
    file.write_text("@misc{a, title = {T}}\n")
    assert run_reader(file) == 1
    assert capsys.readouterr().err == f"paperdeck: {file} is a file, not a library folder\n"
