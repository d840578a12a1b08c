"""The feeds a person follows, listed once in config.toml.

    [[feeds]]
    name = "cs.CL"
    new = "cs.CL"                      # arXiv's announcement feed of a category (or a list)

    [[feeds]]
    name = "RL"
    arxiv = "ti:reinforcement AND cat:cs.LG"   # an arXiv API query, or ids
    max = 50

    [[feeds]]
    name = "HF daily"
    daily = true                       # Hugging Face daily papers, today's

    [fetch]                            # network manners, if the defaults do not suit
    timeout = 20                       # seconds to wait for a connection or for bytes
    budget = 50                        # seconds for one feed, retries and waits included
    retries = 3
    backoff = 2                        # seconds before the first retry; it doubles
    api_interval = 3                   # seconds between two arXiv API requests
    page_size = 100                    # arXiv API results per request

Read with the same file reading as the reader's settings (`read_config`); a feed that is
wrongly written is a problem named by its position and name, and the others still count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import Any, Literal

from paperdeck.core.config_file import read_config
from paperdeck.core.feeds.settings import NetworkSettings
from paperdeck.core.feeds.source_names import SOURCE_PREFIX
from paperdeck.core.paths import config_file
from paperdeck.core.text import clean_line

Kind = Literal["arxiv", "new", "daily"]
KINDS: tuple[Kind, ...] = ("arxiv", "new", "daily")
DEFAULT_MAX = 100
_KEYS = frozenset({"name", "max", *KINDS})
# arXiv category names ("cs.CL", "astro-ph.GA", "math"), joined with "+" for several.
CATEGORY = re.compile(r"[A-Za-z][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)?(?:\+[A-Za-z][A-Za-z0-9.-]*)*")


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """One feed: its name, what it asks, and how many papers at most (arXiv queries)."""

    name: str
    kind: Kind
    terms: tuple[str, ...] = ()  # arxiv: the query's words or ids; new: categories
    max: int = DEFAULT_MAX
    day: date | None = None  # daily: the day asked for (None: today, in UTC)

    @property
    def source(self) -> str:
        """What the papers it brings record as their source (a Sources entry)."""
        return SOURCE_PREFIX + self.name

    def same_request(self, other: FeedSpec) -> bool:
        return (self.kind, self.terms) == (other.kind, other.terms)


def default_name(kind: Kind, terms: tuple[str, ...]) -> str:
    """The name of a feed asked for on the command line and not listed in config.toml."""
    if kind == "new":
        return f"arXiv new {' '.join(terms)}"
    if kind == "daily":
        return "HF daily"
    return f"arXiv {' '.join(terms)}"


@dataclass(slots=True)
class FeedsConfig:
    """The feeds and network settings of config.toml; ``problems``: one line each."""

    feeds: list[FeedSpec] = field(default_factory=list)
    network: NetworkSettings = field(default_factory=NetworkSettings)
    problems: list[str] = field(default_factory=list)


_NUMBERS = {f.name for f in fields(NetworkSettings) if f.type in ("float", "int")}


def load_feeds(path: Path | None = None) -> FeedsConfig:
    """The feeds of config.toml and one problem line for each feed that cannot be used."""
    path = path or config_file()
    config = FeedsConfig()
    data = read_config(path, config.problems)
    config.network = _network(data.get("fetch", {}), path, config.problems)
    tables = data.get("feeds", [])
    if not isinstance(tables, list):
        config.problems.append(f"{path}: feeds must be written as [[feeds]] tables")
        return config
    feeds, problems = config.feeds, config.problems
    for number, table in enumerate(tables, start=1):
        where = f"{path}: feed {number}"
        try:
            spec = _spec(table, where)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        if any(spec.name == other.name for other in feeds):
            problems.append(f"{where} ({spec.name}): another feed has this name")
            continue
        feeds.append(spec)
    return config


def _network(table: Any, path: Path, problems: list[str]) -> NetworkSettings:
    settings = NetworkSettings()
    if not isinstance(table, dict):
        problems.append(f"{path}: [fetch] must be a table")
        return settings
    changes: dict[str, float | int] = {}
    for key, value in table.items():
        if key not in _NUMBERS:
            problems.append(f"{path}: fetch.{clean_line(str(key))} is not a setting")
        elif isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            problems.append(f"{path}: fetch.{key} must be a number, 0 or more")
        else:
            whole = isinstance(getattr(settings, key), int)
            changes[key] = max(1, int(value)) if whole and key == "page_size" else value
            if whole:
                changes[key] = int(changes[key])
    return replace(settings, **changes)  # type: ignore[arg-type]


def _spec(table: Any, where: str) -> FeedSpec:
    if not isinstance(table, dict):
        raise ValueError(f"{where}: must be a table of settings")
    name = table.get("name")
    if name is not None and not (isinstance(name, str) and clean_line(name)):
        raise ValueError(f"{where}: name must be text in quotes")
    where = f"{where} ({clean_line(name)})" if name else where
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ValueError(f"{where}: unknown setting {clean_line(unknown[0])!r}")
    kinds = [kind for kind in KINDS if kind in table]
    if len(kinds) != 1:
        raise ValueError(f"{where}: needs exactly one of arxiv, new or daily")
    kind = kinds[0]
    terms = _terms(kind, table[kind], where)
    limit = table.get("max", DEFAULT_MAX)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValueError(f"{where}: max must be a whole number, 1 or more")
    return FeedSpec(clean_line(name) if name else default_name(kind, terms), kind, terms, limit)


def _terms(kind: Kind, value: Any, where: str) -> tuple[str, ...]:
    if kind == "daily":
        if value is not True:
            raise ValueError(f"{where}: daily must be true")
        return ()
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
        raise ValueError(f"{where}: {kind} must be text in quotes, or a list of them")
    if kind == "new":
        categories = tuple(clean_line(v) for v in values)
        bad = next((c for c in categories if not CATEGORY.fullmatch(c)), None)
        if bad is not None:
            raise ValueError(f"{where}: {bad!r} is not an arXiv category (like cs.CL)")
        return categories
    query = " ".join(clean_line(v) for v in values)
    if not query:
        raise ValueError(f"{where}: arxiv needs a query or arXiv ids")
    return tuple(query.split())
