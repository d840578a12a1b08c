"""`paperdeck stats`: what the library holds, in numbers."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from paperdeck.cli.library import open_library
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
        from paperdeck.core.export import json_text

        print(json_text(numbers))
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
    for source, n in numbers["sources"].items():
        print(f"  {n:>6}  {source}")
    print(f"{'library:':<12}{numbers['library']} ({human_size(numbers['size_bytes'])})")
    return 0


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
