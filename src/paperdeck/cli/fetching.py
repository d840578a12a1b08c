"""`paperdeck fetch`: follow arXiv and Hugging Face like a feed reader.

    paperdeck fetch                       every feed listed in config.toml
    paperdeck fetch arxiv QUERY [--max N] an arXiv API search (or ids: fetch arxiv ID...)
    paperdeck fetch new CATEGORY...       today's announcements of arXiv categories
    paperdeck fetch daily [--date DAY]    Hugging Face daily papers

One line per feed; a feed that fails is one line on stderr, changes nothing, and makes the
exit status 1, while the others are still fetched. Nothing here imports Textual or Whoosh
until a fetch has changed the library (then the search index is brought up to date).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING

from paperdeck.cli.errors import UsageError
from paperdeck.cli.output import print_json
from paperdeck.cli.parsing import AddCommand, positive_int

if TYPE_CHECKING:
    from paperdeck.core.feeds.config import FeedSpec
    from paperdeck.core.feeds.runner import FeedReport

KINDS = ("arxiv", "new", "daily")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date like 2026-03-06: {text!r}") from None


def register(add: AddCommand) -> None:
    command = add(
        "fetch",
        summary="fetch new papers from arXiv and Hugging Face",
        description=(
            "Fetch papers into the library from the feeds listed in config.toml ([[feeds]] "
            "tables), or from one feed named here:\n\n"
            "  arxiv QUERY  papers matching an arXiv API query (cat:cs.CL, au:Zhang AND "
            "ti:reinforcement), at most --max; when every argument is an arXiv id (versions, "
            "abs/pdf URLs and old-style ids are understood), those papers\n"
            "  new CATEGORY...  today's announcements of arXiv categories: new submissions "
            "and cross-lists are added, replacements update a paper already there\n"
            "  daily  the Hugging Face daily papers of --date (today, in UTC)\n\n"
            "Papers merge as on import: the same arXiv id is the same paper, and your stars, "
            "notes, tags and read marks are kept; upvotes and repository links are updated. "
            "Each paper records the feed that brought it (a Sources entry in the reader). A "
            "feed that fails changes nothing and is reported in one line on stderr; the "
            "others are still fetched, and the exit status is 1. Base URLs can be moved with "
            "PAPERDECK_ARXIV_API_URL, PAPERDECK_ARXIV_FEED_URL and PAPERDECK_HF_API_URL."
        ),
        examples=[
            "paperdeck fetch",
            "paperdeck fetch --quiet            # for cron: only errors are printed",
            "paperdeck fetch arxiv 'ti:reinforcement AND cat:cs.LG' --max 50",
            "paperdeck fetch arxiv 2401.00001v2 https://arxiv.org/abs/hep-th/9901001",
            "paperdeck fetch new cs.CL cs.LG",
            "paperdeck fetch daily --date 2026-03-06",
        ],
    )
    command.add_argument(
        "feed_kind",
        nargs="?",
        choices=KINDS,
        metavar="KIND",
        help="arxiv, new or daily (none: every feed of config.toml)",
    )
    command.add_argument(
        "terms", nargs="*", metavar="QUERY|ID|CATEGORY", help="what the feed asks for"
    )
    command.add_argument(
        "--max", type=positive_int, default=None, metavar="N", help="arxiv: at most N papers (100)"
    )
    command.add_argument(
        "--date", type=_day, default=None, metavar="YYYY-MM-DD", help="daily: the day"
    )
    command.add_argument("--quiet", action="store_true", help="print nothing but errors (cron)")
    command.add_argument(
        "--json", action="store_true", help="print a JSON array with one report per feed"
    )
    command.set_defaults(run=run_fetch)


def _check(args: argparse.Namespace) -> None:
    kind = args.feed_kind
    if kind in ("arxiv", "new") and not args.terms:
        raise UsageError(
            f"fetch {kind} needs {'a query or arXiv ids' if kind == 'arxiv' else 'a category'}"
        )
    if kind in (None, "daily") and args.terms:
        raise UsageError(f"unexpected arguments: {' '.join(args.terms)}")
    if args.max is not None and kind != "arxiv":
        raise UsageError("--max goes with fetch arxiv")
    if args.date is not None and kind != "daily":
        raise UsageError("--date goes with fetch daily")


def _requested(args: argparse.Namespace, configured: list[FeedSpec]) -> list[FeedSpec]:
    """The feed named on the command line; it takes the name of a configured feed that
    asks for the same thing, so its papers show under that feed's Sources entry."""
    from paperdeck.core.feeds.arxiv_api import arxiv_ids
    from paperdeck.core.feeds.config import CATEGORY, DEFAULT_MAX, FeedSpec, default_name
    from paperdeck.core.text import clean_line

    kind = args.feed_kind
    terms: tuple[str, ...] = ()
    if kind == "arxiv":
        terms = tuple(" ".join(clean_line(t) for t in args.terms).split())
        terms = tuple(arxiv_ids(terms) or terms)  # ids in one spelling: 2401.00001
    elif kind == "new":
        terms = tuple(clean_line(t) for t in args.terms)
        bad = next((t for t in terms if not CATEGORY.fullmatch(t)), None)
        if bad is not None:
            raise UsageError(f"{bad!r} is not an arXiv category (like cs.CL)")
    spec = FeedSpec(default_name(kind, terms), kind, terms)
    same = next((feed for feed in configured if feed.same_request(spec)), None)
    name = same.name if same else spec.name
    limit = args.max or (same.max if same else DEFAULT_MAX)
    return [FeedSpec(name, kind, terms, limit, args.date)]


def run_fetch(args: argparse.Namespace) -> int:
    from paperdeck.cli.library import open_library, update_index
    from paperdeck.core.feeds.config import load_feeds
    from paperdeck.core.feeds.http import HttpClient
    from paperdeck.core.feeds.runner import FeedRunner
    from paperdeck.core.paths import config_file

    _check(args)
    quiet, as_json = args.quiet, args.json
    if quiet and as_json:
        raise UsageError("--quiet and --json do not go together")
    config = load_feeds(config_file())
    configured, problems = config.feeds, config.problems
    if args.feed_kind is None:
        specs = configured
        if not specs and not problems:
            raise UsageError(
                f"no feeds in {config_file()}; add [[feeds]] tables, or name one: "
                "paperdeck fetch arxiv QUERY | new CATEGORY | daily"
            )
    else:
        specs, problems = _requested(args, configured), []
    for problem in problems:
        print(f"paperdeck: {problem}", file=sys.stderr)
    with open_library(args, create=True) as library:
        runner = FeedRunner(library, client=HttpClient(config.network))
        reports = []
        for spec in specs:
            report = runner.run(spec)
            reports.append(report)
            _say(report, quiet=quiet, as_json=as_json)
        if any(r.added or r.merged or r.revised for r in reports) or library.last_change():
            update_index(library, quiet=quiet or as_json)
    if as_json:
        print_json([r.to_json() for r in reports])
    return 1 if problems or any(r.error for r in reports) else 0


def _say(report: FeedReport, *, quiet: bool, as_json: bool) -> None:
    """The feed's line as it finishes: an error on stderr, else its summary (not in quiet
    or JSON mode, whose array comes at the end)."""
    if report.error is not None:
        sys.stdout.flush()
        print(f"paperdeck: fetch {report.summary}", file=sys.stderr, flush=True)
        return
    if not quiet and not as_json:
        print(report.summary, flush=True)
        for warning in report.warnings:
            print(warning, file=sys.stderr)
