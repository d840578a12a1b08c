"""GET requests with the manners feeds ask for, on the standard library's `http.client`.

Why not `urllib.request`: its timeout bounds each socket operation, not a request, so a
server that trickles a byte now and then holds it forever; here every read is given only
what is left of a time limit, `NetworkSettings.budget`, that covers a whole feed (inside
`HttpClient.time_limit`: all its pages, retries, backoff and spacing waits) or else one
request. Redirects are followed by hand, only to http(s) and only a few.
Proxies named by the usual environment variables (``https_proxy``, ``no_proxy``) are used.

Every failure is a `FetchError` whose message is one line, safe for a terminal.
"""

from __future__ import annotations

import http.client
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import SplitResult, urljoin, urlsplit
from urllib.request import getproxies, proxy_bypass

from paperdeck.core.feeds.connect import NameTimeout, open_socket, tunnel, with_tls
from paperdeck.core.feeds.settings import NetworkSettings
from paperdeck.core.text import clean_line

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
_EARLY = 0.01  # a socket timeout this close to the deadline is the deadline's


class FetchError(Exception):
    """A request that failed; str() is one line naming what went wrong."""

    def __init__(self, message: str, status: int | None = None, body: bytes = b"") -> None:
        super().__init__(clean_line(message))
        self.status = status
        self.body = body


@dataclass(frozen=True, slots=True)
class Validators:
    """What makes a request conditional: the ETag and Last-Modified of the last answer."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class Response:
    """A 200 (``body``) or, for a conditional request, a 304 (``not_modified``)."""

    url: str
    status: int
    body: bytes
    validators: Validators

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _Retry(Exception):
    """An attempt that may succeed if made again (429, 5xx, a network error)."""

    def __init__(self, message: str, wait: float | None = None) -> None:
        super().__init__(message)
        self.wait = wait  # what the server asked for (Retry-After), else None


class HttpClient:
    """One client per fetch run: it remembers when each spaced host was last asked."""

    def __init__(
        self,
        settings: NetworkSettings | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings or NetworkSettings()
        self._clock = clock
        self._sleep = sleep
        self._last_request: dict[str, float] = {}
        self._deadline: float | None = None

    @contextmanager
    def time_limit(self) -> Iterator[None]:
        """Everything asked inside ends within ``settings.budget`` seconds from now: every
        request, retry, backoff sleep and spacing wait. A feed runs inside one, so a feed of
        many pages cannot take a budget per page. Nested limits keep the outer one."""
        if self._deadline is not None:
            yield
            return
        self._deadline = self._clock() + self.settings.budget
        try:
            yield
        finally:
            self._deadline = None

    def get(
        self,
        url: str,
        *,
        validators: Validators | None = None,
        spacing: float = 0.0,
        accept: str = "*/*",
    ) -> Response:
        """GET ``url``; ``spacing``: the least time between two requests to its host.

        Raises FetchError once the retries are spent, the time limit is reached (see
        `time_limit`; outside one, the request has a limit of its own), or the answer is one
        that asking again cannot change (404, a redirect to ftp:, a huge body).
        """
        with self.time_limit():
            return self._get(url, validators, spacing, accept)

    def _get(
        self, url: str, validators: Validators | None, spacing: float, accept: str
    ) -> Response:
        settings = self.settings
        headers = {"User-Agent": settings.user_agent, "Accept": accept}
        if validators and validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators and validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        host = urlsplit(url).netloc
        deadline = self._deadline
        assert deadline is not None  # get() set it
        for attempt in range(settings.retries + 1):
            self._wait_for_turn(host, spacing, deadline)
            try:
                return self._attempt(url, headers, deadline)
            except _Retry as retry:
                if attempt == settings.retries:
                    raise FetchError(f"{retry} (gave up after {attempt + 1} attempts)") from None
                wait = retry.wait if retry.wait is not None else settings.backoff * 2**attempt
                if self._clock() + wait >= deadline:
                    raise FetchError(f"{retry}; no time left to try again {self._within}") from None
                self._sleep(wait)
        raise AssertionError("unreachable")

    @property
    def _within(self) -> str:
        return f"within the {self.settings.budget:g} s time limit"

    def _wait_for_turn(self, host: str, spacing: float, deadline: float) -> None:
        if spacing > 0 and host in self._last_request:
            wait = self._last_request[host] + spacing - self._clock()
            if wait > 0:
                if self._clock() + wait >= deadline:
                    raise FetchError(
                        f"no time left {self._within} to wait {spacing:g} s for the next request"
                    )
                self._sleep(wait)
        self._last_request[host] = self._clock()

    def _attempt(self, url: str, headers: dict[str, str], deadline: float) -> Response:
        for _hop in range(self.settings.max_redirects + 1):
            status, reason, answer_headers, body = self._exchange(url, headers, deadline)
            if status in _REDIRECTS:
                location = answer_headers.get("location", "")
                target = urljoin(url, location)
                if urlsplit(target).scheme not in ("http", "https"):
                    raise FetchError(f"redirected to a non-web address: {target[:200]}")
                url = target
                continue
            if status in (200, 304):
                found = Validators(answer_headers.get("etag"), answer_headers.get("last-modified"))
                return Response(url, status, body if status == 200 else b"", found)
            message = f"HTTP {status} {reason}".strip()
            if status == 429 or status >= 500:
                raise _Retry(message, _retry_after(answer_headers.get("retry-after")))
            raise FetchError(message, status, body)
        raise FetchError(f"more than {self.settings.max_redirects} redirects")

    def _exchange(
        self, url: str, headers: dict[str, str], deadline: float
    ) -> tuple[int, str, dict[str, str], bytes]:
        """One request and its whole answer, within what is left of the budget."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"not a web address: {url[:200]}")
        connection: http.client.HTTPConnection | None = None
        try:
            connection, target = self._connection(parts, deadline)
            connection.request("GET", target, headers=headers)
            answer = connection.getresponse()
            answer_headers = {name.lower(): value for name, value in answer.getheaders()}
            body = self._read(connection, answer, deadline)
            return answer.status, answer.reason, answer_headers, body
        except NameTimeout:  # the lookup was given all the time left
            raise FetchError(f"cannot find {parts.hostname}: no answer {self._within}") from None
        except TimeoutError:
            if self._clock() >= deadline - _EARLY:  # the time limit, not one wait, ran out
                raise FetchError(f"no complete answer {self._within}") from None
            raise _Retry(f"no answer within {self.settings.timeout:g} s") from None
        except socket.gaierror as exc:  # asking again will not find the name: offline?
            raise FetchError(f"cannot find {parts.hostname}: {exc.strerror or exc}") from None
        except (OSError, http.client.HTTPException) as exc:
            raise _Retry(_network_message(exc)) from None
        finally:
            if connection is not None:
                connection.close()

    def _connection(
        self, parts: SplitResult, deadline: float
    ) -> tuple[http.client.HTTPConnection, str]:
        """A connection already open (see `connect.open_socket`: the name's resolution and
        every connect attempt within the deadline), and the target to ask it for."""
        host, https = parts.hostname or "", parts.scheme == "https"
        port = parts.port or (443 if https else 80)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        wait = self._left(deadline)
        kind = http.client.HTTPSConnection if https else http.client.HTTPConnection
        connection = kind(host, parts.port, timeout=wait)
        proxy = _proxy_for(parts.scheme, host)
        if proxy is None:
            sock = open_socket(host, port, deadline, wait, self._clock)
        else:
            proxy_parts = urlsplit(proxy)
            proxy_host = proxy_parts.hostname or ""
            sock = open_socket(proxy_host, proxy_parts.port or 80, deadline, wait, self._clock)
            if not https:  # a plain-http proxy is asked for the whole URL
                target = parts.geturl()
        try:
            if proxy is not None and https:
                sock.settimeout(self._left(deadline))
                tunnel(sock, host, port, self.settings.user_agent)
            if https:
                sock.settimeout(self._left(deadline))
                sock = with_tls(sock, host)
            sock.settimeout(self._left(deadline))
        except BaseException:
            sock.close()
            raise
        connection.sock = sock
        return connection, target

    def _read(
        self,
        connection: http.client.HTTPConnection,
        answer: http.client.HTTPResponse,
        deadline: float,
    ) -> bytes:
        limit = self.settings.max_bytes
        declared = answer.getheader("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise FetchError(f"response of {int(declared)} bytes is larger than {limit} allowed")
        chunks: list[bytes] = []
        size = 0
        while True:
            if connection.sock is not None:
                connection.sock.settimeout(self._left(deadline))
            chunk = answer.read1(_CHUNK)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > limit:
                raise FetchError(f"response larger than the {limit} bytes allowed")
            chunks.append(chunk)

    def _left(self, deadline: float) -> float:
        """The timeout for the next wait on the network: never past the deadline."""
        left = deadline - self._clock()
        if left <= 0:
            raise FetchError(f"no complete answer {self._within}")
        return min(self.settings.timeout, left)


def _proxy_for(scheme: str, host: str) -> str | None:
    proxies = getproxies()
    if scheme not in proxies or proxy_bypass(host):
        return None
    return proxies[scheme]


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds, given as seconds or as an HTTP date; None when absent."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _network_message(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ConnectionResetError):
        return "connection reset by the server"
    if isinstance(exc, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return f"network error: {reason}"
