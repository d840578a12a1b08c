"""Refreshing feeds into a library: each feed fetched whole, then merged in one transaction.

A feed that fails (network, a malformed answer, an API error) changes nothing: its papers
are all fetched and parsed before the library is touched, and they go in with one
`Library.add_papers`, as a file's do on import. The other feeds are still fetched. The
CLI's `paperdeck fetch` and the reader's `R` both run feeds through `FeedRunner`.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from paperdeck.core.feeds.arxiv_api import arxiv_ids, fetch_ids, fetch_query
from paperdeck.core.feeds.config import FeedSpec
from paperdeck.core.feeds.daily_papers import daily_url, parse_daily
from paperdeck.core.feeds.http import FetchError, HttpClient, Validators
from paperdeck.core.feeds.settings import Endpoints
from paperdeck.core.models import Paper
from paperdeck.core.sources import ParseContext, ParseError, decode
from paperdeck.core.sources.announcements import parse_announcements
from paperdeck.core.store import Library, LibraryError
from paperdeck.core.text import clean_line

_FEED_TYPES = "application/atom+xml, application/rss+xml;q=0.9, application/xml;q=0.8, */*;q=0.5"
Progress = Callable[[int, int, str], None]  # (feeds done, feeds in all, the feed now fetched)


@dataclass(slots=True)
class FeedReport:
    """What refreshing one feed did; ``error`` set means the library was not changed."""

    name: str
    added: int = 0
    merged: int = 0
    unchanged: int = 0
    revised: int = 0  # replacements that updated a paper the library holds
    not_held: int = 0  # replacements of papers the library does not hold: not added
    announced: Counter[str] = field(default_factory=Counter)  # new / cross / replace ...
    not_modified: bool = False  # every request of the feed was answered 304
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    new_ids: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """One line, e.g. ``cs.CL: 4 new, 0 updated, 1 unchanged; 2 replacements ...``."""
        if self.error is not None:
            return f"{self.name}: {self.error}"
        if self.not_modified:
            return f"{self.name}: not modified since the last fetch"
        line = f"{self.name}: {self.added} new, {self.merged} updated, {self.unchanged} unchanged"
        if self.announced:
            kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(self.announced.items()))
            line += f" (announced: {kinds})"
        if self.revised or self.not_held:
            line += f"; {self.revised} revised, {self.not_held} replacements not in the library"
        return line

    def to_json(self) -> dict[str, Any]:
        return {
            "feed": self.name,
            "ok": self.error is None,
            "error": self.error,
            "added": self.added,
            "updated": self.merged,
            "unchanged": self.unchanged,
            "revised": self.revised,
            "replacements_not_in_library": self.not_held,
            "announced": dict(sorted(self.announced.items())),
            "not_modified": self.not_modified,
            "new_ids": list(self.new_ids),
            "warnings": list(self.warnings),
        }


@dataclass(slots=True)
class _Fetched:
    papers: list[Paper] = field(default_factory=list)
    revisions: list[Paper] = field(default_factory=list)
    validators: dict[str, Validators] = field(default_factory=dict)  # to keep, by URL
    answered: int = 0  # requests answered with content (not 304)
    warnings: list[str] = field(default_factory=list)
    announced: Counter[str] = field(default_factory=Counter)


class FeedRunner:
    """Fetches feeds into one library with one HTTP client (one arXiv API spacing)."""

    def __init__(
        self,
        library: Library,
        *,
        client: HttpClient | None = None,
        endpoints: Endpoints | None = None,
        today: Callable[[], date] | None = None,
    ) -> None:
        self.library = library
        self.client = client or HttpClient()
        self.endpoints = endpoints or Endpoints.from_env()
        self._today = today or (lambda: datetime.now(UTC).date())

    def run_all(
        self, specs: Iterable[FeedSpec], progress: Progress | None = None
    ) -> list[FeedReport]:
        """Every feed in turn; one failing does not stop the others."""
        specs = list(specs)
        reports = []
        for done, spec in enumerate(specs):
            if progress is not None:
                progress(done, len(specs), spec.name)
            reports.append(self.run(spec))
        if progress is not None:
            progress(len(specs), len(specs), "")
        return reports

    def run(self, spec: FeedSpec) -> FeedReport:
        report = FeedReport(spec.name)
        try:
            with self.client.time_limit():  # all its pages, retries and waits: one limit
                fetched = self._fetch(spec)
        except (FetchError, ParseError) as exc:
            report.error = clean_line(str(exc))
            return report
        report.warnings = fetched.warnings
        report.announced = fetched.announced
        report.not_modified = fetched.answered == 0 and bool(fetched.validators)
        for paper in fetched.papers:
            paper.sources = [spec.source]
        for paper in fetched.revisions:
            paper.sources = []  # a new version does not say which feed brought the paper
        try:
            with self.library.transaction():  # the feed's papers land together, or none
                counts = self.library.add_papers(fetched.papers, revisions=fetched.revisions)
            for url, validators in fetched.validators.items():
                self.library.save_feed_validators(url, validators.etag, validators.last_modified)
        except (LibraryError, sqlite3.Error) as exc:
            report.error = f"library not changed: {clean_line(str(exc))}"
            return report
        report.added, report.merged, report.unchanged = (
            counts.added,
            counts.merged,
            counts.unchanged,
        )
        report.revised, report.not_held = counts.revised, counts.not_held
        report.new_ids = list(counts.new_ids)
        return report

    def _fetch(self, spec: FeedSpec) -> _Fetched:
        fetched = _Fetched()
        settings = self.client.settings
        if spec.kind == "arxiv":
            ids = arxiv_ids(spec.terms)
            base = self.endpoints.arxiv_api
            if ids is not None:
                fetched.papers = fetch_ids(self.client, base, ids, page_size=settings.page_size)
            else:
                query = " ".join(spec.terms)
                fetched.papers = fetch_query(
                    self.client, base, query, limit=spec.max, page_size=settings.page_size
                )
            fetched.answered = 1
        elif spec.kind == "new":
            for category in spec.terms:
                self._announcements(self.endpoints.arxiv_feed + category, fetched)
        else:
            url = daily_url(self.endpoints.hf_api, spec.day or self._today())
            text = self._conditional(url, fetched, "application/json")
            if text is not None:
                papers, warnings = parse_daily(text, url)
                fetched.papers += papers
                fetched.warnings += warnings
        return fetched

    def _announcements(self, url: str, fetched: _Fetched) -> None:
        text = self._conditional(url, fetched, _FEED_TYPES)
        if text is None:
            return
        feed = parse_announcements(text, ParseContext.for_file(url))
        fetched.warnings += [str(warning) for warning in feed.warnings]
        for announcement in feed.announcements:
            fetched.announced[announcement.kind] += 1
            target = fetched.revisions if announcement.is_revision else fetched.papers
            target.append(announcement.paper)

    def _conditional(self, url: str, fetched: _Fetched, accept: str) -> str | None:
        """The text at ``url``, or None when it has not changed since the last fetch."""
        etag, last_modified = self.library.feed_validators(url)
        response = self.client.get(url, validators=Validators(etag, last_modified), accept=accept)
        kept = Validators(etag, last_modified)
        fetched.validators[url] = kept if response.not_modified else response.validators
        if response.not_modified:
            return None
        fetched.answered += 1
        return decode(response.body, url)
