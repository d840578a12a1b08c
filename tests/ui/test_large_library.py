"""The list draws only what is visible: a big library costs a screenful of rows, not all."""

from __future__ import annotations

from ui_helpers import settle

from paperdeck.core.models import Paper
from paperdeck.core.store import Library
from paperdeck.ui.search_service import SearchService
from paperdeck.ui.widgets.paper_list import PaperList

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
