"""The HTTP client's manners, against a local server: retries, waits, timeouts, redirects."""

from __future__ import annotations

from dataclasses import replace

import pytest

from feed_server import FeedServer, Reply, fixture
from paperdeck.core.feeds.http import FetchError, HttpClient, Validators
from paperdeck.core.feeds.settings import USER_AGENT, NetworkSettings

FAST = NetworkSettings(timeout=0.5, budget=3.0, retries=3, backoff=0.01, api_interval=3.0)


class Sleeps:
    """A sleep that records instead of waiting, and a clock that it moves forward."""

    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(round(seconds, 3))
        self.now += seconds


@pytest.fixture
def server():
    with FeedServer.running() as running:
        yield running


def test_a_429_then_success_is_retried_after_the_backoff(server):
    body = fixture("arxiv-api-id-list.atom")
    server.route("/q", Reply(429, b"slow down"), Reply(200, body))
    sleeps = Sleeps()
    client = HttpClient(FAST, clock=sleeps.clock, sleep=sleeps.sleep)
    response = client.get(server.url + "/q")
    assert (response.status, response.body) == (200, body)
    assert server.targets() == ["/q", "/q"]
    assert sleeps.waits == [0.01]


def test_a_503_waits_as_long_as_retry_after_says(server):
    server.route("/q", Reply(503, headers={"Retry-After": "2"}), Reply(200, b"ok"))
    sleeps = Sleeps()
    client = HttpClient(FAST, clock=sleeps.clock, sleep=sleeps.sleep)
    assert client.get(server.url + "/q").body == b"ok"
    assert sleeps.waits == [2.0]


def test_a_retry_after_beyond_the_budget_fails_at_once(server):
    server.route("/q", Reply(503, headers={"Retry-After": "120"}), Reply(200, b"ok"))
    sleeps = Sleeps()
    client = HttpClient(FAST, clock=sleeps.clock, sleep=sleeps.sleep)
    with pytest.raises(FetchError) as caught:
        client.get(server.url + "/q")
    assert str(caught.value) == (
        "HTTP 503 Service Unavailable; no time left to try again within the 3 s time limit"
    )
    assert (sleeps.waits, server.targets()) == ([], ["/q"])


def test_5xx_every_time_gives_up_after_the_retries(server):
    server.route("/q", Reply(502))
    sleeps = Sleeps()
    client = HttpClient(FAST, clock=sleeps.clock, sleep=sleeps.sleep)
    with pytest.raises(FetchError) as caught:
        client.get(server.url + "/q")
    assert str(caught.value) == "HTTP 502 Bad Gateway (gave up after 4 attempts)"
    assert sleeps.waits == [0.01, 0.02, 0.04]  # the backoff doubles


def test_a_server_that_never_answers_fails_within_the_budget(server):
    server.route("/q", Reply(hang=True))
    client = HttpClient(NetworkSettings(timeout=0.3, budget=1.0, retries=5, backoff=0.05))
    with pytest.raises(FetchError) as caught:
        client.get(server.url + "/q")
    # Each attempt waited 0.3 s for an answer; the 1 s limit ran out during the third, or
    # just before it, depending on how busy the machine is.
    assert str(caught.value) in (
        "no complete answer within the 1 s time limit",
        "no answer within 0.3 s; no time left to try again within the 1 s time limit",
    )
    assert 2 <= len(server.targets()) <= 4


def test_a_404_is_not_retried(server):
    client = HttpClient(FAST)
    with pytest.raises(FetchError) as caught:
        client.get(server.url + "/missing")
    assert (str(caught.value), caught.value.status) == ("HTTP 404 Not Found", 404)
    assert server.targets() == ["/missing"]


def test_requests_name_paperdeck_and_are_conditional_when_validators_are_known(server):
    server.route("/feed", Reply(304))
    client = HttpClient(FAST)
    validators = Validators('"v1"', "Thu, 28 Nov 2024 14:47:20 GMT")
    response = client.get(server.url + "/feed", validators=validators)
    assert response.not_modified and response.body == b""
    headers = server.requests[0].headers
    assert headers["User-Agent"] == USER_AGENT
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == "Thu, 28 Nov 2024 14:47:20 GMT"


def test_the_validators_of_an_answer_are_kept(server):
    server.route("/feed", Reply(200, b"x", {"ETag": '"v2"', "Last-Modified": "Fri, 29 Nov"}))
    response = HttpClient(FAST).get(server.url + "/feed")
    assert response.validators == Validators('"v2"', "Fri, 29 Nov")


def test_redirects_are_followed_to_http_only_and_a_few_at_most(server):
    server.route("/a", Reply(301, headers={"Location": "/b"}))
    server.route("/b", Reply(302, headers={"Location": server.url + "/c"}))
    server.route("/c", Reply(200, b"here"))
    server.route("/ftp", Reply(302, headers={"Location": "ftp://example.org/x"}))
    server.route("/loop", Reply(302, headers={"Location": "/loop"}))
    client = HttpClient(FAST)
    response = client.get(server.url + "/a")
    assert (response.body, response.url) == (b"here", server.url + "/c")
    with pytest.raises(FetchError, match="redirected to a non-web address: ftp://example.org/x"):
        client.get(server.url + "/ftp")
    with pytest.raises(FetchError, match="more than 3 redirects"):
        client.get(server.url + "/loop")


def test_a_response_bigger_than_allowed_is_refused(server):
    server.route("/big", Reply(200, b"x" * 2000))
    client = HttpClient(NetworkSettings(max_bytes=1000))
    with pytest.raises(FetchError, match="response of 2000 bytes is larger than 1000 allowed"):
        client.get(server.url + "/big")


def test_requests_to_a_spaced_host_wait_their_turn(server):
    server.route("/q", Reply(200, b"ok"))
    sleeps = Sleeps()
    client = HttpClient(replace(FAST, budget=10.0), clock=sleeps.clock, sleep=sleeps.sleep)
    for _ in range(3):
        client.get(server.url + "/q", spacing=3.0)
    assert sleeps.waits == [3.0, 3.0]
    client.get(server.url + "/q")  # a host asked without spacing does not wait
    assert sleeps.waits == [3.0, 3.0]


def test_a_connection_refused_is_one_line(server):
    url = server.url + "/q"
    server._http.server_close()  # nothing listens there any more
    client = HttpClient(NetworkSettings(retries=1, backoff=0.01))
    with pytest.raises(FetchError) as caught:
        client.get(url)
    assert str(caught.value) == "connection refused (gave up after 2 attempts)"


def test_inside_a_time_limit_the_spacing_waits_count_against_it(server):
    server.route("/q", Reply(200, b"ok"))
    sleeps = Sleeps()
    client = HttpClient(replace(FAST, budget=5.0), clock=sleeps.clock, sleep=sleeps.sleep)
    with client.time_limit(), pytest.raises(FetchError) as caught:
        for _ in range(3):
            client.get(server.url + "/q", spacing=3.0)
    assert str(caught.value) == (
        "no time left within the 5 s time limit to wait 3 s for the next request"
    )
    assert (sleeps.waits, server.targets()) == ([3.0], ["/q", "/q"])


def test_inside_a_time_limit_every_request_shares_one_deadline(server):
    server.route("/a", Reply(200, b"ok"))
    server.route("/b", Reply(503, headers={"Retry-After": "1"}))
    sleeps = Sleeps()
    settings = replace(FAST, budget=2.5, retries=10)
    client = HttpClient(settings, clock=sleeps.clock, sleep=sleeps.sleep)
    with client.time_limit():
        client.get(server.url + "/a")
        sleeps.sleep(1.0)  # the time /a took, as far as the limit is concerned
        with pytest.raises(FetchError) as caught:
            client.get(server.url + "/b")
    # /b alone would have had 2.5 s (three tries); what /a used leaves room for two.
    assert str(caught.value) == (
        "HTTP 503 Service Unavailable; no time left to try again within the 2.5 s time limit"
    )
    assert (sleeps.waits, server.targets()) == ([1.0, 1.0], ["/a", "/b", "/b"])
    assert client.get(server.url + "/a").body == b"ok"  # a new request, a new limit
