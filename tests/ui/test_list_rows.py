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


async def test_more_rows_below_the_screen_draw_no_row_again(sample_root, make_app):
    """The whole list after its first screenful (the same rows on screen) resizes the canvas
    alone; other rows on screen, other search terms or an empty list draw again."""
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        papers = app.screen.papers
        every = list(papers.ids)
        papers.show(every[:20], keep=every[0])
        await settle(pilot)
        drawn: list[int] = []
        render_row = papers.render_row

        def counted(index, width, selected):
            drawn.append(index)
            return render_row(index, width, selected)

        repaints: list[object] = []
        repaint = papers.refresh
        papers.render_row = counted
        papers.refresh = lambda *a, **k: (repaints.append(a), repaint(*a, **k))[1]
        papers.show(every, keep=every[0])
        await settle(pilot)
        assert drawn == [] and repaints == [] and papers.virtual_size.height == len(every)
        papers.refresh = repaint
        await pilot.press("G")  # the rows below the first screenful are there to scroll to
        await settle(pilot)
        assert papers.cursor == len(every) - 1 and drawn[-1] == len(every) - 1
        await pilot.press("g")
        await settle(pilot)
        drawn.clear()
        papers.show(every, keep=every[0], terms=["model"])  # the titles' marks change
        await settle(pilot)
        assert drawn and drawn[0] == 0
        drawn.clear()
        papers.show(every[1:], keep=every[1], terms=["model"])  # other rows on screen
        await settle(pilot)
        assert drawn and drawn[0] == 0
        papers.show([])
        await settle(pilot)
        changed: list[int] = []
        rows_changed = papers.rows_changed
        papers.rows_changed = lambda: (changed.append(1), rows_changed())
        papers.empty_text = "Nothing here now."  # an empty list again, saying another thing
        papers.show([])
        await settle(pilot)
        assert changed == [1]
