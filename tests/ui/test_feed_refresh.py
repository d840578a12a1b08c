"""`R` in the reader: the feeds of config.toml refreshed in a worker, with a progress bar,
then how many papers are new; a failing feed is one notification. Served from 127.0.0.1."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from feed_server import FeedServer, Reply, fixture
from paperdeck.core.feeds.source_names import source_label
from paperdeck.core.paperset import PaperSet
from paperdeck.core.store import Library
from paperdeck.ui.commands import COMMANDS_BY_ID
from paperdeck.ui.keys import key_table
from paperdeck.ui.widgets.feed_refresh import FeedRefresh
from testkit import capture_notifications, settle, write_config

CONFIG = """[fetch]
timeout = 0.3
budget = 1.0
retries = 1
backoff = 0.01
api_interval = 0.01

[[feeds]]
name = "cs.CL"
new = "cs.CL"

[[feeds]]
name = "HF daily"
daily = true

[[feeds]]
name = "broken"
new = "cs.LG"
"""


@pytest.fixture
def server(monkeypatch):
    today = datetime.now(UTC).date().isoformat()
    with FeedServer.running() as running:
        running.route("/atom/cs.CL", Reply(body=fixture("arxiv-announce-rss.xml")))
        running.route(f"/hf?date={today}", Reply(body=fixture("hf-daily-papers-2026-03-06.json")))
        running.route("/atom/cs.LG", Reply(hang=True))
        monkeypatch.setenv("PAPERDECK_ARXIV_FEED_URL", running.url + "/atom/")
        monkeypatch.setenv("PAPERDECK_HF_API_URL", running.url + "/hf")
        monkeypatch.setenv("PAPERDECK_ARXIV_API_URL", running.url + "/api")
        yield running


async def test_R_refreshes_the_feeds_and_says_how_many_papers_are_new(
    sample_root, make_app, config_path, server
):
    write_config(config_path, CONFIG)
    with Library(sample_root) as library:
        before = library.count()
    app = make_app(sample_root)
    said = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert not app.screen.query(FeedRefresh)  # mounted on the first R, not at start
        await pilot.press("R")
        bar = app.screen.query_one(FeedRefresh)
        assert bar.display  # the progress bar shows while the worker fetches
        await settle(pilot)
        assert not bar.display
        assert said[-2:] == [
            "Feeds refreshed: 7 new papers (1 of 3 feeds failed)",
            "broken: no answer within 0.3 s (gave up after 2 attempts)",
        ]
        await settle(pilot)
        screen = app.screen
        assert len(screen.papers.ids) == before + 7
        sources = {entry.label for entry in screen.sidebar.entries if entry.kind == "source"}
        assert {"feed: cs.CL", "feed: HF daily"} <= sources
        assert "2602.23229" in screen.papers.ids
        screen.paperset = PaperSet().narrowed("source", "feed:cs.CL")
        await settle(pilot)
        assert len(screen.papers.ids) == 6
    assert source_label("feed:cs.CL") == "feed: cs.CL"


async def test_R_without_feeds_says_where_to_list_them(sample_root, make_app, config_path):
    write_config(config_path, 'theme = "nord"\n')
    app = make_app(sample_root)
    said = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert said[-1] == f"No feeds to refresh: add [[feeds]] tables to {config_path}"
        await pilot.press("R")  # the bar mounted by the first is used again
        await settle(pilot)
        assert len(app.screen.query(FeedRefresh)) == 1
        assert said[-2:] == [said[-1]] * 2


def test_R_is_defined_once_in_the_registry():
    command = COMMANDS_BY_ID["refresh_feeds"]
    assert (command.key, command.scopes) == ("R", ("screen",))
    assert ("Views", "R", command.description, "refresh_feeds") in key_table()
