"""`paperdeck stats`: what the library holds, in numbers."""

from __future__ import annotations

import argparse
import os
from collections import Counter
from pathlib import Path
from typing import Any

from paperdeck.cli.library import open_library
from paperdeck.cli.output import print_json
from paperdeck.cli.parsing import AddCommand

TOP = 10


def register(add: AddCommand) -> None:
    command = add(
        "stats",
        summary="count papers, stars, notes, tags and sources",
        description=(
            "Print the library's numbers: papers, starred, unread, with notes, with code, "
            "tags, the most common categories, the files papers came from, and where the "
            "library lives and how much disk it takes."
        ),
        examples=["paperdeck stats", "paperdeck --library ~/papers stats --json"],
    )
    command.add_argument("--json", action="store_true", help="print the numbers as JSON")
    command.set_defaults(run=run_stats)


def collect(args: argparse.Namespace) -> dict[str, Any]:
    with open_library(args) as library:
        facets = library.facets()
        root = library.root
    tags = facets.values["tag"]
    return {
        "papers": facets.total,
        "starred": facets.views["starred"],
        "unread": facets.views["unread"],
        "notes": facets.views["notes"],
        "code": facets.views["code"],
        "tags": dict(tags.most_common()),
        "categories": dict(facets.values["category"].most_common(TOP)),
        "sources": dict(sorted(facets.values["source"].items())),
        "library": str(root),
        "size_bytes": folder_size(root),
    }


def run_stats(args: argparse.Namespace) -> int:
    numbers = collect(args)
    if args.json:
        print_json(numbers)
        return 0
    tags: dict[str, int] = numbers["tags"]
    top_tags = ", ".join(f"{tag} {n}" for tag, n in list(tags.items())[:TOP])
    rows = [
        ("papers", str(numbers["papers"])),
        ("starred", str(numbers["starred"])),
        ("unread", str(numbers["unread"])),
        ("with notes", str(numbers["notes"])),
        ("with code", str(numbers["code"])),
        ("tags", f"{len(tags)}" + (f"  ({top_tags})" if top_tags else "")),
        ("categories", ", ".join(f"{c} {n}" for c, n in numbers["categories"].items()) or "-"),
    ]
    for label, value in rows:
        print(f"{label + ':':<12}{value}")
    print("sources:")
    for label, n in source_rows(numbers["sources"]):
        print(f"  {n:>6}  {label}")
    print(f"{'library:':<12}{numbers['library']} ({human_size(numbers['size_bytes'])})")
    return 0


def source_rows(sources: dict[str, int]) -> list[tuple[str, int]]:
    """Sources as the reader's sidebar names them ("feed: cs.CL", a file by its name), most
    papers first; a file name two sources share keeps its whole path, so the rows stay
    apart. (--json keeps the stored values: "feed:cs.CL", the path as imported.)"""
    from paperdeck.core.feeds.source_names import source_label

    labels = {source: source_label(source) for source in sources}
    shared = {label for label, n in Counter(labels.values()).items() if n > 1}
    rows = [
        (label if label not in shared else source, sources[source])
        for source, label in labels.items()
    ]
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def folder_size(root: Path) -> int:
    total = 0
    for folder, _, files in os.walk(root):
        for name in files:
            try:
                total += (Path(folder) / name).stat().st_size
            except OSError:  # a file removed while we walk (the index compacting, say)
                continue
    return total


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    value = size / 1024
    for unit in ("KB", "MB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"
