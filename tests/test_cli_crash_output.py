"""A command that crashes (a bug) still shows its traceback, and the traceback goes through
the terminal-safe stream like everything else: an exception's message can hold text from a
hostile file (here an OSC 52 clipboard write and a terminal reset)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HOSTILE = "\x1b]52;c;ZXZpbA==\x07\x1bc"

CRASH = f"""
import sys
import paperdeck.cli.stats as stats
from paperdeck.cli import main

def crash(args):
    raise RuntimeError({HOSTILE!r} + " from a crafted file")

stats.run_stats = crash
sys.exit(main(["--library", sys.argv[1], "stats"]))
"""


def test_a_crash_prints_a_clean_traceback_and_exits_1(tmp_path: Path) -> None:
    src = Path(__file__).resolve().parent.parent / "src"
    done = subprocess.run(
        [sys.executable, "-c", CRASH, str(tmp_path / "lib")],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(src), "PAPERDECK_CONFIG": str(tmp_path / "c.toml")},
        timeout=120,
    )
    assert done.returncode == 1
    assert "Traceback (most recent call last)" in done.stderr
    assert done.stderr.splitlines()[-1].endswith(" from a crafted file")  # the message
    assert "\x1b" not in done.stderr and "\x07" not in done.stderr
