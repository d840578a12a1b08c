"""JSON and JSON Lines: our own export, and the Hugging Face daily-papers API.

Accepted shapes: an array of papers, one paper object, ``{"papers": [...]}``, or one object
per line (JSONL). A paper is either in our own shape (the keys of `Paper.to_json`, user state
included, so an export imports back unchanged) or in the Hugging Face shape
(``{"paper": {"id", "title", "summary", "authors": [{"name"}], "publishedAt", "upvotes",
"githubRepo", "projectPage"}, ...}``, with or without the ``paper`` wrapper), or a line of
arXiv's metadata snapshot (`arxiv_snapshot`, told by its own keys).

JSON Lines are parsed a line at a time as the file is read (`iter_parse`), so an import of a
big file never holds it whole; a JSON document is read whole, as it must be.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Any

from paperdeck.core.links import find_arxiv_id, parse_arxiv_id
from paperdeck.core.models import Paper
from paperdeck.core.sources.arxiv_snapshot import is_snapshot_record, snapshot_paper
from paperdeck.core.sources.authors import split_author_string
from paperdeck.core.sources.base import ParseContext, ParseResult, ParseWarning
from paperdeck.core.sources.dates import parse_iso_date, parse_loose_date
from paperdeck.core.sources.fields import build_paper, line_numbers, parse_doi
from paperdeck.core.sources.reading import split_lines
from paperdeck.core.text import clean_block, clean_line, normalise_tag

# Keys that only the Hugging Face shape has: an object with any of them is read as one.
_HF_KEYS = frozenset({"summary", "publishedAt", "upvotes", "githubRepo", "projectPage"})
# (first line, decoded value, "item N" when its line does not tell it from its neighbours)
_Item = tuple[int, Any, str]
_JSON_SPACE = " \t\r\n"


def _str(obj: dict[str, Any], key: str) -> str:
    value = obj.get(key)
    return value if isinstance(value, str) else ""


def _optional_str(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    return value if isinstance(value, str) and value else None


def _strs(obj: dict[str, Any], key: str) -> list[str]:
    value = obj.get(key)
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _str_map(obj: dict[str, Any], key: str) -> dict[str, str]:
    """A JSON object of strings (``bibtex_fields``); anything else in it is left out."""
    value = obj.get(key)
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}


def _bool(obj: dict[str, Any], key: str) -> bool:
    return obj.get(key) is True


def backed_id(paper_id: str, arxiv_id: str | None, links: list[str]) -> str:
    """A record's own ``id``, unless it is an arXiv id that neither the record's `arxiv_id`
    nor its links name: `show https://arxiv.org/abs/ID` must find the paper arXiv has under
    that id, not whatever record claimed it first. Dropped, the store gives a `pd-` id."""
    claimed = parse_arxiv_id(paper_id)
    if claimed is None or claimed == arxiv_id:
        return paper_id
    return paper_id if any(find_arxiv_id(link) == claimed for link in links) else ""


def _count(obj: dict[str, Any], key: str) -> int | None:
    """A non-negative whole number (upvotes), or None when absent or not one."""
    value = obj.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value) if value >= 0 and value == int(value) else None


def _names(value: Any) -> tuple[list[str], bool]:
    """Authors as a list of strings, a list of {"name": ...} objects, or one string."""
    if isinstance(value, str):
        return split_author_string(value)
    if not isinstance(value, list):
        return [], False
    names = [v if isinstance(v, str) else v.get("name") for v in value if isinstance(v, str | dict)]
    return [name for name in names if isinstance(name, str)], False


def _array_offsets(text: str, start: int) -> list[int]:
    """Where each element of the JSON array whose "[" is at ``start`` begins."""
    if text[start : start + 1] != "[":
        return []
    decoder = json.JSONDecoder()
    offsets: list[int] = []
    index = start + 1
    while True:
        while index < len(text) and text[index] in " \t\r\n,":
            index += 1
        if index >= len(text) or text[index] == "]":
            return offsets
        offsets.append(index)
        _, index = decoder.raw_decode(text, index)


def _content(line: str) -> str:
    """A line without its "\\n" (in a JSON string it would read as a control character)."""
    return line[:-1] if line.endswith("\n") else line


def _object_or_none(content: str) -> dict[str, Any] | None:
    """The line's JSON object, or None when it is not one whole object."""
    if not content.lstrip(_JSON_SPACE).startswith("{"):
        return None  # spares decoding a big first line that cannot be an object
    try:
        value = json.loads(content)
    except (json.JSONDecodeError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _line_values(
    lines: Iterable[tuple[int, str]], context: ParseContext, bad_lines: list[ParseWarning]
) -> Iterator[_Item]:
    """The value on each line with content; a line that is not JSON is noted in ``bad_lines``."""
    for number, line in lines:
        content = _content(line)
        if not content.strip():
            continue
        try:
            value = json.loads(content)
        except (json.JSONDecodeError, RecursionError) as exc:
            message = getattr(exc, "msg", "nested too deeply")
            bad_lines.append(context.warn(number, f"invalid JSON line: {message}"))
            continue
        yield number, value, ""


def _array_items(lines: list[int], elements: list[Any]) -> list[_Item]:
    """Each array element with its first line; an element that shares its line with another
    (``[1, 2, "x"]``), or whose line is unknown (0), is also named by its place in the array,
    so that a message about it says which it is."""
    shared = {line for line, n in Counter(lines).items() if n > 1} | {0}
    return [
        (line, element, f"item {number}" if line in shared else "")
        for number, (line, element) in enumerate(zip(lines, elements, strict=True), start=1)
    ]


class JsonSource:
    """Parses JSON and JSON Lines."""

    name = "json"
    extensions: tuple[str, ...] = (".json", ".jsonl", ".ndjson")

    def sniff(self, text: str) -> bool:
        return text.lstrip("\ufeff \t\r\n")[:1] in {"{", "["}

    def parse(self, text: str, context: ParseContext) -> ParseResult:
        result = ParseResult()
        result.papers = list(self.iter_parse(split_lines(text), context, result.warnings))
        return result

    def iter_parse(
        self, lines: Iterable[str], context: ParseContext, warnings: list[ParseWarning]
    ) -> Iterator[Paper]:
        """JSON Lines are parsed as they are read; any other JSON document is read whole.

        The file is JSON Lines when its first line with content is a whole object and another
        line with content follows: the file is then not one JSON document, which is when it
        has always been read line by line.
        """
        lines = iter(lines)
        read: list[str] = []  # the lines read while the shape is open
        first: _Item | None = None
        first_content = ""
        for line in lines:
            read.append(line)
            content = _content(line)
            if len(read) == 1:
                content = content.removeprefix("\ufeff")
            if not content.strip():
                continue
            if first is not None:
                rest = chain([(len(read), line)], enumerate(lines, start=len(read) + 1))
                yield from self._json_lines(first, rest, context, warnings)
                return
            value = _object_or_none(content)
            if value is None:
                break  # not JSON Lines: one JSON document, or a broken one
            first, first_content = (len(read), value, ""), content
        else:
            if first is None:
                return  # nothing but blank lines
            text = "".join(read).removeprefix("\ufeff")
            del read
            if text.strip(_JSON_SPACE) == first_content.strip(_JSON_SPACE):
                # Only JSON whitespace around the object: it is the whole document.
                yield from self._papers(self._items(first[1], text, context), context, warnings)
            else:
                yield from self._json_lines(first, (), context, warnings)
            return
        text = "".join(chain(read, lines)).removeprefix("\ufeff")
        del read
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise context.error(exc.lineno, f"invalid JSON: {exc.msg}") from None
        except RecursionError:
            raise context.error(1, "JSON nested too deeply") from None
        yield from self._papers(self._items(data, text, context), context, warnings)

    def _papers(
        self, items: Iterable[_Item], context: ParseContext, skipped: list[ParseWarning]
    ) -> Iterator[Paper]:
        for line, item, which in items:
            parsed = self._paper(item, line, which, context)
            if isinstance(parsed, Paper):
                yield parsed
            else:
                skipped.append(parsed)

    @staticmethod
    def _items(data: Any, text: str, context: ParseContext) -> list[_Item]:
        """The paper objects of a whole-file JSON document, each with its first line."""
        start = len(text) - len(text.lstrip("\ufeff \t\r\n"))
        if isinstance(data, dict) and isinstance(data.get("papers"), list):
            elements: list[Any] = data["papers"]
            start = text.find("[", text.find('"papers"'))
        elif isinstance(data, list):
            elements = data
        elif isinstance(data, dict):
            return [(line_numbers(text, [start])[0], data, "")]
        else:
            raise context.error(1, "expected a JSON object or array of papers")
        try:
            lines = line_numbers(text, _array_offsets(text, start))
        except (ValueError, RecursionError):
            lines = []
        if len(lines) != len(elements):  # a "papers" key elsewhere; lines are only for messages
            lines = [0] * len(elements)
        return _array_items(lines, elements)

    def _json_lines(
        self,
        first: _Item,
        rest: Iterable[tuple[int, str]],
        context: ParseContext,
        warnings: list[ParseWarning],
    ) -> Iterator[Paper]:
        """One object per line, after the ``first``; a bad line is skipped with a warning."""
        bad_lines: list[ParseWarning] = []
        skipped: list[ParseWarning] = []
        values = chain([first], _line_values(rest, context, bad_lines))
        yield from self._papers(values, context, skipped)
        # Bad lines first, then skipped items: the order a JSONL file has always reported.
        warnings.extend(bad_lines + skipped)

    def _paper(
        self, item: Any, line: int, which: str, context: ParseContext
    ) -> Paper | ParseWarning:
        """The paper ``item`` holds, or a warning saying why it is skipped (and ``which``
        item it is, when its line does not tell)."""
        where = f"{which}: " if which else ""
        if not isinstance(item, dict):
            return context.warn(line, f"{where}not a paper object; skipped")
        wrapped = item.get("paper")
        if is_snapshot_record(item):
            paper = snapshot_paper(item, line)
        elif isinstance(wrapped, dict):
            paper = self._hugging_face(wrapped, item, line)
        elif _HF_KEYS.intersection(item) and "abstract" not in item:
            paper = self._hugging_face(item, {}, line)
        else:
            paper = self._own(item, line)
        return (
            paper if paper.title else context.warn(line, f"{where}paper without a title; skipped")
        )

    @staticmethod
    def _hugging_face(paper: dict[str, Any], outer: dict[str, Any], line: int) -> Paper:
        authors, truncated = _names(paper.get("authors"))
        published = _str(paper, "publishedAt") or _str(outer, "publishedAt")
        return build_paper(
            title=_str(paper, "title") or _str(outer, "title"),
            authors=authors,
            authors_truncated=truncated,
            abstract=_str(paper, "summary") or _str(outer, "summary"),
            links=_strs(paper, "githubRepo") + _strs(paper, "projectPage"),
            arxiv_id=parse_arxiv_id(_str(paper, "id")),
            date=parse_iso_date(published),
            upvotes=_count(paper, "upvotes") if "upvotes" in paper else _count(outer, "upvotes"),
            line=line,
        )

    @staticmethod
    def _own(obj: dict[str, Any], line: int) -> Paper:
        authors, truncated = _names(obj.get("authors"))
        arxiv_id = parse_arxiv_id(_str(obj, "arxiv_id"))
        links = _strs(obj, "links") + _strs(obj, "url")
        date = parse_iso_date(_str(obj, "date"))
        inferred = _bool(obj, "date_inferred")
        if date is None and _str(obj, "date"):
            date = parse_loose_date(_str(obj, "date"))
        tags = (normalise_tag(tag) for tag in _strs(obj, "tags"))
        return build_paper(
            title=_str(obj, "title"),
            authors=authors,
            authors_truncated=truncated or _bool(obj, "authors_truncated"),
            abstract=_str(obj, "abstract") or _str(obj, "summary"),
            links=links,
            has_code=_bool(obj, "has_code"),
            categories=_strs(obj, "categories"),
            subject_classes=_strs(obj, "subject_classes"),
            affiliations=_strs(obj, "affiliations"),
            arxiv_id=arxiv_id,
            doi=parse_doi(_str(obj, "doi")),
            keep_self_links=True,
            date=date,
            date_inferred=inferred,
            venue=clean_line(_str(obj, "venue")),
            bibtex_key=clean_line(_str(obj, "bibtex_key")),
            bibtex_type=clean_line(_str(obj, "bibtex_type")).lower(),
            bibtex_fields=_str_map(obj, "bibtex_fields"),
            upvotes=_count(obj, "upvotes"),
            id=backed_id(_str(obj, "id"), arxiv_id, links),
            sources=list(dict.fromkeys(_strs(obj, "sources"))),
            starred=_bool(obj, "starred"),
            starred_at=_optional_str(obj, "starred_at"),
            note=clean_block(_str(obj, "note")),
            tags=list(dict.fromkeys(tag for tag in tags if tag)),
            read=_bool(obj, "read"),
            added_at=_optional_str(obj, "added_at"),
            line=line,
        )


SOURCE = JsonSource()
