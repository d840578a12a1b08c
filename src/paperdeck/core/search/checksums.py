"""Checksums of the index files, kept as written and verified as they are read.

Whoosh keeps no checksums, and damage that keeps a file's size and time (a flipped byte in a
posting list) either raises from deep inside a query (a zlib error) or, worse, still decodes
and returns wrong results. Whoosh never changes a file once written, so a CRC-32 of each
64 KiB block, taken after each commit, stays valid for the file's life. A file opened through
`CheckedStorage` verifies each block the first time any read touches it (a search reads a
small part of the index: the cost is a CRC of what it reads, once per open file) and raises
`IndexDamaged` on a mismatch, which the search turns into a rebuild.
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


class IndexDamaged(Exception):
    """A block of an index file does not match the checksum recorded when it was written."""


def is_read_error(exc: BaseException) -> bool:
    """Whether ``exc`` comes from reading damaged index data, not from the query: a checksum
    that does not match, or what Whoosh raises on bytes it cannot decode."""
    return isinstance(
        exc, IndexDamaged | zlib.error | struct.error | EOFError | pickle.UnpicklingError | OSError
    )


def block_sums(path: Path) -> list[int]:
    """CRC-32 of each `BLOCK` of the file at ``path``."""
    sums: list[int] = []
    with open(path, "rb") as stream:
        while block := stream.read(BLOCK):
            sums.append(zlib.crc32(block))
    return sums


class CheckedFile:
    """A read-only file whose blocks are verified against ``sums`` on first read."""

    def __init__(self, raw: BinaryIO, name: str, sums: list[int]) -> None:
        self._raw = raw
        self._fd = raw.fileno()
        self._sums = sums
        self._checked: set[int] = set()
        self.name = name

    def _verify(self, start: int, end: int) -> None:
        for block in range(start // BLOCK, (max(end, start + 1) - 1) // BLOCK + 1):
            if block in self._checked:
                continue
            data = os.pread(self._fd, BLOCK, block * BLOCK)
            if not data and block == len(self._sums):
                return  # a read at the very end of the file
            if block >= len(self._sums) or zlib.crc32(data) != self._sums[block]:
                raise IndexDamaged(f"{self.name}: block {block} does not match its checksum")
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
    read as they are; the next open has their sums.
    """

    def __init__(self, path: str, sums: dict[str, list[int]]) -> None:
        super().__init__(path, supports_mmap=False)
        self._block_sums = sums

    def open_file(self, name: str, **kwargs: Any) -> StructFile:
        sums = self._block_sums.get(name)
        if sums is None:
            return super().open_file(name, **kwargs)
        raw = open(self._fpath(name), "rb")  # noqa: SIM115 - StructFile closes it
        return StructFile(CheckedFile(raw, name, sums), name=name, **kwargs)
