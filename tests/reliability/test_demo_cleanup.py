"""`paperdeck demo` in a real terminal: a hang-up removes its throwaway library, and the demo
never writes the user's config.toml."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from paperdeck.ui.app import PaperdeckApp
from testkit import settle

REPOSITORY = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 60  # a deadline for the reader to come up on a loaded machine, not a measure


def read_until(fd: int, wanted: bytes, deadline: float) -> bytes:
    seen = b""
    while wanted not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    return seen


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def test_a_killed_demo_leaves_no_library_behind(tmp_path: Path, signum: int) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {
        **os.environ,
        "TMPDIR": str(temp),
        "PYTHONPATH": str(REPOSITORY / "src"),
        "TERM": "xterm-256color",
        "COLUMNS": "100",
        "LINES": "30",
    }
    main_fd, child_fd = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "paperdeck", "demo"],
        stdin=child_fd,
        stdout=child_fd,
        stderr=child_fd,
        env=env,
        start_new_session=True,
    )
    os.close(child_fd)
    try:
        screen = read_until(main_fd, b"starred", time.monotonic() + WAIT_SECONDS)
        assert b"starred" in screen, screen[-500:]  # the title line's counts: the reader is up
        libraries = list(temp.glob("paperdeck-demo-*"))
        assert len(libraries) == 1 and (libraries[0] / "library.sqlite3").is_file()
        process.send_signal(signum)
        assert process.wait(WAIT_SECONDS) == -signum  # it still ends by that signal
        assert list(temp.iterdir()) == []
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(main_fd)


async def test_a_theme_picked_in_the_demo_is_not_saved(tmp_path: Path, make_app) -> None:
    from paperdeck.cli.reader import import_demo
    from paperdeck.core.store import Library

    root = tmp_path / "demo"
    with Library(root) as library:
        import_demo(library)
    config = tmp_path / "config" / "config.toml"
    app: PaperdeckApp = make_app(root, demo=True, config_path=config)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await settle(pilot)
        assert app.config.theme == "nord"  # kept for the session
    assert not config.exists()
