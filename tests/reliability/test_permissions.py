"""Notes can be private: the folders paperdeck creates are 0700, the database and its WAL/SHM
files 0600, exports and config.toml 0600, whatever the umask; an existing folder or file keeps
its mode. A read-only library (a 0400 database, a 0500 folder) can be read and searched, and
reading it leaves nothing behind that fails later writes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from paperdeck.cli import main
from paperdeck.core.atomic import write_atomic
from paperdeck.core.models import Paper
from paperdeck.core.search.index import SearchIndex
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


def test_an_existing_library_folder_keeps_its_mode(tmp_path):
    root = tmp_path / "lib"
    root.mkdir(mode=0o755)
    os.chmod(root, 0o755)
    Library(root).close()
    assert mode(root) == 0o755
    assert main(["--library", str(root), "stats"]) == 0
    assert mode(root) == 0o755


def test_every_folder_paperdeck_creates_is_private_whatever_the_umask(tmp_path):
    os.chmod(tmp_path, 0o755)
    old = os.umask(0o022)
    try:
        Library(tmp_path / "a" / "b" / "lib").close()
        save_theme(tmp_path / "conf" / "deep" / "config.toml", "nord")
    finally:
        os.umask(old)
    for folder in ("a", "a/b", "a/b/lib", "conf", "conf/deep"):
        assert mode(tmp_path / folder) == 0o700, folder
    assert mode(tmp_path / "conf" / "deep" / "config.toml") == 0o600
    assert mode(tmp_path) == 0o755  # the folder that was there is not ours to change


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
    shared = tmp_path / "shared.md"
    shared.write_text("old")
    os.chmod(shared, 0o644)
    assert main(["--library", str(root), "export", "-o", str(shared)]) == 0
    assert mode(shared) == 0o644  # the user chose that mode for an existing file
    fresh = tmp_path / "fresh.md"
    backup = tmp_path / "backup.json"
    old = os.umask(0o022)
    try:
        assert main(["--library", str(root), "export", "-o", str(fresh)]) == 0
        args = ["--library", str(root), "export", "--all", "--format", "json", "-o", str(backup)]
        assert main(args) == 0
    finally:
        os.umask(old)
    assert mode(fresh) == 0o600  # a new export may carry notes: private whatever the umask
    assert mode(backup) == 0o600
    assert "secret" in backup.read_text()
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


def _modes_are_enforced(folder: Path) -> bool:
    """False as root (CI): a 0400 file can still be written, so read-only cases cannot be."""
    probe = folder / "mode-probe"
    probe.write_text("")
    os.chmod(probe, 0o400)
    try:
        with open(probe, "a"):
            return False
    except PermissionError:
        return True
    finally:
        os.chmod(probe, 0o600)
        probe.unlink()


@pytest.fixture
def enforced(tmp_path: Path) -> None:
    if not _modes_are_enforced(tmp_path):
        pytest.skip("file modes are ignored for this user (root): run as a normal user")


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    with Library(root) as library:
        paper = Paper(title="Robots read only", note="kept", id="robots-1")
        (pid,) = library.add_papers([paper]).ids
        library.set_starred(pid, True)
        with SearchIndex(library) as index:
            index.ensure()
    return root


def cli(root: Path, *args: str) -> int:
    return main(["--library", str(root), *args])


def test_a_0400_database_leaves_no_0400_shm_behind(imported, enforced, capsys):
    db = imported / "library.sqlite3"
    os.chmod(db, 0o400)
    assert cli(imported, "search", "robots") == 0
    assert "Robots read only" in capsys.readouterr().out
    for suffix in ("-wal", "-shm"):
        extra = imported / f"library.sqlite3{suffix}"
        assert not extra.exists() or mode(extra) == 0o600, suffix
    os.chmod(db, 0o600)
    assert cli(imported, "tag", "robots-1", "later") == 0  # writes work again at once
    capsys.readouterr()
    with Library(imported) as library:
        assert library.tag_names() == ["later"]


@pytest.mark.parametrize("how", ["folder 0500", "folder 0500, database 0400"])
def test_a_read_only_library_can_be_read_and_searched(imported, enforced, capsys, how):
    if "database" in how:
        os.chmod(imported / "library.sqlite3", 0o400)
    os.chmod(imported, 0o500)
    try:
        assert cli(imported, "search", "robots") == 0
        assert "Robots read only" in capsys.readouterr().out
        assert cli(imported, "show", "robots-1") == 0
        assert "kept" in capsys.readouterr().out
        assert cli(imported, "export", "--all", "--format", "json") == 0
        assert '"note": "kept"' in capsys.readouterr().out
        assert cli(imported, "unstar", "robots-1") == 1
        assert (
            capsys.readouterr().err
            == f"paperdeck: the library is read-only ({imported}); nothing was changed\n"
        )
        assert mode(imported) == 0o500
    finally:
        os.chmod(imported, 0o700)
    with Library(imported) as library:
        assert library.starred_count() == 1
