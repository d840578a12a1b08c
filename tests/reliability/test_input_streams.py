"""Every input is read once, as a stream: a FIFO or ``<(command)`` imports (it used to be
opened twice: a hang, or "the file is empty"), standard input has a total limit (an option
raises it) that files do not, no line may grow without bound, and a field too big for the
library is cut with a warning naming the file and the entry."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import paperdeck.core.sources.reading as reading
from paperdeck.cli import main
from paperdeck.core.field_limits import TEXT_LIMITS
from paperdeck.core.store import Library
from paperdeck.core.store.importing import IMPORT_BATCH

RECORDS = "".join(json.dumps({"title": f"Streamed paper {n}"}) + "\n" for n in range(40))


def titles(root: Path) -> list[str]:
    with Library(root) as library:
        return sorted(p.title for p in library.iter_papers())


def feed(path_or_fd: str | int, data: bytes) -> threading.Thread:
    """Write ``data`` into a FIFO or a pipe from another thread, then close it."""

    def write() -> None:
        with open(path_or_fd, "wb") as out:
            out.write(data)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


def paperdeck(*args: str, **options: object) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "paperdeck", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, **options)  # type: ignore[call-overload]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_is_imported_not_waited_on_forever(tmp_path: Path) -> None:
    fifo = tmp_path / "papers.jsonl"
    os.mkfifo(fifo)
    writer = feed(str(fifo), RECORDS.encode())
    done = paperdeck("--library", str(tmp_path / "lib"), "import", str(fifo))
    writer.join(5)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{fifo}: json: 40 added, 0 merged, 0 unchanged, 0 skipped\n"


@pytest.mark.skipif(not Path("/dev/fd").is_dir(), reason="no /dev/fd: no <(command)")
def test_process_substitution_is_imported(tmp_path: Path) -> None:
    """``import <(cat x.jsonl)``: the shell passes /dev/fd/N, a pipe's read end."""
    read_end, write_end = os.pipe()
    writer = feed(write_end, RECORDS.encode())
    try:
        done = paperdeck(
            "--library",
            str(tmp_path / "lib"),
            "import",
            f"/dev/fd/{read_end}",
            pass_fds=(read_end,),
        )
    finally:
        os.close(read_end)
    writer.join(5)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"/dev/fd/{read_end}: json: 40 added, 0 merged, 0 unchanged, 0 skipped\n"
    assert len(titles(tmp_path / "lib")) == 40


def stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """The exit code, stdout and stderr, without the summary a slow index update adds."""
    code = main(list(args))
    out, err = capsys.readouterr()
    lines = err.splitlines(keepends=True)
    return code, out, "".join(x for x in lines if not x.startswith("search index updated ("))


def test_stdin_has_a_total_limit_that_an_option_raises(tmp_path, monkeypatch, capsys):
    root = str(tmp_path / "lib")
    data = "".join(
        json.dumps({"title": f"Paper {n}", "abstract": "x" * 900}) + "\n" for n in range(3000)
    )
    stdin(monkeypatch, data.encode())
    code, out, err = cli(capsys, "--library", root, "import", "--stdin-limit", "1", "-")
    assert code == 1 and out == ""
    lengths = [len(line) for line in data.splitlines(keepends=True)]
    line = next(n for n in range(len(lengths)) if sum(lengths[: n + 1]) > 1 << 20) + 1
    kept = (line - 1) // IMPORT_BATCH * IMPORT_BATCH  # the whole batches read before it
    assert err == (
        f"paperdeck: <stdin>:{line}: more than 1 MB; stopped (--stdin-limit MB raises the limit)\n"
        f"paperdeck: <stdin>: kept from before the error: {kept} added, 0 merged, 0 unchanged;"
        " import it again to complete it\n"
    )
    stdin(monkeypatch, data.encode())
    code, out, err = cli(capsys, "--library", root, "import", "--stdin-limit", "4", "-")
    assert (code, err) == (0, "")
    # Merged, not unchanged: each import from standard input is a source of its own
    # ("json 2026-12-05 07:52 (2)"), which the papers kept from the first try now list too.
    assert out == f"<stdin>: json: {3000 - kept} added, {kept} merged, 0 unchanged, 0 skipped\n"


def test_the_stdin_limit_does_not_apply_to_files(tmp_path, capsys):
    big = tmp_path / "snapshot.jsonl"
    big.write_text(
        "".join(json.dumps({"title": f"P{n}", "abstract": "y" * 900}) + "\n" for n in range(2500))
    )
    assert big.stat().st_size > 2 << 20
    code, out, err = cli(
        capsys, "--library", str(tmp_path / "lib"), "import", "--stdin-limit", "1", str(big)
    )
    assert (code, err) == (0, "")
    assert out == f"{big}: json: 2500 added, 0 merged, 0 unchanged, 0 skipped\n"


def test_binary_stdin_is_one_line_not_a_memory_error(tmp_path, monkeypatch, capsys):
    stdin(monkeypatch, bytes(1 << 20))  # what /dev/zero gives
    code, out, err = cli(capsys, "--library", str(tmp_path / "lib"), "import", "-")
    assert (code, out, err) == (1, "", "paperdeck: <stdin>:1: binary file, not a listing\n")


@pytest.mark.parametrize("where", ["stdin", "file"])
def test_a_line_without_end_is_refused_before_it_fills_memory(tmp_path, monkeypatch, capsys, where):
    monkeypatch.setattr(reading, "MAX_LINE", 100_000)
    data = b'{"title": "Fine"}\n' + b"y" * 300_000
    if where == "stdin":
        stdin(monkeypatch, data)
        name = "<stdin>"
    else:
        name = str(tmp_path / "endless.txt")
        Path(name).write_bytes(data)
    code, out, err = cli(
        capsys, "--library", str(tmp_path / "lib"), "import", "-" if where == "stdin" else name
    )
    assert (code, out) == (1, "")
    assert err == f"paperdeck: {name}:2: a line longer than 0 MB; not a listing\n"


def test_a_stream_is_decoded_a_line_at_a_time(tmp_path, monkeypatch, capsys):
    """Read once, a stream cannot be scanned first: a line that is not UTF-8 is Windows-1252."""
    data = '{"title": "Café noir"}\n'.encode() + '{"title": "Crème brûlée"}\n'.encode("latin-1")
    stdin(monkeypatch, data)
    code, _out, err = cli(capsys, "--library", str(tmp_path / "lib"), "import", "-")
    assert (code, err) == (0, "")
    assert titles(tmp_path / "lib") == ["Café noir", "Crème brûlée"]


def test_oversized_fields_are_cut_with_a_warning_naming_file_and_entry(tmp_path, capsys):
    source = tmp_path / "huge.jsonl"
    huge = {
        "title": "Huge " + "t" * 60_000,
        "abstract": "word " * 600_000,
        "authors": [f"Author {n}" for n in range(6000)],
    }
    source.write_text(json.dumps({"title": "Small"}) + "\n" + json.dumps(huge) + "\n")
    code, out, err = cli(capsys, "--library", str(tmp_path / "lib"), "import", str(source))
    assert code == 0
    assert out == f"{source}: json: 2 added, 0 merged, 0 unchanged, 0 skipped, 1 cut to size\n"
    expected = (
        f"{source}:2: 'Huge {'t' * 55}': title cut to 2,000 characters (was 60,005);"
        " abstract cut to 100,000 characters (was 2,999,999); authors cut to the first 5,000"
        " (of 6,000)\n"
    )
    assert err == expected
    with Library(tmp_path / "lib") as library:
        (paper,) = [p for p in library.iter_papers() if p.title.startswith("Huge")]
    assert len(paper.title) == TEXT_LIMITS["title"]
    assert len(paper.abstract) <= TEXT_LIMITS["abstract"]
    assert len(paper.authors) == 5000
