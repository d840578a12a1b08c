"""Notes can be private: the library folder is 0700, the database and its WAL/SHM files 0600,
the index folder 0700; exports and config.toml are written atomically with sane modes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from paperdeck.cli import main
from paperdeck.core.atomic import write_atomic
from paperdeck.core.index import SearchIndex
from paperdeck.core.models import Paper
from paperdeck.core.store import Library
from paperdeck.ui.config import save_theme

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask():
    """The most permissive umask a user might have: the library must not depend on it."""
    old = os.umask(0)
    yield
    os.umask(old)


def test_library_files_are_private_whatever_the_umask(tmp_path, loose_umask):
    root = tmp_path / "deep" / "lib"
    with Library(root) as library:
        library.add_papers([Paper(title="Private", note="my secret note")])
        assert (root / "library.sqlite3-wal").exists()  # open: WAL and SHM are there
        assert (root / "library.sqlite3-shm").exists()
        for name in ("library.sqlite3", "library.sqlite3-wal", "library.sqlite3-shm"):
            assert mode(root / name) == 0o600, name
        with SearchIndex(library) as index:
            index.ensure()
    assert mode(root) == 0o700
    assert mode(root / "index") == 0o700
    for path in root.rglob("*"):  # every folder is closed to others: the files inside too
        if path.is_dir():
            assert mode(path) == 0o700, path


def test_an_existing_library_folder_is_made_private(tmp_path):
    root = tmp_path / "lib"
    root.mkdir(mode=0o755)
    os.chmod(root, 0o755)
    Library(root).close()
    assert mode(root) == 0o700


def test_index_files_are_owner_only(tmp_path, loose_umask):
    root = tmp_path / "lib"
    with Library(root) as library:
        library.add_papers([Paper(title="Private", note="my secret note")])
        with SearchIndex(library) as index:
            index.ensure()
    for path in [root / "index.lock", *(root / "index").iterdir()]:
        assert not mode(path) & 0o077, path


def test_exports_are_atomic_and_keep_an_existing_files_mode(tmp_path, capsys):
    root = tmp_path / "lib"
    with Library(root) as library:
        (pid,) = library.add_papers([Paper(title="Exported", note="secret")]).ids
        library.set_starred(pid, True)
    target = tmp_path / "private.md"
    target.write_text("old")
    os.chmod(target, 0o600)
    assert main(["--library", str(root), "export", "-o", str(target)]) == 0
    assert mode(target) == 0o600
    assert "Exported" in target.read_text()
    fresh = tmp_path / "fresh.md"
    old = os.umask(0o022)
    try:
        assert main(["--library", str(root), "export", "-o", str(fresh)]) == 0
    finally:
        os.umask(old)
    assert mode(fresh) == 0o644  # a new file follows the umask, like any file the user writes
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    capsys.readouterr()


def test_write_atomic_never_leaves_a_half_file(tmp_path, monkeypatch):
    (tmp_path / "c").mkdir()
    target = tmp_path / "c" / "config.toml"
    target.write_text("theme = 'old'\n")

    def crash(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        write_atomic(target, "theme = 'new'\n")
    assert target.read_text() == "theme = 'old'\n"
    assert [p.name for p in target.parent.iterdir()] == ["config.toml"]


def test_config_is_saved_atomically(tmp_path, monkeypatch):
    path = tmp_path / "config" / "config.toml"
    path.parent.mkdir()
    path.write_text('[keys]\nstar = "8"\n')
    os.chmod(path, 0o600)
    written: list[Path] = []
    original = write_atomic

    def spy(target, data, **kwargs):
        written.append(Path(target))
        return original(target, data, **kwargs)

    monkeypatch.setattr("paperdeck.ui.config.write_atomic", spy)
    save_theme(path, "nord")
    assert written == [path]
    assert mode(path) == 0o600
    text = path.read_text()
    assert 'star = "8"' in text and "nord" in text
