"""`paperdeck search` and `paperdeck show`: finding papers and reading one."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from paperdeck.cli.library import ProgressLine, ensure_index, open_index, open_library
from paperdeck.cli.output import print_json
from paperdeck.cli.parsing import SORT_HELP, SORT_NAMES, AddCommand, positive_int

if TYPE_CHECKING:  # imported where used: `paperdeck star` builds this module's parsers too
    from paperdeck.core.catalog import Selection
    from paperdeck.core.models import Paper
    from paperdeck.core.paperset import PaperSet
    from paperdeck.core.search.search_result import SearchResult
    from paperdeck.core.store import Library, PaperRow


def register(add: AddCommand) -> None:
    command = add(
        "search",
        summary="list papers, optionally matching a query",
        description=(
            "List the papers that match QUERY (titles, authors, abstracts, notes and tags), "
            "best match first; a QUERY of filters alone (author:, cat:, tag:, year:) and no "
            "QUERY list newest first. Each line reads "
            "ID  DATE  TITLE — FIRST AUTHOR. A spelling suggestion, if any, goes to stderr. "
            "--json prints a JSON array of full paper records instead (the same objects as "
            "`show --json` and `export --format json`). Like grep, search exits with status "
            "1 when no paper matches (with --json too, after printing [])."
        ),
        examples=[
            'paperdeck search "reinforcement learning"',
            "paperdeck search --starred --sort starred",
            "paperdeck search llm --tag to-read --limit 5",
            "paperdeck search --json | jq '.[].title'",
        ],
    )
    command.add_argument(
        "query",
        nargs="*",
        metavar="QUERY",
        help="words to find: one query, quoted or not (-word leaves out the papers with word)",
    )
    command.add_argument("--limit", type=positive_int, metavar="N", help="show at most N papers")
    command.add_argument(
        "--json", action="store_true", help="print a JSON array of papers (exit 1: none found)"
    )
    command.add_argument("--starred", action="store_true", help="only starred papers")
    command.add_argument("--unread", action="store_true", help="only papers not marked read")
    command.add_argument(
        "--tag", action="append", default=[], metavar="T", help="only papers tagged T (repeatable)"
    )
    command.add_argument("--sort", choices=SORT_NAMES, help=SORT_HELP)
    command.set_defaults(run=run_search, dashed_words_in="query")

    command = add(
        "show",
        summary="print one paper in full",
        description=(
            "Print everything the library knows about one paper: its fields, links, tags, "
            "note and abstract. ID is a paper id, a unique prefix of one, an arXiv id or an "
            "arXiv URL."
        ),
        examples=["paperdeck show 2504.16084", "paperdeck show pd-3f2a --json"],
    )
    command.add_argument("id", metavar="ID", help="the paper")
    command.add_argument("--json", action="store_true", help="print the paper as a JSON object")
    command.set_defaults(run=run_show)


def select(
    library: Library, paperset: PaperSet, limit: int | None = None, *, count_all: bool = True
) -> Selection:
    """The view ``paperset`` (see `Catalog.selections`); the search index is opened, brought
    up to date and, found damaged, rebuilt only when there is a query. ``count_all`` False:
    only the first ``limit`` are wanted: a plain search in relevance order stops at its best
    hits, one listed newest first at the first by date (its total is then not counted)."""
    from paperdeck.core.catalog import Catalog

    if not paperset.query:
        return Catalog(library).select(paperset, limit)
    # The best hits alone answer only a plain search with a limit; any other view needs
    # every hit, so no first step of the best is asked for.
    best_first = not count_all and paperset.plain_search and limit is not None
    index = MendingIndex(library)
    try:
        # As the reader does: a half word that matches nothing is the start of a word.
        views = Catalog(library, index).selections(
            paperset, limit, best_first=best_first, count=count_all, widen=lambda: True
        )
        shown = next(views)  # the answer: the best hits, or every hit of other views
    finally:
        index.close()
    if shown.widened:
        print(f"nothing matches “{paperset.query}”; searched “{shown.widened}”", file=sys.stderr)
    elif shown.fallback:
        print("query syntax not understood; searched for the plain words", file=sys.stderr)
    if shown.suggestion:  # none when widened
        print(f"did you mean: {shown.suggestion}", file=sys.stderr)
    return shown


class MendingIndex:
    """The library's search index for one command: synced before the first search, and
    rebuilt once if a search finds it damaged. A sync or rebuild that is slow says so on
    stderr; the search itself is not counted in it."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.index = open_index(library)
        self.ready = False

    def search(self, query: str, *, cancelled: object = None, **options: Any) -> SearchResult:
        from paperdeck.core.search.search_result import IndexCorrupt

        if not self.ready:
            self._ensure()
            self.ready = True
        try:
            return self.index.search(query, **options)
        except IndexCorrupt:  # found damaged while searching: rebuild once and ask again
            self._ensure()
            return self.index.search(query, **options)

    def _ensure(self) -> None:
        progress = ProgressLine()
        ensure_index(self.library, self.index, progress)
        progress.finish("search index updated")

    def close(self) -> None:
        self.index.close()


def paper_lines(rows: list[PaperRow]) -> list[str]:
    """``id  date  title — first author``, ids padded so the dates line up."""
    width = max((len(row.id) for row in rows), default=0)
    lines = []
    for row in rows:
        author = f" — {row.first_author}" if row.first_author else ""
        lines.append(f"{row.id:<{width}}  {row.date or '':<10}  {row.title}{author}")
    return lines


def run_search(args: argparse.Namespace) -> int:
    from paperdeck.core.paperset import PaperSet, Sort
    from paperdeck.core.query_words import with_default_sort
    from paperdeck.core.text import normalise_tag

    paperset = with_default_sort(
        PaperSet(sort=Sort(args.sort) if args.sort else None).matching(" ".join(args.query))
    )
    if args.starred:
        paperset = paperset.starred()
    if args.unread:
        paperset = paperset.unread()
    for tag in args.tag:
        paperset = paperset.tagged(normalise_tag(tag))
    with open_library(args) as library:
        shown = select(library, paperset, args.limit, count_all=not args.json)  # JSON: no total
        if args.json:
            from paperdeck.core.json_output import to_json

            sys.stdout.write(to_json(library.get_many(shown.ids)))
            return 0 if shown.ids else 1
        for line in paper_lines(library.rows(shown.ids)):
            print(line)
    if not shown.total:
        print("no papers found", file=sys.stderr)
        return 1  # as grep does: scripts can test for "nothing found"
    if len(shown.ids) < shown.total:
        print(f"{len(shown.ids)} of {shown.total} papers shown", file=sys.stderr)
    return 0


def run_show(args: argparse.Namespace) -> int:
    with open_library(args) as library:
        paper = library.get(library.resolve_id(args.id))
    assert paper is not None  # resolve_id only returns ids that exist
    if args.json:
        print_json(paper.to_json())
    else:
        print(describe(paper))
    return 0


def describe(paper: Paper) -> str:
    """A paper as labelled lines, then its note and abstract wrapped to the terminal."""
    authors = ", ".join(paper.authors) + (" et al." if paper.authors_truncated else "")
    date = (paper.date or "") + (" (year inferred)" if paper.date and paper.date_inferred else "")
    starred = f"yes, {paper.starred_at[:10]}" if paper.starred and paper.starred_at else "no"
    fields = [
        ("id", paper.id),
        ("authors", authors),
        ("date", date),
        ("categories", ", ".join(paper.categories)),
        ("classes", ", ".join(paper.subject_classes)),
        ("affiliations", "; ".join(paper.affiliations)),  # a name may hold a comma
        ("venue", paper.venue),
        ("arXiv", paper.arxiv_url or ""),
        ("DOI", paper.doi_url or ""),
        ("code", paper.code_link or ""),
        ("links", " ".join(other_links(paper))),
        ("tags", ", ".join(paper.tags)),
        ("starred", starred),
        ("read", "yes" if paper.read else "no"),
        ("sources", ", ".join(paper.sources)),
    ]
    import shutil
    import textwrap

    width = min(shutil.get_terminal_size().columns, 100)
    lines = [paper.title, ""]
    lines += [f"{name + ':':<14}{value}" for name, value in fields if value]
    if paper.note:
        lines += ["", "note:", *(f"  {line}" for line in paper.note.splitlines())]
    if paper.abstract:
        # Hyphenated words stay whole ("pre-/trained" read as two words).
        wrapped = textwrap.wrap(
            paper.abstract, width=max(width, 40), break_on_hyphens=False, break_long_words=False
        )
        lines += ["", *wrapped]
    return "\n".join(lines)


def other_links(paper: Paper) -> list[str]:
    """The links not already shown on the arXiv, DOI or code line (any version or form of
    the paper's own arXiv page, its DOI under any resolver)."""
    from paperdeck.core.links import parse_arxiv_id

    doi = (paper.doi or "").lower()
    return [
        url
        for url in paper.links
        if url != paper.code_link
        and not (paper.arxiv_id and parse_arxiv_id(url) == paper.arxiv_id)
        and not (doi and url.lower().rstrip("/").endswith("/" + doi))
    ]
