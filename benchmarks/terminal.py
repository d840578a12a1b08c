"""Starting a program in a pseudo-terminal and timing its first paint of some text."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import termios
import time
from dataclasses import dataclass


@dataclass
class Start:
    seconds: float | None  # None: the markers never appeared
    peak_rss_mb: float


def first_paint(
    argv: list[str],
    markers: list[bytes],
    env: dict[str, str],
    timeout: float = 60.0,
    size: tuple[int, int] = (120, 40),
) -> Start:
    """Seconds from spawning ``argv`` in a ``size`` terminal until every marker was written
    to it; the process is then stopped (it is ours: we spawned it)."""
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: becomes the program
        os.execvpe(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    seen = b""
    found: float | None = None
    try:
        while time.perf_counter() - started < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            if all(marker in seen for marker in markers):
                found = time.perf_counter() - started
                break
    finally:
        os.kill(pid, signal.SIGTERM)
        deadline = time.perf_counter() + 3
        rss = 0.0
        while True:
            # Drain the terminal so the program is never blocked writing to it.
            with _quiet():
                while select.select([fd], [], [], 0)[0] and os.read(fd, 65536):
                    pass
            done, _status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                rss = usage.ru_maxrss / 1024
                break
            if time.perf_counter() > deadline:
                os.kill(pid, signal.SIGKILL)
                _done, _status, usage = os.wait4(pid, 0)
                rss = usage.ru_maxrss / 1024
                break
            time.sleep(0.02)
        os.close(fd)
    return Start(found, rss)


class _quiet:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return True
