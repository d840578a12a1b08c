"""Parsers raise nothing but ParseError, for any input; every error names the file and line,
and one bad file in a batch does not stop the others."""

from __future__ import annotations

import codecs
import contextlib
import json
import re
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from file_parsing import parse_as_imported
from paperdeck.core.importer import import_file
from paperdeck.core.sources import FORMAT_NAMES, ParseError, parse_text
from paperdeck.core.store import Library

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "assets" / "demo").glob("*.txt"))
FIXTURES = sorted(
    p for p in (ROOT / "tests" / "fixtures").iterdir() if p.is_file() and p.suffix != ".md"
)  # the notes of where fixtures come from are not inputs
REAL_FILES = SEEDS + FIXTURES
TODAY = date(2025, 6, 2)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that looks enough like each format to get past sniffing into the parser.
STARTS = ["", "{", "[", '{"title": ', "<feed>", "<?xml version='1.0'?><feed", "@article{",
          "CLApr 22, 2025Code\n", "new\nMar 11\n\n", "\ufeff", "\r\n"]  # fmt: skip


def assert_names_file_and_line(error: ParseError, path: str) -> None:
    assert error.path == path
    assert str(error).startswith(f"{path}:{error.line}: ")
    assert error.line >= 1
    assert "\n" not in str(error)


def parse_or_parse_error(text: str, path: str, format: str | None = None) -> None:
    try:
        parse_text(text, path, format=format, today=TODAY)
    except ParseError as error:
        assert_names_file_and_line(error, path)


@FUZZ
@given(start=st.sampled_from(STARTS), body=st.text(max_size=400))
def test_any_text_sniffed_raises_only_parse_error(start, body):
    parse_or_parse_error(start + body, "fuzz.txt")


@FUZZ
@given(
    format=st.sampled_from(FORMAT_NAMES),
    start=st.sampled_from(STARTS),
    body=st.text(alphabet=st.characters(codec="utf-8"), max_size=400),
)
def test_any_text_in_any_format_raises_only_parse_error(format, start, body):
    parse_or_parse_error(start + body, "fuzz.in", format)


@FUZZ
@given(data=st.binary(max_size=600), start=st.sampled_from(STARTS))
def test_any_bytes_from_a_file_raise_only_parse_error(data, start):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.bin"
        path.write_bytes(start.encode("utf-8") + data)
        try:
            parse_as_imported(path, today=TODAY)
        except ParseError as error:
            assert_names_file_and_line(error, str(path))


def structured_records() -> st.SearchStrategy[dict]:
    """JSON-ish records whose values have the wrong types, shapes and sizes."""
    value = st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=12,
    )
    keys = st.sampled_from(["title", "authors", "abstract", "date", "tags", "links", "note",
                            "starred", "id", "paper", "summary", "publishedAt", "sources",
                            "arxiv_id", "doi", "added_at", "starred_at", "papers"])  # fmt: skip
    return st.dictionaries(keys, value, max_size=8)


@FUZZ
@given(records=st.lists(structured_records(), max_size=4))
def test_json_records_of_any_shape_raise_only_parse_error(records):
    text = "\n".join(json.dumps(record) for record in records)
    parse_or_parse_error(text, "records.jsonl", "json")
    parse_or_parse_error(json.dumps(records), "records.json", "json")
    parse_or_parse_error(json.dumps({"papers": records}), "wrapped.json", "json")


@pytest.mark.slow
@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: p.name)
def test_real_files_cut_anywhere_raise_only_parse_error(path, tmp_path):
    data = path.read_bytes()
    cuts = sorted({int(len(data) * k / 60) for k in range(60)} | {1, 2, 3, len(data) - 1})
    target = tmp_path / path.name
    for cut in cuts:
        target.write_bytes(data[:cut])
        try:
            parse_as_imported(target, today=TODAY)
        except ParseError as error:
            assert_names_file_and_line(error, str(target))


def line_ends_and_encodings(path: Path) -> dict[str, bytes]:
    text = path.read_text(encoding="utf-8")
    crlf = text.replace("\r\n", "\n").replace("\n", "\r\n")
    variants = {
        "crlf": crlf.encode("utf-8"),
        "utf-8 bom": codecs.BOM_UTF8 + text.encode("utf-8"),
        "utf-16 bom": text.encode("utf-16"),  # Python writes the BOM
        "utf-16-be bom": codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    }
    with contextlib.suppress(UnicodeEncodeError):  # only files that Latin-1 can hold
        variants["latin-1"] = text.encode("latin-1")
    return variants


@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: p.name)
def test_line_ends_and_encodings_read_the_same_papers(path, tmp_path):
    expected = [(p.title, p.abstract) for p in parse_as_imported(path, today=TODAY).papers]
    assert expected
    for name, data in line_ends_and_encodings(path).items():
        target = tmp_path / f"{name.replace(' ', '-')}{path.suffix}"
        target.write_bytes(data)
        got = [(p.title, p.abstract) for p in parse_as_imported(target, today=TODAY).papers]
        assert got == expected, name


def test_latin1_text_is_read_as_latin1(tmp_path):
    target = tmp_path / "latin.jsonl"
    target.write_bytes('{"title": "Schrödinger über Café"}\n'.encode("latin-1"))
    assert [p.title for p in parse_as_imported(target).papers] == ["Schrödinger über Café"]


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"\n\n  \r\n", id="blank"),
        pytest.param(codecs.BOM_UTF8, id="only a BOM"),
        pytest.param(bytes(range(256)) * 40, id="binary"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 500, id="png"),
        pytest.param(b"PK\x03\x04" + bytes(range(200)), id="zip"),
        pytest.param("Title\n".encode("utf-16-le"), id="utf-16 without BOM"),
        pytest.param(codecs.BOM_UTF16_LE + b"\x00\xd8", id="broken utf-16"),
        pytest.param(b"x" * 5_000_000, id="5 MB single line"),
        pytest.param(b'{"title": "' + b"a" * 5_000_000 + b'"', id="5 MB unterminated JSON"),
        pytest.param(b"[" * 100_000, id="deep JSON"),
        pytest.param(b"<feed>" + b"<entry>" * 50_000, id="deep XML"),
        pytest.param(b"@article{" + b"{" * 100_000, id="deep BibTeX"),
        pytest.param(b"Mar 11\n" + b"Title\n" * 100_000, id="100k titles"),
    ],
)
def test_odd_files_parse_or_raise_parse_error(content, tmp_path):
    target = tmp_path / "odd.txt"
    target.write_bytes(content)
    try:
        parse_as_imported(target, today=TODAY)
    except ParseError as error:
        assert_names_file_and_line(error, str(target))


def test_a_batch_imports_every_good_file_around_bad_ones(tmp_path):
    good = tmp_path / "good.jsonl"
    good.write_text('{"title": "Good one"}\n{"title": "Good two"}\n', encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text('[{"title": "x"},\n {"title": ', encoding="utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    missing = tmp_path / "missing.txt"
    last = tmp_path / "last.jsonl"
    last.write_text('{"title": "Last one"}\nnot json\n{"title": ""}\n', encoding="utf-8")
    with Library(tmp_path / "lib") as library:
        reports = [import_file(library, path) for path in [good, broken, binary, missing, last]]
        titles = sorted(p.title for p in library.iter_papers())
    assert titles == ["Good one", "Good two", "Last one"]
    errors = {Path(r.path).name: str(r.error) for r in reports if r.error}
    assert errors.keys() == {"broken.json", "binary.txt", "missing.txt"}
    assert re.match(rf"{re.escape(str(broken))}:2: invalid JSON", errors["broken.json"])
    assert errors["binary.txt"].startswith(f"{binary}:1: binary file")
    assert errors["missing.txt"].startswith(f"{missing}: ")  # unreadable: no line to name
    warnings = [str(w) for r in reports for w in r.warnings]
    assert warnings == [f"{last}:2: invalid JSON line: Expecting value", f"{last}:3: paper without a title; skipped"]  # fmt: skip
