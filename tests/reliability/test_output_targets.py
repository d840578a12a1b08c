"""Where an export (or any file paperdeck writes) goes: only a regular file is replaced.

A FIFO, or a symlink to one, is written in place and stays what it was; a folder is refused;
`-o -` and `-o /dev/stdout` mean standard output. Devices are stood in for by FIFOs in a
temporary folder, never a real device (CI runs as root: a regression there would replace one).
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from paperdeck.cli import main
from paperdeck.core.atomic import write_atomic
from paperdeck.core.models import Paper
from paperdeck.core.store import Library

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")


class FifoReader:
    """A FIFO opened for reading without blocking, so a writer's open succeeds at once and
    what it writes (less than a pipe's buffer) waits here; nothing hangs if no one writes."""

    def __init__(self, path: Path) -> None:
        os.mkfifo(path)
        self.path = path
        self.fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)

    def read(self) -> bytes:
        chunks = []
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except BlockingIOError:  # no writer came, or it is still open: what we have
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        os.close(self.fd)


@pytest.fixture
def fifo(tmp_path: Path):
    (tmp_path / "out").mkdir()
    reader = FifoReader(tmp_path / "out" / "pipe")
    yield reader
    reader.close()


@needs_fifo
def test_a_fifo_is_written_in_place_not_replaced(fifo: FifoReader) -> None:
    write_atomic(fifo.path, "hello ✓\n")
    assert fifo.read() == "hello ✓\n".encode()
    assert stat.S_ISFIFO(os.lstat(fifo.path).st_mode)
    assert sorted(p.name for p in fifo.path.parent.iterdir()) == ["pipe"]  # no temp file


@needs_fifo
def test_a_symlink_to_a_fifo_is_written_through_and_both_stay(fifo: FifoReader) -> None:
    link = fifo.path.parent / "link-to-device"
    link.symlink_to(fifo.path)
    write_atomic(link, "through the link")
    assert fifo.read() == b"through the link"
    assert link.is_symlink() and os.readlink(link) == str(fifo.path)
    assert stat.S_ISFIFO(os.lstat(fifo.path).st_mode)


def test_a_folder_is_refused_naming_the_path(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    with pytest.raises(IsADirectoryError) as caught:
        write_atomic(folder, "x")
    assert caught.value.filename == str(folder)
    assert list(folder.iterdir()) == [] and sorted(tmp_path.iterdir()) == [
        folder,
        tmp_path / "home",
    ]


def test_a_regular_file_through_a_symlink_is_still_replaced_atomically(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("old")
    os.chmod(real, 0o640)
    link = tmp_path / "link.md"
    link.symlink_to(real)
    before = os.stat(real).st_ino
    write_atomic(link, "new")
    assert real.read_text() == "new" and link.is_symlink()
    assert os.stat(real).st_ino != before  # a new file renamed into place, not rewritten
    assert stat.S_IMODE(os.stat(real).st_mode) == 0o640


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    with Library(root) as lib:
        (paper_id,) = lib.add_papers([Paper(title="Exported Paper", authors=["A. Author"])]).ids
        lib.set_starred(paper_id, True)
    return root


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "paperdeck", "--library", str(root), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


@needs_fifo
def test_export_to_a_symlink_to_a_fifo_writes_into_it(library: Path, fifo: FifoReader) -> None:
    link = fifo.path.parent / "out.md"
    link.symlink_to(fifo.path)
    done = run(library, "export", "-o", str(link))
    assert done.returncode == 0, done.stderr
    assert b"## Exported Paper" in fifo.read()
    assert stat.S_ISFIFO(os.lstat(fifo.path).st_mode) and link.is_symlink()


def test_export_to_dev_stdout_in_a_pipe_is_standard_output(library: Path) -> None:
    done = run(library, "export", "--format", "json", "-o", "/dev/stdout")
    assert done.returncode == 0, done.stderr
    assert '"title": "Exported Paper"' in done.stdout
    assert "exported" not in done.stderr  # no "exported 1 paper to …" as for a file


@pytest.mark.parametrize("name", ["-", "/dev/stdout"])
def test_export_dash_and_dev_stdout_print(library: Path, name: str, capsys) -> None:
    assert main(["--library", str(library), "export", "-o", name]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("# Starred papers\n") and "## Exported Paper" in out
    assert not Path(name).is_file() or name == "/dev/stdout"


def test_export_to_a_folder_fails_in_one_line(library: Path, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    assert main(["--library", str(library), "export", "-o", str(folder)]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == f"paperdeck: {folder}: Is a directory"
    assert list(folder.iterdir()) == []


@needs_fifo
async def test_the_readers_x_writes_into_a_fifo_after_asking(library, fifo, make_app):
    from paperdeck.ui.screens.prompts import ConfirmDialog
    from testkit import settle

    link = fifo.path.parent / "reading-list.md"
    link.symlink_to(fifo.path)
    app = make_app(library)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        app.screen.query_one("Input").value = str(link)
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.question.endswith("It is not a regular file: write into it?")
        await pilot.press("y")
        await settle(pilot)
    assert fifo.read().startswith(b"# Starred papers")
    assert stat.S_ISFIFO(os.lstat(fifo.path).st_mode) and link.is_symlink()


@needs_fifo
def test_a_fifo_or_device_as_config_is_neither_read_nor_replaced(tmp_path):
    """A FIFO would block the reader's start and `paperdeck keys` forever; run where a hang
    is a failure, not a stuck suite."""
    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    link = tmp_path / "null.toml"
    link.symlink_to(os.devnull)
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from paperdeck.ui.config import load_config, save_theme\n"
        "for name in sys.argv[1:]:\n"
        "    print(load_config(Path(name)).problems)\n"
        "    try:\n"
        "        save_theme(Path(name), 'nord')\n"
        "    except ValueError as exc:\n"
        "        print(exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(fifo), str(link)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"['{fifo}: not a regular file; using defaults']",
        f"{fifo} is not a regular file; the theme was not saved",
        "[]",
        f"{link} is not a regular file; the theme was not saved",
    ]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and link.is_symlink()
