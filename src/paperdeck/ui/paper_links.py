"""The links of a paper as the reader numbers them, and which of them may be opened."""

from __future__ import annotations

from urllib.parse import urlsplit

from paperdeck.core.links import is_repository
from paperdeck.core.models import Paper
from paperdeck.core.text import clean_line

WEB_SCHEMES = ("http", "https")


def paper_links(paper: Paper) -> list[str]:
    """Every link, numbered [1], [2], ... in the abstract pane: the paper's page first."""
    links = [paper.arxiv_url, *paper.links, f"https://doi.org/{paper.doi}" if paper.doi else None]
    return list(dict.fromkeys(clean_line(url) for url in links if url))


def code_links(paper: Paper) -> list[str]:
    return [url for url in paper_links(paper) if is_web_link(url) and is_repository(url)]


def scheme_of(url: str) -> str:
    try:
        return urlsplit(url).scheme.lower()
    except ValueError:
        return ""


def is_web_link(url: str) -> bool:
    """Only http(s) links are opened or copied as links; javascript:, file: ... are refused."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)


def short_url(url: str) -> str:
    """``https://github.com/a/b`` → ``github.com/a/b``; other schemes stay visible."""
    if is_web_link(url):
        return url.split("://", 1)[1].removeprefix("www.")
    return url
