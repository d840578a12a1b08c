"""Checksums of the index files, kept as written and verified as they are read.

Whoosh keeps no checksums, and damage that keeps a file's size and time (a flipped byte in a
posting list) either raises from deep inside a query (a zlib error) or, worse, still decodes
and returns wrong results. Whoosh never changes a file once written, so a CRC-32 of each
64 KiB block, taken after each commit, stays valid for the file's life. A file opened through
`CheckedStorage` is read a block at a time: each block is verified the first time it is read
(a search reads a small part of the index: the cost is a CRC of what it reads), and a block
that differs raises `ChecksumMismatch`, which the search turns into a rebuild. A process that
keeps its index open (the reader) starts a round with each search, in which a file changed
since (its change time moved) is verified anew, so damage done while it runs is found by the
next search that reads the block, not only at the next open.
"""

from __future__ import annotations

import os
import pickle
import struct
import time
import zlib
from pathlib import Path
from typing import Any, BinaryIO

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile

BLOCK = 1 << 16
SMALL_READ = 512  # bytes read alone from a verified block that is not kept


class ChecksumMismatch(Exception):
    """A block of an index file does not match the checksum recorded when it was written."""


def is_read_error(exc: BaseException) -> bool:
    """Whether ``exc`` comes from reading damaged index data, not from the query: a checksum
    that does not match, or what Whoosh raises on bytes it cannot decode."""
    return isinstance(
        exc,
        ChecksumMismatch | zlib.error | struct.error | EOFError | pickle.UnpicklingError | OSError,
    )


def block_sums(path: Path) -> list[int]:
    """CRC-32 of each `BLOCK` of the file at ``path``."""
    sums: list[int] = []
    with open(path, "rb") as stream:
        while block := stream.read(BLOCK):
            sums.append(zlib.crc32(block))
    return sums


class ReadRounds:
    """A count of searches: at the start of each, every open file whose identity changed
    since is verified again block by block as it is read (`VerifiedBlocks`)."""

    def __init__(self) -> None:
        self.number = 0

    def next(self) -> None:
        self.number += 1


class VerifiedBlocks:
    """Which blocks of one open file were verified, and the last few read (`KEPT`, least
    recently used out), so that reads are served from the very bytes that were verified.

    A block is verified the first time it is read from disk. Verification holds while the
    file is unchanged: at each round of ``rounds`` (each search) the file's identity (inode,
    size, modification and change times) is compared with the one it had, and if anything
    changed every block is verified again as it is read. Any write to the file, even one
    that puts its size and modification time back, moves its change time, which no program
    can set. A file changed moments before its identity was taken is "racy" (a timestamp
    has a coarse granularity on some file systems: a second write in the same tick would not
    show), and is verified again in every round until it is older.
    """

    KEPT = 4  # 256 KiB a file at most: an index has ~50 files open (3 a segment)
    RACY_NS = 2_000_000_000

    def __init__(self, fd: int, name: str, sums: list[int], rounds: ReadRounds | None) -> None:
        self.fd = fd
        self.name = name
        self.sums = sums
        self.rounds = rounds
        self.round = 0 if rounds is None else rounds.number
        self.verified: set[int] = set()
        self.kept: dict[int, bytes] = {}
        self.identity = self._identity()

    def _identity(self) -> tuple[int, ...]:
        st = os.fstat(self.fd)
        if st.st_ctime_ns > time.time_ns() - self.RACY_NS:
            return ()  # racy: equal to no identity, so the next round verifies again
        return st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns

    def _new_round(self) -> None:
        assert self.rounds is not None
        self.round = self.rounds.number
        identity = self._identity()
        if not identity or identity != self.identity:
            self.verified.clear()  # the file changed (or may have): read it all anew
            self.kept.clear()
        self.identity = identity

    def block(self, number: int) -> bytes:
        if self.rounds is not None and self.round != self.rounds.number:
            self._new_round()
        data = self.kept.pop(number, None)
        if data is None:
            data = os.pread(self.fd, BLOCK, number * BLOCK)
            if number not in self.verified:
                if number >= len(self.sums) or zlib.crc32(data) != self.sums[number]:
                    if not data and number == len(self.sums):
                        return data  # a read at the very end of the file
                    raise ChecksumMismatch(
                        f"{self.name}: block {number} does not match its checksum"
                    )
                self.verified.add(number)
            if len(self.kept) >= self.KEPT:
                del self.kept[next(iter(self.kept))]
        self.kept[number] = data  # the most recently used last
        return data

    def read(self, start: int, size: int) -> bytes:
        """``size`` bytes from ``start`` (fewer at the end of the file), all verified."""
        first, offset = divmod(start, BLOCK)
        if self.rounds is not None and self.round != self.rounds.number:
            self._new_round()
        alone = size <= SMALL_READ and offset + size <= BLOCK
        if alone and first in self.verified and first not in self.kept:
            # A few bytes of a block verified this round (a directory's entry): read alone,
            # not the whole block again (nor kept: a larger read keeps it)
            return os.pread(self.fd, size, start)
        data = self.block(first)
        if offset + size <= len(data):
            return data[offset : offset + size]
        parts = [data[offset:]]
        got, number = len(parts[0]), first + 1
        while got < size and len(data) == BLOCK:
            data = self.block(number)
            parts.append(data[: size - got])
            got, number = got + len(parts[-1]), number + 1
        return b"".join(parts)


class CheckedFile:
    """A read-only file, or a window on one (`window`: a member of a compound segment file),
    whose bytes are served from blocks verified against their checksums (`VerifiedBlocks`).

    `peek` lets `pickle.load` take a whole pickle in two calls instead of one per opcode:
    Whoosh reads each posting block's header as a pickle, and the calls were most of the
    cost of checking.
    """

    def __init__(
        self,
        raw: BinaryIO | None,
        name: str,
        sums: list[int] | None = None,
        rounds: ReadRounds | None = None,
        *,
        blocks: VerifiedBlocks | None = None,
        offset: int = 0,
        length: int | None = None,
    ) -> None:
        if blocks is None:
            assert raw is not None and sums is not None
            blocks = VerifiedBlocks(raw.fileno(), name, sums, rounds)
        self._raw = raw  # the file this object owns and closes (None: a window)
        self._blocks = blocks
        self._offset = offset
        self._end = offset + (os.fstat(blocks.fd).st_size if length is None else length)
        self._pos = offset
        self.closed = False
        self.name = name

    def window(self, offset: int, length: int, name: str | None = None) -> CheckedFile:
        """The bytes ``offset`` to ``offset + length`` of this file as a file of their own."""
        start = self._offset + offset
        return CheckedFile(
            None, name or self.name, blocks=self._blocks, offset=start, length=length
        )

    def read(self, size: int | None = -1) -> bytes:
        left = self._end - self._pos
        size = left if size is None or size < 0 or size > left else size
        if size <= 0:
            return b""
        data = self._blocks.read(self._pos, size)
        self._pos += len(data)
        return data

    def peek(self, size: int = 1) -> bytes:
        """Bytes from the position on, without moving it: the rest of the current block."""
        left = self._end - self._pos
        if left <= 0:
            return b""
        within = BLOCK - self._pos % BLOCK
        return self._blocks.read(self._pos, min(left, max(size, within)))

    def readline(self, size: int | None = -1) -> bytes:
        limit = self._end - self._pos if size is None or size < 0 else size
        parts: list[bytes] = []
        got = 0
        while got < limit:
            chunk = self.peek(1)[: limit - got]
            if not chunk:
                break
            cut = chunk.find(b"\n") + 1 or len(chunk)
            parts.append(chunk[:cut])
            got += cut
            self._pos += cut
            if cut < len(chunk) or chunk.endswith(b"\n"):
                break
        return b"".join(parts)

    def seek(self, where: int, whence: int = 0) -> int:
        if whence == 1:
            where += self._pos - self._offset
        elif whence == 2:
            where += self._end - self._offset
        self._pos = self._offset + where
        return where

    def tell(self) -> int:
        return self._pos - self._offset

    def close(self) -> None:
        self.closed = True
        if self._raw is not None:
            self._raw.close()


class CheckedStructFile(StructFile):
    """Whoosh's `StructFile` over a `CheckedFile`, whose members (`subset`, as the compound
    segment file opens them) are checked windows, not Whoosh's `SubFile` over it."""

    def subset(self, offset: int, length: int, name: str | None = None) -> StructFile:
        name = name or self._name
        return CheckedStructFile(self.file.window(offset, length, name), name=name)


class CheckedStorage(FileStorage):
    """Whoosh's file storage, reading the files named in ``sums`` through `CheckedFile`.

    Files without a record (a segment committed a moment before its state was written) are
    read as they are; the next open has their sums. In each round of ``rounds`` a file that
    changed is verified again.
    """

    def __init__(
        self, path: str, sums: dict[str, list[int]], rounds: ReadRounds | None = None
    ) -> None:
        super().__init__(path, supports_mmap=False)
        self._block_sums = sums
        self._rounds = rounds

    def open_file(self, name: str, **kwargs: Any) -> StructFile:
        sums = self._block_sums.get(name)
        if sums is None:
            return super().open_file(name, **kwargs)
        raw = open(self._fpath(name), "rb")  # noqa: SIM115 - StructFile closes it
        return CheckedStructFile(CheckedFile(raw, name, sums, self._rounds), name=name, **kwargs)
