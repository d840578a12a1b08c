"""`star`, `unstar`, `tag`, `untag` and `read`: the user's marks on papers."""

from __future__ import annotations

import argparse
import sys
from functools import partial

from paperdeck.cli.errors import UsageError
from paperdeck.cli.library import open_library, resolve_ids, titles
from paperdeck.cli.output import print_json
from paperdeck.cli.parsing import AddCommand
from paperdeck.core.text import normalise_tag

_ID_HELP = "a paper id, a unique prefix of one, an arXiv id or an arXiv URL"
_MARK_JSON = 'print a JSON array: {{"id", "title", "{}", "changed"}} for each paper'
_TAG_JSON = 'print {"id", "tags" (after the change), "missing" (names it did not have)}'


def register(add: AddCommand) -> None:
    for name, starred in (("star", True), ("unstar", False)):
        command = add(
            name,
            summary=f"{name} papers",
            description=(
                f"{name.capitalize()} each paper. Starred papers are what `paperdeck export` "
                f"writes by default. {_ID_HELP.capitalize()} names each paper; if any ID is "
                "unknown, nothing changes."
            ),
            examples=[f"paperdeck {name} 2504.16084", f"paperdeck {name} pd-3f2a 2501.18362"],
        )
        command.add_argument("ids", nargs="+", metavar="ID", help=_ID_HELP)
        command.add_argument("--json", action="store_true", help=_MARK_JSON.format("starred"))
        command.set_defaults(run=partial(run_star, starred=starred))

    command = add(
        "tag",
        summary="add tags to a paper",
        description=(
            "Add each NAME as a tag of the paper. Tags are single words in lower case: spaces "
            "become dashes and a leading + or # is dropped, so +to-read and to-read are the "
            "same tag. Prints the paper's tags after the change."
        ),
        examples=["paperdeck tag 2504.16084 rl +to-read", 'paperdeck tag pd-3f2a "test time"'],
    )
    command.add_argument("id", metavar="ID", help=_ID_HELP)
    command.add_argument("names", nargs="+", metavar="NAME", help="tags to add")
    command.add_argument("--json", action="store_true", help=_TAG_JSON)
    command.set_defaults(run=partial(run_tag, add=True))

    command = add(
        "untag",
        summary="remove tags from a paper",
        description="Remove each NAME from the paper's tags and print the tags left.",
        examples=["paperdeck untag 2504.16084 to-read"],
    )
    command.add_argument("id", metavar="ID", help=_ID_HELP)
    command.add_argument("names", nargs="+", metavar="NAME", help="tags to remove")
    command.add_argument("--json", action="store_true", help=_TAG_JSON)
    command.set_defaults(run=partial(run_tag, add=False))

    command = add(
        "read",
        summary="mark papers read (or unread)",
        description="Mark each paper as read, or with --unread as not read yet.",
        examples=["paperdeck read 2504.16084 pd-3f2a", "paperdeck read --unread 2504.16084"],
    )
    command.add_argument("ids", nargs="+", metavar="ID", help=_ID_HELP)
    command.add_argument("--unread", action="store_true", help="mark as not read instead")
    command.add_argument("--json", action="store_true", help=_MARK_JSON.format("read"))
    command.set_defaults(run=run_read)


def run_star(args: argparse.Namespace, *, starred: bool) -> int:
    verb = "starred" if starred else "unstarred"
    with open_library(args) as library:
        ids = resolve_ids(library, args.ids)
        names = titles(library, ids)
        changes = [(paper_id, library.set_starred(paper_id, starred)) for paper_id in ids]
    if args.json:
        print_json([_mark(i, names[i], "starred", starred, changed) for i, changed in changes])
        return 0
    for paper_id, changed in changes:
        print(f"{verb if changed else 'already ' + verb} {paper_id}  {names[paper_id]}")
    return 0


def _mark(paper_id: str, title: str, mark: str, value: bool, changed: bool) -> dict[str, object]:
    return {"id": paper_id, "title": title, mark: value, "changed": changed}


def run_tag(args: argparse.Namespace, *, add: bool) -> int:
    for name in args.names:
        if not normalise_tag(name):
            raise UsageError(f"not a tag name: {name!r}")
    with open_library(args) as library:
        paper_id = library.resolve_id(args.id)
        paper = library.get(paper_id)
        before = paper.tags if paper else []
        change = library.add_tags if add else library.remove_tags
        tags = change(paper_id, args.names)
    missing = (
        [] if add else [n for n in dict.fromkeys(map(normalise_tag, args.names)) if n not in before]
    )
    if args.json:
        print_json({"id": paper_id, "tags": list(tags), "missing": missing})
        return 0
    for name in missing:  # say so, as the reader does: a typo in a tag name is easy to miss
        print(f"paperdeck: {paper_id} had no tag {name!r}", file=sys.stderr)
    print(f"{paper_id} tags: {', '.join(tags) if tags else '(none)'}")
    return 0


def run_read(args: argparse.Namespace) -> int:
    read = not args.unread
    verb = "read" if read else "unread"
    with open_library(args) as library:
        ids = resolve_ids(library, args.ids)
        names = titles(library, ids)
        changes = [(paper_id, library.set_read(paper_id, read)) for paper_id in ids]
    if args.json:
        print_json([_mark(i, names[i], "read", read, changed) for i, changed in changes])
        return 0
    for paper_id, changed in changes:
        state = f"marked {verb}" if changed else f"already {verb}"
        print(f"{state} {paper_id}  {names[paper_id]}")
    return 0
