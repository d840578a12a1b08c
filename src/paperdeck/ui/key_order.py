"""The main screen's keys and its dialogs', run in the order they arrive.

Textual runs a priority binding as soon as the app reads its key, while an ordinary key
first travels to the focused widget and bubbles back up through its containers, one
message queue at a time, before its binding runs. Keys of one terminal read (typed fast,
or arriving together over SSH) then run out of order when the two kinds mix: with `j` a
priority key, `sj` starred the row below; with `t` one, `jt` tagged the row above.

So on the main screen the app looks each key up in the screen's active bindings and runs
its action itself, awaiting it, before it reads the next key. Every key then runs in order,
none travels through the containers (a cursor move 0.4-0.9 ms sooner at 100,000 papers), and
the letters typed right after `n` or `t` reach the dialog those keys opened, since the
action has mounted it when the next key is read. Keys without a binding there, and `esc`
where Textual minimizes a pane shown full screen, take Textual's usual way.

In the search field the letters are typed, Textual's way: the field takes them from its
queue. A key bound there (ctrl+u, backspace, the cursor keys, enter) used to run only once
it had bubbled back up to the app, after the letters behind it were typed: ctrl+u then a
word in one read erased the word. Such a key now runs here too, once the field has taken
the keys before it.

A dialog's keys run here too (not Textual's own screens, as the command palette). A
dialog answered by a key (enter in the tag prompt, ctrl+s in the note editor, y) is gone
before the next key of the same read is looked at, and that key acts on the screen below:
`tfoo⏎js` tags, moves and stars, where it tagged "#foojs".

An action may move the focus by a message rather than at once (enter in the list posts
`Opened`, and the screen focuses the abstract when the message has bubbled up to it). So
before a key is looked up, the messages waiting in the focused pane and its containers are
handled first: `enter` and `j` of one read then act as `enter`, a pause, `j` (the `j`
scrolls the abstract rather than move the list's cursor).
"""

from __future__ import annotations

import asyncio
from contextlib import suppress
from typing import Any

from textual import events
from textual.app import App
from textual.screen import Screen

from paperdeck.ui.screens.main import MainScreen

__all__ = ["run_in_order"]

# The longest a key waits for the messages before it. They take about a millisecond; this
# only bounds a handler that would await the user (whose keys wait behind this one).
SETTLE_SECONDS = 0.5
# The screens whose keys run here: paperdeck's own, the main screen and the dialogs it opens
# (not Textual's, as the command palette, which read their keys their own way). Known by
# their module: the dialogs are imported only when a key opens one.
OUR_SCREENS = "paperdeck.ui.screens."


async def run_in_order(app: App[Any], event: events.Key) -> bool:
    """Run the action bound to ``event``'s key on the main screen or one of its dialogs;
    False when the key is left to Textual (another screen, a letter typed into a text
    field, no binding)."""
    screen = app.screen
    if not _ours(screen) or (isinstance(screen, MainScreen) and _typed(app, event)):
        return False  # (the search field's letters at once: an echo waits for nothing)
    # The focus an earlier key moved by a message; the letters a field has to type first; a
    # dialog an earlier key answered.
    await _messages_handled(screen)
    if app.screen is not screen:
        screen = app.screen
        if not _ours(screen):
            return False
        await _messages_handled(screen)  # the screen below, back: its focus restored
    if _typed(app, event):
        return False
    if event.key == "escape" and screen.maximized is not None and app.escape_to_minimize:
        return False  # Textual's own: back from a pane the palette maximized
    found = screen.active_bindings.get(event.key)
    if found is None or not found.enabled:
        return False  # a greyed-out key (no paper highlighted): Textual's way, to nothing
    app.app_focus = True  # as Textual notes any key
    # False: the action gave the key up (the screen's ctrl+c copies only a selection), and
    # Textual offers it to the next binding (the app's ctrl+c says how to quit).
    return await app.run_action(found.binding.action, found.node)


def _ours(screen: Screen[Any]) -> bool:
    return type(screen).__module__.startswith(OUR_SCREENS)


def _typed(app: App[Any], event: events.Key) -> bool:
    """Whether the focused widget types ``event``'s character (a text field, the note
    editor)."""
    focused = app.focused
    return (
        focused is not None
        and event.is_printable
        and focused.check_consume_key(event.key, event.character)
    )


async def _messages_handled(screen: Screen[Any]) -> None:
    """Wait until the focused widget and its containers up to ``screen`` have handled the
    messages in their queues (not the app, whose queue holds the keys: this one runs in
    it). Bottom up, as messages bubble: one that a widget hands on to its container is in
    that container's queue when the widget is done with it. A pump with nothing queued (a
    key typed alone, after a pause) costs nothing."""
    focused = screen.focused
    chain = [] if focused is None else focused.ancestors_with_self
    pumps = [*chain[: chain.index(screen)], screen] if screen in chain else [screen]
    with suppress(TimeoutError):
        async with asyncio.timeout(SETTLE_SECONDS):
            for pump in pumps:
                if pump.message_queue_size:
                    handled = asyncio.Event()
                    if pump.call_later(handled.set):
                        await handled.wait()
