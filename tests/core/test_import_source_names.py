"""The source that imported papers list: a file's path as given, but for input the system
names (standard input, the /dev/fd/N of ``<(command)``) a name of its own, distinct from the
next such import: its format and the import time."""

from __future__ import annotations

import io
import os
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from paperdeck.core.feeds.source_names import source_label
from paperdeck.core.importer import import_file, stream_source
from paperdeck.core.store import Library

NOW = datetime(2026, 12, 5, 7, 52, 41)
BIBTEX = b"@article{k1, title = {A Piped BibTeX Entry}, year = {2024}}\n"
JSON = b'[{"title": "A Piped JSON Paper"}]\n'

pytestmark = pytest.mark.skipif(not Path("/dev/fd").is_dir(), reason="no /dev/fd: no <(command)")


def sources(library: Library) -> dict[str, list[str]]:
    return {paper.title: paper.sources for paper in library.iter_papers()}


def import_pipe(library: Library, data: bytes, now: datetime = NOW, added: int = 1) -> str:
    """Import ``data`` through a real pipe, as ``import <(cat FILE)`` does; its path."""
    read_end, write_end = os.pipe()

    def write() -> None:
        with open(write_end, "wb") as out:
            out.write(data)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    try:
        path = f"/dev/fd/{read_end}"
        report = import_file(library, path, now=now)
    finally:
        os.close(read_end)
        writer.join(5)
    assert report.error is None and report.added == added, report
    return path


def test_stream_sources_are_named_by_format_and_minute_and_kept_apart() -> None:
    assert stream_source("bibtex", NOW, []) == "bibtex 2026-12-05 07:52"
    taken = ["json 2026-12-05 07:52", "json 2026-12-05 07:52 (2)", "bibtex 2026-12-05 07:52"]
    assert stream_source("json", NOW, taken) == "json 2026-12-05 07:52 (3)"
    # The sidebar's Sources section and `stats` show it whole (a file: its file name).
    assert source_label("json 2026-12-05 07:52 (3)") == "json 2026-12-05 07:52 (3)"


def test_pipes_are_listed_under_names_of_their_own(tmp_path: Path) -> None:
    with Library(tmp_path / "lib") as library:
        first = import_pipe(library, BIBTEX)
        second = import_pipe(library, JSON)
        import_pipe(library, b'{"title": "Another Piped Paper"}\n')
        assert first == second  # the same /dev/fd/N: the name the sources used to share
        assert sources(library) == {
            "A Piped BibTeX Entry": ["bibtex 2026-12-05 07:52"],
            "A Piped JSON Paper": ["json 2026-12-05 07:52"],
            "Another Piped Paper": ["json 2026-12-05 07:52 (2)"],
        }
        assert library.source_papers("json 2026-12-05 07:52")[0] == [
            next(p.id for p in library.iter_papers() if p.title == "A Piped JSON Paper")
        ]


def test_stdin_too_but_files_and_named_fifos_keep_their_names(tmp_path: Path) -> None:
    listed = tmp_path / "listed.json"
    listed.write_bytes(JSON)
    fifo = tmp_path / "papers.fifo"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_bytes(BIBTEX), daemon=True)
    writer.start()
    with Library(tmp_path / "lib") as library:
        import_file(library, fifo, now=NOW)
        writer.join(5)
        stdin = io.BytesIO(b'{"title": "From Standard Input"}\n')
        import_file(library, "<stdin>", stream=stdin, now=NOW)
        import_file(library, listed, now=NOW)
        # A record that names its own sources (our JSON export) keeps them, piped or not.
        import_pipe(library, b'[{"title": "Exported", "sources": ["feed:cs.CL"]}]\n')
        assert sources(library) == {
            "A Piped BibTeX Entry": [str(fifo)],
            "From Standard Input": ["json 2026-12-05 07:52"],
            "A Piped JSON Paper": [str(listed)],
            "Exported": ["feed:cs.CL"],
        }


OTHER = b"@misc{k2, title = {Another Piped Entry}}\n"


def test_the_same_input_piped_again_is_the_same_source(tmp_path: Path) -> None:
    """Its papers are exactly those an earlier pipe of its format lists: it is that pipe
    again, and lists no new name, however much later; other input gets a name of its own."""
    hour = timedelta(hours=1)
    with Library(tmp_path / "lib") as library:
        import_pipe(library, BIBTEX)
        import_pipe(library, BIBTEX, NOW + hour, added=0)
        stdin = io.BytesIO(BIBTEX)
        report = import_file(library, "<stdin>", stream=stdin, now=NOW + 2 * hour)
        assert (report.added, report.merged, report.unchanged) == (0, 0, 1)
        assert sources(library) == {"A Piped BibTeX Entry": ["bibtex 2026-12-05 07:52"]}
        import_pipe(library, BIBTEX + OTHER, NOW + 3 * hour)  # more: another input
        import_pipe(library, BIBTEX, NOW + 4 * hour, added=0)  # the first again
        import_pipe(library, OTHER + BIBTEX, NOW + 5 * hour, added=0)  # the second again
        import_pipe(library, JSON, NOW + 6 * hour)  # another format
        import_pipe(library, b'{"title": "A Piped JSON Paper"}\n', NOW + 7 * hour, added=0)
        assert sources(library) == {
            "A Piped BibTeX Entry": ["bibtex 2026-12-05 07:52", "bibtex 2026-12-05 10:52"],
            "Another Piped Entry": ["bibtex 2026-12-05 10:52"],
            "A Piped JSON Paper": ["json 2026-12-05 13:52"],
        }
        assert sorted(library.source_names()) == [
            "bibtex 2026-12-05 07:52",
            "bibtex 2026-12-05 10:52",
            "json 2026-12-05 13:52",
        ]


def test_a_pipe_is_never_taken_for_a_file_with_the_same_papers(tmp_path: Path) -> None:
    listed = tmp_path / "refs.bib"
    listed.write_bytes(BIBTEX)
    with Library(tmp_path / "lib") as library:
        import_file(library, listed, now=NOW)
        import_pipe(library, BIBTEX, added=0)
        assert sources(library) == {
            "A Piped BibTeX Entry": [str(listed), "bibtex 2026-12-05 07:52"]
        }
