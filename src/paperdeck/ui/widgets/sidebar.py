"""The tag sidebar: library views, then categories, tags, affiliations and sources, with counts.

Counts follow the current search; active filters are marked. Enter posts `FilterChosen`; the
screen decides what it means (add the filter, or remove it when it is already on).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.message import Message

from paperdeck.core.affiliations import affiliation_key
from paperdeck.core.paperset import VIEW_KINDS, VIEW_LABELS, PaperSet
from paperdeck.core.store import Facets
from paperdeck.core.text import clean_line
from paperdeck.ui.commands import bindings_for
from paperdeck.ui.widgets.cursor_list import CursorList
from paperdeck.ui.widgets.paper_list import fit

SECTIONS = (
    ("category", "Categories"),
    ("tag", "Tags"),
    ("affiliation", "Affiliations"),
    ("source", "Sources"),
)


@dataclass(frozen=True, slots=True)
class Entry:
    """One sidebar line: a heading (``kind`` "heading"), "all", a view or a facet value."""

    kind: str
    value: str
    label: str
    count: int = 0
    active: bool = False

    @property
    def heading(self) -> bool:
        return self.kind in ("heading", "hint")


def build_entries(facets: Facets, paperset: PaperSet, totals: Facets | None = None) -> list[Entry]:
    """The sidebar's lines for these counts, with the active filters marked.

    "All" is always the whole library (``totals``). Every other count is what choosing
    the entry would list; a section with an active filter keeps its other values (its
    siblings) in view, to switch to, counted as the view without that filter (within the
    search, when there is one: see `Catalog.with_siblings`); one none of those papers has
    shows 0.
    """
    library = totals or facets
    entries = [
        Entry("heading", "", "Library"),
        Entry("all", "", "All", library.total, active=not paperset.filters),
    ]
    if facets.new_since is not None:  # added since the reader was last quit
        since = str(facets.new_since)
        entries.append(
            Entry("new", since, "New", facets.views.get("new", 0), paperset.has("new", since))
        )
    for view in VIEW_KINDS:
        entries.append(
            Entry(view, "", VIEW_LABELS[view], facets.views.get(view, 0), paperset.has(view))
        )
    for kind, title in SECTIONS:
        counter = facets.values.get(kind)
        values = dict(counter.most_common()) if counter else {}
        if any(f.kind == kind for f in paperset.filters) and totals is not None:
            for value in totals.values.get(kind, {}):
                values.setdefault(value, 0)
        for active in (f.value for f in paperset.filters if f.kind == kind):
            if kind == "affiliation":  # the group may show another of its spellings now
                key = affiliation_key(active)
                shown = next((v for v in values if affiliation_key(v) == key), active)
                values[active] = values.pop(shown, 0)
            values.setdefault(active, 0)  # an active filter stays visible to be removed
        entries.append(Entry("heading", "", title))
        if not values:
            entries.append(Entry("hint", "", _empty_hint(kind, facets, totals)))
        ordered = sorted(values.items(), key=lambda kv: (-kv[1], kv[0].casefold()))
        if kind in ("tag", "source"):
            ordered = sorted(values.items(), key=lambda kv: kv[0].casefold())
        for value, count in ordered:
            label = _source_label(value) if kind == "source" else value
            entries.append(Entry(kind, value, label, count, paperset.has(kind, value)))  # type: ignore[arg-type]
    return entries


def _empty_hint(kind: str, facets: Facets, totals: Facets | None) -> str:
    """What an empty section says: that the view has none while the library has some
    (a filter or a search narrowed them away), else how to get some, or "none"."""
    library = totals.values.get(kind) if totals is not None else None
    if library is None:  # the library's values not counted yet (the first screen)
        library = facets.values.get(kind)
    if library:
        return "none in this view"
    return "press t to tag a paper" if kind == "tag" else "none"


class TagSidebar(CursorList):
    """The left pane; folds away on narrow terminals (the screen toggles a class)."""

    BINDINGS: ClassVar = bindings_for("sidebar")
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "tag-sidebar--heading",
        "tag-sidebar--hint",
        "tag-sidebar--count",
        "tag-sidebar--active",
    }
    DEFAULT_CSS = """
    /* A scrollbar always, as the paper list has: one that came as the library's counts
       outgrew the pane laid the whole screen out, and a key pressed then waited for it. */
    TagSidebar { overflow-y: scroll; }
    TagSidebar > .tag-sidebar--heading { color: $accent; text-style: bold; }
    TagSidebar > .tag-sidebar--hint { color: $text-muted; text-style: italic; }
    TagSidebar > .tag-sidebar--count { color: $text-muted; }
    TagSidebar > .tag-sidebar--active { color: $success; text-style: bold; }
    TagSidebar > .cursor-list--cursor { background: $block-cursor-background; }
    TagSidebar > .cursor-list--cursor-blurred { background: $primary 25%; }
    """

    @dataclass
    class FilterChosen(Message):
        """Enter on an entry: ``kind`` "all", a view kind or a facet kind."""

        kind: str
        value: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[Entry] = []

    def show(self, facets: Facets, paperset: PaperSet, totals: Facets | None = None) -> None:
        """New counts or filters: keep the cursor on the same entry when it is still there.
        ``totals``: the library's counts ("All", and the siblings of an active filter)."""
        entries = build_entries(facets, paperset, totals)
        if entries == self.entries:
            return  # a search's list comes before its counts: nothing to redraw yet
        current = self.highlighted
        self.entries = entries
        self.rows_changed()
        keys = [(e.kind, e.value) for e in self.entries]
        target = (current.kind, current.value) if current else ("all", "")
        self.move_to(keys.index(target) if target in keys else 1)

    @property
    def highlighted(self) -> Entry | None:
        if 0 <= self.cursor < len(self.entries):
            return self.entries[self.cursor]
        return None

    @property
    def row_count(self) -> int:
        return len(self.entries)

    def row_key(self, index: int) -> object:
        return self.entries[index]

    def can_select(self, index: int) -> bool:
        return not self.entries[index].heading

    def render_row(self, index: int, width: int, selected: bool) -> list[Segment]:
        entry = self.entries[index]
        style = self.part
        if entry.kind == "heading":
            return [Segment(fit(entry.label.upper(), width), style("tag-sidebar--heading"))]
        if entry.kind == "hint":
            return [Segment(fit("  " + entry.label, width), style("tag-sidebar--hint"))]
        count = str(entry.count) if entry.count >= 0 else ""
        mark = "● " if entry.active else "  "
        label_width = max(0, width - len(mark) - len(count) - 1)
        label_style = style("tag-sidebar--active") if entry.active else Style()
        return [
            Segment(mark, style("tag-sidebar--active")),
            Segment(fit(clean_line(entry.label), label_width) + " ", label_style),
            Segment(count, style("tag-sidebar--count")),
        ]

    def action_apply_filter(self) -> None:
        if (entry := self.highlighted) and not entry.heading:
            self.post_message(self.FilterChosen(entry.kind, entry.value))


def _source_label(source: str) -> str:
    # Imported once the counts arrive, not for the first paint.
    from paperdeck.core.feeds.source_names import source_label

    return source_label(source)
