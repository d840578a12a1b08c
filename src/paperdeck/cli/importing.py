"""`paperdeck import` and `paperdeck reindex`: filling the library and its search index."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from paperdeck.cli.errors import CommandError
from paperdeck.cli.library import ProgressLine, open_index, open_library, update_index
from paperdeck.cli.output import print_json
from paperdeck.cli.parsing import AddCommand, LazyChoices, year

if TYPE_CHECKING:
    from paperdeck.core.search.following_build import FollowingBuild
    from paperdeck.core.store import Library

STDIN_LIMIT_MB = 1024  # files have no limit: a multi-GB snapshot streams through
# Files this large may be indexed as they are imported: smaller ones hold fewer papers than a
# bulk build's threshold (5,000) even at 800 bytes a paper (the snapshot's are ~1.8 KB).
BESIDE_MIN_BYTES = 4 << 20


def _format_names() -> Sequence[str]:
    from paperdeck.core.sources import FORMAT_NAMES

    return FORMAT_NAMES


def register(add: AddCommand) -> None:
    command = add(
        "import",
        summary="add papers from listing files",
        description=(
            "Add the papers in each FILE to the library. A paper already there is merged "
            "(the richer record wins; your stars, notes and tags are kept), so importing the "
            "same file twice changes nothing. One line per file reports what happened; each "
            "skipped entry is reported on stderr as FILE:LINE: reason. A file that cannot be "
            "read or parsed adds nothing, and the exit status is 1, but the other files are "
            "still imported. The exit status is 1 too when every entry read was skipped; a run "
            "that imported papers and skipped others exits 0. Use - to read standard input "
            "(at most --stdin-limit MB of it); a FIFO or <(command) is read as it comes."
        ),
        examples=[
            "paperdeck import listing.txt daily.txt",
            "paperdeck import --format daily --year 2025 page.txt",
            "paperdeck export --all --format json -o backup.json && paperdeck import backup.json",
        ],
    )
    command.add_argument("files", nargs="+", metavar="FILE", help="files to import (- for stdin)")
    command.add_argument(
        "--format",
        choices=LazyChoices(_format_names),
        metavar="NAME",
        help="the files' format when sniffing guesses wrong: %(choices)s",
    )
    command.add_argument(
        "--year",
        type=year,
        metavar="YYYY",
        help="the year of listing dates that have none (default: inferred from today)",
    )
    command.add_argument(
        "--stdin-limit",
        type=int,
        default=STDIN_LIMIT_MB,
        metavar="MB",
        help="read at most MB megabytes from standard input (default: %(default)s; 0: no limit)",
    )
    command.add_argument(
        "--json",
        action="store_true",
        help="print a JSON array with one report per file (errors and skipped entries are "
        "still said on stderr)",
    )
    command.set_defaults(run=run_import)

    command = add(
        "reindex",
        summary="rebuild the search index from scratch",
        description=(
            "Rebuild the full-text search index from the library database. Searching keeps "
            "the index up to date by itself; this is for an index that was deleted, damaged "
            "or built by another version."
        ),
        examples=["paperdeck reindex"],
    )
    command.add_argument("--json", action="store_true", help='print {"indexed": N}')
    command.set_defaults(run=run_reindex)


def run_import(args: argparse.Namespace) -> int:
    from paperdeck.core.importer import import_file

    failed = changed = False
    papers = skipped = 0  # over all the files: entries read as papers, entries skipped
    reports = []
    limit = args.stdin_limit << 20 if args.stdin_limit > 0 else None
    with open_library(args, create=True) as library:
        with _index_beside(library, args):
            for path in args.files:
                stdin = path == "-"
                name = "<stdin>" if stdin else path
                progress = ProgressLine(summary_after=float("inf"))  # a bar on terminals
                report = import_file(
                    library,
                    name,
                    format=args.format,
                    year=args.year,
                    stream=sys.stdin.buffer if stdin else None,
                    limit=limit if stdin else None,
                    limit_hint="--stdin-limit MB raises the limit",
                    progress=progress,
                )
                progress.finish(f"read {name}")
                reports.append(report)
                if report.error is not None:
                    failed = True
                    sys.stdout.flush()
                    print(f"paperdeck: {report.error}", file=sys.stderr)
                    if report.added or report.merged or report.unchanged:
                        print(f"paperdeck: {report.kept}", file=sys.stderr)
                    changed = changed or bool(report.added or report.merged)
                    papers += report.added + report.merged + report.unchanged + report.held
                    continue
                if not args.json:
                    print(report.summary, flush=True)
                for warning in [*report.warnings, *report.cut]:
                    print(warning, file=sys.stderr)
                changed = changed or bool(report.added or report.merged or report.revised)
                papers += report.added + report.merged + report.revised + report.unchanged
                papers += report.held + report.not_held  # read fine, though nothing was added
                skipped += report.skipped
        if skipped and not papers:
            print("paperdeck: nothing imported: every entry read was skipped", file=sys.stderr)
            failed = True
        # Also when nothing changed but the change log is not empty: an earlier import killed
        # after its commit left the index behind, and running it again must finish the job.
        if changed or library.last_change():
            update_index(library, quiet=args.json)
    if args.json:
        print_json([report.to_json() for report in reports])
    return 1 if failed else 0


@contextmanager
def _index_beside(library: Library, args: argparse.Namespace) -> Iterator[None]:
    """While the files are imported, the search index is built beside them when they are
    many papers that would outgrow it (`SearchIndex.follow_import`); then the build is
    waited for. Stopped if the import is (the sync after it catches up)."""
    following = _start_beside(library, args.files, args.format)
    if following is None:
        yield
        return
    try:
        yield
    except BaseException:
        following.stop()
        raise
    quiet = args.json
    progress = (
        ProgressLine(delay=float("inf"), summary_after=float("inf")) if quiet else ProgressLine()
    )
    from paperdeck.core.search.following_build import FOLLOW_LABEL  # loaded with the build

    progress.began(FOLLOW_LABEL, following.started)
    if following.finish(progress):
        progress.finish("search index built")
    elif following.failure:  # the sync after rebuilds it
        why = following.failure
        print(f"paperdeck: the index was not built beside the import: {why}", file=sys.stderr)


def _start_beside(
    library: Library, names: Sequence[str], format_name: str | None
) -> FollowingBuild | None:
    """The build beside the import of ``names``, or None: not for standard input, nor for
    files too small to hold `bulk_threshold` papers (`BESIDE_MIN_BYTES`)."""
    from paperdeck.core.file_sample import file_size

    if "-" in names or sum(file_size(name) for name in names) < BESIDE_MIN_BYTES:
        return None
    try:
        index = open_index(library)
    except CommandError:
        return None
    try:
        return index.follow_import(names, format_name)
    finally:
        index.close()


def run_reindex(args: argparse.Namespace) -> int:
    with open_library(args) as library:
        progress = ProgressLine()
        index = open_index(library)
        try:
            count = index.rebuild(progress=progress)
        finally:
            index.close()
        progress.finish("search index rebuilt")
    if args.json:
        print_json({"indexed": count})
    else:
        print(f"indexed {count} paper{'' if count == 1 else 's'}")
    return 0
