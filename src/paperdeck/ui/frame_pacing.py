"""Textual's interval timers, paced to the next tick rather than the one after it.

Textual 8.2.8's `Timer`, when it finds it is late, drops the ticks it missed, but counts one
too many: its next tick is one to two periods away instead of zero to one. The screen's
update timer (60 ticks a second, paused while nothing changes) is such a timer, and it is
late after every pause. So while search results arrive, a typed key was painted 17-33 ms
after it changed the field, where 0-17 ms was due. Under Pilot at 100,000 papers
(`benchmarks/reader_bench.py`, 20 queries typed, three runs a side, alternated): echo p95
28-33 ms with Textual's loop, 14-17 ms with this one.

`install` replaces the timer's loop, only for the Textual version it was checked against
(the one pyproject.toml pins), so an upgrade is never patched blindly: it is checked again
by `tests/ui/test_frame_pacing.py`, and the patch dropped once Textual counts right.
"""

from __future__ import annotations

from pathlib import Path

import textual
from textual import _time as textual_time
from textual.timer import EventTargetGone, Timer

CHECKED_TEXTUAL = "8.2.8"
TEXTUAL_RUN = Timer._run  # Textual's own loop, which the tests compare with


async def _paced_run(self: Timer) -> None:
    """The timer's loop: a late timer skips to the first tick still ahead of it."""
    await self._active.wait()  # made here, in the event loop's thread, as Textual does
    origin = textual_time.get_time()
    ticks = 0
    while self._repeat is None or ticks <= self._repeat:
        due = origin + (ticks + 1) * self._interval
        now = textual_time.get_time()
        if self._skip and due < now:
            ticks = int((now - origin) / self._interval)  # the tick just past: the next is due
            continue
        await textual_time.sleep(max(0.0, due - now))
        ticks += 1
        await self._active.wait()
        if self._reset:
            origin, ticks, self._reset = textual_time.get_time(), 0, False
            continue
        try:
            await self._tick(next_timer=due, count=ticks)
        except EventTargetGone:
            break


def textual_version() -> str:
    """Textual's version from the name of its ``*.dist-info`` folder beside it, as pip
    installs it; else as Textual tells it (`importlib.metadata`: 10 ms of the reader's
    start, most of it importing the email parser that reads the metadata)."""
    # Not `hasattr`: it would read the version. Set by hand (the tests), it is used.
    if "__version__" not in vars(textual):
        site = Path(textual.__file__).parent.parent
        found = [p.name for p in site.glob("textual-*.dist-info")]
        if len(found) == 1:
            return found[0].removeprefix("textual-").removesuffix(".dist-info")
    return str(textual.__version__)


def install() -> bool:
    """Pace Textual's timers as above; False (nothing changed) for any other Textual."""
    if textual_version() != CHECKED_TEXTUAL:
        return False
    Timer._run = _paced_run  # type: ignore[method-assign]
    return True
