"""What counts as new: the papers added to the library since the reader was last quit.

Every transaction of `add_papers` that adds papers (an import commits one per batch; a
`paperdeck fetch`, a refresh in the reader, from any process) gives them the next *arrival*
number (schema 5); a merge into a paper already there keeps its first one. Numbered per
transaction, so a reader that quits while an import runs has seen exactly the batches
committed so far. Numbers, not dates: a source's dates, or a clock set wrong, cannot
make an old paper new.

Where "last quit" is kept, and why there: a row of the library's own SQLite database
(`counters`, 'quit_arrival'), the newest arrival a reader had shown when it quit, written in
one transaction. So:

- a crash (or a killed terminal) writes nothing: the papers new in that session are still
  new in the next one, and the mark can never be half written;
- two readers on one library each keep the baseline they started with for their whole
  session (their New views never shrink under them); when they quit, in either order, the
  mark keeps the later of the two (it only moves forward), so the next reader shows as new
  exactly what neither had shown yet;
- the mark belongs to the library, not to a user's home folder: a library opened over SSH
  or from another account follows the same mark.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from paperdeck.core.store import Library

ARRIVALS = "arrivals"  # the newest arrival number given
QUIT_MARK = "quit_arrival"  # the newest arrival a reader had shown when it last quit


def last_quit(library: Library) -> int:
    """The baseline of a reader starting now: papers that arrived after it are new."""
    return library.counter(QUIT_MARK)


def newest_arrival(library: Library) -> int:
    return library.counter(ARRIVALS)


def record_quit(library: Library, seen: int) -> None:
    """A reader quits having shown every arrival up to ``seen``; the mark never goes back."""
    library.raise_counter(QUIT_MARK, seen)
