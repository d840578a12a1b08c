"""`/` and a word typed at once, as a terminal delivers them in one read: every key after the
`/` reaches the search field, none lands on the list (where `r` marks a paper read)."""

from __future__ import annotations

import sqlite3

from textual import events

from paperdeck.core.store import DB_NAME
from paperdeck.ui.widgets.search_bar import SearchInput
from testkit import capture_notifications, settle, until


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
        burst(app, "/xtTn")  # in the field, `/`, `t`, `T`, `n` are typed like any letter
        await settle(pilot)
        assert app.screen.search_bar.value == "reasoning/xtTn"


async def test_a_key_typed_right_after_enter_or_escape_in_the_field_acts_on_the_list(
    sample_root, make_app, monkeypatch
):
    """Over SSH, `/word`, enter and `s` can arrive in one read: the word is searched whole
    and the `s` stars a paper of the list instead of being typed into the query (and
    likewise after esc). The search takes a moment, as in a large library: the `s` waits
    for its results."""
    import time

    from paperdeck.ui.search_service import SearchService

    original = SearchService.search

    def slow_search(self, query, **options):
        time.sleep(0.3)  # in the worker's thread
        return original(self, query, **options)

    monkeypatch.setattr(SearchService, "search", slow_search)
    app = make_app(sample_root, read_delay=None)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        before = starred_ids(sample_root)
        whole_list_top = app.screen.papers.ids[0]
        burst(app, "/diffusion\rs")
        await settle(pilot)
        assert app.screen.search_bar.value == "diffusion"
        assert app.screen.paperset.query == "diffusion"
        assert app.focused is app.screen.papers
        after_enter = starred_ids(sample_root)
        # One star, on the search's best hit (the keys after enter wait for its results),
        # not on the row the list showed before the search
        best = app.screen.view.ids[0]
        assert best != whole_list_top
        assert after_enter ^ before == {best}
        burst(app, "/xyz\x1bs")  # esc clears the search; the `s` is not typed into it
        await settle(pilot)
        # (Each search takes 0.3 s here: under load the cleared view can come after `settle`.)
        await until(pilot, lambda: app.screen.paperset.query == "", "the search cleared")
        assert app.focused is app.screen.papers
        assert app.screen.search_bar.value == ""


async def test_a_search_posted_before_esc_cleared_the_field_is_not_run(sample_root, make_app):
    """The debounce may have posted the typed query just before esc arrives (a priority key,
    run at once): that query, no longer in the field, must not come back as the search."""
    from paperdeck.ui.widgets.search_bar import SearchBar

    app = make_app(sample_root, read_delay=None)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        burst(app, "/xyz")
        await settle(pilot)
        assert app.screen.paperset.query == "xyz"
        burst(app, "w")
        await settle(pilot)
        bar = app.screen.search_bar
        bar.post_message(SearchBar.QueryChanged("xyzw"))  # queued, as the debounce's
        bar.cancel_pending()
        app.screen.action_clear()  # esc, before the queued message is handled
        await settle(pilot)
        assert app.screen.paperset.query == ""
        assert bar.value == ""
        burst(app, "/ab")  # typing after it searches as before
        await settle(pilot)
        await until(pilot, lambda: app.screen.paperset.query == "ab", "the new search")


async def test_keys_in_one_read_act_in_their_order(sample_root, make_app):
    """`s` then `j` in one read: the star is for the row the cursor was on when `s` came,
    not for the row `j` moved to (a cursor key must not overtake the keys before it)."""
    app = make_app(sample_root, read_delay=None)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        first, second, third = app.screen.papers.ids[:3]
        burst(app, "sj")
        await settle(pilot)
        assert starred_ids(sample_root) == {first}
        assert app.screen.papers.highlighted_id == second
        burst(app, "sjsk")  # star the second, move, star the third, move back
        await settle(pilot)
        assert starred_ids(sample_root) == {first, second, third}
        assert app.screen.papers.highlighted_id == second


async def test_a_dialog_key_after_a_move_opens_for_the_row_moved_to(sample_root, make_app):
    """`jt` in one read: the tag prompt is for the second row (a key that ran ahead of the
    keys before it prompted for the first)."""
    from paperdeck.ui.screens.prompts import TextPrompt

    app = make_app(sample_root, read_delay=None)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        second = app.screen.papers.ids[1]
        burst(app, "jt")
        await settle(pilot)
        assert isinstance(app.screen, TextPrompt)
        await pilot.press(*"foo", "enter")
        await settle(pilot)
        from paperdeck.core.store import Library

        with Library(sample_root) as library:
            assert library.get(second).tags == ["foo"]


async def test_text_typed_right_after_n_or_t_goes_into_the_dialog(sample_root, make_app):
    """`nhello` or `tabc⏎` in one read: the letters after the key land in the editor or the
    prompt it opens, not on the list behind it (where they are keys)."""
    from paperdeck.ui.screens.note_editor import NoteEditor

    app = make_app(sample_root, read_delay=None)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        first = app.screen.papers.highlighted_id
        read_before = read_count(sample_root)
        burst(app, "tfoo\r")
        await settle(pilot)
        from paperdeck.core.store import Library

        with Library(sample_root) as library:
            assert library.get(first).tags == ["foo"]
        burst(app, "nhello")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one("TextArea").text == "hello"
        assert read_count(sample_root) == read_before  # no letter reached the list


async def test_keys_typed_after_a_dialog_is_answered_act_on_the_list(sample_root, make_app):
    """`tfoo⏎js` in one read tags the first paper "foo", then moves and stars the second:
    the dialog's answer runs after the letters before it and before the keys after it (it
    tagged "#foojs"). Likewise after the note editor's ctrl+s and a yes/no answer."""
    from paperdeck.core.store import Library

    app = make_app(sample_root, read_delay=None)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        ids = list(app.screen.papers.ids)
        burst(app, "tfoo\rjs")
        await settle(pilot)
        burst(app, "nabc")
        app.post_message(events.Key("ctrl+s", None))
        burst(app, "js")
        await settle(pilot)
        with Library(sample_root) as library:
            first, second, third = library.get_many(ids[:3])
        assert (first.tags, second.starred, second.note) == (["foo"], True, "abc")
        assert third.starred and app.screen.papers.highlighted_id == ids[2]
        assert starred_ids(sample_root) == {ids[1], ids[2]}


async def test_enter_after_a_list_kept_while_typing_acts_on_the_query(
    sample_root, make_app, monkeypatch
):
    """`/zq` (two letters that find nothing: the list stays while they are typed), then
    enter and `s`: the `s` acts on what "zq" lists (nothing), not on the kept list."""
    import time

    from paperdeck.ui.search_service import SearchService

    app = make_app(sample_root, read_delay=None)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        burst(app, "/zq")
        await settle(pilot)
        assert app.screen.status.keeps_view and app.screen.papers.ids
        before = starred_ids(sample_root)
        original = SearchService.search

        def slow_search(self, query, **options):
            time.sleep(0.3)  # in the worker's thread, as in a large library
            return original(self, query, **options)

        monkeypatch.setattr(SearchService, "search", slow_search)
        burst(app, "\rs")
        await settle(pilot)
        assert starred_ids(sample_root) == before
        assert app.screen.papers.ids == []


async def test_a_key_its_first_action_gives_up_goes_on_to_textual(sample_root, make_app):
    """ctrl+c in the list: the screen's copy has no selection and gives the key up; the
    app's own ctrl+c then says how to quit, as in any Textual app."""
    app = make_app(sample_root, read_delay=None)
    said = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+c")
        await settle(pilot)
        assert "Press q to quit paperdeck" in said, said  # plain text, and our quit key
        # In the search field q is typed: the reminder says how to leave it first.
        await pilot.press("slash", "ctrl+c")
        await settle(pilot)
        assert said[-1] == "Press esc, then q, to quit paperdeck"


async def test_keys_after_a_key_that_moves_the_focus_act_on_the_pane_it_moved_to(
    sample_root, make_app
):
    """`enter` then `j` in one read: the abstract opens and `j` scrolls it, as with a pause
    between them (the list posts a message that moves the focus: `j` moved the list's
    cursor before it arrived). Likewise after esc back to the list, and `z` in and out of
    the full screen."""
    from paperdeck.core.models import Paper
    from paperdeck.core.store import Library

    long_abstract = " ".join(f"Sentence {n} of a long abstract." for n in range(300))
    with Library(sample_root) as library:
        library.add_papers([Paper(title="Long", abstract=long_abstract, date="2030-01-01")])
    app = make_app(sample_root, read_delay=None)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        papers, abstract = app.screen.papers, app.screen.abstract
        burst(app, "zjj")  # the first paper full screen, scrolled by two lines
        await settle(pilot)
        assert (app.screen.maximized, app.focused, papers.cursor) == (abstract, abstract, 0)
        assert abstract.scroll_y == 2
        burst(app, "\x1bj")  # esc: back where `z` was pressed, where `j` moves the cursor
        await settle(pilot)
        assert (app.screen.maximized, app.focused, papers.cursor) == (None, papers, 1)
        burst(app, "k")
        await until(pilot, lambda: abstract.paper.title == "Long", "the abstract followed")
        burst(app, "\rj")  # the first paper's abstract, scrolled by a line
        await settle(pilot)
        assert (app.focused, papers.cursor, abstract.scroll_y) == (abstract, 0, 1)
        burst(app, "\x1bj")  # esc: back to the list, where `j` moves the cursor
        await settle(pilot)
        assert (app.focused, papers.cursor) == (papers, 1)


async def test_keys_after_enter_scroll_an_abstract_shown_in_the_same_read(sample_root, make_app):
    """From a paper whose abstract fits to one that does not, `j enter j j j` in one read
    scrolls the new abstract by three lines: its scrollbar is laid out a frame later, and
    the pane scrolls as soon as its text overflows, not once the bar shows."""
    from paperdeck.core.models import Paper
    from paperdeck.core.store import Library

    long_abstract = " ".join(f"Sentence {n} of a long abstract." for n in range(300))
    with Library(sample_root) as library:
        library.add_papers(
            [
                Paper(title="Short", abstract="One line.", date="2031-01-01"),
                Paper(title="Long", abstract=long_abstract, date="2030-01-01"),
            ]
        )
    app = make_app(sample_root, read_delay=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        papers, abstract = app.screen.papers, app.screen.abstract
        await until(pilot, lambda: abstract.paper.title == "Short", "the first abstract")
        assert not abstract.show_vertical_scrollbar
        burst(app, "j\rjjj")
        await settle(pilot)
        assert (app.focused, papers.cursor, abstract.paper.title) == (abstract, 1, "Long")
        assert abstract.scroll_y == 3
        # The same without a frame between: what a key in the same read may meet.
        burst(app, "\x1bk")
        await until(pilot, lambda: abstract.paper.title == "Short", "the first abstract again")
        await settle(pilot)
        assert not abstract.show_vertical_scrollbar
        long_paper = app.screen.library.get(papers.ids[1])
        abstract.show(long_paper)
        abstract.action_scroll_down()  # raised SkipAction: no scrollbar laid out yet
        await pilot.wait_for_scheduled_animations()
        await settle(pilot)
        assert abstract.scroll_y == 1


async def test_enter_does_not_search_again_what_the_typing_searched(
    sample_root, make_app, monkeypatch
):
    """Enter on a query that search-as-you-type has searched, or is searching, shows that
    search's answer instead of running it again; a query changed since is searched once."""
    from paperdeck.ui.search_service import SearchService

    searched: list[str] = []
    original = SearchService.search

    def counted(self, query, **options):
        searched.append(query)  # in the worker's thread
        return original(self, query, **options)

    monkeypatch.setattr(SearchService, "search", counted)
    app = make_app(sample_root, read_delay=None)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        burst(app, "/xy")  # finds nothing while typed: the list stays
        await settle(pilot)
        assert app.screen.status.keeps_view and searched == ["xy"]
        burst(app, "\r")  # searched already: its answer, no papers, is the list now
        await settle(pilot)
        assert (searched, app.screen.papers.ids, app.focused) == (["xy"], [], app.screen.papers)
        burst(app, "/z\r")  # "xyz" differs from the query searched: searched once, widened
        await settle(pilot)
        assert searched == ["xy", "xyz", "xyz*"]
        assert app.screen.paperset.query == "xyz"
        burst(app, "\x1b/zq\r")  # enter while the typing's search runs: that search's answer
        await settle(pilot)
        assert searched == ["xy", "xyz", "xyz*", "zq"]
        assert (app.screen.paperset.query, app.screen.papers.ids) == ("zq", [])
        assert app.focused is app.screen.papers


async def test_keys_held_for_a_view_go_on_at_once_when_it_fails_to_load(
    sample_root, make_app, monkeypatch
):
    """esc clears the search, and the keys after it wait for the whole list (`caught_up`).
    When that load fails (its error is shown), they go on at once, not after the longest
    wait (made 30 s here, longer than `until` waits)."""
    import sqlite3

    from paperdeck.core.catalog import Catalog
    from paperdeck.ui.screens import view_loader

    monkeypatch.setattr(view_loader, "CATCH_UP_SECONDS", 30.0)
    app = make_app(sample_root, read_delay=None)
    said = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        burst(app, "/diffusion")
        await settle(pilot)
        best = app.screen.papers.highlighted_id
        original = Catalog.selections

        def failing(self, paperset, *args, **options):
            if not paperset.query:
                raise sqlite3.OperationalError("disk I/O error")
            yield from original(self, paperset, *args, **options)

        monkeypatch.setattr(Catalog, "selections", failing)
        burst(app, "\x1bs")  # esc in the field; the `s` stars the list still shown
        await until(pilot, lambda: starred_ids(sample_root) == {best}, "the star after esc")
        failed = "Could not load the list: disk I/O error"
        assert said[:2] == [failed, "Starred: Diffusion Models for Protein Folding"]
        # (The star reloads the list, which fails again: said once more if it came by now.)
        assert set(said[2:]) <= {failed}


def keys_at_once(app, *keys: str) -> None:
    """`burst` by key names (ctrl+u, backspace, left): one read of the terminal."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def test_keys_bound_in_the_search_field_act_in_order_with_the_letters(sample_root, make_app):
    """ctrl+u then a word in one read: the word is the new query. A key bound in the field
    (ctrl+u, backspace, the cursor keys) ran once it had bubbled back up to the app, after
    the letters behind it were typed: ctrl+u erased them, backspace deleted the last."""
    app = make_app(sample_root, read_delay=None)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        burst(app, "/reinforcement")
        await settle(pilot)
        keys_at_once(app, "ctrl+u", *"diffusion")
        await settle(pilot)
        assert app.screen.search_bar.value == app.screen.paperset.query == "diffusion"
        keys_at_once(app, *"xyz", "backspace", "backspace", "left", "a", "home", "b")
        await settle(pilot)
        assert app.screen.search_bar.value == "bdiffusionax"
        assert app.screen.search_bar.input.cursor_position == 1
