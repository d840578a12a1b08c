"""`paperdeck fetch`, in-process and as a real process, against a local feed server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from feed_server import FeedServer, Reply, fixture
from paperdeck.cli import main
from paperdeck.core.store import Library

SRC = Path(__file__).resolve().parents[1] / "src"
PAGE_1 = "/api/query?search_query=testing&start=0&max_results=10"
PAGE_2 = "/api/query?search_query=testing&start=10&max_results=5"
DAY = "/api/daily_papers?date=2026-03-06"
CONFIG = """[fetch]
timeout = 0.3
budget = 1.5
retries = 1
backoff = 0.01
api_interval = 0.01
page_size = 10

[[feeds]]
name = "cs.CL"
new = "cs.CL"

[[feeds]]
name = "testing"
arxiv = "testing"
max = 15
"""


@pytest.fixture
def server():
    with FeedServer.running() as running:
        running.route(PAGE_1, Reply(body=fixture("arxiv-api-query-start0.atom")))
        running.route(PAGE_2, Reply(body=fixture("arxiv-api-query-start10.atom")))
        running.route("/atom/cs.CL", Reply(body=fixture("arxiv-announce-rss.xml")))
        running.route("/atom/astroph", Reply(body=fixture("arxiv-announce-error.xml")))
        running.route(DAY, Reply(body=fixture("hf-daily-papers-2026-03-06.json")))
        yield running


@pytest.fixture
def env(isolated_env: Path, server: FeedServer, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PAPERDECK_ARXIV_API_URL", server.url + "/api/query")
    monkeypatch.setenv("PAPERDECK_ARXIV_FEED_URL", server.url + "/atom/")
    monkeypatch.setenv("PAPERDECK_HF_API_URL", server.url + "/api/daily_papers")
    config = Path(os.environ["PAPERDECK_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(CONFIG, encoding="utf-8")
    return isolated_env


def fetch(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["fetch", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_fetch_refreshes_every_configured_feed(env, server, capsys):
    code, out, err = fetch(capsys)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "cs.CL: 6 new, 0 updated, 0 unchanged (announced: 2 cross, 4 new, 3 replace); "
        "0 revised, 3 replacements not in the library",
        "testing: 15 new, 0 updated, 0 unchanged",
    ]
    code, out, err = fetch(capsys)
    assert out.splitlines()[1] == "testing: 0 new, 0 updated, 15 unchanged"


def test_each_kind_can_be_fetched_by_itself(env, server, capsys):
    assert fetch(capsys, "daily", "--date", "2026-03-06")[1] == (
        "HF daily: 1 new, 0 updated, 0 unchanged\n"
    )
    code, out, _ = fetch(capsys, "arxiv", "testing", "--max", "15")
    assert (code, out) == (0, "testing: 15 new, 0 updated, 0 unchanged\n")  # the configured name
    code, out, _ = fetch(capsys, "new", "cs.CL")
    assert out.startswith("cs.CL: 6 new, 0 updated, 0 unchanged")
    assert main(["search", "--json", "--sort", "upvotes"]) == 0
    papers = json.loads(capsys.readouterr().out)
    assert (papers[0]["arxiv_id"], papers[0]["upvotes"], papers[0]["sources"]) == (
        "2602.23229",
        10,
        ["feed:HF daily"],
    )


def test_ids_in_any_spelling_are_fetched_with_id_list(env, server, capsys):
    target = "/api/query?id_list=0808.05394%2C1707.08567&start=0&max_results=2"
    server.route(target, Reply(body=fixture("arxiv-api-id-list.atom")))
    code, out, err = fetch(capsys, "arxiv", "0808.05394v2", "https://arxiv.org/pdf/1707.08567v1")
    assert (code, err) == (0, "")
    assert out == "arXiv 0808.05394 1707.08567: 1 new, 0 updated, 0 unchanged\n"
    assert server.targets() == [target]


def test_a_failing_feed_is_one_line_and_exit_1_and_the_others_are_fetched(env, server, capsys):
    code, out, err = fetch(capsys, "new", "astroph")
    assert code == 1 and out == ""
    assert err.startswith(
        f"paperdeck: fetch arXiv new astroph: {server.url}/atom/astroph:1: Feed error"
    )
    assert len(err.splitlines()) == 1
    server.route("/atom/cs.CL", Reply(hang=True))
    code, out, err = fetch(capsys)
    assert code == 1
    assert err == "paperdeck: fetch cs.CL: no answer within 0.3 s (gave up after 2 attempts)\n"
    assert out == "testing: 15 new, 0 updated, 0 unchanged\n"


def test_a_feed_past_its_time_limit_is_one_line_and_the_next_feed_is_fetched(env, server, capsys):
    config = Path(os.environ["PAPERDECK_CONFIG"])
    # Waits of 30 s for bytes, but 3 s for a whole feed.
    settings = CONFIG.replace("timeout = 0.3", "timeout = 30").replace("budget = 1.5", "budget = 3")
    config.write_text(settings + '[[feeds]]\nname = "HF"\ndaily = true\n', encoding="utf-8")
    server.route(PAGE_2, Reply(hang=True))  # page 1 answered, then nothing
    today = datetime.now(UTC).date().isoformat()
    server.route(f"/api/daily_papers?date={today}", Reply(body=b"[]"))
    code, out, err = fetch(capsys)
    assert code == 1
    assert err == "paperdeck: fetch testing: no complete answer within the 3 s time limit\n"
    assert out.splitlines() == [
        "cs.CL: 6 new, 0 updated, 0 unchanged (announced: 2 cross, 4 new, 3 replace); "
        "0 revised, 3 replacements not in the library",
        "HF: 0 new, 0 updated, 0 unchanged",
    ]
    assert server.targets()[1:3] == [PAGE_1, PAGE_2]
    with Library(env / "library") as library:  # page 1's papers were not kept
        assert library.facets().values["source"] == {"feed:cs.CL": 6}


def test_quiet_prints_only_errors_and_json_one_object_per_feed(env, server, capsys):
    assert fetch(capsys, "--quiet") == (0, "", "")
    code, out, err = fetch(capsys, "--json")
    reports = json.loads(out)
    assert [(r["feed"], r["ok"], r["added"], r["unchanged"]) for r in reports] == [
        ("cs.CL", True, 0, 6),
        ("testing", True, 0, 15),
    ]
    assert reports[0]["announced"] == {"cross": 2, "new": 4, "replace": 3}
    assert (
        fetch(capsys, "new", "cs.LG", "--quiet")[2]
        == "paperdeck: fetch arXiv new cs.LG: HTTP 404 Not Found\n"
    )


def test_usage_errors(env, server, capsys):
    assert fetch(capsys, "new", "cs.CL/../x")[0] == 2
    assert fetch(capsys, "--quiet", "--json")[0] == 2
    Path(os.environ["PAPERDECK_CONFIG"]).write_text("", encoding="utf-8")
    code, _, err = fetch(capsys)
    assert code == 2 and "no feeds in" in err


def test_fetch_for_cron_runs_as_a_real_process_without_textual(env, server):
    script = (
        "import sys\nfrom paperdeck.cli import main\ncode = main(['fetch', '--quiet'])\n"
        "print('textual' in sys.modules, 'whoosh' in sys.modules)\nsys.exit(code)\n"
    )
    environment = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stderr) == (0, "")
    # Whoosh is loaded to bring the search index up to date; Textual never is.
    assert done.stdout == "False True\n"
