"""Writing user files so that a crash leaves either the old file or the new one, never half."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path


def write_atomic(path: Path | str, data: str | bytes, *, encoding: str = "utf-8") -> Path:
    """Write ``data`` to ``path``: a regular file is replaced atomically, nothing else is.

    A regular file (or a new one) is written through a temporary file in the same folder,
    flushed and fsynced, then renamed over it with `os.replace` (atomic on POSIX and
    Windows). An existing file keeps its permissions; a new one is 0600 whatever the umask
    (exports, backups and settings may carry notes). A symlink is followed, so the file it
    names changes, never the link.

    Only a regular file is replaced: renaming over a FIFO or a character device (a link to
    /dev/null, a terminal) would put a plain file in its place, so those are written in place,
    as a shell's ``>`` writes them, their mode untouched; a folder, socket or block device is
    refused. Returns the path written.
    """
    payload = data.encode(encoding) if isinstance(data, str) else data
    try:
        # stat, not lstat: through symlinks, and through /dev/stdout's magic link (whose
        # realpath, "/proc/<pid>/fd/pipe:[…]", names nothing that can be opened or renamed).
        info: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        write_in_place(path, payload, info)
        return Path(path)
    target = Path(os.path.realpath(path))
    mode = stat.S_IMODE(info.st_mode) if info is not None else None
    temp = target.with_name(f".{target.name}.{os.urandom(4).hex()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(temp, flags, 0o600)
    except OSError as exc:  # name the file the user asked for, not our temporary one
        raise type(exc)(exc.errno, exc.strerror, str(path)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o600 if mode is None else mode)  # os.open's mode obeys the umask
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_folder(target.parent)
    return target


def write_in_place(path: Path | str, payload: bytes, info: os.stat_result) -> None:
    """Write to a FIFO or character device as it is: opened without creating, truncating or
    changing its mode. Anything else that is not a regular file is refused."""
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if not (stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode)):
        raise OSError(errno.EINVAL, "not a regular file, FIFO or terminal; not written", str(path))
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0))
    try:
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX only; Windows cannot open a folder)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
