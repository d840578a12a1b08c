"""paperdeck's benchmark suite: one command, a table on stdout, the figures as JSON.

    python benchmarks/run.py --papers 10000 --papers 100000 --json figures.json

For each library size: a synthetic library is generated (`generate.py`) and imported through
the real `paperdeck import`; then cold start in a pseudo-terminal, the reader under Pilot,
the library search, the CLI and an export are measured, each next to its floor measured in
the same run (`floors.py`). It asserts nothing: it measures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from disk import DiskWatch  # noqa: E402
from generate import write_library  # noqa: E402
from stats import summary  # noqa: E402
from terminal import first_paint  # noqa: E402

PY = sys.executable
CLI_QUERIES = ["diffusion", '"reinforcement learning"', "reinf*", "author:wang robot"]


def _env(work: Path) -> dict[str, str]:
    env = dict(os.environ, TERM="xterm-256color", COLORTERM="truecolor")
    env.update(XDG_CONFIG_HOME=str(work / "xdg"), XDG_DATA_HOME=str(work / "xdg"))
    env.update(HOME=str(work / "home"), PAPERDECK_CONFIG=str(work / "xdg" / "config.toml"))
    env.pop("PAPERDECK_HOME", None)
    return env


def _timed(argv: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(seconds, peak RSS in MB, stdout) of one whole process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = proc.stdout.read() if proc.stdout else b""
    _pid, _status, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0
    return time.perf_counter() - t0, usage.ru_maxrss / 1024, out.decode("utf-8", "replace")


def _size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def _ratio(value: float | None, floor: float | None) -> float | None:
    return value / floor if value is not None and floor else None


def bench_import(jsonl: Path, library: Path, floor_index: Path, env: dict[str, str]) -> dict:
    shutil.rmtree(floor_index, ignore_errors=True)
    floor = json.loads(
        subprocess.run(
            [PY, str(HERE / "floors.py"), "whoosh-build", str(jsonl), str(floor_index)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    shutil.rmtree(library, ignore_errors=True)
    argv = [PY, "-m", "paperdeck", "--library", str(library), "import", str(jsonl)]
    t0 = time.perf_counter()
    with DiskWatch(library / "index") as disk:  # the build's temporary files
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        added_at = None
        assert proc.stdout is not None
        for line in proc.stdout:  # the summary line is printed once SQLite has the papers
            if b" added," in line and added_at is None:
                added_at = time.perf_counter() - t0
        _pid, _status, usage = os.wait4(proc.pid, 0)
        proc.returncode = 0
        total = time.perf_counter() - t0
    papers = floor["papers"]
    return {
        "papers": papers,
        "seconds": total,
        "papers_per_s": papers / total,
        "parse_and_sqlite_s": added_at,
        "parse_and_sqlite_share": (added_at or 0) / total,
        "index_s": total - (added_at or 0),
        "peak_rss_mb": usage.ru_maxrss / 1024,
        "library_mb": _size_mb(library),
        "sqlite_mb": _size_mb(library) - _size_mb(library / "index"),
        "index_mb": _size_mb(library / "index"),
        "floor_whoosh_build": floor,
        "ratio_to_floor": (papers / total) / floor["papers_per_s"],
        "temporary_disk": disk.figures(),
        "load_average_at_end": os.getloadavg(),
    }


def bench_start(library: Path, env: dict[str, str], repeat: int) -> dict:
    db = sqlite3.connect(library / "library.sqlite3")
    title, count = db.execute(
        "SELECT title, (SELECT count(*) FROM papers) FROM papers"
        " ORDER BY date DESC NULLS LAST, title COLLATE NOCASE LIMIT 1"
    ).fetchone()
    db.close()
    ours_markers = [title[:12].encode(), f"{count} papers".encode()]
    floor_markers = [b"paperdeck-floor-first-paint"]
    ours, floor, rss = [], [], []
    for _ in range(repeat):
        f = first_paint([PY, str(HERE / "floor_app.py")], floor_markers, env)
        o = first_paint([PY, "-m", "paperdeck", "--library", str(library)], ours_markers, env)
        if f.seconds is not None:
            floor.append(f.seconds * 1000)
        if o.seconds is not None:
            ours.append(o.seconds * 1000)
        rss.append(o.peak_rss_mb)
    result = {"reader_ms": summary(ours), "floor_bare_textual_ms": summary(floor)}
    result["ratio_p50"] = _ratio(
        result["reader_ms"].get("p50"), result["floor_bare_textual_ms"].get("p50")
    )
    result["peak_rss_mb_at_first_paint"] = max(rss)
    return result


def bench_cli(library: Path, floor_index: Path, env: dict[str, str], repeat: int) -> dict:
    db = sqlite3.connect(library / "library.sqlite3")
    paper_id = db.execute("SELECT id FROM papers ORDER BY id LIMIT 1 OFFSET 7").fetchone()[0]
    db.close()
    base = [PY, "-m", "paperdeck", "--library", str(library)]
    star, floor_star = [], []
    for n in range(repeat * 2):
        floor_star.append(_timed([PY, "-c", "import sqlite3"], env)[0] * 1000)
        star.append(_timed([*base, "star" if n % 2 == 0 else "unstar", paper_id], env)[0] * 1000)
    check = (
        "import sys, json\nfrom paperdeck.cli import main\n"
        f"try:\n    main(['--library', {str(library)!r}, 'star', {paper_id!r}])\n"
        "except SystemExit:\n    pass\n"
        "print(json.dumps({name: name in sys.modules for name in ('textual', 'whoosh')}))"
    )
    imports = json.loads(_timed([PY, "-c", check], env)[2].strip().splitlines()[-1])
    _timed([*base, "unstar", paper_id], env)
    search, floor_search = {}, {}
    for q in CLI_QUERIES:
        ours, bare = [], []
        for _ in range(repeat):
            bare.append(
                _timed(
                    [PY, str(HERE / "floors.py"), "whoosh-search", str(floor_index), q, "50"], env
                )[0]
                * 1000
            )
            ours.append(_timed([*base, "search", q, "--json", "--limit", "50"], env)[0] * 1000)
        search[q], floor_search[q] = summary(ours), summary(bare)
    all_ours = [v["p50"] for v in search.values()]
    all_floor = [v["p50"] for v in floor_search.values()]
    return {
        "star_ms": summary(star),
        "floor_import_sqlite_ms": summary(floor_star),
        "star_ratio_p50": _ratio(summary(star)["p50"], summary(floor_star)["p50"]),
        "star_imports": imports,
        "search_ms": search,
        "floor_bare_whoosh_script_ms": floor_search,
        "search_ratio_p50_by_query": {
            q: _ratio(search[q]["p50"], floor_search[q]["p50"]) for q in CLI_QUERIES
        },
        "search_ratio_p50_mean": sum(all_ours) / sum(all_floor),
    }


def bench_export(library: Path, work: Path, env: dict[str, str], repeat: int) -> dict:
    db = sqlite3.connect(library / "library.sqlite3")
    starred = db.execute("SELECT count(*) FROM papers WHERE starred_at IS NOT NULL").fetchone()[0]
    if starred < 1000:  # star the newest unstarred papers (changes the log: synced later)
        db.execute(
            "UPDATE papers SET starred_at = '2025-01-01T00:00:00.000+00:00' WHERE id IN"
            " (SELECT id FROM papers WHERE starred_at IS NULL ORDER BY date DESC LIMIT ?)",
            (1000 - starred,),
        )
    elif starred > 1000:
        db.execute(
            "UPDATE papers SET starred_at = NULL WHERE id IN (SELECT id FROM papers"
            " WHERE starred_at IS NOT NULL ORDER BY id LIMIT ?)",
            (starred - 1000,),
        )
    db.commit()
    db.close()
    out = work / "starred.md"
    base = [PY, "-m", "paperdeck", "--library", str(library), "export", "--format", "markdown"]
    times = [_timed([*base, "-o", str(out)], env)[0] * 1000 for _ in range(repeat)]
    return {"papers": 1000, "ms": summary(times), "bytes": out.stat().st_size}


def _sub(script: str, *args: str, env: dict[str, str]) -> dict:
    done = subprocess.run([PY, str(HERE / script), *args], env=env, capture_output=True, text=True)
    if done.returncode:
        return {"error": done.stderr[-2000:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


STEPS = ("import", "cold_start", "reader", "cli", "export", "search", "typed", "cli_floor")


def run_size(
    papers: int, work: Path, repeat: int, rounds: int, only: list[str] | None = None
) -> dict:
    """Every step for one library size, or only the named ones (on the library and floor
    index an earlier run left in ``work``)."""
    env = _env(work)
    for sub in ("xdg", "home"):
        (work / sub).mkdir(parents=True, exist_ok=True)
    jsonl = write_library(work / f"papers-{papers}.jsonl", papers)
    library = work / f"library-{papers}"
    floor_index = work / f"floor-index-{papers}"
    figures: dict = {"papers": papers}
    steps = [
        ("import", lambda: bench_import(jsonl, library, floor_index, env)),
        ("cold_start", lambda: bench_start(library, env, repeat)),
        ("reader", lambda: _sub("reader_bench.py", str(library), str(rounds), env=env)),
        ("cli", lambda: bench_cli(library, floor_index, env, repeat)),
        ("export", lambda: bench_export(library, work, env, repeat)),
        (
            "search",
            lambda: _sub(
                "search_bench.py", str(library), str(floor_index), "1000", str(rounds), env=env
            ),
        ),
        # Issue 17: fresh searches typed in a pseudo-terminal, and the CLI against its floor
        # over the same query set.
        ("typed", lambda: _sub("typed_bench.py", str(library), str(rounds), env=env)),
        (
            "cli_floor",
            lambda: _sub("cli_bench.py", str(library), str(floor_index), str(repeat), env=env),
        ),
    ]
    if only:
        if "import" not in only and not (library.exists() and floor_index.exists()):
            raise SystemExit(f"--only needs the library and floor index of a full run in {work}")
        steps = [(name, step) for name, step in steps if name in only]
    for name, step in steps:
        t0 = time.perf_counter()
        figures[name] = step()
        print(f"  {papers}: {name} done in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return figures


def machine() -> dict:
    import importlib.metadata as md

    cpu = ""
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    versions = {}
    for name in ("paperdeck", "textual", "rich", "whoosh-reloaded"):
        try:
            versions[name] = md.version(name)
        except md.PackageNotFoundError:
            versions[name] = None
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "load_average_at_start": os.getloadavg(),
        "packages": versions,
    }


def _f(value: object, digits: int = 1) -> str:
    return (
        "-" if value is None else f"{value:.{digits}f}" if isinstance(value, float) else str(value)
    )


def _pct(stats: dict, digits: int = 1) -> str:
    """ "p50/p95" of a summary."""
    return f"{_f(stats.get('p50'), digits)}/{_f(stats.get('p95'), digits)}"


def _with_floor(value: object, floor: object, ratio: object, digits: int = 0) -> str:
    return f"{_f(value, digits)} (floor {_f(floor, digits)}, {_f(ratio, 2)}x)"


def table(results: dict) -> str:
    rows = [("figure", *[f"{r['papers']:,} papers" for r in results["sizes"]])]

    def row(name: str, get) -> None:  # type: ignore[no-untyped-def]
        cells = []
        for r in results["sizes"]:
            try:
                cells.append(get(r))
            except (KeyError, TypeError):
                cells.append("-")
        rows.append((name, *cells))

    def imp(r: dict) -> dict:
        return r["import"]

    row(
        "import papers/s (floor: bare Whoosh build)",
        lambda r: _with_floor(
            imp(r)["papers_per_s"],
            imp(r)["floor_whoosh_build"]["papers_per_s"],
            imp(r)["ratio_to_floor"],
        ),
    )
    row("  parse + SQLite share of import", lambda r: f"{imp(r)['parse_and_sqlite_share']:.0%}")
    row(
        "  library size MB (SQLite + index)",
        lambda r: (
            f"{imp(r)['library_mb']:.0f} ({imp(r)['sqlite_mb']:.0f} + {imp(r)['index_mb']:.0f})"
        ),
    )
    row("  import peak RSS MB", lambda r: _f(imp(r)["peak_rss_mb"], 0))
    row(
        "  import temporary disk MB (x the index)",
        lambda r: (
            f"{imp(r)['temporary_disk']['temporary_mb']:.0f}"
            f" ({imp(r)['temporary_disk']['temporary_to_index']:.2f}x)"
        ),
    )
    row(
        "cold start ms p50 (floor: bare Textual p50)",
        lambda r: _with_floor(
            r["cold_start"]["reader_ms"]["p50"],
            r["cold_start"]["floor_bare_textual_ms"]["p50"],
            r["cold_start"]["ratio_p50"],
        ),
    )
    row("  cold start ms p95", lambda r: _f(r["cold_start"]["reader_ms"]["p95"], 0))
    row("keystroke echo ms p50/p95", lambda r: _pct(r["reader"]["keystroke_echo_ms"]))
    row(
        "keystroke to results ms p50/p95", lambda r: _pct(r["reader"]["keystroke_to_results_ms"], 0)
    )
    row("library search ms p50/p95", lambda r: _pct(r["search"]["search_ms"]))
    row("  floor: bare warm Whoosh p50/p95", lambda r: _pct(r["search"]["bare_whoosh_ms"]))
    row("star: SQLite commit ms p50/p95", lambda r: _pct(r["reader"]["star_sqlite_ms"], 2))
    row("star: key to Starred count ms p50/p95", lambda r: _pct(r["reader"]["star_to_count_ms"], 0))
    row("tag searchable after s", lambda r: _f(r["reader"]["tag_searchable_s"], 2))
    row("edits: SQLite write ms p50/p95", lambda r: _pct(r["search"]["edits"]["write_ms"], 2))
    row(
        "edits: index sync ms p50/max",
        lambda r: (
            f"{r['search']['edits']['sync_ms']['p50']:.0f}/{r['search']['edits']['sync_ms']['max']:.0f}"
        ),
    )
    row("segments after 1,000 edits", lambda r: r["search"]["edits"]["segments"])
    row("cursor move ms p50/p95", lambda r: _pct(r["reader"]["cursor_move_ms"]))
    row("list replace ms p50/p95", lambda r: _pct(r["reader"]["list_replace_ms"]))
    row(
        "`star ID` ms p50 (floor: import sqlite3)",
        lambda r: _with_floor(
            r["cli"]["star_ms"]["p50"],
            r["cli"]["floor_import_sqlite_ms"]["p50"],
            r["cli"]["star_ratio_p50"],
        ),
    )
    row(
        "  `star` imports textual/whoosh",
        lambda r: f"{r['cli']['star_imports']['textual']}/{r['cli']['star_imports']['whoosh']}",
    )
    row(
        "`search Q --json --limit 50` / bare script",
        lambda r: f"{r['cli']['search_ratio_p50_mean']:.2f}x",
    )
    row("export 1,000 starred to Markdown ms p50", lambda r: _f(r["export"]["ms"]["p50"], 0))
    row("reader peak RSS MB (Pilot session)", lambda r: _f(r["reader"]["reader_peak_rss_mb"], 0))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, cells in enumerate(rows):
        lines.append(
            "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"
        )
        if n == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, action="append", help="library size (repeatable)")
    parser.add_argument("--repeat", type=int, default=10, help="runs of each whole-process figure")
    parser.add_argument("--rounds", type=int, default=2, help="passes over the query set")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/paperdeck-bench"))
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--table", type=Path, metavar="JSON", help="only print a saved run")
    parser.add_argument(
        "--only",
        action="append",
        choices=STEPS,
        help="run only this step (repeatable), on the libraries of an earlier run; with --json,"
        " its figures replace those of that step in the file, the others are kept",
    )
    args = parser.parse_args()
    if args.table:
        print(table(json.loads(args.table.read_text())))
        return
    results: dict = {"machine": machine(), "sizes": []}
    if args.only and args.json and args.json.exists():
        results = json.loads(args.json.read_text())
    for papers in args.papers or [10_000]:
        figures = run_size(papers, args.workdir, args.repeat, args.rounds, args.only)
        if args.only:
            old = next((r for r in results["sizes"] if r["papers"] == papers), None)
            if old is None:
                old = {"papers": papers}
                results["sizes"].append(old)
            old.update(figures)
            reruns = old.setdefault("reruns", [])
            reruns.append({"steps": args.only, "machine": machine(), "at": time.ctime()})
        else:
            results["sizes"].append(figures)
        if args.json:
            args.json.write_text(json.dumps(results, indent=2))
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
