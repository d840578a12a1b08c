"""Opening a connection within a deadline: the name's resolution and every connect attempt.

`socket.create_connection` (what `http.client` uses) cannot do it: `getaddrinfo` has no
timeout at all, and each address of a host with several gets the whole timeout, so a feed's
time limit could be passed many times over before the first byte. Here the name is resolved
in a daemon thread waited on only for the time left, and the attempts share what is left.
TLS and a proxy's CONNECT tunnel are done on the socket opened here, so `http.client` is
handed a connected socket and never connects by itself.
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Callable, Sequence
from typing import Any

Clock = Callable[[], float]
AddrInfo = tuple[socket.AddressFamily, socket.SocketKind, int, str, tuple[Any, ...]]
_HEAD_LIMIT = 64 * 1024  # a proxy's answer to CONNECT longer than this is not one


class NameTimeout(TimeoutError):
    """The name server did not answer before the deadline."""


def resolve(host: str, port: int, seconds: float) -> Sequence[AddrInfo]:
    """``getaddrinfo`` waited on for at most ``seconds``; a lookup still running then is
    left to finish in its daemon thread (it holds nothing but itself)."""
    found: list[Sequence[AddrInfo]] = []
    failed: list[BaseException] = []

    def lookup() -> None:
        try:
            found.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except BaseException as exc:  # handed to the waiting thread
            failed.append(exc)

    thread = threading.Thread(target=lookup, name=f"resolve {host}", daemon=True)
    thread.start()
    thread.join(max(0.0, seconds))
    if failed:
        raise failed[0]
    if not found:
        raise NameTimeout(f"no answer from the name server for {host}")
    return found[0]


def open_socket(host: str, port: int, deadline: float, wait: float, clock: Clock) -> socket.socket:
    """A socket connected to ``host`` before ``deadline``. Each attempt waits at most
    ``wait`` and at most its share of the time left (the addresses not tried yet share it
    equally), so the last address still gets a try when the first ones never answer."""
    addresses = resolve(host, port, deadline - clock())
    error: OSError = TimeoutError(f"no address of {host} answered")
    for index, (family, kind, proto, _name, address) in enumerate(addresses):
        left = deadline - clock()
        if left <= 0:
            raise TimeoutError(f"no address of {host} answered in time")
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(min(wait, left / (len(addresses) - index)))
            sock.connect(address)
        except OSError as exc:
            sock.close()
            error = exc
            continue
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock
    raise error


def tunnel(sock: socket.socket, host: str, port: int, user_agent: str) -> None:
    """Ask an HTTP proxy on ``sock`` for a tunnel to ``host``; OSError when it refuses."""
    request = f"CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n"
    sock.sendall((request + f"User-Agent: {user_agent}\r\n\r\n").encode("ascii", "replace"))
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(4096)
        if not chunk or len(head) > _HEAD_LIMIT:
            raise OSError("the proxy closed the connection before opening a tunnel")
        head += chunk
    status = head.split(b"\r\n", 1)[0].split()
    if len(status) < 2 or status[1] != b"200":
        line = head.split(b"\r\n", 1)[0].decode("latin-1")
        raise OSError(f"the proxy refused a tunnel: {line[:100]}")


def with_tls(sock: socket.socket, host: str) -> ssl.SSLSocket:
    """TLS over ``sock`` for ``host``, checked as `http.client` checks it (the system's
    certificates, the host name); the handshake waits as long as the socket's timeout."""
    context = ssl.create_default_context()
    context.set_alpn_protocols(["http/1.1"])
    return context.wrap_socket(sock, server_hostname=host)
