"""The feeds listed in config.toml, and the settings that tune fetching."""

from __future__ import annotations

from paperdeck.core.feeds.config import FeedSpec, load_feeds
from paperdeck.core.feeds.settings import ARXIV_API_URL, Endpoints, NetworkSettings
from paperdeck.core.feeds.source_names import source_label


def write(tmp_path, text: str):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_issue_s_feeds_are_read(tmp_path):
    path = write(
        tmp_path,
        """theme = "nord"
[keys]
star = "8"

[[feeds]]
name = "cs.CL"
new = "cs.CL"

[[feeds]]
name = "RL"
arxiv = "ti:reinforcement AND cat:cs.LG"
max = 50

[[feeds]]
name = "HF daily"
daily = true
""",
    )
    config = load_feeds(path)
    assert config.problems == []
    assert config.feeds == [
        FeedSpec("cs.CL", "new", ("cs.CL",)),
        FeedSpec("RL", "arxiv", ("ti:reinforcement", "AND", "cat:cs.LG"), max=50),
        FeedSpec("HF daily", "daily"),
    ]
    assert config.network == NetworkSettings()
    assert [feed.source for feed in config.feeds] == ["feed:cs.CL", "feed:RL", "feed:HF daily"]


def test_a_wrong_feed_is_one_problem_and_the_others_count(tmp_path):
    path = write(
        tmp_path,
        """[[feeds]]
name = "two kinds"
new = "cs.CL"
daily = true

[[feeds]]
new = "cs.CL/../../etc"

[[feeds]]
name = "ok"
new = ["cs.CL", "cs.LG"]

[[feeds]]
name = "ok"
daily = true

[[feeds]]
arxiv = "cat:cs.CL"
max = 0

[[feeds]]
name = "typo"
dialy = true
""",
    )
    config = load_feeds(path)
    assert config.feeds == [FeedSpec("ok", "new", ("cs.CL", "cs.LG"))]
    assert config.problems == [
        f"{path}: feed 1 (two kinds): needs exactly one of arxiv, new or daily",
        f"{path}: feed 2: 'cs.CL/../../etc' is not an arXiv category (like cs.CL)",
        f"{path}: feed 4 (ok): another feed has this name",
        f"{path}: feed 5: max must be a whole number, 1 or more",
        f"{path}: feed 6 (typo): unknown setting 'dialy'",
    ]


def test_a_feed_without_a_name_is_named_by_what_it_asks(tmp_path):
    path = write(tmp_path, '[[feeds]]\nnew = "math.OC"\n[[feeds]]\narxiv = "2401.00001"\n')
    assert [feed.name for feed in load_feeds(path).feeds] == [
        "arXiv new math.OC",
        "arXiv 2401.00001",
    ]


def test_the_fetch_table_tunes_the_network_settings(tmp_path):
    path = write(tmp_path, "[fetch]\ntimeout = 2.5\nretries = 1\npage_size = 10\nspeed = 3\n")
    config = load_feeds(path)
    assert (config.network.timeout, config.network.retries, config.network.page_size) == (
        2.5,
        1,
        10,
    )
    assert config.problems == [f"{path}: fetch.speed is not a setting"]


def test_a_broken_file_gives_no_feeds_and_one_problem(tmp_path):
    path = write(tmp_path, "[[feeds]\nname = \n")
    config = load_feeds(path)
    assert config.feeds == []
    assert len(config.problems) == 1 and config.problems[0].startswith(f"{path}: ")


def test_base_urls_come_from_the_environment_when_set():
    env = {
        "PAPERDECK_ARXIV_API_URL": "http://127.0.0.1:9/api",
        "PAPERDECK_ARXIV_FEED_URL": "http://127.0.0.1:9/atom/",
        "PAPERDECK_HF_API_URL": "http://127.0.0.1:9/hf",
    }
    assert Endpoints.from_env(env) == Endpoints(
        "http://127.0.0.1:9/api", "http://127.0.0.1:9/atom/", "http://127.0.0.1:9/hf"
    )
    assert Endpoints.from_env({}) == Endpoints(
        ARXIV_API_URL, "https://rss.arxiv.org/atom/", "https://huggingface.co/api/daily_papers"
    )


def test_sources_are_labelled_by_feed_name_or_file_name():
    assert source_label("feed:HF daily") == "feed: HF daily"
    assert source_label("/home/me/listings/daily.txt") == "daily.txt"
