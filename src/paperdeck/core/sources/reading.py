"""A file's text by one set of decoding rules, whole or a line at a time.

The rules: a BOM names the encoding (UTF-8 or UTF-16, and the rest must then be valid); a
NUL byte in the first 4 KiB is a binary file; otherwise UTF-8, and Latin-1 when the file is
not valid UTF-8 anywhere. Reading line by line applies the same rules without holding the
file: one pass over the bytes settles the encoding before any line is parsed, so a file read
either way gives the same text.
"""

from __future__ import annotations

import codecs
from collections.abc import Generator
from pathlib import Path

from paperdeck.core.sources.base import ParseError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HEAD = 4096  # where a NUL byte means a binary file
_CHUNK = 1 << 20

Lines = Generator[str, None, None]


def decode(data: bytes, path: str) -> str:
    """Bytes to text: BOMs honoured, UTF-8 preferred, Latin-1 as the last resort."""
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
        return data.decode("latin-1")


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def file_encoding(path: Path | str, name: str) -> str:
    """The encoding `decode` would read the file with, found in one pass of bounded memory.

    Raises the ParseError `decode` would raise, so nothing of a file it refuses is parsed.
    """
    try:
        with open(path, "rb") as stream:
            head = stream.read(_HEAD)
            bom = next((encoding for mark, encoding in _BOMS if head.startswith(mark)), None)
            if bom is None and b"\x00" in head:
                decode(head, name)  # raises: binary file
            decoder = codecs.getincrementaldecoder(bom or "utf-8")()
            try:
                chunk = head
                while chunk:
                    decoder.decode(chunk)
                    chunk = stream.read(_CHUNK)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                if bom is None:
                    return "latin-1"
                # Rare: read it whole so the error names the very line `decode` names.
                stream.seek(0)
                decode(stream.read(), name)
    except OSError as exc:
        raise ParseError(name, 0, exc.strerror or str(exc)) from None
    return bom or "utf-8"


def read_lines(path: Path | str, name: str) -> Lines:
    """The file's lines, decoded as `decode` would, each with its "\\n"; read as consumed.

    The encoding is settled here, before the first line is asked for.
    """
    return _decoded_lines(path, name, file_encoding(path, name))


def _decoded_lines(path: Path | str, name: str, encoding: str) -> Lines:
    try:
        # newline="\n": only "\n" ends a line and nothing is translated, as in `split_lines`.
        with open(path, encoding=encoding, newline="\n") as stream:
            yield from stream
    except OSError as exc:
        raise ParseError(name, 0, exc.strerror or str(exc)) from None
    except UnicodeDecodeError:  # it was valid a moment ago: the file is being rewritten
        raise ParseError(name, 0, f"not valid {encoding} (the file changed while read)") from None


def split_lines(text: str) -> Lines:
    """``text``'s lines, each with its "\\n", as `read_lines` gives a file's; no list is built."""
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start) + 1 or size
        yield text[start:end]
        start = end
