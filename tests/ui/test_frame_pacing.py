"""The timer loop `frame_pacing` puts in Textual's place: ticks on a fake clock."""

from __future__ import annotations

import asyncio

import pytest
import textual
from textual import _time as textual_time
from textual import timer as textual_timer
from textual.timer import EventTargetGone, Timer

from paperdeck.ui import frame_pacing

TEXTUALS_LOOP = frame_pacing.TEXTUAL_RUN


class Clock:
    """Time that moves only when the loop sleeps or a tick works."""

    def __init__(self) -> None:
        self.now = 0.0

    def get_time(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


class Target:
    """What a timer holds a weak reference to."""


def ticks_of(loop, clock: Clock, work: list[float], **timer_options) -> list[float]:  # type: ignore[no-untyped-def]
    """When each tick was due, for a 1 s timer whose ticks take ``work`` seconds in turn;
    it stops after the last."""
    target = Target()
    timer = Timer(target, 1.0, **timer_options)
    due: list[float] = []

    async def tick(*, next_timer: float, count: int) -> None:
        due.append(next_timer)
        if len(due) > len(work):
            raise EventTargetGone()
        clock.now += work[len(due) - 1]

    timer._tick = tick  # type: ignore[method-assign]
    asyncio.run(loop(timer))
    return due


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(textual_time, "get_time", fake.get_time)
    monkeypatch.setattr(textual_time, "sleep", fake.sleep)
    monkeypatch.setattr(textual_timer, "sleep", fake.sleep)  # Textual's loop imports it by name
    return fake


def test_a_late_timer_ticks_at_the_next_tick_not_the_one_after(clock: Clock) -> None:
    # The first tick works 1.5 s: the tick due at 2 is missed; the next due is at 3.
    assert ticks_of(frame_pacing._paced_run, clock, [1.5, 0, 0]) == [1.0, 3.0, 4.0, 5.0]


def test_textuals_own_loop_waits_a_tick_too_many(clock: Clock) -> None:
    """Why the patch is there (if this fails, Textual counts right: drop the patch)."""
    assert ticks_of(TEXTUALS_LOOP, clock, [1.5, 0, 0]) == [1.0, 4.0, 5.0, 6.0]


def test_on_time_repeats_and_no_skip_are_as_textual_has_them(clock: Clock) -> None:
    for options, work in (
        ({}, [0.2, 0.2, 0.2]),  # on time: every tick
        ({"repeat": 0}, [0.0, 0.0]),  # set_timer: one tick only
        ({"repeat": 2}, [0.0] * 5),
        ({"skip": False}, [2.5, 0.0, 0.0]),  # late, not skipping: the missed ticks at once
    ):
        clock.now = 0.0
        paced = ticks_of(frame_pacing._paced_run, clock, work, **options)
        clock.now = 0.0
        assert paced == ticks_of(TEXTUALS_LOOP, clock, work, **options), options


def test_the_reader_paces_only_the_textual_it_was_checked_with(
    monkeypatch: pytest.MonkeyPatch, make_app, sample_root
) -> None:
    # Pinned in pyproject.toml: another Textual is looked at again before it is patched.
    assert frame_pacing.textual_version() == frame_pacing.CHECKED_TEXTUAL  # without metadata
    assert textual.__version__ == frame_pacing.CHECKED_TEXTUAL
    monkeypatch.setattr(Timer, "_run", TEXTUALS_LOOP)
    make_app(sample_root)
    assert Timer._run is frame_pacing._paced_run
    monkeypatch.setattr(Timer, "_run", TEXTUALS_LOOP)
    monkeypatch.setattr(textual, "__version__", "99.0.0")
    assert frame_pacing.install() is False and Timer._run is TEXTUALS_LOOP


def test_a_resumed_timer_ticks_at_once_then_at_the_next_tick(clock: Clock) -> None:
    """The screen's update timer: paused after a tick, resumed 5.3 s later by a change.
    The change is drawn at once; the next tick is the one due next (at 8 s), not one
    after it (9 s: Textual's, a frame late)."""

    def paused_for_a_while(loop) -> list[float]:  # type: ignore[no-untyped-def]
        clock.now = 0.0
        timer = Timer(Target(), 1.0)
        due: list[float] = []

        async def resume_later() -> None:
            clock.now += 5.3
            timer.resume()

        async def tick(*, next_timer: float, count: int) -> None:
            due.append(next_timer)
            if len(due) == 1:
                timer.pause()
                asyncio.get_running_loop().create_task(resume_later())
            elif len(due) == 3:
                raise EventTargetGone()

        timer._tick = tick  # type: ignore[method-assign]
        asyncio.run(loop(timer))
        return due

    assert paused_for_a_while(frame_pacing._paced_run) == [1.0, 2.0, 8.0]
    assert paused_for_a_while(TEXTUALS_LOOP) == [1.0, 2.0, 9.0]
