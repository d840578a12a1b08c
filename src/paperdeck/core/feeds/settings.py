"""Where the feeds live and how politely they are asked: settings that tests shorten.

The base URLs come from the environment when set, so tests (and mirrors) point paperdeck
elsewhere: PAPERDECK_ARXIV_API_URL, PAPERDECK_ARXIV_FEED_URL, PAPERDECK_HF_API_URL.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from paperdeck import __version__

ARXIV_API_URL = "https://export.arxiv.org/api/query"
ARXIV_FEED_URL = "https://rss.arxiv.org/atom/"
HF_API_URL = "https://huggingface.co/api/daily_papers"

USER_AGENT = (
    f"paperdeck/{__version__} (terminal reader for research papers; "
    "fetches arXiv and Hugging Face feeds a person follows)"
)


@dataclass(frozen=True, slots=True)
class Endpoints:
    """The three services' base URLs."""

    arxiv_api: str = ARXIV_API_URL
    arxiv_feed: str = ARXIV_FEED_URL
    hf_api: str = HF_API_URL

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Endpoints:
        env = os.environ if environ is None else environ
        return cls(
            arxiv_api=env.get("PAPERDECK_ARXIV_API_URL") or ARXIV_API_URL,
            arxiv_feed=env.get("PAPERDECK_ARXIV_FEED_URL") or ARXIV_FEED_URL,
            hf_api=env.get("PAPERDECK_HF_API_URL") or HF_API_URL,
        )


@dataclass(frozen=True, slots=True)
class NetworkSettings:
    """Timeouts, retries and spacing of requests.

    ``budget`` bounds one feed: all its requests (every page of a query, every category),
    retries, backoff sleeps and spacing waits. A server that accepts the connection and
    never answers, or answers page 1 and then hangs, or says 503 for ever, fails its feed
    within it; 50 s leaves room under a minute for parsing what came before.
    """

    timeout: float = 20.0  # one connect, or one wait for bytes
    budget: float = 50.0  # one feed: its requests, retries and waits included
    retries: int = 3  # after the first attempt, on 429, 5xx and network errors
    backoff: float = 2.0  # the first wait between attempts; it doubles each time
    api_interval: float = 3.0  # the arXiv API asks for one request every 3 seconds
    max_redirects: int = 3
    max_bytes: int = 32 * 1024 * 1024  # a response is held whole: refuse anything bigger
    page_size: int = 100  # arXiv API results asked for per request
    user_agent: str = USER_AGENT
