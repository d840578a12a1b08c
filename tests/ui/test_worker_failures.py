"""A worker of the main screen that fails says so: its state change is the screen's (Textual's
`Worker.StateChanged` does not bubble), so without the screen's handler it failed silently."""

from __future__ import annotations

import sqlite3

from paperdeck.ui.screens import index_keeper, view_loader
from testkit import capture_notifications, settle, until


async def test_counts_that_fail_to_load_say_so(sample_root, make_app, monkeypatch):
    app = make_app(sample_root)
    seen = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)

        def broken(*args, **kwargs):
            raise RuntimeError("disk I/O error")

        monkeypatch.setattr(view_loader, "_all_counts", broken)
        await pilot.press("s")  # a star: the counts are loaded again
        await settle(pilot)
        assert "load_counts: disk I/O error" in seen


async def test_an_index_sync_on_a_busy_library_is_tried_again_quietly(
    sample_root, make_app, monkeypatch
):
    """Its changes wait in the library's change log; another failure is reported."""
    app = make_app(sample_root)
    seen = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        keeper = app.screen.index_keeper
        monkeypatch.setattr(index_keeper, "SYNC_SECONDS", 0.01)
        tries: list[str] = []
        outcomes = iter(["database is locked", "database is locked", None, "disk I/O error"])

        def sync() -> None:
            outcome = next(outcomes)
            tries.append(outcome or "synced")
            if outcome:
                raise sqlite3.OperationalError(outcome)

        monkeypatch.setattr(app.search_service, "sync", sync)
        keeper.sync_now()
        await until(pilot, lambda: len(tries) == 3, "three tries")
        await settle(pilot)
        assert tries == ["database is locked", "database is locked", "synced"] and seen == []
        keeper.sync_now()
        await until(pilot, lambda: bool(seen), "the failure said")
        assert seen == ["sync_index: disk I/O error"]
