"""The bundled demo listings, for `paperdeck demo` and the welcome screen's demo key."""

from __future__ import annotations

from datetime import date
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from paperdeck.core.store import Library


def demo_folder() -> Traversable:
    """Packaged in the wheel as paperdeck/assets/demo; the repo's assets/ when editable."""
    packaged = resources.files("paperdeck") / "assets" / "demo"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "assets" / "demo"


def demo_files() -> list[Traversable]:
    folder = demo_folder()
    if not folder.is_dir():
        return []
    return sorted(
        (item for item in folder.iterdir() if item.is_file() and item.name.endswith(".txt")),
        key=lambda item: item.name,
    )


def import_demo(library: Library, *, today: date | None = None) -> tuple[int, list[str]]:
    """Import every demo listing: (papers added, one line per problem)."""
    from paperdeck.core.importer import import_file
    from paperdeck.core.sources import decode

    files = demo_files()
    if not files:
        return 0, ["the demo listings are missing from this installation"]
    added, problems = 0, []
    for item in files:
        text = decode(item.read_bytes(), item.name)
        report = import_file(library, item.name, text=text, today=today)
        added += report.added
        if report.error is not None:
            problems.append(str(report.error))
    return added, problems
