"""Keys that change the highlighted paper: each change is in SQLite at once."""

from __future__ import annotations

from paperdeck.core.paperset import PaperSet
from paperdeck.core.store import Library
from paperdeck.ui.screens.note_editor import NoteEditor
from paperdeck.ui.screens.notices import sentence, short_title
from paperdeck.ui.screens.prompts import ConfirmDialog, TextPrompt
from paperdeck.ui.widgets.key_bar import KeyBar
from paperdeck.ui.widgets.paper_list import PaperList
from testkit import capture_notifications, come_to_rest, settle, until


def stored(root, paper_id):
    """The paper as a fresh connection sees it: what really reached the disk."""
    with Library(root) as library:
        return library.get(paper_id)


async def test_s_stars_and_unstars(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        paper_id = app.screen.current_id
        await pilot.press("s")
        assert stored(sample_root, paper_id).starred
        await settle(pilot)
        row = app.screen.query_one(PaperList).render_line(0).text
        assert row.startswith("★")
        assert "1 starred" in app.screen.sub_title
        await pilot.press("s")
        assert not stored(sample_root, paper_id).starred


async def test_r_toggles_read_and_says_so(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        said = capture_notifications(app)
        paper_id = app.screen.current_id
        title = stored(sample_root, paper_id).title
        assert not stored(sample_root, paper_id).read
        await pilot.press("r")
        assert stored(sample_root, paper_id).read
        await pilot.press("r")
        assert not stored(sample_root, paper_id).read
        # As `s` says "Starred: …": full screen no row mark shows what `r` did.
        assert said == [f"Marked read: {title}", f"Marked unread: {title}"]


async def test_a_paper_open_for_a_moment_is_marked_read(sample_root, make_app):
    # No delay ends by itself here: the test says when it is over, so the order of moving
    # and marking is certain however busy the machine is.
    app = make_app(sample_root, read_delay=3600.0)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        screen = app.screen
        first = screen.current_id
        assert screen.read_mark.pending == first
        await pilot.press("j")  # moved away before the delay: the first stays unread
        await until(pilot, lambda: screen.current_id != first, "the highlight moved")
        second = screen.current_id
        assert screen.read_mark.pending == second
        screen.read_mark.elapse()
        await settle(pilot)
        assert not stored(sample_root, first).read
        assert stored(sample_root, second).read
        # The counts wait for the cursor keys to rest (`ViewDisplay`): `j` was just pressed.
        await until(pilot, lambda: "39 unread" in screen.sub_title, "the counts followed")


async def test_the_read_mark_comes_by_itself_after_the_delay(sample_root, make_app):
    app = make_app(sample_root, read_delay=0.05)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        first = app.screen.current_id
        await until(pilot, lambda: stored(sample_root, first).read, "the timer marked it")
        await until(pilot, lambda: "39 unread" in app.screen.sub_title, "the count followed")


async def test_n_saves_a_note_with_ctrl_s(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        paper_id = app.screen.current_id
        await pilot.press("n")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"# Why", "enter", *"- read **this**")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert stored(sample_root, paper_id).note == "# Why\n- read **this**"
        shown = app.screen.abstract.render_paper().plain
        assert "Why\n• read this" in shown  # rendered, not raw Markdown


async def test_escape_in_the_note_editor_asks_before_dropping_changes(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        paper_id = app.screen.current_id
        await pilot.press("n", *"draft")
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # keep editing
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("escape", "y")  # drop
        await settle(pilot)
        assert not isinstance(app.screen, NoteEditor | ConfirmDialog)
        assert stored(sample_root, paper_id).note == ""
        await pilot.press("n", "escape")  # unchanged: closes without asking
        assert not isinstance(app.screen, NoteEditor | ConfirmDialog)


async def test_t_adds_a_tag_with_suggestions_from_existing_tags(sample_root, make_app):
    with Library(sample_root) as library:
        other = library.select(PaperSet())[5]
        library.add_tags(other, ["transformers"])
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        paper_id = app.screen.current_id
        await pilot.press("t")
        assert isinstance(app.screen, TextPrompt)
        await pilot.press(*"trans")
        await pilot.pause()
        await pilot.press("right")  # accept the suggestion
        await pilot.press("enter")
        await settle(pilot)
        assert stored(sample_root, paper_id).tags == ["transformers"]
        entries = {(e.kind, e.value): e.count for e in app.screen.sidebar.entries}
        assert entries[("tag", "transformers")] == 2


async def test_T_removes_a_tag(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        paper_id = app.screen.current_id
        app.screen.library.add_tags(paper_id, ["keep", "drop"])
        await pilot.press("T")
        assert isinstance(app.screen, TextPrompt)
        await pilot.press(*"drop", "enter")
        await settle(pilot)
        assert stored(sample_root, paper_id).tags == ["keep"]


async def test_T_on_an_untagged_paper_says_so(sample_root, make_app):
    app = make_app(sample_root)
    said = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("T")
        assert not isinstance(app.screen, TextPrompt)
        assert "This paper has no tags" in said


async def test_T_is_left_out_of_the_key_bar_for_a_paper_without_tags(sample_root, make_app):
    """Pressed anyway, it still says why it did nothing."""
    with Library(sample_root) as library:
        tagged = library.select(PaperSet())[1]
        library.add_tags(tagged, ["later"])
    app = make_app(sample_root)
    said = capture_notifications(app)
    async with app.run_test(size=(200, 35)) as pilot:
        await come_to_rest(pilot)
        keys = app.screen.query_one(KeyBar)
        assert "Untag" not in keys.plain and " t Tag " in keys.plain
        await pilot.press("T")
        await settle(pilot)
        assert not isinstance(app.screen, TextPrompt)
        assert said == ["This paper has no tags"]
        await pilot.press("j")  # the tagged paper
        await come_to_rest(pilot)
        assert app.screen.current_id == tagged
        assert " T Untag " in keys.plain


async def test_T_comes_and_goes_with_the_tags_without_a_move(sample_root, make_app):
    """Tagged with `t`, untagged with `T`, tagged in another window: the cursor stays."""
    app = make_app(sample_root)
    async with app.run_test(size=(200, 35)) as pilot:
        await come_to_rest(pilot)
        screen = app.screen
        keys = screen.query_one(KeyBar)
        paper_id = screen.current_id
        assert "Untag" not in keys.plain
        await pilot.press("t", *"keep", "enter")
        await settle(pilot)
        assert stored(sample_root, paper_id).tags == ["keep"]
        assert " T Untag " in keys.plain
        await pilot.press("T", "enter")  # its only tag is offered
        await settle(pilot)
        assert stored(sample_root, paper_id).tags == []
        assert "Untag" not in keys.plain
        with Library(sample_root) as library:  # another connection: the reader's live watch
            library.add_tags(paper_id, ["elsewhere"])
        await until(pilot, lambda: " T Untag " in keys.plain, "T offered for the new tag")
        assert screen.current_id == paper_id


async def test_a_key_right_after_a_move_acts_on_the_new_row(sample_root, make_app):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        papers = app.screen.query_one(PaperList)
        papers.action_cursor_down()  # the Highlighted message is still on its way
        papers.action_cursor_down()
        app.screen.action_star()
        assert stored(sample_root, papers.ids[2]).starred
        assert not stored(sample_root, papers.ids[0]).starred


async def test_the_paper_the_reader_opens_on_gets_its_read_mark(sample_root, make_app):
    """It is the first paper looked at, though the cursor never moved to it."""
    app = make_app(sample_root, read_delay=0.1)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, 0.3)
        opened_on = app.screen.current_id
        assert opened_on is not None and stored(sample_root, opened_on).read
        others = [i for i in app.screen.papers.ids if i != opened_on]
        assert not any(stored(sample_root, i).read for i in others)


async def test_no_read_mark_for_papers_the_user_did_not_move_to(sample_root, make_app):
    """A search typed in the search box, and `u` `f` `S` all move the highlight; none of
    them is the user looking at a paper (only the paper the reader opened on is read)."""
    app = make_app(sample_root, read_delay=0.1)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, 0.3)
        with Library(sample_root) as library:
            library.set_read(app.screen.current_id, False)  # the start-up paper's mark undone
        await pilot.press("S", "S")  # oldest first: another paper on top
        await settle(pilot, 0.3)
        await pilot.press("u")
        await settle(pilot, 0.3)
        await pilot.press("slash", *"diffusion")
        await settle(pilot, 0.3)
        searched = app.screen.current_id
        await pilot.press("escape", "f")
        await settle(pilot, 0.3)
        with Library(sample_root) as library:
            assert library.select(PaperSet().unread()) == library.select(PaperSet())
        assert not stored(sample_root, searched).read


async def test_enter_marks_the_paper_read_after_a_moment(sample_root, make_app):
    app = make_app(sample_root, read_delay=0.1)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        paper_id = app.screen.current_id
        await pilot.press("enter")
        await settle(pilot, 0.3)
        assert stored(sample_root, paper_id).read


async def test_r_marks_unread_and_the_timer_leaves_it_unread(sample_root, make_app):
    app = make_app(sample_root, read_delay=0.1)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot, 0.3)
        paper_id = app.screen.current_id
        assert stored(sample_root, paper_id).read
        await pilot.press("r")  # unread again, on purpose
        await settle(pilot, 0.3)
        await pilot.press("enter", "escape", "S")  # still on it: opened, back, re-sorted
        await settle(pilot, 0.3)
        assert app.screen.current_id == paper_id
        assert not stored(sample_root, paper_id).read
        await pilot.press("j", "k")  # left it and came back: that is reading it again
        await settle(pilot, 0.3)
        assert stored(sample_root, paper_id).read


async def test_t_makes_one_tag_of_the_whole_entry_and_T_finds_it_as_typed(sample_root, make_app):
    app = make_app(sample_root)
    said = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        paper_id = app.screen.current_id
        await pilot.press("t", *"Test Time, RL", "enter")
        await settle(pilot)
        assert stored(sample_root, paper_id).tags == ["test-time-rl"]  # as the CLI makes it
        assert said[-1] == "Tagged #test-time-rl"
        await pilot.press("t", *"#test time rl", "enter")
        assert said[-1] == "Already tagged #test-time-rl"
        await pilot.press("T")
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)
        assert prompt.suggestions == ["test-time-rl"]  # the paper's own tags complete
        await pilot.press("ctrl+u", *"Test Time, RL", "enter")
        await settle(pilot)
        assert stored(sample_root, paper_id).tags == []
        assert said[-1] == "Removed #test-time-rl"


def test_a_notice_ends_a_title_with_one_mark_only() -> None:
    assert sentence("Attention Is All You Need") == "Attention Is All You Need."
    assert sentence("Is Attention All You Need?") == "Is Attention All You Need?"
    assert sentence("Scaling Laws, Revisited.") == "Scaling Laws, Revisited."
    assert sentence(short_title("x" * 70, 10)) == "xxxxxxxxx…"
