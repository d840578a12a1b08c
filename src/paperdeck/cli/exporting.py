"""`paperdeck export`: starred papers (or a search, or everything) as Markdown, BibTeX or JSON."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from paperdeck.cli.library import open_library
from paperdeck.cli.parsing import SORT_HELP, SORT_NAMES, AddCommand

if TYPE_CHECKING:  # imported where used: `paperdeck star` builds this module's parser too
    from paperdeck.core.models import Paper

# core.export.EXPORT_FORMATS, written out so that `paperdeck star` need not import the
# exporters just to build the parser (a test checks the two agree).
EXPORT_FORMATS = ("markdown", "bibtex", "json")
FORMAT_BY_SUFFIX = {".md": "markdown", ".markdown": "markdown", ".bib": "bibtex", ".json": "json"}


def register(add: AddCommand) -> None:
    command = add(
        "export",
        summary="write starred papers as Markdown, BibTeX or JSON",
        description=(
            "Write a set of papers, by default the starred ones, to standard output or to FILE. "
            "Markdown is a reading list that renders on GitHub (with your notes and tags); "
            "BibTeX is for citing (tags become keywords, notes are left out); JSON holds every "
            "field, and `paperdeck import` reads it back unchanged. Without --format, the "
            "format follows FILE's extension (.md, .bib, .json), else Markdown. A regular FILE "
            "is replaced atomically: a crash never leaves it half written. A FIFO or a device "
            "(/dev/null, a terminal) is written in place, never replaced; - or /dev/stdout "
            "means standard output."
        ),
        examples=[
            "paperdeck export -o reading-list.md",
            "paperdeck export --query diffusion --format bibtex -o refs.bib",
            "paperdeck export --all --format json -o backup.json",
        ],
    )
    scope = command.add_mutually_exclusive_group()
    scope.add_argument("--starred", action="store_true", help="the starred papers (the default)")
    scope.add_argument("--query", metavar="Q", help="the papers matching the search Q")
    scope.add_argument("--all", action="store_true", help="every paper in the library")
    command.add_argument("--format", choices=EXPORT_FORMATS, help="output format")
    command.add_argument("--sort", choices=SORT_NAMES, help=SORT_HELP)
    command.add_argument("-o", "--output", metavar="FILE", help="write to FILE, not stdout")
    command.add_argument(
        "--abstracts", action="store_true", help="add each paper's abstract (Markdown)"
    )
    command.set_defaults(run=run_export)


def run_export(args: argparse.Namespace) -> int:
    from paperdeck.cli.search import select
    from paperdeck.core.atomic import write_atomic
    from paperdeck.core.export import export_heading
    from paperdeck.core.paperset import PaperSet, Sort
    from paperdeck.core.query_words import with_default_sort

    output = None if args.output is None or names_stdout(args.output) else args.output
    suffix = Path(output).suffix.lower() if output else ""
    export_format = args.format or FORMAT_BY_SUFFIX.get(suffix, "markdown")
    sort = Sort(args.sort) if args.sort else None
    if args.query is not None:
        paperset = with_default_sort(PaperSet(sort=sort).matching(args.query))
    elif args.all:
        paperset = PaperSet(sort=sort)
    else:
        paperset = PaperSet(sort=sort).starred()
    with open_library(args) as library:
        papers = library.get_many(select(library, paperset).ids)
    if not papers:  # an empty file would replace a useful one, or look like a result
        where = f"; {output} not written" if output else ""
        print(
            f"paperdeck: nothing to export ({paperset.description.lower()}){where}",
            file=sys.stderr,
        )
        return 1
    title, description = export_heading(paperset)
    text = render(
        export_format, papers, title=title, description=description, abstracts=args.abstracts
    )
    if output:
        write_atomic(output, text)
        count = f"{len(papers)} paper{'' if len(papers) == 1 else 's'}"
        print(f"exported {count} to {output} ({export_format})", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


# Names of standard output itself; any other path naming the same file counts too.
_STDOUT_NAMES = frozenset({"-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"})


def names_stdout(output: str) -> bool:
    """Whether ``-o`` names standard output: ``-``, /dev/stdout, or the very file stdout is.

    Written through our own stdout, not by opening the path: /dev/stdout's target may be a
    pipe or socket that cannot be opened again, and a file would be replaced under the shell.
    """
    if output in _STDOUT_NAMES:
        return True
    try:
        return os.path.samestat(os.stat(output), os.fstat(sys.stdout.fileno()))
    except (OSError, ValueError, AttributeError):  # no such file; stdout has no descriptor
        return False


def render(
    export_format: str,
    papers: list[Paper],
    *,
    title: str,
    description: str,
    abstracts: bool = False,
) -> str:
    from paperdeck.core.export import to_bibtex, to_json, to_markdown

    if export_format == "bibtex":
        return to_bibtex(papers)
    if export_format == "json":
        return to_json(papers)
    return to_markdown(
        papers, title=title, description=description, generated=date.today(), abstracts=abstracts
    )
