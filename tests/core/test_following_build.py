"""The index built beside an import reads the papers as the import commits them
(`following_build.index_as_stored`): each paper is added once, and a paper changed after it
was read (a later record merged into it) is named to be logged again for the sync after.
Here the "import" is another connection writing while the build reads, at chosen moments."""

from __future__ import annotations

import threading
from pathlib import Path
from types import SimpleNamespace

from paperdeck.core.models import Paper
from paperdeck.core.search.following_build import index_as_stored
from paperdeck.core.store import Library


def paper(n: int, abstract: str = "A first abstract.") -> Paper:
    return Paper(
        title=f"Paper number {n}",
        authors=["Ada Lovelace"],
        abstract=abstract,
        arxiv_id=f"2401.{n:05d}",
        categories=["cs.LG"],
    )


class Build:
    """Stands in for a `SliceBuild`: records what is added, and calls ``when_added``."""

    def __init__(self, when_added) -> None:
        self.added: list[tuple[str, str]] = []
        self.done = 0
        self.when_added = when_added

    def add(self, paper: Paper) -> None:
        self.added.append((paper.id, paper.abstract))
        self.done += 1
        self.when_added(paper)


def test_each_paper_once_and_those_changed_after_they_were_read_again(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    with Library(root) as library:
        held = library.add_papers([paper(0), paper(1), paper(2)]).ids
    importer = Library(root)  # the import, writing while the build reads

    def when_added(added: Paper) -> None:
        if added.id == held[0]:  # read among the papers held at the start...
            # ...then a richer record of it merged, and a new paper stored
            importer.add_papers([paper(0, "A first abstract, and a longer one."), paper(7)])
        elif added.id == "2401.00007" and added.abstract == "A first abstract.":
            importer.add_papers([paper(7, "A first abstract, made longer later.")])

    build = Build(when_added)
    stored = threading.Event()
    stored.set()  # the import is done: the build reads the log to its end
    counter = SimpleNamespace(value=0)
    with Library(root) as library:
        seq, again = index_as_stored(library, build, stored, counter)  # type: ignore[arg-type]
        assert seq == library.last_change()
    importer.close()
    assert [paper_id for paper_id, _ in build.added] == [*held, "2401.00007"]
    assert again == {held[0], "2401.00007"}  # both changed after the build read them
    assert counter.value == 4


def test_a_change_read_with_the_paper_is_not_logged_again(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    with Library(root) as library:
        library.add_papers([paper(0)])
        library.add_papers([paper(0, "A first abstract, and a longer one.")])  # merged
        library.add_papers([paper(1)])
    stored = threading.Event()
    stored.set()
    build = Build(lambda added: None)
    with Library(root) as library:
        _seq, again = index_as_stored(library, build, stored, SimpleNamespace(value=0))  # type: ignore[arg-type]
    assert build.added == [
        ("2401.00000", "A first abstract, and a longer one."),
        ("2401.00001", "A first abstract."),
    ]
    assert again == set()
