"""A file's text by one set of decoding rules, whole or a line at a time.

The rules: a BOM names the encoding (UTF-8 or UTF-16, and the rest must then be valid); a
NUL byte in the first 4 KiB is a binary file; otherwise UTF-8, and Windows-1252 when the file
is not valid UTF-8 anywhere (see `windows_1252`). Reading line by line applies the same rules
without holding the file: one pass over the bytes settles the encoding before any line is
parsed, so a file read either way gives the same text. A stream (standard input, a FIFO) can
be read only once, so it is decoded a line at a time instead (see `LineReader`).
"""

from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import BinaryIO

from paperdeck.core.sources.base import ParseError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HEAD = 4096  # where a NUL byte means a binary file
_CHUNK = 1 << 20

Lines = Generator[str, None, None]

FALLBACK = "windows-1252"
"""The encoding of a file that is not UTF-8 (`windows_1252`)."""
# Latin-1 decodes 0x80-0x9F as C1 controls, which every text field strips; Windows-1252
# has printable characters there (– — “ ” ‘ ’ € Š š Ž ž ...) for all but five bytes.
_WINDOWS_1252 = {
    byte: char
    for byte in range(0x80, 0xA0)
    if (char := bytes([byte]).decode("cp1252", errors="ignore"))
}


def windows_1252(data: bytes) -> str:
    """``data`` as Windows-1252, what Windows editors and older reference managers save: a
    superset of Latin-1's printable characters. The five bytes it leaves undefined (0x81,
    0x8D, 0x8F, 0x90, 0x9D) are read as Latin-1, so any byte decodes and nothing raises.
    One byte is one character, so chunks of a file decode independently."""
    return data.decode("latin-1").translate(_WINDOWS_1252)


def decode(data: bytes, path: str) -> str:
    """Bytes to text: BOMs honoured, UTF-8 preferred, Windows-1252 as the last resort."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise ParseError(path, _line_of(data, exc.start), f"not valid {encoding}") from None
    if b"\x00" in data[:_HEAD]:
        raise ParseError(path, _line_of(data, data.index(b"\x00")), "binary file, not a listing")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return windows_1252(data)


def _windows_1252_chunk(data: bytes, final: bool) -> str:
    """`windows_1252` in the shape of an incremental decoder's ``decode``."""
    return windows_1252(data)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


MAX_LINE = 64 << 20  # characters in one line: one JSON Lines record, at most


class LineReader:
    """An input's lines, decoded by the rules above, read once from one open file.

    A regular file is opened once and its encoding settled by one pass over its bytes
    before the first line is parsed; it is then read again from the same descriptor (a
    seek), so a file read either way gives the same text. Anything else — standard input, a
    FIFO, ``<(command)`` — cannot be read twice: it is read once, as a stream, each line
    decoded as UTF-8, or as Windows-1252 when that line is not UTF-8 (a BOM still names the
    encoding, and a NUL in the first 4 KiB still means a binary file).

    No line may be longer than `MAX_LINE` characters, and ``limit`` (bytes) caps the whole
    input: both raise ParseError naming the line, so nothing unbounded is ever held.
    Iterating yields each line with its "\\n"; `close` closes what was opened here.
    """

    def __init__(
        self,
        path: Path | str,
        name: str,
        *,
        stream: BinaryIO | None = None,
        limit: int | None = None,
        limit_hint: str = "",
    ) -> None:
        self.name = name
        self.limit = limit
        self.limit_hint = limit_hint
        self.line = 0
        self._read = 0
        try:
            self._handle = stream if stream is not None else open(path, "rb")  # noqa: SIM115
        except OSError as exc:
            raise ParseError(name, 0, exc.strerror or str(exc)) from None
        self._owned = stream is None
        try:
            self.regular = _is_regular(self._handle)
            head = self._handle.read(_HEAD)  # all of it: the BOM and NUL rules need 4 KiB
            self._bom = next((enc for mark, enc in _BOMS if head.startswith(mark)), None)
            if self._bom is None and b"\x00" in head:
                decode(head, name)  # raises: binary file
            if self.regular:
                self.encoding: str | None = self._scan(head)
                self._handle.seek(0)
                head = b""
            else:
                self.encoding = self._bom  # None: each line decides
            self._lines = self._decoded(head)
        except OSError as exc:
            self.close()
            raise ParseError(name, 0, exc.strerror or str(exc)) from None
        except BaseException:
            self.close()
            raise

    def __iter__(self) -> Iterator[str]:
        return self._lines

    def __next__(self) -> str:
        return next(self._lines)

    def close(self) -> None:
        lines = getattr(self, "_lines", None)
        if lines is not None:
            lines.close()
        if self._owned:
            self._handle.close()

    def _chunk(self, size: int = _CHUNK) -> bytes:
        # read1: what the stream has now, up to ``size``; read() would wait for all of it,
        # and a FIFO or a pipe part-way through would hold back the lines already there.
        read1 = getattr(self._handle, "read1", None)
        return read1(size) if read1 is not None else self._handle.read(size)

    def _scan(self, head: bytes) -> str:
        """The regular file's encoding, from one pass of bounded memory (see `decode`)."""
        decoder = codecs.getincrementaldecoder(self._bom or "utf-8")()
        try:
            chunk = head
            while chunk:
                decoder.decode(chunk)
                chunk = self._chunk()
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            if self._bom is None:
                return FALLBACK
            # Rare: read it whole so the error names the very line `decode` names.
            self._handle.seek(0)
            decode(self._handle.read(), self.name)
        return self._bom or "utf-8"

    def _decoded(self, head: bytes) -> Lines:
        if self.encoding is None:
            pieces = self._byte_lines(head)
        else:
            pieces = self._text_lines(head, self.encoding)
        try:
            for piece in pieces:
                self.line += 1
                self._read += len(piece)  # characters: bytes, for the text that matters
                if self.limit is not None and self._read > self.limit:
                    hint = f" ({self.limit_hint})" if self.limit_hint else ""
                    message = f"more than {self.limit >> 20} MB; stopped{hint}"
                    raise ParseError(self.name, self.line, message)
                yield piece
        except OSError as exc:
            raise ParseError(self.name, self.line + 1, exc.strerror or str(exc)) from None

    def _text_lines(self, head: bytes, encoding: str) -> Lines:
        decode_chunk: Callable[[bytes, bool], str]
        if encoding == FALLBACK:
            decode_chunk = _windows_1252_chunk
        else:
            decode_chunk = codecs.getincrementaldecoder(encoding)().decode
        pending = ""
        chunk = head or self._chunk()
        while True:
            try:
                text = decode_chunk(chunk, not chunk)
            except UnicodeDecodeError:  # it was valid a moment ago: the file is being rewritten
                message = f"not valid {encoding} (the file changed while read)"
                raise ParseError(self.name, self.line + 1, message) from None
            pending += text
            if "\n" in pending:
                *whole, pending = pending.split("\n")
                for line in whole:
                    yield line + "\n"
            self._check(len(pending))
            if not chunk:
                break
            chunk = self._chunk()
        if pending:
            yield pending

    def _byte_lines(self, head: bytes) -> Lines:
        """A stream's lines, split as bytes (UTF-8 and Windows-1252 both keep "\\n" a byte)."""
        pending = b""
        chunk = head or self._chunk()
        while chunk:
            pending += chunk
            if b"\n" in pending:
                *whole, pending = pending.split(b"\n")
                for line in whole:
                    yield _utf8_or_windows_1252(line + b"\n")
            self._check(len(pending))
            chunk = self._chunk()
        if pending:
            yield _utf8_or_windows_1252(pending)

    def _check(self, pending: int) -> None:
        if pending > MAX_LINE:
            message = f"a line longer than {MAX_LINE >> 20} MB; not a listing"
            raise ParseError(self.name, self.line + 1, message)


def _is_regular(handle: BinaryIO) -> bool:
    """Whether ``handle`` is a regular file, which can be read twice (a seek back)."""
    try:
        return stat.S_ISREG(os.fstat(handle.fileno()).st_mode) and handle.seekable()
    except (OSError, ValueError):  # an in-memory stream has no descriptor
        return False


def _utf8_or_windows_1252(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return windows_1252(data)


def read_lines(
    path: Path | str,
    name: str,
    *,
    stream: BinaryIO | None = None,
    limit: int | None = None,
    limit_hint: str = "",
) -> LineReader:
    """The input's lines (see `LineReader`); opening it and settling its encoding happen
    here, before the first line is asked for, so an unreadable file fails at once."""
    return LineReader(path, name, stream=stream, limit=limit, limit_hint=limit_hint)


def split_lines(text: str) -> Lines:
    """``text``'s lines, each with its "\\n", as `read_lines` gives a file's; no list is built."""
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start) + 1 or size
        yield text[start:end]
        start = end
