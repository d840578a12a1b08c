"""A full disk: reading (`show`, `search`, `export` to stdout, opening the library) and backing
up still work, a change says in one line that nothing was changed, and an import whose papers
were committed but whose index could not be written says what was kept and exits 0.

The real case needs a small filesystem: a 2 MB tmpfs mounted in a temp folder, when the test
runs as root and may mount (skipped otherwise). The same paths are also driven everywhere by
making SQLite or the index fail with ENOSPC where the disk would."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

import paperdeck.core.connection as connection
from paperdeck.cli import main
from paperdeck.core.search.index import SearchIndex
from paperdeck.core.store import Library

PAPERS = [{"title": f"Paper on full disks {n}", "note": f"note {n}"} for n in range(30)]


def build(root: Path) -> None:
    with Library(root) as library:
        from paperdeck.core.models import Paper

        library.add_papers(Paper(**fields, id=f"full-{n}") for n, fields in enumerate(PAPERS))
        with SearchIndex(library) as index:
            index.ensure()


def run(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--library", str(root), *args])
    out, err = capsys.readouterr()
    return code, out, err


def check_reads_work(capsys: pytest.CaptureFixture[str], root: Path, backup: Path) -> None:
    code, out, err = run(capsys, root, "show", "full-3")
    assert (code, err) == (0, "") and "Paper on full disks 3" in out
    code, out, err = run(capsys, root, "search", "disks")
    assert code == 0 and len(out.splitlines()) == 30, err
    code, out, err = run(capsys, root, "export", "--all", "--format", "json")
    assert code == 0 and len(json.loads(out)) == 30
    code, _out, err = run(capsys, root, "export", "--all", "--format", "json", "-o", str(backup))
    assert code == 0 and len(json.loads(backup.read_text())) == 30
    code, out, err = run(capsys, root, "star", "full-3")
    assert (code, out) == (1, "")
    assert err == "paperdeck: no space left on the disk; nothing was changed\n"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs in the temp folder; skips where mounting is not allowed."""
    if os.name != "posix" or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root")
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(folder: Path) -> None:
    with open(folder / "filler", "wb", buffering=0) as out:
        try:
            while out.write(b"\0" * 4096):
                pass
        except OSError as exc:
            assert exc.errno == errno.ENOSPC


def test_reads_and_backups_work_on_a_really_full_disk(small_disk, tmp_path, capsys):
    root = small_disk / "lib"
    build(root)
    fill(small_disk)
    check_reads_work(capsys, root, tmp_path / "backup.json")
    (small_disk / "filler").unlink()
    code, _out, err = run(capsys, root, "star", "full-3")  # room again: writes work at once
    assert (code, err) == (0, "")


def test_reads_work_when_sqlite_finds_no_room(tmp_path, capsys, monkeypatch):
    """SQLite fails to grow its shared-memory file, as it does on a full disk."""
    root = tmp_path / "lib"
    build(root)
    real = connection._connect

    def no_room(path: Path, timeout: float, *, read_only: bool) -> sqlite3.Connection:
        real(path, timeout, read_only=read_only).close()  # it did open: the -shm did not grow
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(connection, "_connect", no_room)
    check_reads_work(capsys, root, tmp_path / "backup.json")


def test_an_import_whose_index_cannot_be_written_says_what_was_kept(tmp_path, capsys, monkeypatch):
    root = tmp_path / "lib"
    build(root)
    listing = tmp_path / "more.jsonl"
    listing.write_text("".join(json.dumps({"title": f"More {n}"}) + "\n" for n in range(3)))

    def disk_full(self: SearchIndex, progress: object = None) -> bool:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(SearchIndex, "ensure", disk_full)
    code, out, err = run(capsys, root, "import", str(listing))
    assert code == 0
    assert out == f"{listing}: json: 3 added, 0 merged, 0 unchanged, 0 skipped\n"
    assert err == (
        "paperdeck: search index not updated (No space left on device); every paper reported"
        " above is kept in the library, and searching catches up once the index can be"
        " written\n"
    )
    monkeypatch.undo()
    code, out, _err = run(capsys, root, "search", "title:more")
    assert code == 0 and len(out.splitlines()) == 3
