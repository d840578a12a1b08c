"""`paperdeck note`: read, set or edit a paper's private note."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TextIO

from paperdeck.cli.errors import CommandError, UsageError
from paperdeck.cli.library import open_library
from paperdeck.cli.output import print_json
from paperdeck.cli.parsing import AddCommand
from paperdeck.core.store import NOTE_LIMIT, NoteChanged, NoteTooLong
from paperdeck.core.text import clean_block


def register(add: AddCommand) -> None:
    command = add(
        "note",
        summary="print, set or edit a paper's note",
        description=(
            "Without TEXT, print the paper's note. With TEXT, replace the note (an empty "
            "TEXT clears it; - reads the note from standard input). With --edit, open the "
            "note in $VISUAL or $EDITOR and save it when the editor exits; --edit with TEXT "
            "opens the editor on TEXT instead (as `git commit -e -m` does). Notes are private: "
            "they appear in Markdown and JSON exports but never in BibTeX."
        ),
        examples=[
            'paperdeck note 2504.16084 "Read section 3 again"',
            "paperdeck note 2504.16084 --edit",
            'paperdeck note 2504.16084 --edit "Read section 3 again"',
            "pbpaste | paperdeck note 2504.16084 -",
            'paperdeck note 2504.16084 ""',
        ],
    )
    command.add_argument("id", metavar="ID", help="the paper")
    command.add_argument("text", nargs="?", metavar="TEXT", help="the new note (- for stdin)")
    command.add_argument(
        "--edit", action="store_true", help="edit the note (or TEXT, when given) in your editor"
    )
    command.add_argument(
        "--json",
        action="store_true",
        help='print {"id", "note" (as it is now: "" for none), "changed"}',
    )
    command.set_defaults(run=run_note)


def run_note(args: argparse.Namespace) -> int:
    if args.edit and args.text == "-":
        raise UsageError("--edit opens your editor; it cannot read standard input too")
    with open_library(args) as library:
        paper_id = library.resolve_id(args.id)
        paper = library.get(paper_id)
        assert paper is not None
        if args.text is None and not args.edit:
            if args.json:
                print_json({"id": paper_id, "note": paper.note, "changed": False})
            elif paper.note:
                print(paper.note)
            else:
                print(f"{paper_id} has no note", file=sys.stderr)
            return 0
        if args.edit:
            text = edit_text(paper.note if args.text is None else args.text)
        elif args.text == "-":
            text = read_bounded(sys.stdin, "standard input", paper_id)
        else:
            text = args.text
        if clean_block(text) == paper.note:
            if args.json:
                print_json({"id": paper_id, "note": paper.note, "changed": False})
            else:
                print(f"note unchanged for {paper_id}")
            return 0
        # An edit took time: a note saved meanwhile by another session is not overwritten.
        expected = paper.note if args.edit else None
        try:
            saved = library.set_note(paper_id, text, expected=expected)
        except NoteTooLong as too_long:
            message = str(too_long)
            if args.edit:  # the user's writing must outlive a refused save
                message += f"; your text is in {keep_unsaved(paper_id, text)}"
            raise CommandError(message + NOTE_ADVICE) from None
        except NoteChanged as changed:
            kept = keep_unsaved(paper_id, text)
            raise CommandError(
                f"the note of {paper_id} changed elsewhere while you edited it; it was not "
                f"overwritten, and your text is in {kept} (paperdeck note {paper_id} shows "
                "the note now)"
            ) from changed
        except Exception:
            if args.edit:  # the user's writing must outlive a failed save
                kept = keep_unsaved(paper_id, text)
                print(f"paperdeck: the note was not saved; your text is in {kept}", file=sys.stderr)
            raise
        if args.json:
            stored = library.get(paper_id)
            print_json({"id": paper_id, "note": stored.note if stored else "", "changed": True})
            return 0
    print(f"note {'saved' if saved else 'cleared'} for {paper_id}")
    return 0


NOTE_ADVICE = " (keep longer text in a file of your own and put its path in the note)"


def editor_command() -> list[str]:
    """$VISUAL, then $EDITOR (either may carry arguments, e.g. "code --wait"), else a default."""
    import shlex

    command = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if command:
        return shlex.split(command, posix=os.name == "posix")
    return ["notepad"] if os.name == "nt" else ["vi"]


def edit_text(initial: str) -> str:
    """Let the user edit ``initial`` in their editor; the temp file lives in a private folder."""
    import subprocess
    import tempfile

    command = editor_command()
    with tempfile.TemporaryDirectory(prefix="paperdeck-note-") as folder:
        path = Path(folder) / "note.md"
        path.write_text(initial + "\n" if initial else "", encoding="utf-8")
        try:
            status = subprocess.call([*command, str(path)])
        except OSError as exc:
            raise CommandError(
                f"cannot run the editor {command[0]!r} ({exc.strerror or exc}); "
                "set $VISUAL or $EDITOR"
            ) from None
        if status != 0:
            raise CommandError(f"the editor exited with status {status}; the note is unchanged")
        with open(path, encoding="utf-8") as edited:
            return read_bounded(edited, f"the edited note ({path})", "")


# Characters read for a note: more than any note can keep after cleaning, however much of it
# is control characters cleaning removes; a bound, so `note ID - < /dev/zero` cannot fill the
# memory.
READ_LIMIT = 4 * NOTE_LIMIT


def read_bounded(stream: TextIO, what: str, paper_id: str) -> str:
    """At most `READ_LIMIT` characters of ``stream``; more is refused in one line."""
    text = stream.read(READ_LIMIT + 1)
    if len(text) > READ_LIMIT:
        of = f" for {paper_id}" if paper_id else ""
        raise CommandError(
            f"{what} holds more than {READ_LIMIT:,} characters, far over the {NOTE_LIMIT:,} a "
            f"note{of} may hold; nothing was changed"
        )
    return text


def keep_unsaved(paper_id: str, text: str) -> Path:
    """Write an edited note that could not be saved where the user can find it again."""
    import tempfile

    from paperdeck.core.atomic import write_atomic

    safe_id = "".join(ch if ch.isalnum() or ch in "-._" else "_" for ch in paper_id)
    folder = Path(tempfile.mkdtemp(prefix="paperdeck-unsaved-"))
    return write_atomic(folder / f"note-{safe_id}.md", text)
