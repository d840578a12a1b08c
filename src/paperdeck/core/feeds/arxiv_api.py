"""The arXiv API (export.arxiv.org/api/query): a search query, paged, or a list of ids.

Requests are ``{URL}?search_query=…&start=…&max_results=…`` or ``{URL}?id_list=…&start=…
&max_results=…``, one every `NetworkSettings.api_interval` seconds as arXiv asks. The Atom
answer is read by the same parser as an imported ``.atom`` file. A query arXiv rejects comes
back as an entry whose id names an error (and often with HTTP 400); that is one line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from urllib.parse import urlencode

from paperdeck.core.feeds.http import FetchError, HttpClient
from paperdeck.core.links import parse_arxiv_id
from paperdeck.core.models import Paper
from paperdeck.core.sources import ParseError, decode, parse_text

_TOTAL = re.compile(r"<(?:[\w.-]+:)?totalResults[^>]*>\s*([0-9]+)\s*<")
_ATOM = "application/atom+xml"


def arxiv_ids(terms: Sequence[str]) -> list[str] | None:
    """The ids when every term is an arXiv id in a spelling the library accepts (with a
    version, as an abs/pdf URL, old style); None when any is not: the terms are a query."""
    ids = [parse_arxiv_id(term) for term in terms]
    if not ids or any(i is None for i in ids):
        return None
    return list(dict.fromkeys(i for i in ids if i))


def _url(base: str, params: dict[str, str | int]) -> str:
    return f"{base}{'&' if '?' in base else '?'}{urlencode(params)}"


def query_url(base: str, query: str, start: int, count: int) -> str:
    return _url(base, {"search_query": query, "start": start, "max_results": count})


def id_list_url(base: str, ids: Sequence[str], start: int, count: int) -> str:
    return _url(base, {"id_list": ",".join(ids), "start": start, "max_results": count})


def total_results(text: str) -> int | None:
    """The number of results the whole query has (opensearch:totalResults)."""
    found = _TOTAL.search(text)
    return int(found.group(1)) if found else None


def fetch_query(
    client: HttpClient,
    base: str,
    query: str,
    *,
    limit: int,
    page_size: int,
    on_page: Callable[[int, int | None], None] | None = None,
) -> list[Paper]:
    """Up to ``limit`` papers for ``query``, a page of ``page_size`` per request.

    ``on_page(papers so far, total)`` after each page. Raises FetchError (network, or a
    query arXiv rejects) or ParseError (an answer that is not Atom).
    """
    papers: list[Paper] = []
    start = 0
    while len(papers) < limit:
        count = min(page_size, limit - len(papers))
        url = query_url(base, query, start, count)
        text = _get(client, url)
        page = _papers(text, url)
        papers += page[: limit - len(papers)]
        total = total_results(text)
        if on_page is not None:
            on_page(len(papers), total)
        start += len(page)
        if not page or (total is not None and start >= total):
            break
    return papers


def fetch_ids(client: HttpClient, base: str, ids: Sequence[str], *, page_size: int) -> list[Paper]:
    """The papers of ``ids`` (their latest versions), ``page_size`` ids per request."""
    papers: list[Paper] = []
    for start in range(0, len(ids), page_size):
        chunk = ids[start : start + page_size]
        url = id_list_url(base, chunk, 0, len(chunk))
        papers += _papers(_get(client, url), url)
    return papers


def _get(client: HttpClient, url: str) -> str:
    interval = client.settings.api_interval
    try:
        response = client.get(url, spacing=interval, accept=_ATOM)
    except FetchError as exc:
        if exc.status == 400 and exc.body:  # arXiv explains a rejected query in Atom
            reason = _api_error(decode(exc.body, url))
            if reason:
                raise FetchError(f"arXiv API error: {reason}") from None
        raise
    return decode(response.body, url)


def _api_error(text: str) -> str | None:
    try:
        result = parse_text(text, "<arXiv API>", format="atom")
    except ParseError:
        return None
    errors = [w.message for w in result.warnings if w.message.startswith("arXiv API error")]
    return errors[0].removeprefix("arXiv API error: ") if errors else None


def _papers(text: str, url: str) -> list[Paper]:
    """The page's papers; messages about the page name its URL, as an import names its file."""
    result = parse_text(text, url, format="atom")
    errors = [w.message for w in result.warnings if w.message.startswith("arXiv API error")]
    if errors and not result.papers:
        raise FetchError(errors[0])
    return result.papers
