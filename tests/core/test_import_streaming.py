"""Importing a JSON Lines file as a stream: the same papers and warnings as parsing it whole,
never the whole file in memory, committed in whole batches of `IMPORT_BATCH` papers: a file
that fails part-way keeps the batches before the failure, and importing it again completes it."""

from __future__ import annotations

import codecs
import io
import json
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import paperdeck.core.importer as importer
from paperdeck.core.importer import import_file
from paperdeck.core.models import Paper
from paperdeck.core.sources import (
    ParseError,
    decode,
    parse_lines,
    parse_text,
    read_lines,
    split_lines,
)
from paperdeck.core.sources import jsonl as jsonl_source
from paperdeck.core.store import DB_NAME, Library
from paperdeck.core.store.importing import IMPORT_BATCH

TODAY = date(2025, 6, 2)


def parse_whole(path: Path):
    """The file decoded and parsed whole (`parse_text`): what streaming must give too."""
    return parse_text(decode(path.read_bytes(), str(path)), str(path), today=TODAY)


GOOD = 1500


def record(n: int) -> str:
    return json.dumps(
        {
            "title": f"Streamed paper n{n}n about lattices",
            "authors": [f"Author {n % 31}"],
            "abstract": "Sparse lattices, café and Schrödinger.",
            "date": f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}",
            "arxiv_id": f"2402.{n:05d}",
        },
        ensure_ascii=False,
    )


def jsonl_text(count: int = GOOD) -> str:
    lines = [record(n) for n in range(count)]
    lines[3] = '{"title": "Broken",'  # skipped: invalid JSON line
    lines[7] = '{"title": ""}'  # skipped: no title
    lines[11] = "[1, 2]"  # skipped: not a paper object
    lines.insert(20, "")  # blank lines are not entries
    return "\n".join(lines) + "\n"


def stored(root: Path) -> list[tuple[str, str | None, list[str]]]:
    with Library(root) as library:
        return sorted((p.title, p.arxiv_id, p.sources) for p in library.iter_papers())


def count_rows(root: Path) -> int:
    """From another connection, as any other process would see the library."""
    with sqlite3.connect(f"file:{root / DB_NAME}?mode=ro", uri=True) as db:
        return int(db.execute("SELECT count(*) FROM papers").fetchone()[0])


@pytest.fixture
def library_with_state(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    with Library(root) as library:
        (pid,) = library.add_papers([Paper(title="Kept from before", authors=["Keeper"])]).ids
        library.set_note(pid, "my note")
        library.set_starred(pid, True)
    return root


def test_a_streamed_jsonl_file_gives_the_papers_and_warnings_of_a_whole_parse(tmp_path: Path):
    path = tmp_path / "papers.jsonl"
    path.write_text(jsonl_text(), encoding="utf-8")
    whole = parse_whole(path)
    stream = parse_lines(read_lines(path, str(path)), str(path), today=TODAY)
    assert stream.format == "json"
    assert [p.to_json() for p in stream.papers] == [p.to_json() for p in whole.papers]
    assert stream.warnings == whole.warnings
    assert [(w.line, w.message) for w in whole.warnings] == [
        (4, "invalid JSON line: Expecting property name enclosed in double quotes"),
        (8, "paper without a title; skipped"),
        (12, "not a paper object; skipped"),
    ]
    with Library(tmp_path / "lib") as library:
        report = import_file(library, path, today=TODAY)
    assert (report.format, report.added, report.skipped) == ("json", GOOD - 3, 3)
    assert report.warnings == whole.warnings
    assert stored(tmp_path / "lib") == sorted(
        (p.title, p.arxiv_id, [str(path)]) for p in whole.papers
    )


ONE_TWO = ([("One", 1), ("Two", 2)], [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param('{"title": "One"}\n{"title": "Two"}\n', ONE_TWO, id="jsonl"),
        pytest.param(
            '\ufeff\r\n{"title": "One"}\r\n\x0c\r\n{"title": "Two"}',
            ([("One", 2), ("Two", 4)], []),
            id="bom crlf and a form feed",
        ),
        pytest.param(
            '{"papers": [{"title": "A"}, {"title": "B"}]}\n\n',
            ([("A", 1), ("B", 1)], []),
            id="one-line document",
        ),
        pytest.param(
            '{"papers": [{"title": "A"}]}\n{"title": "B"}\n',
            ([("B", 2)], ["x.json:1: paper without a title; skipped"]),
            id="papers key on a jsonl line",
        ),
        pytest.param('{"title": "Only"}\n \x0b\n', ([("Only", 1)], []), id="odd blank after"),
        pytest.param(
            json.dumps([{"title": "One"}, {"title": "Two"}], indent=1),
            ([("One", 2), ("Two", 5)], []),
            id="array",
        ),
        pytest.param(
            '[{"title": "A"},\n {"title": ',
            "x.json:2: invalid JSON: Expecting value",
            id="broken array",
        ),
        pytest.param("not json\n{}", "x.json:1: invalid JSON: Expecting value", id="bad start"),
        pytest.param(" \n\n", ([], []), id="blank"),
    ],
)
def test_every_json_shape_reads_line_by_line_as_it_did_whole(text: str, expected: object):
    """The expected values are what the whole-text parser gave before streaming."""

    def read(whole: bool) -> object:
        try:
            if whole:
                result = parse_text(text, "x.json", format="json", today=TODAY)
                papers, warnings = result.papers, result.warnings
            else:
                stream = parse_lines(split_lines(text), "x.json", format="json", today=TODAY)
                papers, warnings = list(stream.papers), stream.warnings
        except ParseError as error:
            return str(error)
        return [(p.title, p.line) for p in papers], [str(w) for w in warnings]

    assert read(whole=False) == read(whole=True) == expected


def test_a_jsonl_file_is_parsed_as_it_is_read(tmp_path: Path) -> None:
    consumed = 0

    def lines() -> Iterator[str]:
        nonlocal consumed
        for line in split_lines(jsonl_text()):
            consumed += 1
            yield line

    stream = parse_lines(lines(), "big.jsonl", today=TODAY)
    first = next(stream.papers)
    assert first.title == "Streamed paper n0n about lattices"
    assert consumed <= 3  # the first two lines with content settle that it is JSON Lines
    assert len(list(stream.papers)) == GOOD - 4
    assert consumed == GOOD + 1


def test_papers_streamed_into_the_library_are_committed_in_whole_batches(
    tmp_path: Path, library_with_state: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "papers.jsonl"
    path.write_text(jsonl_text(), encoding="utf-8")
    seen_midway: list[int] = []

    def watched(path: Path | str, name: str, **options: Any) -> Iterator[str]:
        for number, line in enumerate(read_lines(path, name, **options), start=1):
            if number == GOOD - 10:
                seen_midway.append(count_rows(library_with_state))
            yield line

    monkeypatch.setattr(importer, "read_lines", watched)
    with Library(library_with_state) as library:
        report = import_file(library, path, today=TODAY)
    assert IMPORT_BATCH == 500
    assert seen_midway == [1 + 2 * IMPORT_BATCH]  # the third batch is still being read
    assert report.error is None and report.added == GOOD - 3
    assert count_rows(library_with_state) == GOOD - 3 + 1


def test_a_parser_failure_late_in_a_streamed_file_keeps_whole_batches(
    tmp_path: Path, library_with_state: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected error in the last entry: the file is one ParseError, the batch it was
    read in is rolled back, the batches before it stay, and the report says so; importing
    the fixed file completes the library, without a duplicate."""
    path = tmp_path / "papers.jsonl"
    path.write_text(jsonl_text() + '{"title": "The last straw"}\n', encoding="utf-8")
    before = stored(library_with_state)
    build = jsonl_source.build_paper

    def build_or_fail(**fields):  # type: ignore[no-untyped-def]
        if fields["title"] == "The last straw":
            raise ValueError("a parser bug")
        return build(**fields)

    monkeypatch.setattr(jsonl_source, "build_paper", build_or_fail)
    with Library(library_with_state) as library:
        report = import_file(library, path, today=TODAY)
        assert str(report.error) == f"{path}:1: could not parse as json: a parser bug"
        assert (report.added, report.merged, report.warnings) == (2 * IMPORT_BATCH, 0, [])
        assert report.kept == (
            f"{path}: kept from before the error: 1000 added, 0 merged, 0 unchanged;"
            " import it again to complete it"
        )
        library.set_note(next(library.iter_papers()).id, "my note")  # writable again
    assert count_rows(library_with_state) == 1 + 2 * IMPORT_BATCH
    monkeypatch.setattr(jsonl_source, "build_paper", build)
    with Library(library_with_state) as library:
        report = import_file(library, path, today=TODAY)
    assert (report.error, report.added, report.unchanged) == (None, GOOD - 3 - 1000 + 1, 1000)
    whole = parse_whole(path)
    assert stored(library_with_state) == sorted(
        before + [(p.title, p.arxiv_id, [str(path)]) for p in whole.papers]
    )


def test_a_read_failure_late_in_a_streamed_file_keeps_whole_batches(
    tmp_path: Path, library_with_state: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fails (or the file is rewritten) after a thousand lines were imported."""
    path = tmp_path / "papers.jsonl"
    path.write_text(jsonl_text(), encoding="utf-8")

    def failing(path: Path | str, name: str, **options: Any) -> Iterator[str]:
        for number, line in enumerate(read_lines(path, name, **options), start=1):
            if number == 1000:
                raise ParseError(name, 0, "Input/output error")
            yield line

    monkeypatch.setattr(importer, "read_lines", failing)
    with Library(library_with_state) as library:
        report = import_file(library, path, today=TODAY)
    assert str(report.error) == f"{path}: Input/output error"
    assert report.added == IMPORT_BATCH  # line 1000 was read in the second batch
    assert count_rows(library_with_state) == 1 + IMPORT_BATCH


def test_a_file_invalid_in_its_encoding_near_the_end_adds_nothing(
    tmp_path: Path, library_with_state: Path
) -> None:
    """A BOM promises UTF-8; a bad byte on the last line makes the whole file an error, named
    at that line, before a single paper is written."""
    path = tmp_path / "papers.jsonl"
    data = codecs.BOM_UTF8 + jsonl_text().encode("utf-8") + b'{"title": "\xff"}\n'
    path.write_bytes(data)
    before = stored(library_with_state)
    with Library(library_with_state) as library:
        report = import_file(library, path, today=TODAY)
    assert str(report.error) == f"{path}:{GOOD + 2}: not valid utf-8-sig"
    assert stored(library_with_state) == before


def test_a_stray_latin1_byte_at_the_end_reads_the_whole_file_as_latin1(tmp_path: Path) -> None:
    """As before streaming: not valid UTF-8 anywhere means Latin-1 everywhere."""
    path = tmp_path / "papers.jsonl"
    path.write_bytes(jsonl_text(50).encode("utf-8") + '{"title": "Café"}\n'.encode("latin-1"))
    whole = parse_whole(path)
    assert whole.papers[0].abstract == "Sparse lattices, cafÃ© and SchrÃ¶dinger."
    with Library(tmp_path / "lib") as library:
        report = import_file(library, path, today=TODAY)
        assert report.warnings == whole.warnings
    assert stored(tmp_path / "lib") == sorted(
        (p.title, p.arxiv_id, [str(path)]) for p in whole.papers
    )


def test_binary_after_many_good_lines_is_skipped_line_by_line_as_before(tmp_path: Path) -> None:
    """Only the first 4 KiB decide that a file is binary; later junk is bad lines, each a
    warning, as it was when the file was parsed whole."""
    path = tmp_path / "papers.jsonl"
    path.write_bytes(jsonl_text(200).encode("utf-8") + b"\x00\x01\x02\n" * 3)
    whole = parse_whole(path)
    with Library(tmp_path / "lib") as library:
        report = import_file(library, path, today=TODAY)
    assert report.error is None
    assert report.warnings == whole.warnings
    assert [w.line for w in report.warnings[:4]] == [4, 202, 203, 204]
    assert report.added == len(whole.papers) == 197


def test_progress_is_reported_as_the_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text("".join(record(n) + "\n" for n in range(9000)), encoding="utf-8")
    size_mb = round(path.stat().st_size / 1e6)
    heard: list[tuple[str, int, int]] = []
    with Library(tmp_path / "lib") as library:
        report = import_file(library, path, today=TODAY, progress=lambda *a: heard.append(a))
    assert report.added == 9000
    label = f"importing {path} (MB)"
    assert {h[0] for h in heard} == {label}
    assert heard[-1] == (label, size_mb, size_mb)
    assert len(heard) >= 2  # a report before the end, at each megabyte read
    assert [h[1] for h in heard] == sorted(h[1] for h in heard)


# What a .bib saved by a Windows editor holds: "Š", an en dash and curly quotes are bytes
# 0x8A, 0x96, 0x93 and 0x94 there, C1 controls in Latin-1 (stripped, so "Škoda" was "koda").
CP1252_BIB = "@article{k,\n  author = {Škoda, Jiri},\n  title = {Deep Learning – a “Survey”},\n}\n"


def test_a_file_that_is_not_utf8_is_read_as_windows_1252(tmp_path: Path) -> None:
    data = CP1252_BIB.encode("cp1252")
    assert decode(data, "refs.bib") == CP1252_BIB
    # The five bytes Windows-1252 leaves undefined are Latin-1's, so every byte still reads.
    assert decode(b"caf\xe9 \x81\x8d\x8f\x90\x9d", "x.txt") == "café \x81\x8d\x8f\x90\x9d"
    path = tmp_path / "refs.bib"
    path.write_bytes(data)
    reader = read_lines(path, str(path))
    try:
        assert "".join(reader) == CP1252_BIB  # line by line: the same text as whole
    finally:
        reader.close()
    with Library(tmp_path / "lib") as library:
        report = import_file(library, path, today=TODAY)
        paper = library.get_many(report.ids)[0]
    assert (paper.authors, paper.title) == (["Jiri Škoda"], "Deep Learning – a “Survey”")


def test_a_stream_line_that_is_not_utf8_is_read_as_windows_1252() -> None:
    data = "Café “one”\n".encode() + "Café “two”\n".encode("cp1252")
    reader = read_lines("-", "<stdin>", stream=io.BytesIO(data))
    assert list(reader) == ["Café “one”\n", "Café “two”\n"]
