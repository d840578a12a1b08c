"""c, y and o: copying and opening links, the 1-9 picker, the OSC 52 fallback, refusals."""

from __future__ import annotations

from paperdeck.core.models import Paper
from paperdeck.core.store import Library
from paperdeck.ui.clipboard import Clipboard
from paperdeck.ui.screens.prompts import LinkPicker
from paperdeck.ui.widgets.key_bar import KeyBar
from testkit import Recorder, capture_notifications, come_to_rest, settle


def capture_osc52(app) -> list[str]:
    """What reached `App.copy_to_clipboard` (the OSC 52 path)."""
    received: list[str] = []
    app.copy_to_clipboard = received.append
    return received


async def go_to(pilot, title: str) -> None:
    papers = pilot.app.screen.papers
    library = pilot.app.screen.library
    titles = [row.title for row in library.rows(papers.ids)]
    papers.cursor = titles.index(title)
    await pilot.pause()


async def test_c_copies_the_only_code_link(sample_root, make_app, pyperclip):
    app = make_app(sample_root)
    osc52 = capture_osc52(app)
    said = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        assert pyperclip.calls == ["https://github.com/ada/attn"]
        assert osc52 == []
        assert "Copied the code link github.com/ada/attn to the clipboard" in said


async def test_c_with_several_code_links_picks_with_a_digit(sample_root, make_app, pyperclip):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await go_to(pilot, "Diffusion Models for Protein Folding")
        await pilot.press("c")
        assert isinstance(app.screen, LinkPicker)
        await pilot.press("2")
        await pilot.pause()
        assert pyperclip.calls == ["https://github.com/bio/fold-data"]
        assert not isinstance(app.screen, LinkPicker)


async def test_c_without_a_code_link_says_so(sample_root, make_app, pyperclip):
    app = make_app(sample_root)
    said = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await go_to(pilot, "A Survey of Large Language Models")
        await pilot.press("c")
        assert pyperclip.calls == []
        assert "No code link for this paper" in said


async def test_c_is_left_out_of_the_key_bar_for_a_paper_without_a_code_link(
    sample_root, make_app, pyperclip
):
    """In the list and full screen alike; pressed anyway, it still says why it did nothing."""
    app = make_app(sample_root)
    said = capture_notifications(app)
    async with app.run_test(size=(200, 35)) as pilot:
        await come_to_rest(pilot)
        keys = app.screen.query_one(KeyBar)
        assert " c Copy code " in keys.plain  # the first paper has one
        await go_to(pilot, "A Survey of Large Language Models")
        await come_to_rest(pilot)
        assert "Copy code" not in keys.plain
        assert " y Copy link " in keys.plain  # the other spare keys stay
        await pilot.press("z")
        await settle(pilot)
        assert app.screen.maximized is app.screen.abstract
        assert " s Star " in keys.plain and "Copy code" not in keys.plain
        await pilot.press("c")
        await settle(pilot)
        assert pyperclip.calls == []
        assert "No code link for this paper" in said
        await pilot.press("escape")
        await go_to(pilot, "Attention Is All You Need Again")
        await come_to_rest(pilot)
        assert " c Copy code " in keys.plain


async def test_y_and_o_are_left_out_of_the_key_bar_for_a_paper_without_a_link(
    sample_root, make_app, pyperclip, browser
):
    """Pressed anyway, each still says why it did nothing; full screen too."""
    app = make_app(sample_root)
    said = capture_notifications(app)
    async with app.run_test(size=(200, 35)) as pilot:
        await come_to_rest(pilot)
        keys = app.screen.query_one(KeyBar)
        assert " y Copy link " in keys.plain and " o Open " in keys.plain  # arXiv and code
        await go_to(pilot, "Filler Study Number 00")  # no arXiv id, DOI or link at all
        await come_to_rest(pilot)
        assert "Copy link" not in keys.plain and " o Open " not in keys.plain
        assert " s Star " in keys.plain and " r Read " in keys.plain  # the others stay
        await pilot.press("z")
        await settle(pilot)
        assert app.screen.maximized is app.screen.abstract
        assert "Copy link" not in keys.plain and " o Open " not in keys.plain
        await pilot.press("y", "o")
        await settle(pilot)
        assert pyperclip.calls == [] and browser.calls == []
        assert said == ["No arXiv, DOI or page link for this paper", "This paper has no link"]
        await pilot.press("escape")
        await go_to(pilot, "Graph Neural Networks for Molecules")  # a DOI alone
        await come_to_rest(pilot)
        assert " y Copy link " in keys.plain and " o Open " in keys.plain


async def test_a_paper_with_only_a_code_link_is_offered_o_but_not_y(
    sample_root, make_app, pyperclip, browser
):
    """A code repository is no page of the paper's own (`y`), but `o` opens it."""
    with Library(sample_root) as library:
        library.add_papers(
            [Paper(title="Code Only Paper", date="2022-01-01", links=["https://github.com/x/y"])]
        )
    app = make_app(sample_root)
    said = capture_notifications(app)
    async with app.run_test(size=(200, 35)) as pilot:
        await come_to_rest(pilot)
        await go_to(pilot, "Code Only Paper")
        await come_to_rest(pilot)
        keys = app.screen.query_one(KeyBar)
        assert "Copy link" not in keys.plain
        assert " c Copy code " in keys.plain and " o Open " in keys.plain
        await pilot.press("y")
        await settle(pilot)
        assert pyperclip.calls == []
        assert said == ["No arXiv, DOI or page link for this paper; c copies the code link"]
        await pilot.press("o")
        await settle(pilot)
        assert browser.calls == ["https://github.com/x/y"]


async def test_y_copies_the_arxiv_page_else_the_first_link(sample_root, make_app, pyperclip):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await go_to(pilot, "Reinforcement Learning from Human Feedback at Scale")
        await pilot.press("y")
        await go_to(pilot, "Graph Neural Networks for Molecules")
        await pilot.press("y")
        assert pyperclip.calls == [
            "https://arxiv.org/abs/2406.00001",
            "https://rlhf.example.org/project",
            "https://doi.org/10.1000/graph",
        ]


async def test_copy_falls_back_to_osc52_when_pyperclip_fails(sample_root, make_app):
    failing = Recorder(fail=True)
    app = make_app(
        sample_root,
        clipboard=Clipboard(copy_function=failing, environ={"DISPLAY": ":0"}, platform="linux"),
    )
    osc52 = capture_osc52(app)
    said = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        assert osc52 == ["https://arxiv.org/abs/2406.00001"]
        assert any("to the terminal's clipboard (OSC 52)" in text for text in said)
        assert app.is_running


async def test_copy_over_ssh_uses_osc52_without_trying_pyperclip(sample_root, make_app, pyperclip):
    environ = {"SSH_TTY": "/dev/pts/3", "DISPLAY": ":0"}
    app = make_app(
        sample_root,
        clipboard=Clipboard(copy_function=pyperclip, environ=environ, platform="linux"),
    )
    osc52 = capture_osc52(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        assert osc52 == ["https://github.com/ada/attn"]
        assert pyperclip.calls == []


async def test_copy_never_crashes_even_when_both_ways_fail(sample_root, make_app):
    app = make_app(sample_root, clipboard=Clipboard(copy_function=Recorder(fail=True)))

    def broken(text: str) -> None:
        raise OSError("terminal gone")

    app.copy_to_clipboard = broken
    said = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        assert "Could not copy the arXiv link" in said
        assert app.is_running


async def test_o_opens_a_web_link_in_the_browser(sample_root, make_app, browser):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("o")  # arXiv page and a code link: pick one
        assert isinstance(app.screen, LinkPicker)
        await pilot.press("2")
        await settle(pilot)
        assert browser.calls == ["https://github.com/ada/attn"]


async def test_o_refuses_a_javascript_link(sample_root, make_app, browser):
    app = make_app(sample_root)
    said = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await go_to(pilot, "Dangerous Link Paper")
        await pilot.press("o")
        await settle(pilot)
        assert browser.calls == []
        assert "Refused to open a javascript: link; only http(s) links open" in said


async def test_o_refuses_a_file_link_picked_from_several(sample_root, make_app, browser):
    app = make_app(sample_root)
    said = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await go_to(pilot, "Two Bad Links Paper")
        await pilot.press("o")
        assert isinstance(app.screen, LinkPicker)
        await pilot.press("1")
        await settle(pilot)
        assert browser.calls == []
        assert "Refused to open a file: link; only http(s) links open" in said


async def test_escape_closes_the_picker_without_acting(sample_root, make_app, pyperclip):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await go_to(pilot, "Diffusion Models for Protein Folding")
        await pilot.press("c", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, LinkPicker)
        assert pyperclip.calls == []


async def test_o_without_a_browser_shows_the_link(sample_root, make_app):
    opened: list[str] = []

    def no_browser(url: str) -> bool:  # what webbrowser.open does when it finds none
        opened.append(url)
        return False

    app = make_app(sample_root, open_url=no_browser)
    said = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("o", "2")
        await settle(pilot)
        assert opened == ["https://github.com/ada/attn"]
        assert said[-1] == "No browser available — the link is: https://github.com/ada/attn"
        assert not any(text.startswith("Open") for text in said)


async def test_o_with_a_broken_browser_setup_shows_the_link(sample_root, make_app):
    app = make_app(sample_root, open_url=Recorder(fail=True))
    said = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("o", "2")
        await settle(pilot)
        assert app.is_running
        assert said == ["No browser available — the link is: https://github.com/ada/attn"]


async def test_o_says_which_link_the_browser_opened(sample_root, make_app, browser):
    app = make_app(sample_root)
    said = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("o", "2")
        await settle(pilot)
        assert browser.calls == ["https://github.com/ada/attn"]
        assert said[-1] == "Opened github.com/ada/attn in the browser"


async def test_y_refuses_a_javascript_link_as_o_does(sample_root, make_app, pyperclip):
    app = make_app(sample_root)
    osc52 = capture_osc52(app)
    said = capture_notifications(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await go_to(pilot, "Dangerous Link Paper")
        await pilot.press("y")
        await go_to(pilot, "Two Bad Links Paper")
        await pilot.press("y")
        await settle(pilot)
        assert pyperclip.calls == [] and osc52 == []
        assert said == [
            "Refused to copy a javascript: link; only http(s) links are copied",
            "Refused to copy a file: link; only http(s) links are copied",
        ]


async def test_y_refuses_a_non_web_link_even_over_ssh(sample_root, make_app, pyperclip):
    """Over SSH the copy would go through OSC 52: the policy holds before either way."""
    environ = {"SSH_TTY": "/dev/pts/3"}
    app = make_app(
        sample_root,
        clipboard=Clipboard(copy_function=pyperclip, environ=environ, platform="linux"),
    )
    osc52 = capture_osc52(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await go_to(pilot, "Dangerous Link Paper")
        await pilot.press("y")
        await settle(pilot)
        assert osc52 == [] and pyperclip.calls == []
