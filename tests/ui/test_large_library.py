"""The list draws only what is visible: a big library costs a screenful of rows, not all."""

from __future__ import annotations

from paperdeck.core.models import Paper
from paperdeck.core.store import Library
from paperdeck.ui.screens.view_loader import REST_SECONDS
from paperdeck.ui.search_service import SearchService
from paperdeck.ui.widgets.paper_list import PaperList
from testkit import settle

N = 5000


class NoIndex(SearchService):
    """The index is not what this test is about: report it unavailable at once."""

    def open(self, progress=None) -> bool:
        raise RuntimeError("not in this test")


async def test_only_the_visible_window_of_rows_is_fetched(tmp_path, make_app):
    root = tmp_path / "big"
    with Library(root) as library:
        library.add_papers(
            Paper(
                title=f"Paper {n:05d} on topic {n % 97}",
                authors=[f"A{n}"],
                date=f"20{10 + n % 15}-{1 + n % 12:02d}-{1 + n % 28:02d}",
            )
            for n in range(N)
        )
    app = make_app(root, search_service=NoIndex(root))
    fetched: list[int] = []
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        papers = app.screen.query_one(PaperList)
        original = papers.fetch_rows

        def counting(ids):
            fetched.append(len(ids))
            return original(ids)

        papers.fetch_rows = counting
        assert len(papers.ids) == N
        await pilot.press("G")
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        for _ in range(5):
            await pilot.press("pagedown")
        await pilot.pause()
        assert papers.cursor == 5 * (papers.scrollable_content_region.height - 1)
        assert sum(fetched) < 400  # a few windows of rows, never the whole library
        assert len(app.screen.query("*")) < 60  # no widget per paper


async def test_a_replaced_list_scrolls_as_after_a_full_layout(tmp_path, make_app):
    """Replacing the rows sets the scrollbar without laying the screen out again; what it
    shows must be what a full layout would show, for lists that fit and lists that do not."""
    root = tmp_path / "big"
    with Library(root) as library:
        library.add_papers(
            Paper(title=f"Paper {n:05d}", authors=[f"A{n}"], date=f"2020-01-{1 + n % 28:02d}")
            for n in range(N)
        )
    app = make_app(root, search_service=NoIndex(root))
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        papers = app.screen.query_one(PaperList)
        ids = list(papers.ids)
        for count, keep in (
            (N, None),
            (5, None),
            (0, None),
            (300, ids[40]),
            (3, None),
            (2000, ids[5]),
        ):
            papers.show(ids[:count], keep=keep)
            await settle(pilot, REST_SECONDS * 2)  # the abstract follows the cursor after a rest
            bar = papers.vertical_scrollbar
            shown = app.export_screenshot()
            state = (papers.virtual_size, bar.window_virtual_size, bar.window_size, bar.position)
            papers.refresh(layout=True)
            await settle(pilot)
            assert (
                papers.virtual_size,
                bar.window_virtual_size,
                bar.window_size,
                bar.position,
            ) == state
            assert app.export_screenshot() == shown, f"{count} rows"
            # Always there: no layout for a scrollbar that would come and go.
            assert papers.show_vertical_scrollbar
