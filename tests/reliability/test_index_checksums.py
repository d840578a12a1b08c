"""Damage that keeps the index files' sizes and times (a flipped byte in a posting list) is
found by the checksum of each block, taken as the file was written and checked as it is read:
a read error inside the index is index damage, rebuilt and said so, and the search is asked
again — in the CLI and in the reader, which also rebuilds an index deleted while it runs. A
garbage or missing `words.txt` (did-you-mean) is rebuilt too."""

from __future__ import annotations

import os
import shutil
import zlib
from pathlib import Path

import pytest

from paperdeck.cli import main
from paperdeck.core.models import Paper
from paperdeck.core.search import checksums
from paperdeck.core.search.checksums import (
    BLOCK,
    CheckedFile,
    ChecksumMismatch,
    ReadRounds,
    VerifiedBlocks,
)
from paperdeck.core.search.index import SearchIndex
from paperdeck.core.search.index_files import read_state
from paperdeck.core.search.search_result import IndexCorrupt
from paperdeck.core.search.spelling import VOCABULARY_FILE
from paperdeck.core.store import Library
from paperdeck.ui.widgets.status_bar import StatusBar
from testkit import settle

READ = CheckedFile.read
ANNOUNCE = "paperdeck: search index missing or damaged; rebuilding it ("


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("checksums") / "lib"
    with Library(root) as library:
        library.add_papers(
            Paper(title=f"Robust paper {n}", abstract=f"Words about topic t{n}t and robots.")
            for n in range(60)
        )
        with SearchIndex(library) as index:
            index.ensure()
    return root


@pytest.fixture
def root(template: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "lib"
    shutil.copytree(template, copy)
    return copy


def flip_quietly(path: Path, offset: int) -> None:
    """Flip one byte, keeping the file's size and modification time."""
    st = path.stat()
    data = bytearray(path.read_bytes())
    data[offset % len(data)] ^= 0x55
    path.write_bytes(bytes(data))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--library", str(root), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_block_is_checked_the_first_time_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "file"
    data = bytes(range(256)) * (5 * BLOCK // 256)
    path.write_bytes(data)
    sums = [zlib.crc32(data[i : i + BLOCK]) for i in range(0, len(data), BLOCK)]
    flip_quietly(path, 3 * BLOCK + 10)
    with open(path, "rb") as raw:
        checked = CheckedFile(raw, "file", sums)
        assert checked.read(3 * BLOCK) == data[: 3 * BLOCK]  # blocks 0-2 are sound
        checked.seek(4 * BLOCK)
        assert checked.read(100) == data[4 * BLOCK : 4 * BLOCK + 100]
        checked.seek(3 * BLOCK - 2)
        with pytest.raises(ChecksumMismatch, match="file: block 3 does not match its checksum"):
            checked.read(4)  # the last bytes of block 2 and the first of block 3


@pytest.mark.parametrize("where", [0.1, 0.5, 0.9])
def test_cli_search_finds_quiet_damage_rebuilds_and_answers(root, capsys, where):
    code, before, _ = run(root, capsys, "search", "robots")
    assert code == 0 and len(before.splitlines()) == 60
    for segment in (root / "index").glob("*.seg"):
        flip_quietly(segment, int(segment.stat().st_size * where))
    code, out, err = run(root, capsys, "search", "robots")
    assert code == 0, err
    assert out == before
    assert err.startswith(ANNOUNCE) and "query syntax" not in err
    code, out, err = run(root, capsys, "search", "robots")
    assert (out, err) == (before, "")  # mended: said once


def break_reads(monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    """From now on every read of an index file fails with ``error``, as a damaged block does
    (a block checked at open is trusted after: damage that comes later is found so)."""

    def fail(self: CheckedFile, size: int | None = -1) -> bytes:
        raise error

    monkeypatch.setattr(CheckedFile, "read", fail)


@pytest.mark.parametrize(
    "error", [ChecksumMismatch("MAIN_x.seg: block 3"), zlib.error("invalid stored block lengths")]
)
def test_a_read_error_inside_the_index_is_damage_not_a_bad_query(root, monkeypatch, error):
    with Library(root) as library, SearchIndex(library) as index:
        index.ensure()
        before = index.search("robots").ids
        state, _stat = read_state(root / "index")
        assert state is not None and sorted(state.sums) == sorted(state.files)
        break_reads(monkeypatch, error)
        index.drop_caches()
        with pytest.raises(IndexCorrupt, match="damaged"):
            index.search("t17t")  # not searched again as plain words: the index is at fault
        monkeypatch.undo()
        assert index.ensure() is True  # rebuilt
        assert index.search("t17t").total == 1
        assert index.search("robots").ids == before


@pytest.mark.parametrize("damage", ["garbage", "missing"])
def test_a_damaged_or_missing_vocabulary_is_rebuilt(root, capsys, damage):
    words = root / "index" / VOCABULARY_FILE
    code, _out, err = run(root, capsys, "search", "robts")
    assert "did you mean: robots" in err
    if damage == "garbage":
        flip_quietly(words, 5)
    else:
        words.unlink()
    code, _out, err = run(root, capsys, "search", "robts")
    assert code == 1  # no paper matches the typo
    assert err.startswith(ANNOUNCE) and "did you mean: robots" in err
    assert words.exists()


def recording_status(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    original = StatusBar.set_activity

    def record(self: StatusBar, text: str) -> None:
        shown.append(text)
        original(self, text)

    monkeypatch.setattr(StatusBar, "set_activity", record)
    return shown


@pytest.mark.parametrize("damage", ["read error", "folder deleted"])
async def test_the_reader_rebuilds_an_index_damaged_while_it_runs(
    root, make_app, monkeypatch, damage
):
    shown = recording_status(monkeypatch)
    app = make_app(root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert app.search_service.ready
        if damage == "folder deleted":
            shutil.rmtree(root / "index")
        else:
            break_reads(monkeypatch, ChecksumMismatch("MAIN_x.seg: block 0"))
            app.search_service._index.drop_caches()  # type: ignore[union-attr]
        await pilot.press("slash", *"t17t")
        await settle(pilot, 0.4)
        monkeypatch.setattr(CheckedFile, "read", READ)  # the rebuilt index reads well
        for _ in range(40):  # the rebuild runs in a worker; the search runs again after it
            if len(app.screen.papers.ids) == 1:
                break
            await settle(pilot, 0.2)
        assert len(app.screen.papers.ids) == 1
        assert any(text.startswith("Rebuilding search index") for text in shown), shown
    assert (root / "index" / VOCABULARY_FILE).exists()


def test_a_block_is_checked_again_in_each_round(tmp_path: Path) -> None:
    path = tmp_path / "file"
    data = bytes(range(256)) * (2 * BLOCK // 256)
    path.write_bytes(data)
    sums = [zlib.crc32(data[i : i + BLOCK]) for i in range(0, len(data), BLOCK)]
    rounds = ReadRounds()
    with open(path, "rb") as raw:
        checked = CheckedFile(raw, "file", sums, rounds)
        assert checked.read(10) == data[:10]
        flip_quietly(path, 5)  # after block 0 was verified, while the file is open
        checked.seek(0)
        assert checked.read(10)[:5] == data[:5]  # the same round: verified once per round
        rounds.next()
        checked.seek(0)
        with pytest.raises(ChecksumMismatch, match="file: block 0 does not match its checksum"):
            checked.read(10)


def test_damage_done_while_an_index_is_open_is_found_by_the_next_search(root: Path) -> None:
    with Library(root) as library, SearchIndex(library) as index:
        index.ensure()
        before = index.search("robots").ids
        assert len(before) == 60
        state, _stat = read_state(root / "index")
        assert state is not None
        for name in state.sums:  # every block of every file, each verified by that search
            size = (root / "index" / name).stat().st_size
            for start in range(0, size, BLOCK):
                flip_quietly(root / "index" / name, min(start + BLOCK // 2, size - 1))
        with pytest.raises(IndexCorrupt, match="does not match its checksum"):
            index.search("t17t")
        assert index.ensure() is True  # rebuilt
        assert index.search("robots").ids == before


def sound_file(tmp_path: Path, blocks: int) -> tuple[Path, bytes, list[int]]:
    path = tmp_path / "file"
    data = bytes(range(256)) * (blocks * BLOCK // 256) + b"tail\nend"
    path.write_bytes(data)
    return path, data, [zlib.crc32(data[i : i + BLOCK]) for i in range(0, len(data), BLOCK)]


def counting_crcs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = zlib.crc32

    def crc32(data: bytes) -> int:
        calls.append(len(data))
        return real(data)

    monkeypatch.setattr(checksums.zlib, "crc32", crc32)
    return calls


def test_an_unchanged_file_is_verified_once_and_a_written_one_again(tmp_path, monkeypatch):
    """Each search (round) asks whether the file changed; a write that puts its size and
    modification time back still moves its change time."""
    monkeypatch.setattr(VerifiedBlocks, "RACY_NS", 0)  # the file is not new: trust its times
    path, data, sums = sound_file(tmp_path, 3)
    crcs = counting_crcs(monkeypatch)
    rounds = ReadRounds()
    with open(path, "rb") as raw:
        checked = CheckedFile(raw, "file", sums, rounds)
        assert checked.read() == data
        assert len(crcs) == 4  # every block, once
        for _ in range(3):  # later searches of the unchanged file: no block verified again
            rounds.next()
            checked.seek(0)
            assert checked.read() == data
        assert len(crcs) == 4
        flip_quietly(path, BLOCK + 7)
        rounds.next()
        checked.seek(0)
        with pytest.raises(ChecksumMismatch, match="file: block 1 does not match"):
            checked.read()


def test_a_file_written_moments_ago_is_verified_in_every_round(tmp_path, monkeypatch):
    """A change time within a timestamp's granularity of the check proves nothing."""
    path, data, sums = sound_file(tmp_path, 1)
    crcs = counting_crcs(monkeypatch)
    rounds = ReadRounds()
    with open(path, "rb") as raw:
        checked = CheckedFile(raw, "file", sums, rounds)
        assert checked.read() == data
        rounds.next()
        checked.seek(0)
        assert checked.read() == data
    assert len(crcs) == 4  # two blocks, twice


@pytest.mark.parametrize("start", [0, 5, BLOCK - 3, 2 * BLOCK + 1])
def test_reads_lines_peeks_and_windows_give_the_files_bytes(tmp_path, start):
    path, data, sums = sound_file(tmp_path, 3)
    with open(path, "rb") as raw:
        checked = CheckedFile(raw, "file", sums)
        checked.seek(start)
        assert checked.peek(1) == data[start : start + len(checked.peek(1))]
        assert checked.tell() == start  # peeking does not move
        assert checked.read(BLOCK + 10) == data[start : start + BLOCK + 10]
        checked.seek(-8, 2)
        assert checked.readline() == b"tail\n" and checked.readline() == b"end"
        assert checked.read(5) == b""
        window = checked.window(start, 100)
        assert window.read() == data[start : start + 100] and window.read(1) == b""
        window.seek(10)
        assert window.tell() == 10 and window.read(3) == data[start + 10 : start + 13]


def test_a_few_bytes_of_a_verified_block_are_read_alone_until_the_file_changes(
    tmp_path, monkeypatch
):
    """A directory's entry (a few bytes) of a block verified this round is read alone, not
    the whole block; once the file changed, the block is verified again first."""
    monkeypatch.setattr(VerifiedBlocks, "RACY_NS", 0)  # the file is not new: trust its times
    path, data, sums = sound_file(tmp_path, 8)
    rounds = ReadRounds()
    sizes: list[int] = []
    real = os.pread

    def pread(fd: int, size: int, offset: int) -> bytes:
        sizes.append(size)
        return real(fd, size, offset)

    monkeypatch.setattr(checksums.os, "pread", pread)
    with open(path, "rb") as raw:
        checked = CheckedFile(raw, "file", sums, rounds)
        assert checked.read() == data  # every block verified, the last few kept
        sizes.clear()
        for start in (10, BLOCK + 100, 2 * BLOCK + 5):  # verified, no longer kept
            checked.seek(start)
            assert checked.read(12) == data[start : start + 12]
        assert sizes == [12, 12, 12]
        flip_quietly(path, BLOCK + 104)
        rounds.next()
        checked.seek(BLOCK + 100)
        with pytest.raises(ChecksumMismatch, match="file: block 1 does not match"):
            checked.read(12)
