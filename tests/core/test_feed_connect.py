"""A feed's time limit covers the name's resolution and every connect attempt.

No network: `socket.getaddrinfo` and `socket.socket.connect` are replaced; the addresses
are documentation ones (192.0.2.0/24) that nothing here answers for.
"""

from __future__ import annotations

import socket
import threading

import pytest

from feed_server import TLS_CERTIFICATE, FeedServer, Reply
from paperdeck.core.feeds.http import FetchError, HttpClient
from paperdeck.core.feeds.settings import NetworkSettings

DEAD = ["192.0.2.1", "192.0.2.2", "192.0.2.3"]


class Clock:
    """A clock that the fake connect attempts move forward by the time they wait."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def addresses(*hosts: str, port: int = 80) -> list[tuple]:
    return [
        (socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (host, port)) for host in hosts
    ]


def test_a_name_server_that_never_answers_ends_at_the_time_limit(monkeypatch):
    released = threading.Event()

    def hanging_lookup(*args, **kwargs):
        released.wait(10)  # far beyond the limit; the test ends it as it leaves
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", hanging_lookup)
    client = HttpClient(NetworkSettings(timeout=0.2, budget=0.3, retries=0))
    try:
        with pytest.raises(FetchError) as caught:
            client.get("http://feeds.example.org/q")
    finally:
        released.set()
    assert (
        str(caught.value) == "cannot find feeds.example.org: no answer within the 0.3 s time limit"
    )


def test_connect_attempts_to_several_addresses_share_the_time_left(monkeypatch):
    clock = Clock()
    waits: list[tuple[str, float]] = []

    def silent_connect(sock, address):
        waits.append((address[0], sock.gettimeout()))
        clock.sleep(sock.gettimeout())
        raise TimeoutError("timed out")

    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: addresses(*DEAD))
    monkeypatch.setattr(socket.socket, "connect", silent_connect)
    settings = NetworkSettings(timeout=20.0, budget=30.0, retries=2, backoff=0.5)
    client = HttpClient(settings, clock=clock, sleep=clock.sleep)
    with pytest.raises(FetchError) as caught:
        client.get("http://feeds.example.org/q")
    # Each address gets a third of the 30 s left, not 20 s each (60 s in all).
    assert waits == [(DEAD[0], 10.0), (DEAD[1], 10.0), (DEAD[2], 10.0)]
    assert str(caught.value) == "no complete answer within the 30 s time limit"
    assert clock.now == 30.0


def test_the_last_address_still_gets_its_turn_and_answers(monkeypatch):
    with FeedServer.running() as server:
        server.route("/q", Reply(200, b"ok"))
        port = int(server.url.rsplit(":", 1)[1])
        real_connect = socket.socket.connect
        tried: list[str] = []

        def connect(sock, address):
            tried.append(address[0])
            if address[0] in DEAD:
                raise TimeoutError("timed out")
            return real_connect(sock, address)

        hosts = (*DEAD[:2], "127.0.0.1")
        monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: addresses(*hosts, port=port))
        monkeypatch.setattr(socket.socket, "connect", connect)
        client = HttpClient(NetworkSettings(timeout=5.0, budget=10.0, retries=0))
        response = client.get(f"http://feeds.example.org:{port}/q")
    assert (response.status, response.body) == (200, b"ok")
    assert tried == [*DEAD[:2], "127.0.0.1"]


def test_a_plain_http_proxy_is_connected_to_and_asked_for_the_whole_url(monkeypatch):
    with FeedServer.running() as proxy:
        proxy.route("http://feeds.example.org/q?a=1", Reply(200, b"via proxy"))
        for name in ("no_proxy", "NO_PROXY", "HTTP_PROXY"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("http_proxy", proxy.url)
        client = HttpClient(NetworkSettings(timeout=5.0, budget=10.0, retries=0))
        response = client.get("http://feeds.example.org/q?a=1")
        assert proxy.targets() == ["http://feeds.example.org/q?a=1"]
    assert response.body == b"via proxy"


def test_https_is_spoken_on_the_socket_opened_and_the_certificate_checked(monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(TLS_CERTIFICATE))  # the test certificate only
    for name in ("https_proxy", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    with FeedServer.running(tls=True) as server:
        server.route("/q", Reply(200, b"over tls"))
        client = HttpClient(NetworkSettings(timeout=5.0, budget=10.0, retries=0))
        assert client.get(server.url + "/q").body == b"over tls"
        no_certificates = TLS_CERTIFICATE.with_name("ORIGIN.md")  # a file without any
        monkeypatch.setenv("SSL_CERT_FILE", str(no_certificates))
        with pytest.raises(FetchError) as caught:  # a certificate not trusted: refused
            client.get(server.url + "/q")
    assert "certificate verify failed" in str(caught.value)
    assert server.targets() == ["/q"]
