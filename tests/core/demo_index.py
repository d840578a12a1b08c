"""The demo listings imported and indexed, then partly re-indexed into newer segments.

Ranking tests need an index shaped like a used one: several segments, with deleted copies of
re-indexed papers left in the older ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from paperdeck.core.importer import import_file
from paperdeck.core.search.index import SearchIndex
from paperdeck.core.store import Library

DEMO_LISTINGS = sorted((Path(__file__).resolve().parents[2] / "assets" / "demo").glob("*.txt"))


@contextmanager
def demo_index_in_segments(root: Path, *, note_every: int | None = None) -> Iterator[SearchIndex]:
    """Tag (and every ``note_every``-th, note) 40 papers, syncing every 10 edits."""
    with Library(root) as library, SearchIndex(library) as index:
        reports = [import_file(library, path) for path in DEMO_LISTINGS]
        assert all(report.error is None for report in reports)
        index.ensure()
        ids = [paper.id for paper in library.get_many(reports[0].ids[:40])]
        for n, paper_id in enumerate(ids):
            library.add_tags(paper_id, ["keep"])
            if note_every and n % note_every == 0:
                library.set_note(paper_id, "reread the reasoning section")
            if n % 10 == 9:
                index.sync()
        index.sync()
        yield index
