"""JSON and JSON Lines: our own export, and the Hugging Face daily-papers API.

Accepted shapes: an array of papers, one paper object, ``{"papers": [...]}``, or one object
per line (JSONL). A paper is either in our own shape (the keys of `Paper.to_json`, user state
included, so an export imports back unchanged) or in the Hugging Face shape
(``{"paper": {"id", "title", "summary", "authors": [{"name"}], "publishedAt",
"githubRepo", "projectPage"}, ...}``, with or without the ``paper`` wrapper).
"""

from __future__ import annotations

import json
from typing import Any

from paperdeck.core.authors import split_author_string
from paperdeck.core.dates import parse_iso_date, parse_loose_date
from paperdeck.core.models import Paper
from paperdeck.core.sources.base import ParseContext, ParseResult, ParseWarning
from paperdeck.core.sources.fields import build_paper, line_numbers, parse_arxiv_id, parse_doi
from paperdeck.core.text import clean_block, clean_line, normalise_tag

# Keys that only the Hugging Face shape has: an object with any of them is read as one.
_HF_KEYS = frozenset({"summary", "publishedAt", "upvotes", "githubRepo", "projectPage"})
_Item = tuple[int, Any]  # (first line, decoded value)


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


def _bool(obj: dict[str, Any], key: str) -> bool:
    return obj.get(key) is True


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


class JsonSource:
    """Parses JSON and JSON Lines."""

    name = "json"
    extensions: tuple[str, ...] = (".json", ".jsonl", ".ndjson")

    def sniff(self, text: str) -> bool:
        return text.lstrip("\ufeff \t\r\n")[:1] in {"{", "["}

    def parse(self, text: str, context: ParseContext) -> ParseResult:
        result = ParseResult()
        text = text.removeprefix("\ufeff")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            items = self._json_lines(text, exc, context, result)
        except RecursionError:
            raise context.error(1, "JSON nested too deeply") from None
        else:
            items = self._items(data, text, context)
        for line, item in items:
            parsed = self._paper(item, line, context)
            if isinstance(parsed, Paper):
                result.papers.append(parsed)
            else:
                result.warnings.append(parsed)
        return result

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
            return [(line_numbers(text, [start])[0], data)]
        else:
            raise context.error(1, "expected a JSON object or array of papers")
        try:
            lines = line_numbers(text, _array_offsets(text, start))
        except (ValueError, RecursionError):
            lines = []
        if len(lines) != len(elements):  # a "papers" key elsewhere; lines are only for messages
            lines = [0] * len(elements)
        return list(zip(lines, elements, strict=True))

    @staticmethod
    def _json_lines(
        text: str, error: json.JSONDecodeError, context: ParseContext, result: ParseResult
    ) -> list[_Item]:
        """One object per line; a bad line is skipped with a warning.

        Read as JSONL only when the first line is a complete object: otherwise the file is
        one broken JSON document and the error is reported where the decoder found it.
        """
        items: list[_Item] = []
        # Split on "\n" only: JSON strings may hold U+2028 and friends that splitlines() cuts at.
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except (json.JSONDecodeError, RecursionError) as exc:
                if not items:
                    raise context.error(error.lineno, f"invalid JSON: {error.msg}") from None
                message = getattr(exc, "msg", "nested too deeply")
                result.warnings.append(context.warn(number, f"invalid JSON line: {message}"))
                continue
            if not items and not isinstance(value, dict):
                raise context.error(error.lineno, f"invalid JSON: {error.msg}")
            items.append((number, value))
        return items

    def _paper(self, item: Any, line: int, context: ParseContext) -> Paper | ParseWarning:
        if not isinstance(item, dict):
            return context.warn(line, "not a paper object; skipped")
        wrapped = item.get("paper")
        if isinstance(wrapped, dict):
            paper = self._hugging_face(wrapped, item, line)
        elif _HF_KEYS.intersection(item) and "abstract" not in item:
            paper = self._hugging_face(item, {}, line)
        else:
            paper = self._own(item, line)
        return paper if paper.title else context.warn(line, "paper without a title; skipped")

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
            line=line,
        )

    @staticmethod
    def _own(obj: dict[str, Any], line: int) -> Paper:
        authors, truncated = _names(obj.get("authors"))
        date = parse_iso_date(_str(obj, "date"))
        inferred = _bool(obj, "date_inferred")
        if date is None and _str(obj, "date"):
            date, loose = parse_loose_date(_str(obj, "date"))
            inferred = inferred or loose
        tags = (normalise_tag(tag) for tag in _strs(obj, "tags"))
        return build_paper(
            title=_str(obj, "title"),
            authors=authors,
            authors_truncated=truncated or _bool(obj, "authors_truncated"),
            abstract=_str(obj, "abstract") or _str(obj, "summary"),
            links=_strs(obj, "links") + _strs(obj, "url"),
            has_code=_bool(obj, "has_code"),
            categories=_strs(obj, "categories"),
            affiliations=_strs(obj, "affiliations"),
            arxiv_id=parse_arxiv_id(_str(obj, "arxiv_id")),
            doi=parse_doi(_str(obj, "doi")),
            keep_self_links=True,
            date=date,
            date_inferred=inferred,
            venue=clean_line(_str(obj, "venue")),
            id=_str(obj, "id"),
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
