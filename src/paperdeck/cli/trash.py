"""`remove`, `restore` and `trash`: taking papers out of the library, and undoing it."""

from __future__ import annotations

import argparse
import sys

from paperdeck.cli.errors import UsageError
from paperdeck.cli.library import open_library, resolve_ids
from paperdeck.cli.output import print_json
from paperdeck.cli.parsing import AddCommand

_ID_HELP = "a paper id, a unique prefix of one, an arXiv id or an arXiv URL"


def register(add: AddCommand) -> None:
    command = add(
        "remove",
        summary="move papers (or a whole source) to the trash",
        description=(
            "Move each paper to the trash, with its star, note, tags and read mark: it leaves "
            "the list, the counts and the search, and an import or a feed that brings it "
            "again leaves it out, until `paperdeck restore` brings it back as it was. With "
            "--source NAME (a file as imported, or its name as the sidebar shows it), every "
            "paper that only that source lists; papers other sources list too are kept. If "
            "any ID is unknown, nothing changes."
        ),
        examples=[
            "paperdeck remove 2504.16084",
            "paperdeck remove --source wrong-file.txt",
            "paperdeck trash",
            "paperdeck restore 2504.16084",
        ],
    )
    command.add_argument("ids", nargs="*", metavar="ID", help=_ID_HELP)
    command.add_argument("--source", metavar="NAME", help="remove the papers of this source")
    command.add_argument(
        "--json",
        action="store_true",
        help='print {"removed": [{"id", "title"}...], "kept": [ids another source lists too]}',
    )
    command.set_defaults(run=run_remove)

    command = add(
        "restore",
        summary="bring papers back from the trash",
        description=(
            "Put each paper back in the library as it was removed: its star, note, tags and "
            "read mark included. ID is its id (`paperdeck trash` lists them), a unique "
            "prefix of one or an arXiv id."
        ),
        examples=["paperdeck restore 2504.16084", "paperdeck restore --all"],
    )
    command.add_argument("ids", nargs="*", metavar="ID", help="a paper in the trash")
    command.add_argument("--all", action="store_true", help="every paper in the trash")
    command.add_argument(
        "--json", action="store_true", help='print {"restored": [{"id", "title"}...]}'
    )
    command.set_defaults(run=run_restore)

    command = add(
        "trash",
        summary="list the removed papers",
        description=(
            "List the papers in the trash, the last removed first: ID  REMOVED  TITLE, with "
            "★ for a star and ✎ for a note. `paperdeck restore ID` brings one back."
        ),
        examples=["paperdeck trash", "paperdeck trash --json"],
    )
    command.add_argument(
        "--json",
        action="store_true",
        help="print a JSON array of the removed papers: each as `search --json` prints a "
        "paper, with removed_at",
    )
    command.set_defaults(run=run_trash)


def _marks(starred: bool, has_note: bool, tags: list[str]) -> str:
    marks = ("  ★" if starred else "") + ("  ✎" if has_note else "")
    return marks + "".join(f"  #{tag}" for tag in tags)


def run_remove(args: argparse.Namespace) -> int:
    if bool(args.ids) == bool(args.source):
        raise UsageError("give paper IDs or --source NAME")
    with open_library(args) as library:
        if args.source:
            ids, kept = library.source_papers(args.source)
        else:
            ids, kept = resolve_ids(library, args.ids), []
        removed = library.remove_papers(ids)  # the next search applies it to the index
    if args.json:
        listed = [{"id": paper.id, "title": paper.title} for paper in removed]
        print_json({"removed": listed, "kept": list(kept)})
        return 0
    for paper in removed:
        print(f"removed {paper.id}  {paper.title}{_marks(paper.starred, bool(paper.note), [])}")
    if kept:
        print(
            f"kept {len(kept)} paper{'s' if len(kept) != 1 else ''} that other sources list too",
            file=sys.stderr,
        )
    if removed:
        noun = "paper" if len(removed) == 1 else "papers"
        print(
            f"{len(removed)} {noun} moved to the trash; paperdeck restore ID brings one back",
            file=sys.stderr,
        )
    return 0


def run_restore(args: argparse.Namespace) -> int:
    if bool(args.ids) == args.all:
        raise UsageError("give paper IDs or --all")
    with open_library(args) as library:
        if args.all:
            ids = [paper.id for paper in library.trashed()]
        else:
            ids = list(dict.fromkeys(library.resolve_trashed(text) for text in args.ids))
        restored = library.restore_papers(ids)
        rows = {row.id: row.title for row in library.rows(restored)}
    if args.json:
        print_json({"restored": [{"id": i, "title": rows.get(i, "")} for i in restored]})
        return 0
    for paper_id in restored:
        print(f"restored {paper_id}  {rows.get(paper_id, '')}")
    if not restored:
        print("the trash is empty", file=sys.stderr)
    return 0


def run_trash(args: argparse.Namespace) -> int:
    with open_library(args) as library:
        papers = library.trashed()
    if args.json:
        print_json([{**paper.paper.to_json(), "removed_at": paper.removed_at} for paper in papers])
        return 0
    if not papers:
        print("the trash is empty", file=sys.stderr)
        return 0
    width = max(len(paper.id) for paper in papers)
    for paper in papers:
        marks = _marks(paper.starred, paper.has_note, paper.tags)
        print(f"{paper.id:<{width}}  {paper.removed_at[:10]}  {paper.title}{marks}")
    return 0
