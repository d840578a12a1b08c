"""The links of a paper as the reader numbers them, and which of them may be opened."""

from __future__ import annotations

from urllib.parse import urlsplit

from paperdeck.core.links import is_repository, is_web_link
from paperdeck.core.models import Paper
from paperdeck.core.text import clean_line


def paper_links(paper: Paper) -> list[str]:
    """Every link, numbered [1], [2], ... in the abstract pane: the paper's page first."""
    links = [paper.arxiv_url, *paper.links, paper.doi_url]
    return list(dict.fromkeys(clean_line(url) for url in links if url))


def code_links(paper: Paper) -> list[str]:
    return [url for url in paper_links(paper) if is_web_link(url) and is_repository(url)]


def scheme_of(url: str) -> str:
    try:
        return urlsplit(url).scheme.lower()
    except ValueError:
        return ""


def short_url(url: str) -> str:
    """``https://github.com/a/b`` → ``github.com/a/b``; other schemes stay visible."""
    if is_web_link(url):
        return url.split("://", 1)[1].removeprefix("www.")
    return url


def page_link(paper: Paper) -> tuple[str, str] | None:
    """(what it is, url) of the paper's own page (`Paper.page_link`), for `y`: never a code
    repository (that is `c`'s); None when there is none. A link not to be copied
    (javascript:) is returned too, to be refused by name."""
    url = paper.page_link
    if url is None:
        return None
    if url == paper.arxiv_url:
        return "arXiv link", url
    return ("DOI link" if url == paper.doi_url else "page link"), clean_line(url)
