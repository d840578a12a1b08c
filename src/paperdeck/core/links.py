"""Finding, cleaning and classifying the URLs that abstracts and listings carry."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

LinkKind = Literal["code", "project"]


@cache
def _url() -> re.Pattern[str]:
    """A URL. It ends at white space, quotes, angle brackets or braces: listings often
    repeat a link inside braces (LaTeX \\url residue) as in "https://x.org/a{https://x.org/a}".
    Compiled when first used (the three patterns of this module took 1.5 ms of every
    command's start, most of which never read a link)."""
    return re.compile(
        r"""(?:https?://|(?<![\w@/.])(?:www\.|github\.com/|gitlab\.com/|huggingface\.co/))"""
        r"""[^\s<>"'{}|\\^`\[\]]+""",
        re.IGNORECASE,
    )


_TRAILING = ".,;:!?*'\""
_CODE_HOSTS = {"github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "sr.ht", "git.sr.ht"}
_HF_HOST = "huggingface.co"
_HF_NON_REPO = {"docs", "blog", "papers", "learn", "pricing", "join", "login", "settings", "tasks"}


def _ends_url(char: str) -> bool:
    """A character no link is written with: non-ASCII punctuation, symbols and spaces
    (“”, 。, ，, ：, ·, →) and wide East Asian text, as in "代码见https://x.org/a。更多信息".
    Letters with accents stay (a wiki page's path may hold them)."""
    if char.isascii():
        return False
    return unicodedata.category(char)[0] in "PSZC" or unicodedata.east_asian_width(char) in "WF"


def _link_end(raw: str) -> int:
    """Where a link found by `_url()` really ends (`_ends_url`)."""
    if raw.isascii():
        return len(raw)
    return next((i for i, char in enumerate(raw) if _ends_url(char)), len(raw))


def _trim(url: str) -> str:
    """Cut at the first character that cannot be the link's (`_ends_url`), then drop
    sentence punctuation and unbalanced closing brackets glued to the end."""
    url = url[: _link_end(url)]
    while url:
        last = url[-1]
        if last in _TRAILING or (last == ")" and url.count("(") < url.count(")")):
            url = url[:-1]
        else:
            break
    return url


def clean_url(raw: str) -> str | None:
    """Return a canonical form of ``raw``, or None when it is not a usable web link."""
    url = _trim(raw.strip())
    if not url:
        return None
    if not re.match(r"https?://", url, re.IGNORECASE):
        url = "https://" + url
    try:  # a port out of range or a broken IPv6 host raises here or at `.port`
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None  # one bad link is dropped; the paper and the file still import
    host = (parts.hostname or "").lower()
    if "." not in host:
        return None
    scheme = parts.scheme.lower()
    path = parts.path
    if host.removeprefix("www.") in _CODE_HOSTS | {_HF_HOST}:
        host = host.removeprefix("www.")  # one spelling per repository, so duplicates merge
        scheme = "https"
        if host in _CODE_HOSTS and path.endswith(".git"):
            path = path[: -len(".git")]
        path = path.rstrip("/")
    netloc = host if port is None else f"{host}:{port}"
    return urlunsplit((scheme, netloc, path, parts.query, parts.fragment))


def extract_links(text: str) -> list[str]:
    """Every distinct cleaned URL in ``text``, in order of first appearance."""
    folded = text.lower()
    if "://" not in folded and "www." not in folded and ".co" not in folded:
        return []  # what `_url()` needs, found first (most abstracts hold no link)
    seen: dict[str, None] = {}
    at = 0
    while match := _url().search(text, at):
        raw = match.group(0)
        end = _link_end(raw)  # the next link may follow at once: "…/a。见https://…/b"
        raw = raw[:end]
        at = match.start() + max(end, 1)
        if _bare_domain(raw):
            continue
        url = clean_url(raw)
        if url and url not in seen:
            seen[url] = None
    return list(seen)


def _bare_domain(raw: str) -> bool:
    """ "www.worldcat.org" in a sentence names a site (a catalog a record came from); it is
    a link only with a scheme or a path."""
    if "://" in raw:
        return False
    return not _trim(raw).partition("/")[2].strip("/")


def classify_link(url: str) -> LinkKind:
    """'code' for a repository (GitHub, GitLab, Hugging Face model, dataset, space)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "project"
    host = (parts.hostname or "").lower().removeprefix("www.")
    segments = [s for s in parts.path.split("/") if s]
    if host in _CODE_HOSTS:
        return "code" if len(segments) >= 2 else "project"
    if host == _HF_HOST:
        if segments and segments[0] in {"datasets", "spaces"}:
            return "code" if len(segments) >= 3 else "project"
        if len(segments) >= 2 and segments[0] not in _HF_NON_REPO:
            return "code"
    return "project"


def is_web_link(url: str) -> bool:
    """Only http(s) links are opened or copied as links; javascript:, file: ... are refused."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def is_repository(url: str) -> bool:
    return classify_link(url) == "code"


def ordered_union(*groups: list[str]) -> list[str]:
    """The union of lists of strings (links, tags, categories, sources), each once, in the
    order first seen."""
    return list(dict.fromkeys(url for group in groups for url in group))


# arXiv identifiers: new style 2401.01234, old style hep-th/9901001, either with a version.
_NEW_ID = r"[0-9]{4}\.[0-9]{4,5}"
# The subject class in an old-style id ("math.QA/...", "cond-mat.str-el/...") is optional.
_OLD_ID = r"[a-z]+(?:-[a-z]+)?(?:\.[a-z]+(?:-[a-z]+)?)?/[0-9]{7}"


@cache
def _arxiv_id() -> re.Pattern[str]:
    """A bare identifier, as in <id>, eprint fields and the Hugging Face "id"; arXiv's OAI
    identifier ("oai:arXiv.org:2401.01234v1") names it in the announcement feeds."""
    return re.compile(
        rf"(?:arxiv:\s*|oai:arxiv\.org:)?({_NEW_ID}|{_OLD_ID})(?:v[0-9]+)?", re.IGNORECASE
    )


@cache
def _arxiv_mention() -> re.Pattern[str]:
    """An identifier mentioned in free text or a URL: needs "arXiv:" or an arxiv.org address."""
    return re.compile(
        rf"(?:arxiv\.org/(?:abs|pdf|html)/|arxiv[:.]\s*)({_NEW_ID}|{_OLD_ID})(?:v[0-9]+)?(?![0-9])",
        re.IGNORECASE,
    )


def parse_arxiv_id(value: str) -> str | None:
    """The id (version dropped) when ``value`` is an arXiv id or arXiv URL, else None."""
    match = _arxiv_match(value)
    return canonical_arxiv_id(match.group(1)) if match else None


def find_arxiv_id(text: str) -> str | None:
    """The first "arXiv:2401.01234" or arxiv.org address mentioned in ``text``."""
    match = _arxiv_mention().search(text)
    return canonical_arxiv_id(match.group(1)) if match else None


def canonical_arxiv_id(found: str) -> str:
    """One spelling per paper: an old-style id is "archive/number" ("math/9709040"), as
    arXiv's own pages write it. Bibliographies often add the subject class ("math.QA/9709040")
    and some write the archive in capitals; both name the same paper."""
    archive, slash, number = found.partition("/")
    return f"{archive.partition('.')[0].lower()}/{number}" if slash else found


def arxiv_subject_class(value: str) -> str | None:
    """The subject class an old-style id was written with ("math.QA" for "math.QA/9709040"),
    which `canonical_arxiv_id` drops from the id; None when it has none. As written: the
    parsers normalise categories ("math.qa" → "math.QA")."""
    match = _arxiv_match(value)
    archive, slash, _number = match.group(1).partition("/") if match else ("", "", "")
    name, dot, subject = archive.partition(".")
    return f"{name.lower()}.{subject}" if slash and dot else None


def _arxiv_match(value: str) -> re.Match[str] | None:
    text = value.strip()
    match = _arxiv_id().fullmatch(text) or _arxiv_mention().fullmatch(text.rstrip("/"))
    if match is None and "arxiv.org/" in text.lower():
        match = _arxiv_mention().search(text)
    return match
