"""A list row: its marks apart, and the first author whole where the row has room."""

from __future__ import annotations

from paperdeck.core.models import Paper
from paperdeck.core.store import Library
from testkit import settle, until


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


async def test_the_first_author_shows_at_120_and_100_columns_beside_most_of_the_title(
    sample_root, make_app
):
    """At 120 columns (the sidebar open, the abstract below) the whole name shows; at 100 the
    title keeps two thirds of the room it shares with the name, which is cut instead."""
    title = "Scaling Laws for Sparse Mixture of Experts Language Models Trained on Code"
    with Library(sample_root) as library:
        library.add_papers(
            [Paper(title=title, authors=["Maximilian Oberhuber", "B C"], date="2030-01-01")]
        )
    for size, shown in (((120, 35), "Maximilian Oberhuber"), ((100, 30), "Maximilian Ober…")):
        app = make_app(sample_root)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            papers = app.screen.papers
            width = papers.scrollable_content_region.width
            row = "".join(s.text for s in papers.render_row(0, width, False))
            assert row.rstrip().endswith(" " + shown), (size, row)
            shared = width - (2 + 2 + 11 + 6)
            title_part = row[15:].split(" " + shown)[0]
            assert len(title_part) >= shared * 2 // 3, (size, row)
            assert title_part.startswith(title[:20])


async def test_latex_in_a_title_is_read_as_text_in_the_row_and_the_pane(tmp_path, make_app):
    """Once pylatexenc is loaded (in a worker, after the first paint) the row shows what an
    arXiv title's LaTeX says; the library keeps the title as the source gave it."""
    raw = r"On the $\alpha$-Stability of \texttt{FlashAttention}"
    root = tmp_path / "lib"
    with Library(root) as library:
        library.add_papers([Paper(title=raw, date="2024-03-02")])
    app = make_app(root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        papers = app.screen.papers

        def row() -> str:
            return papers.render_line(0).text

        await until(pilot, lambda: "On the α-Stability of FlashAttention" in row(), "read")
        shown = app.screen.abstract.render_paper().plain
        assert shown.startswith("On the α-Stability of FlashAttention\n")
    with Library(root) as library:
        assert [r.title for r in library.rows(library.all_ids())] == [raw]
