"""`/` and a word typed at once, as a terminal delivers them in one read: every key after the
`/` reaches the search field, none lands on the list (where `r` marks a paper read)."""

from __future__ import annotations

import sqlite3

from textual import events

from paperdeck.core.store import DB_NAME
from paperdeck.ui.widgets.search_bar import SearchInput
from testkit import settle


def burst(app, text: str) -> None:
    """Queue the keys of ``text`` without waiting between them, as the terminal driver
    posts what one read of the terminal brought."""
    for character in text:
        key = {"/": "slash", "\r": "enter", "\x1b": "escape"}.get(character, character)
        app.post_message(events.Key(key, character))


def read_count(root) -> int:
    with sqlite3.connect(root / DB_NAME) as db:
        return db.execute("SELECT count(*) FROM papers WHERE read").fetchone()[0]


def starred_ids(root) -> set[str]:
    with sqlite3.connect(root / DB_NAME) as db:
        return {row[0] for row in db.execute("SELECT id FROM papers WHERE starred_at IS NOT NULL")}


async def test_keys_typed_right_after_slash_reach_the_search_field(sample_root, make_app):
    app = make_app(sample_root, read_delay=None)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        read_before = read_count(sample_root)
        burst(app, "/reasoning")
        await settle(pilot)
        assert isinstance(app.focused, SearchInput)
        assert app.screen.search_bar.value == "reasoning"
        assert app.screen.paperset.query == "reasoning"
        assert read_count(sample_root) == read_before  # no `r` reached the list
        burst(app, "/x")  # in the field, `/` is typed like any other character
        await settle(pilot)
        assert app.screen.search_bar.value == "reasoning/x"


async def test_a_key_typed_right_after_enter_or_escape_in_the_field_acts_on_the_list(
    sample_root, make_app
):
    """Over SSH, `/word`, enter and `s` can arrive in one read: the word is searched whole
    and the `s` stars a paper of the list instead of being typed into the query (and
    likewise after esc)."""
    app = make_app(sample_root, read_delay=None)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        before = starred_ids(sample_root)
        burst(app, "/reasoning\rs")
        await settle(pilot)
        assert app.screen.search_bar.value == "reasoning"
        assert app.screen.paperset.query == "reasoning"
        assert app.focused is app.screen.papers
        after_enter = starred_ids(sample_root)
        assert len(after_enter ^ before) == 1  # one star, by the list
        burst(app, "/xyz\x1bs")  # esc clears the search; the `s` is not typed into it
        await settle(pilot)
        assert app.focused is app.screen.papers
        assert app.screen.search_bar.value == ""
        assert app.screen.paperset.query == ""
