"""Searches typed into the reader in a real pseudo-terminal, each one fresh.

    python benchmarks/typed_bench.py LIBRARY [ROUNDS [KIND ...]]

(KIND: only the queries of these kinds, e.g. "3-word phrase", each searched ROUNDS times.)

Every file of the library is read once first, so the OS file cache is warm. For each query
of `TYPED` a new reader process is started in a 120x40 pseudo-terminal, shown a search
that finds nothing (so Whoosh is loaded and the index open, but none of the measured words'
postings are kept), then the query is typed at ~12 keys a second, as a person types.

Everything the reader writes is kept with the time it arrived. Once the exact count is
shown and the screen has been still for a moment, the stream is replayed through a terminal
emulator (pyte: `pip install '.[bench]'`), after the timing, so it takes no CPU from the
reader. From the last key it times when the screen first showed (a) a count for the query
in the status line ("about N results", "N+ results" or "N results") over the list's first
row as it ends, and (b) the exact count ("N results") over that row. A count over a list
still showing the last query's rows, or none, is not a result. `status_ms` is (a) by the
status line alone, as this harness timed it before. Prints one JSON object.

What it does not measure: echo and cursor moves (`reader_bench.py` does, under Pilot), a
search repeated with its postings kept, or anything after the count (the sidebar's counts).
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).parent))

from generate import SEED, Generator  # noqa: E402
from stats import summary  # noqa: E402

_ANSI = re.compile(  # CSI sequences, OSC strings, charset selections, two-byte escapes
    rb"\x1b(?:\[[0-9;?<=>]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-B]|.)"
)


SIZE = (120, 40)  # columns, lines


def rare_words(count: int = 2) -> list[str]:
    """Words of the generator's long tail: in a few dozen papers of 100,000."""
    words = Generator(SEED, vocabulary=40_000).words
    return [words[20_000 + 997 * n] for n in range(count)]


def typed_queries() -> list[tuple[str, str]]:
    """(kind, query): the query set of issue 17."""
    rare = rare_words()
    return [
        ("rare word", rare[0]),
        ("rare word", rare[1]),
        ("common word", "learning"),
        ("common word", "model"),
        ("2-word AND", "neural network"),
        ("3-word AND", "large language model"),
        ("2-word phrase", '"reinforcement learning"'),
        ("3-word phrase", '"large language model"'),
        # Not common words, but a collocation (`pairs.study`): read from its pairs. Before
        # collocations were paired, from positions (3.3 s in process at 1M, fresh).
        ("3-word phrase", '"neural radiance fields"'),
        # Common words, rarely side by side (25 papers of 100,000 hold the phrase, 44,779
        # its words): no pair is kept for it, every paper holding its words is checked.
        ("rare 3-word phrase", '"graph attention network"'),
        ("half-typed prefix", "transf"),
        ("half-typed prefix", "diffus"),
        ("author:", "author:wang"),
        ("tag:", "tag:llm"),
        ("cat:", "cat:cs.RO"),
        ("year:", "year:2023 transformer"),
    ]


class Terminal:
    """A program in a pseudo-terminal: keys in, everything it writes kept (escapes removed)."""

    def __init__(self, argv: list[str], env: dict[str, str], size: tuple[int, int]) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execvpe(argv[0], argv, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        self.raw = bytearray()  # everything written (appended to in place: it grows to MBs)
        self.arrivals: list[tuple[float, int]] = []  # (perf_counter, len(raw) after a read)
        self.text = bytearray()  # the same without escape sequences, kept as it comes
        self._pending = b""  # the end of what came: maybe an escape sequence cut in two

    def read(self, timeout: float) -> None:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if ready:
            try:
                chunk = os.read(self.fd, 1 << 16)
            except OSError:  # the program has exited: wait, do not spin
                time.sleep(timeout)
                return
            self.raw += chunk
            self.arrivals.append((time.perf_counter(), len(self.raw)))
            data = self._pending + chunk
            cut = data.rfind(b"\x1b")
            if cut >= 0 and len(data) - cut < 64:
                data, self._pending = data[:cut], data[cut:]
            else:
                self._pending = b""
            self.text += _ANSI.sub(b"", data)

    def wait_for(self, pattern: re.Pattern[bytes], start: int, timeout: float) -> float | None:
        """perf_counter time when ``pattern`` first appears in the text written after its
        first ``start`` bytes (escapes removed: `text`); None if not within ``timeout``
        seconds. Only the new text (and a little before it) is searched each time: the
        harness must not take the CPU the reader is being timed on."""
        deadline = time.perf_counter() + timeout
        seen = start
        while time.perf_counter() < deadline:
            if len(self.text) != seen:
                if pattern.search(self.text, max(start, seen - 1024)):
                    return time.perf_counter()
                seen = len(self.text)
            self.read(0.002)
        return None

    def type(self, keys: str, pause: float) -> list[float]:
        """Each key written, then ``pause`` seconds of reading; returns when each was sent."""
        sent = []
        for key in keys:
            sent.append(time.perf_counter())
            os.write(self.fd, key.encode())
            end = time.perf_counter() + pause
            while time.perf_counter() < end:
                self.read(0.002)
        return sent

    def settle(self, quiet: float, timeout: float) -> None:
        """Read until nothing has come for ``quiet`` seconds (or ``timeout`` passed)."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            last = self.arrivals[-1][0] if self.arrivals else 0.0
            if time.perf_counter() - last >= quiet:
                return
            self.read(0.01)

    def close(self) -> None:
        os.kill(self.pid, signal.SIGTERM)
        deadline = time.perf_counter() + 3
        while time.perf_counter() < deadline:
            self.read(0.01)
            done, _status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                break
        else:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


def _status(query: str, exact: bool, widened: str = "") -> re.Pattern[bytes]:
    """The status line naming a count for ``query``; ``widened``: the query the reader
    searched instead, which the line names between the count and the query."""
    shown = re.escape(f"matching “{query}”".encode())
    if widened:
        shown = re.escape(f"searched “{widened}” · ".encode()) + shown
    count = rb"(?<!about )\b\d+ results? \xc2\xb7 " if exact else rb"\d+\+? results? \xc2\xb7 "
    return re.compile(count + shown)


SEARCH_ROW = 1  # the screen line of the search field (right of the sidebar's edge)
FIRST_ROW = 2  # the screen line of the list's first row (the header, the search field above)


def _first_row(line: str) -> str:
    """The list's part of a screen line: right of the sidebar's edge, if it is shown."""
    return line.split("\u2595", 1)[-1].rstrip()


class Frame(NamedTuple):
    """The screen as it stood after one read from the terminal."""

    at: float  # perf_counter time of the read
    status: str  # the last three lines
    first_row: str  # the list's first row
    search: str  # what the search field shows


def replay(term: Terminal, since: int) -> tuple[list[Frame], str]:
    """What ``term`` received, through a terminal emulator: the screen after each read that
    arrived after its first ``since`` bytes, and the list's first row at the end."""
    import pyte  # the bench extra; imported late so the harness itself needs nothing

    screen = pyte.Screen(*SIZE)
    stream = pyte.ByteStream(screen)
    frames: list[Frame] = []
    fed = 0
    for at, end in term.arrivals:
        stream.feed(bytes(term.raw[fed:end]))
        fed = end
        if end > since:
            lines = screen.display
            frames.append(
                Frame(
                    at,
                    "\n".join(lines[-3:]),
                    _first_row(lines[FIRST_ROW]),
                    _first_row(lines[SEARCH_ROW]).strip(),
                )
            )
    return frames, _first_row(screen.display[FIRST_ROW])


def painted(
    frames: list[Frame], final_row: str, patterns: dict[str, re.Pattern[bytes]]
) -> dict[str, float | None]:
    """For each pattern, when the screen first showed a status line matching it together
    with the list's first row as it is at the end."""
    found: dict[str, float | None] = dict.fromkeys(patterns)
    for name, pattern in patterns.items():
        for frame in frames:
            if frame.first_row == final_row and pattern.search(frame.status.encode()):
                found[name] = frame.at
                break
    return found


def echoes(frames: list[Frame], query: str, sent: list[float]) -> list[float | None]:
    """For each key of ``query`` but spaces (sent at ``sent``), ms until a frame's search
    field first showed the query up to that key (a later key's frame shows it too: keys
    that came together are echoed together). A space at the end of the field looks like
    the blanks after it on the screen, so it is not timed."""
    out: list[float | None] = []
    for n, at in enumerate(sent, 1):
        typed = query[:n]
        if typed[-1].isspace():
            continue
        shown = next((f.at for f in frames if f.at >= at and f.search.startswith(typed)), None)
        out.append(_ms(shown, at))
    return out


def one_search(library: Path, query: str, kind: str, env: dict[str, str]) -> dict[str, object]:
    """A fresh reader, a search that finds nothing, then ``query`` typed: its timings."""
    argv = [sys.executable, "-m", "paperdeck", "--library", str(library)]
    term = Terminal(argv, env, SIZE)
    try:
        if term.wait_for(re.compile(rb"\d+ papers"), 0, 120) is None:
            return {"error": "no first paint"}
        term.type("/", 0.5)  # the search field opens before the first letter
        warm = "zzxxyy"
        term.type(warm, 0.08)
        if term.wait_for(_status(warm, exact=True), 0, 600) is None:
            return {"error": "index never opened"}
        term.type("\x7f" * len(warm), 0.05)  # backspace: an empty query again
        time.sleep(0.5)
        typing_from = len(term.raw)
        sent = term.type(query[:-1], 0.08)
        mark = len(term.text)
        t0 = time.perf_counter()
        sent += term.type(query[-1], 0.0)
        widened = f"{query}*" if kind == "half-typed prefix" else ""  # once typing rests
        first_pattern = _status(query, exact=False, widened=widened)
        exact_pattern = _status(query, exact=True, widened=widened)
        status = term.wait_for(first_pattern, mark, 120)
        if term.wait_for(exact_pattern, mark, 120) is None:
            return {"error": "no exact count", "status_ms": _ms(status, t0)}
        term.settle(quiet=0.3, timeout=5)  # rows may follow the count, and the sidebar
        frames, final_row = replay(term, typing_from)
        last_key = [f for f in frames if f.at >= t0]
        found = painted(last_key, final_row, {"first": first_pattern, "exact": exact_pattern})
        timed: dict[str, object] = {
            "first_ms": _ms(found["first"], t0),
            "exact_ms": _ms(found["exact"], t0),
            "status_ms": _ms(status, t0),
            "echo_ms": echoes(frames, query, sent),
        }
        if found["first"] is None or found["exact"] is None:  # the screen is not as assumed
            timed["error"] = "count seen, never over the final first row"
        return timed
    finally:
        term.close()


def _ms(at: float | None, t0: float) -> float | None:
    return None if at is None else (at - t0) * 1000


def warm_file_cache(library: Path) -> int:
    """Reads every file of the library once, so the OS file cache holds them as the
    docstring says (the first searches of a run otherwise read a cold index: at 300k a rare
    word took 803 ms once, 39 ms after). Returns the bytes read."""
    read = 0
    for path in sorted(library.rglob("*")):
        if path.is_file():
            with path.open("rb") as file:
                while chunk := file.read(1 << 20):
                    read += len(chunk)
    return read


def reader_env(prefix: str) -> dict[str, str]:
    """The environment of a reader under test: a colour terminal, and a home, config and
    data folder of its own (a new temporary folder named ``prefix``...), so that nothing
    of the user's is read or written."""
    home = Path(tempfile.mkdtemp(prefix=prefix))
    env = dict(os.environ, TERM="xterm-256color", COLORTERM="truecolor", HOME=str(home))
    env.update(XDG_CONFIG_HOME=str(home), XDG_DATA_HOME=str(home))
    env.update(PAPERDECK_CONFIG=str(home / "config.toml"))
    env.pop("PAPERDECK_HOME", None)
    return env


def bench(library: Path, rounds: int, kinds: list[str] | None = None) -> dict[str, object]:
    import pyte  # noqa: F401  (the bench extra: missing, say so before the first search)

    warm_file_cache(library)
    env = reader_env("paperdeck-typed-")
    samples: list[dict[str, object]] = []
    for _ in range(rounds):
        for kind, query in typed_queries():
            if kinds and kind not in kinds:
                continue
            found = one_search(library, query, kind, env)
            samples.append({"kind": kind, "query": query, **found})
    by_kind: dict[str, dict[str, object]] = {}
    for kind in dict.fromkeys(str(s["kind"]) for s in samples):
        mine = [s for s in samples if s["kind"] == kind]
        by_kind[kind] = {
            "first_ms": summary(_timings(mine, "first_ms")),
            "exact_ms": summary(_timings(mine, "exact_ms")),
            "status_ms": summary(_timings(mine, "status_ms")),
            "echo_ms": summary(_timings(mine, "echo_ms")),
        }
    keys_typed = sum(len("".join(str(s["query"]).split())) for s in samples if "echo_ms" in s)
    return {
        "first_results_ms": summary(_timings(samples, "first_ms")),
        "exact_count_ms": summary(_timings(samples, "exact_ms")),
        "status_line_only_ms": summary(_timings(samples, "status_ms")),
        "echo_ms": summary(_timings(samples, "echo_ms")),  # every key of every query
        "echoes_missing": keys_typed - len(_timings(samples, "echo_ms")),
        "errors": sum(1 for s in samples if "error" in s),
        "by_kind": by_kind,
        "samples": samples,
        "load_average": os.getloadavg(),
    }


def _timings(samples: list[dict[str, object]], key: str) -> list[float]:
    """Every figure the samples hold under ``key`` (one, or one per key typed)."""
    out: list[float] = []
    for sample in samples:
        value = sample.get(key)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, float):
                out.append(item)
    return out


def main() -> None:
    library = Path(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    print(json.dumps(bench(library, rounds, sys.argv[3:] or None)))


if __name__ == "__main__":
    main()
