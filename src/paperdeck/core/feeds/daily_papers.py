"""The Hugging Face daily papers API: one request ``{URL}?date=YYYY-MM-DD`` per day.

The JSON is read by the same parser as an imported ``.json`` file (`JsonSource` knows the
Hugging Face shape): arXiv id, title, authors, summary, publication date, upvotes, and the
GitHub repository and project page when given. The API reports a problem as a JSON object
``{"error": "..."}``; that is one line, not an empty day.
"""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import urlencode

from paperdeck.core.feeds.http import FetchError
from paperdeck.core.models import Paper
from paperdeck.core.sources import parse_text
from paperdeck.core.text import clean_line


def daily_url(base: str, day: date) -> str:
    return f"{base}{'&' if '?' in base else '?'}{urlencode({'date': day.isoformat()})}"


def parse_daily(text: str, url: str) -> tuple[list[Paper], list[str]]:
    """(papers, warnings) of one day's answer; raises ParseError for text that is not JSON
    and FetchError for an answer that reports an error."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        data = None  # parse_text says where it breaks
    if isinstance(data, dict) and "error" in data:
        raise FetchError(f"Hugging Face: {clean_line(str(data['error']))[:300]}")
    result = parse_text(text, url, format="json")
    return result.papers, [str(warning) for warning in result.warnings]
