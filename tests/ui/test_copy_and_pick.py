"""The link picker by j/k/arrows and enter; what y, the BibTeX and citation-key copies say."""

from __future__ import annotations

from test_link_keys import go_to

from paperdeck.ui.screens.prompts import LinkPicker
from testkit import settle


async def test_the_picker_moves_with_j_k_and_arrows_and_picks_with_enter(
    sample_root, make_app, pyperclip
):
    app = make_app(sample_root)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await go_to(pilot, "Diffusion Models for Protein Folding")
        await pilot.press("c")
        picker = app.screen
        assert isinstance(picker, LinkPicker) and picker.highlighted == 0
        assert "› [1] github.com/bio/fold" in picker.lines().plain
        await pilot.press("j")
        assert picker.highlighted == 1 and "› [2]" in picker.lines().plain
        await pilot.press("down")  # past the last: round to the first
        await pilot.press("up", "k")  # round to the last, and back
        assert picker.highlighted == 0
        await pilot.press("j", "enter")
        await pilot.pause()
        assert pyperclip.calls == ["https://github.com/bio/fold-data"]
        assert not isinstance(app.screen, LinkPicker)
