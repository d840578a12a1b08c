"""Checksums of the index files, kept as written and verified as they are read.

Whoosh keeps no checksums, and damage that keeps a file's size and time (a flipped byte in a
posting list) either raises from deep inside a query (a zlib error) or, worse, still decodes
and returns wrong results. Whoosh never changes a file once written, so a CRC-32 of each
64 KiB block, taken after each commit, stays valid for the file's life. A file opened through
`CheckedStorage` verifies each block the first time a read touches it in each `ReadRounds`
round (a search reads a small part of the index: the cost is a CRC of what it reads) and
raises `ChecksumMismatch` when one differs, which the search turns into a rebuild. A process that
keeps its index open (the reader) starts a round with each search, so damage done while it
runs is found by the next search that reads the block, not only at the next open.
"""

from __future__ import annotations

import os
import pickle
import struct
import zlib
from pathlib import Path
from typing import Any, BinaryIO

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile

BLOCK = 1 << 16


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
    """A count of searches: a block verified in an earlier round is verified again the next
    time it is read (a block read twice in one search is verified once)."""

    def __init__(self) -> None:
        self.number = 0

    def next(self) -> None:
        self.number += 1


class CheckedFile:
    """A read-only file whose blocks are verified against ``sums`` on first read in each
    round of ``rounds`` (None: once for the file's life)."""

    def __init__(
        self, raw: BinaryIO, name: str, sums: list[int], rounds: ReadRounds | None = None
    ) -> None:
        self._raw = raw
        self._fd = raw.fileno()
        self._sums = sums
        self._checked: set[int] = set()
        self._rounds = rounds
        self._round = 0 if rounds is None else rounds.number
        self.name = name

    def _verify(self, start: int, end: int) -> None:
        if self._rounds is not None and self._round != self._rounds.number:
            self._checked.clear()  # verified in an earlier search: read from disk again
            self._round = self._rounds.number
        for block in range(start // BLOCK, (max(end, start + 1) - 1) // BLOCK + 1):
            if block in self._checked:
                continue
            data = os.pread(self._fd, BLOCK, block * BLOCK)
            if not data and block == len(self._sums):
                return  # a read at the very end of the file
            if block >= len(self._sums) or zlib.crc32(data) != self._sums[block]:
                raise ChecksumMismatch(f"{self.name}: block {block} does not match its checksum")
            self._checked.add(block)

    def read(self, size: int | None = -1) -> bytes:
        start = self._raw.tell()
        data = self._raw.read(-1 if size is None else size)
        self._verify(start, start + len(data))
        return data

    def readline(self, size: int | None = -1) -> bytes:
        start = self._raw.tell()
        data = self._raw.readline(-1 if size is None else size)
        self._verify(start, start + len(data))
        return data

    def seek(self, where: int, whence: int = 0) -> int:
        return self._raw.seek(where, whence)

    def tell(self) -> int:
        return self._raw.tell()

    def close(self) -> None:
        self._raw.close()

    @property
    def closed(self) -> bool:
        return self._raw.closed


class CheckedStorage(FileStorage):
    """Whoosh's file storage, reading the files named in ``sums`` through `CheckedFile`.

    Files without a record (a segment committed a moment before its state was written) are
    read as they are; the next open has their sums. Blocks are verified again in each round
    of ``rounds``.
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
        return StructFile(CheckedFile(raw, name, sums, self._rounds), name=name, **kwargs)
