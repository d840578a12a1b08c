"""Refreshing feeds into a library, against recorded responses served on 127.0.0.1."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from datetime import date

import pytest

from feed_server import FeedServer, Reply, fixture
from paperdeck.core.feeds.config import FeedSpec
from paperdeck.core.feeds.http import HttpClient
from paperdeck.core.feeds.runner import FeedRunner
from paperdeck.core.feeds.settings import Endpoints, NetworkSettings
from paperdeck.core.models import Paper
from paperdeck.core.paperset import PaperSet, Sort
from paperdeck.core.store import Library

FAST = NetworkSettings(timeout=0.3, budget=1.5, retries=2, backoff=0.01, api_interval=0.01)
QUERY_PAGE_1 = "/api/query?search_query=testing&start=0&max_results=10"
QUERY_PAGE_2 = "/api/query?search_query=testing&start=10&max_results=5"
DAY = "/api/daily_papers?date=2026-03-06"
TESTING = FeedSpec("testing", "arxiv", ("testing",), max=15)
CS_CL = FeedSpec("cs.CL", "new", ("cs.CL",))
HF = FeedSpec("HF daily", "daily", day=date(2026, 3, 6))


@pytest.fixture
def server():
    with FeedServer.running() as running:
        running.route(QUERY_PAGE_1, Reply(body=fixture("arxiv-api-query-start0.atom")))
        running.route(QUERY_PAGE_2, Reply(body=fixture("arxiv-api-query-start10.atom")))
        running.route("/atom/cs.CL", Reply(body=fixture("arxiv-announce-rss.xml")))
        running.route(DAY, Reply(body=fixture("hf-daily-papers-2026-03-06.json")))
        yield running


@pytest.fixture
def library(tmp_path):
    with Library(tmp_path / "lib") as opened:
        yield opened


def runner(library: Library, server: FeedServer, settings: NetworkSettings = FAST) -> FeedRunner:
    endpoints = Endpoints(
        arxiv_api=server.url + "/api/query",
        arxiv_feed=server.url + "/atom/",
        hf_api=server.url + "/api/daily_papers",
    )
    settings = replace(settings, page_size=10)
    return FeedRunner(library, client=HttpClient(settings), endpoints=endpoints)


def test_a_query_is_fetched_in_pages_up_to_its_max(library, server):
    report = runner(library, server).run(TESTING)
    assert server.targets() == [QUERY_PAGE_1, QUERY_PAGE_2]
    assert (report.error, report.added, report.merged) == (None, 15, 0)
    assert library.count() == 15
    assert report.new_ids[:2] == ["2202.12139", "2405.13786"]
    assert report.new_ids[10:] == [
        "2403.16981",
        "2004.03322",
        "1912.09881",
        "2406.19956",
        "1912.04900",
    ]
    assert library.get("2403.16981").sources == ["feed:testing"]


def test_ids_are_asked_for_with_id_list(library, server):
    target = "/api/query?id_list=0808.05394%2C1707.08567&start=0&max_results=2"
    server.route(target, Reply(body=fixture("arxiv-api-id-list.atom")))
    spec = FeedSpec("ids", "arxiv", ("0808.05394", "https://arxiv.org/abs/1707.08567v1"))
    report = runner(library, server).run(spec)
    assert server.targets() == [target]
    assert (report.error, report.new_ids) == (None, ["1707.08567"])


def test_an_id_arxiv_rejects_is_its_one_line_reason(library, server):
    target = "/api/query?id_list=1234.5678&start=0&max_results=1"
    server.route(target, Reply(400, fixture("arxiv-api-error-400.atom")))
    report = runner(library, server).run(FeedSpec("bad", "arxiv", ("1234.5678",)))
    assert report.error == "arXiv API error: incorrect id format for abc"
    assert library.count() == 0


def test_one_of_three_feeds_failing_leaves_the_others_fetched(library, server):
    server.route("/atom/cs.CL", Reply(200, fixture("arxiv-announce-rss.xml")[:5000]))
    reports = runner(library, server).run_all([TESTING, CS_CL, HF])
    assert [r.error is None for r in reports] == [True, False, True]
    assert reports[1].error.startswith(f"{server.url}/atom/cs.CL:")
    assert "malformed XML" in reports[1].error
    assert library.count() == 16  # 15 from the query, 1 from the day: none from cs.CL
    assert library.facets().values["source"] == {"feed:testing": 15, "feed:HF daily": 1}


def test_a_malformed_json_day_changes_nothing(library, server):
    server.route(DAY, Reply(200, b'[{"paper": {"id": "2602.23229", "title": "x"}'))
    report = runner(library, server).run(HF)
    assert report.error == f"{server.url}{DAY}:1: invalid JSON: Expecting ',' delimiter"
    assert library.count() == 0


def test_a_feed_that_never_answers_fails_within_its_budget_and_the_next_is_fetched(library, server):
    server.route("/atom/cs.CL", Reply(hang=True))
    reports = runner(library, server).run_all([CS_CL, HF])
    assert reports[0].error.startswith("no answer within 0.3 s")
    assert (reports[1].error, reports[1].added) == (None, 1)


class FeedClock:
    """The real clock plus the sleeps, which are counted but not slept: the arXiv spacing
    and backoff use up a feed's time limit without making the test wait for them."""

    def __init__(self, real: bool) -> None:
        self.real = real
        self.slept: list[float] = []

    def __call__(self) -> float:
        return (time.monotonic() if self.real else 0.0) + sum(self.slept)

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))


def timed_runner(library: Library, server: FeedServer, settings: NetworkSettings, clock: FeedClock):
    feeds = runner(library, server, settings)
    feeds.client = HttpClient(replace(settings, page_size=10), clock=clock, sleep=clock.sleep)
    return feeds


def test_a_query_whose_second_page_never_comes_fails_within_the_feeds_limit(library, server):
    server.route(QUERY_PAGE_2, Reply(hang=True))
    # Waits of up to 10 s for bytes, but 3 s for the whole feed, 1.5 s of them spent on
    # the arXiv spacing before page 2: page 2 gets what is left, not 3 s of its own.
    settings = NetworkSettings(timeout=10, budget=3.0, retries=3, backoff=0.01, api_interval=1.5)
    clock = FeedClock(real=True)
    reports = timed_runner(library, server, settings, clock).run_all([TESTING, CS_CL])
    assert reports[0].summary == "testing: no complete answer within the 3 s time limit"
    assert (reports[1].error, reports[1].added) == (None, 6)
    assert server.targets() == [QUERY_PAGE_1, QUERY_PAGE_2, "/atom/cs.CL"]
    # The spacing (1.5 s less the time page 1 took), then no retry of page 2: time was up.
    assert len(clock.slept) <= 1 and all(0 < wait <= 1.5 for wait in clock.slept)
    # Page 1's 10 papers are not kept: the feed changed nothing.
    assert library.facets().values["source"] == {"feed:cs.CL": 6}


def test_a_page_answered_503_for_ever_fails_within_the_feeds_limit(library, server):
    server.route(QUERY_PAGE_2, Reply(503, b"busy", {"Retry-After": "1"}))
    settings = NetworkSettings(timeout=1, budget=2.5, retries=10, backoff=0.01, api_interval=1.0)
    clock = FeedClock(real=False)
    reports = timed_runner(library, server, settings, clock).run_all([TESTING, CS_CL])
    # 1 s of spacing before page 2, then 1 s as Retry-After says: no room for a third try.
    assert clock.slept == [1.0, 1.0]
    assert server.targets() == [QUERY_PAGE_1, QUERY_PAGE_2, QUERY_PAGE_2, "/atom/cs.CL"]
    assert reports[0].summary == (
        "testing: HTTP 503 Service Unavailable; no time left to try again within the 2.5 s "
        "time limit"
    )
    assert (reports[1].error, reports[1].added) == (None, 6)
    assert library.facets().values["source"] == {"feed:cs.CL": 6}


def test_a_429_then_success_and_a_503_with_retry_after_are_fetched(library, server):
    server.route(DAY, Reply(429), Reply(body=fixture("hf-daily-papers-2026-03-06.json")))
    server.route(
        "/atom/cs.CL",
        Reply(503, headers={"Retry-After": "0"}),
        Reply(body=fixture("arxiv-announce-rss.xml")),
    )
    reports = runner(library, server).run_all([HF, CS_CL])
    assert [(r.error, r.added) for r in reports] == [(None, 1), (None, 6)]
    assert server.targets() == [DAY, DAY, "/atom/cs.CL", "/atom/cs.CL"]


def test_a_repeated_fetch_adds_nothing(library, server):
    first = runner(library, server).run_all([TESTING, CS_CL, HF])
    again = runner(library, server).run_all([TESTING, CS_CL, HF])
    assert [r.added for r in first] == [15, 6, 1]
    assert [(r.added, r.merged, r.unchanged) for r in again] == [(0, 0, 15), (0, 0, 6), (0, 0, 1)]
    assert library.count() == 22


def test_a_feed_not_modified_since_the_last_fetch_is_answered_304(library, server):
    announce = fixture("arxiv-announce-rss.xml")
    headers = {"ETag": '"2024-11-28"', "Last-Modified": "Thu, 28 Nov 2024 14:47:20 GMT"}
    server.route("/atom/cs.CL", Reply(200, announce, headers), Reply(304))
    first = runner(library, server).run(CS_CL)
    again = runner(library, server).run(CS_CL)
    assert (first.added, first.not_modified) == (6, False)
    assert (again.added, again.unchanged, again.not_modified) == (0, 0, True)
    assert again.summary == "cs.CL: not modified since the last fetch"
    asked = server.requests[1].headers
    assert (asked["If-None-Match"], asked["If-Modified-Since"]) == (
        '"2024-11-28"',
        "Thu, 28 Nov 2024 14:47:20 GMT",
    )


def test_validators_are_not_kept_for_a_feed_whose_papers_did_not_land(library, server):
    headers = {"ETag": '"broken"'}
    server.route("/atom/cs.CL", Reply(200, b"<rss><channel><item>", headers))
    assert runner(library, server).run(CS_CL).error is not None
    assert library.feed_validators(f"{server.url}/atom/cs.CL") == (None, None)


def test_a_replacement_updates_a_paper_already_there_and_keeps_the_users_state(library, server):
    (held,) = library.add_papers(
        [Paper(title="Old title", arxiv_id="1401.3665", abstract="v1.", date="2014-01-15")]
    ).ids
    library.set_starred(held, True)
    library.set_note(held, "compare with v4")
    library.add_tags(held, ["designs"])
    library.set_read(held, True)
    report = runner(library, server).run(CS_CL)
    assert (report.added, report.revised, report.not_held) == (6, 1, 2)
    assert report.announced == {"new": 4, "cross": 2, "replace": 3}
    paper = library.get(held)
    assert paper.title == "The existence of designs"
    assert paper.abstract.startswith("We prove the existence conjecture for combinatorial designs")
    assert (paper.starred, paper.note, paper.tags, paper.read) == (
        True,
        "compare with v4",
        ["designs"],
        True,
    )
    assert paper.date == "2014-01-15"  # the first version's date stays
    assert library.count() == 7  # the other two replacements were not added


def test_merging_keeps_the_users_state_and_updates_upvotes_and_repositories(library, server):
    feed = runner(library, server)
    feed.run(HF)
    library.set_starred("2602.23229", True)
    library.set_note("2602.23229", "try on our data")
    day = json.loads(fixture("hf-daily-papers-2026-03-06.json"))
    day[0]["paper"]["upvotes"] = 42
    day[0]["paper"]["githubRepo"] = "https://github.com/marco-garosi/CIRCLE-v2"
    server.route(DAY, Reply(body=json.dumps(day).encode()))
    report = feed.run(HF)
    assert (report.added, report.merged) == (0, 1)
    paper = library.get("2602.23229")
    assert (paper.upvotes, paper.starred, paper.note) == (42, True, "try on our data")
    assert "https://github.com/marco-garosi/CIRCLE-v2" in paper.links


def test_upvotes_are_a_sort(library):
    library.add_papers(
        [
            Paper(title="Few", arxiv_id="2601.00001", upvotes=3, date="2026-01-02"),
            Paper(title="None", arxiv_id="2601.00002", date="2026-01-03"),
            Paper(title="Many", arxiv_id="2601.00003", upvotes=120, date="2026-01-01"),
        ]
    )
    assert library.select(PaperSet(sort=Sort.UPVOTES)) == ["2601.00003", "2601.00001", "2601.00002"]
    assert Sort.UPVOTES.label == "most upvoted"


def test_a_recorded_atom_announcement_feed_and_daily_answer_are_fetched_whole(library, server):
    server.route("/atom/cs.AI", Reply(body=fixture("arxiv-announce-atom-cs.AI.xml")))
    server.route(
        "/api/daily_papers?date=2024-10-25",
        Reply(body=fixture("hf-daily-papers-2024-10-25.json")),
    )
    cs_ai = FeedSpec("cs.AI", "new", ("cs.AI",))
    day = FeedSpec("HF daily", "daily", day=date(2024, 10, 25))
    reports = runner(library, server).run_all([cs_ai, day])
    assert [(r.error, r.added, r.merged) for r in reports] == [(None, 86, 0), (None, 2, 0)]
    assert dict(reports[0].announced) == {"new": 41, "cross": 45}
    assert library.facets().values["source"] == {"feed:cs.AI": 86, "feed:HF daily": 2}
    again = runner(library, server).run_all([cs_ai, day])
    assert [(r.added, r.unchanged) for r in again] == [(0, 86), (0, 2)]
