"""Whatever is typed into search returns results or a hint, never an exception: in the core,
through `paperdeck search`, and in the reader's search bar."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperdeck.cli import main
from paperdeck.core.models import Paper
from paperdeck.core.query_words import nothing_to_search_yet
from paperdeck.core.search.index import SearchIndex
from paperdeck.core.store import Library
from testkit import capture_notifications_with_markup, settle

QUERIES = [
    '"unbalanced',
    'a "b c',
    "(((",
    ")))",
    "(robots",
    "robots)",
    "[a TO",
    "{x TO y]",
    "title:",
    "tag:",
    "tags: robots",
    ":",
    "::",
    "*",
    "**",
    "*a*",
    "?",
    "r*",
    "year:[2020 TO",
    "year:abc",
    "title:[a TO z]",
    "AND",
    "OR OR",
    "NOT",
    "robots AND",
    "- -",
    "-",
    "+",
    "^",
    "robots^",
    "robots^x",
    "~",
    "robots~",
    '"robots"~',
    "\\",
    "\x00\x01\x1b[31m\x07",
    "\x1b]52;c;ZXZpbA==\x07",
    "\u202erobots",
    "\t\n\r",
    "robots " * 2000,
    "x" * 10_000,
    "a:" * 3000,
    "(" * 5000,
    '"' * 5001,
    "😀 ∑ 𝔘 ﷽",
    "%s %d {0} ${x}",
    "'; DROP TABLE papers; --",
]

# The reader takes most of a second per query: a sample of each kind of trouble.
TYPED = ['"unbalanced', "(((", "robots)", "title:", "*", "year:[2020 TO", "AND", "robots^x",
         "\x00\x01\x1b[31m\x07", "\u202erobots", "x" * 10_000, "(" * 5000]  # fmt: skip


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("queries") / "lib"
    with Library(root) as library:
        library.add_papers(
            Paper(title=f"Robots and rewards {n}", abstract="Robots learn.", tags=["robots"])
            for n in range(10)
        )
        with SearchIndex(library) as index:
            index.ensure()
    return root


@pytest.fixture
def root(template: Path, tmp_path: Path) -> Path:
    shutil.copytree(template, tmp_path / "lib")
    return tmp_path / "lib"


@pytest.fixture(scope="module")
def index(template: Path):
    library = Library(template)
    search_index = SearchIndex(library)
    search_index.ensure()
    yield search_index
    search_index.close()
    library.close()


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: repr(q[:20]))
def test_core_search_never_raises(index, query):
    result = index.search(query)
    assert result.total == len(result.ids)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from('"():*^~-+[]{}\\'), max_size=60)
)
def test_core_search_never_raises_on_random_text(index, query):
    result = index.search(query)
    assert result.total == len(result.ids)
    assert len(set(result.ids)) == len(result.ids)


def test_cli_search_answers_every_query(root, capsys):
    for query in QUERIES:
        if "\x00" in query:  # cannot be a command-line argument
            continue
        code = main(["--library", str(root), "search", "--", query])
        out, err = capsys.readouterr()
        assert code == (1 if err.endswith("no papers found\n") else 0), (query, err)
        assert "Traceback" not in err
        assert err in ("", "no papers found\n") or err.startswith(
            ("query syntax not understood", "did you mean", "no papers found", "nothing matches")
        ), (query, err)


@pytest.mark.slow
async def test_the_search_bar_answers_every_query(root, make_app):
    app = make_app(root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        seen = capture_notifications_with_markup(app)
        screen = app.screen
        for query in TYPED:
            await pilot.press("slash")
            screen.search_bar.input.value = query  # as if pasted: one change event
            await pilot.press("enter")
            await settle(pilot)
            assert app.is_running
            status = screen.status.view_plain
            if nothing_to_search_yet(query):  # "AND", "a": stop words, not searched at all
                assert screen.paperset.query == "", query
                assert status.split(" ")[0].isdigit(), (query, status)  # the list, unsearched
                await pilot.press("escape")
                await settle(pilot)
                continue
            assert screen.paperset.query == query.strip() or screen.paperset.query == query
            assert not status.startswith("Search: "), (query, status)  # a failed search
            assert status.split(" ")[0].isdigit(), (query, status)  # "n results · ..."
            await pilot.press("escape")
            await settle(pilot)
        assert [text for text, _ in seen if "rror" in text] == []
