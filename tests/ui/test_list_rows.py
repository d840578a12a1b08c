"""A list row: its marks apart, and the first author whole where the row has room."""

from __future__ import annotations

from paperdeck.core.models import Paper
from paperdeck.core.store import Library
from testkit import settle


async def test_marks_are_apart_and_the_first_author_is_whole(sample_root, make_app):
    with Library(sample_root) as library:
        library.add_papers(
            [
                Paper(
                    title="Zeta Marks Paper",
                    authors=["Maximilian Oberhuber"],
                    date="2030-01-01",
                    links=["https://github.com/z/z"],
                    has_code=True,
                )
            ]
        )
        zeta = next(r.id for r in library.rows(library.all_ids()) if r.title == "Zeta Marks Paper")
        library.set_note(zeta, "n")
    app = make_app(sample_root)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        papers = app.screen.papers
        assert papers.size.width >= 100  # the wide layout gives the list the room
        row = "".join(segment.text for segment in papers.render_row(0, papers.size.width, False))
        assert row.rstrip().endswith("Maximilian Oberhuber ✎ </>")
        narrow = "".join(s.text for s in papers.render_row(0, 60, False))
        assert narrow.rstrip().endswith(" ✎ </>") and len(narrow) == 60
