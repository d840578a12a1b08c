"""A local HTTP server that plays recorded feed responses, for tests (no internet here).

Routes map a request target (path and query, exactly as sent) to the replies to give in
turn; the last reply repeats. A reply can hang (accept the request, never answer) to test
timeouts. Every request is recorded with its headers, so tests check what was asked.
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"
TLS = Path(__file__).parent / "fixtures" / "tls"
TLS_CERTIFICATE = TLS / "localhost.pem"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@dataclass(frozen=True, slots=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    hang: bool = False  # accept the request and never answer


@dataclass(frozen=True, slots=True)
class Request:
    target: str
    headers: dict[str, str]


class FeedServer:
    """``with FeedServer.running() as server``: ``server.url`` is its base URL."""

    def __init__(self, tls: bool = False) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.requests: list[Request] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._http.daemon_threads = True
        port = self._http.server_address[1]
        self.url = f"http://127.0.0.1:{port}"
        if tls:  # HTTPS as localhost, with the test certificate (see fixtures/tls/ORIGIN.md)
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(TLS_CERTIFICATE, TLS / "localhost.key")
            self._http.socket = context.wrap_socket(self._http.socket, server_side=True)
            self.url = f"https://localhost:{port}"

    @classmethod
    @contextmanager
    def running(cls, tls: bool = False) -> Iterator[FeedServer]:
        """``tls``: serve HTTPS with the test certificate (`TLS_CERTIFICATE`)."""
        server = cls(tls)
        thread = threading.Thread(target=server._http.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        try:
            yield server
        finally:
            server._stop.set()
            server._http.shutdown()
            server._http.server_close()
            thread.join(5)

    def route(self, target: str, *replies: Reply) -> None:
        self.routes[target] = list(replies)

    def targets(self) -> list[str]:
        return [request.target for request in self.requests]

    def _next_reply(self, target: str) -> Reply:
        with self._lock:
            self.requests.append(Request(target, {}))
            replies = self.routes.get(target)
            if not replies:
                return Reply(404, b"not found")
            return replies.pop(0) if len(replies) > 1 else replies[0]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                reply = server._next_reply(self.path)
                with server._lock:
                    server.requests[-1] = Request(self.path, dict(self.headers.items()))
                if reply.hang:
                    server._stop.wait(60)
                    return
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler
