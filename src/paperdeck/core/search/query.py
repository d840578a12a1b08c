"""What a user types, turned into a Whoosh query that cannot hurt: parsing, fallback, highlights.

The query language is Whoosh's (fields, phrases, prefixes, AND/OR/NOT, parentheses, ranges) with
`-term`, field aliases and default AND. Anything malformed or expensive (unbalanced quotes or
brackets, `field:` alone, bare or inner wildcards, short prefixes, text ranges, huge input) runs
as plain words instead, so a keystroke can never raise or stall the reader.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from whoosh import query as wq
from whoosh.analysis import Analyzer, StandardAnalyzer
from whoosh.fields import TEXT, Schema
from whoosh.qparser import QueryParser, syntax
from whoosh.qparser import plugins as qp
from whoosh.util.numeric import to_sortable

from paperdeck.core.affiliations import affiliation_key
from paperdeck.core.search.analysis import TOKEN_PATTERN
from paperdeck.core.search.index_files import DEFAULT_FIELDS, FIELD_ALIASES
from paperdeck.core.search.spelling import MAX_WORD, MIN_PREFIX, PrefixQuery, Vocabulary, Word
from paperdeck.core.text import clean_line, normalise_tag

HIGHLIGHT_FIELDS = frozenset({None, "title", "abstract"})  # None: unfielded
RANGE_FIELDS = frozenset({"year"})

MAX_QUERY_CHARS = 1000  # longer input is not a query someone typed: plain words only
MAX_PLAIN_WORDS = 32

_WORD = re.compile(r"\w+")
_FIELD_ALONE = re.compile(r"(?<![\w:])\w+:(?=\s|$|\))")
_STAR_START = re.compile(r"([\[{])\s*\*\s*(?=TO\b)", re.IGNORECASE)
_STAR_END = re.compile(r"\b(TO)\s*\*\s*(?=[\]}])", re.IGNORECASE)
_QUOTED = re.compile(r'"[^"]*"')
_OPS = r"(?:AND|OR|ANDNOT|ANDMAYBE|NOT)"
_INFIX = r"(?:AND|OR|ANDNOT|ANDMAYBE)"
_DANGLING = re.compile(
    rf"^\s*{_INFIX}(?!\S)|(?<!\S){_OPS}\s*$|(?<!\S){_OPS}\s+{_INFIX}(?!\S)"
    rf"|\(\s*{_INFIX}(?!\S)|(?<!\S){_OPS}\s*\)"
)
_WORDS = StandardAnalyzer()  # highlight words: lower case, no stop words, not stemmed
_TOKEN = re.compile(TOKEN_PATTERN)  # a word as the index's fields of words cut them


class _PrefixNode(syntax.TextNode):
    """`word*`: searched as typed (lower case), never through the stemmer.

    In a field of words, `test-ti*` is the words before the last (`test`, as typed in full)
    and the start of the last (`ti*`), since the index holds "test-time" as two words; a
    tag or a category is one word, dashes and all (`tag:to-r*` finds `to-read`)."""

    def query(self, parser: QueryParser) -> wq.Query:
        text = self.text.lower()
        q: wq.Query = PrefixQuery((self.fieldname,), text, parser.vocabulary, self.boost)
        if self.fieldname in parser.schema and isinstance(parser.schema[self.fieldname], TEXT):
            words = list(_TOKEN.finditer(text))
            if len(words) > 1:
                q = self._last_word_started(parser, text, words[-1])
        return syntax.attach(q, self)

    def _last_word_started(self, parser: QueryParser, text: str, last: re.Match[str]) -> wq.Query:
        before = parser.term_query(self.fieldname, text[: last.start()], wq.Term, self.boost)
        if len(last.group()) < MIN_PREFIX:  # `test-ti*`: `test` alone, as `ti*` would be
            return before or wq.NullQuery
        start = PrefixQuery((self.fieldname,), last.group(), parser.vocabulary, self.boost)
        return wq.And([before, start]) if before else start  # None: stop words only


class _StarPlugin(qp.WildcardPlugin):
    """Only `*` is special (a question mark ends a question); trailing stars become prefixes."""

    expr = r"(?P<text>[*])"
    qmarks = ""

    def do_wildcards(self, parser: QueryParser, group: syntax.GroupNode) -> syntax.GroupNode:
        group = super().do_wildcards(parser, group)
        for i, node in enumerate(group):
            if isinstance(node, qp.PrefixPlugin.PrefixNode):
                new = _PrefixNode(node.text)
                new.startchar, new.endchar = node.startchar, node.endchar
                group[i] = new
        return group


class _MinusPlugin(qp.Plugin):
    """`-term` and `-(group)` exclude, at any depth; a dash inside a word stays a dash."""

    class Minus(syntax.MarkerNode):
        pass

    def taggers(self, parser: QueryParser) -> list[tuple[object, int]]:
        return [(qp.FnTagger(r"(?:^|(?<=[\s(]))-(?=[^\s-])", self.Minus, "minus"), 0)]

    def filters(self, parser: QueryParser) -> list[tuple[object, int]]:
        return [(self.do_minus, 510)]  # after whitespace removal, before the operators

    def do_minus(self, parser: QueryParser, group: syntax.GroupNode) -> syntax.GroupNode:
        out = group.empty_copy()
        negate = False
        for node in group:
            if isinstance(node, self.Minus):
                negate = True
                continue
            if isinstance(node, syntax.GroupNode):
                node = self.do_minus(parser, node)
            out.append(syntax.NotGroup([node]) if negate else node)
            negate = False
        return out


class _OriginPlugin(qp.Plugin):
    """Marks each text node with the field the user gave it (None: unfielded), and drops
    unfielded stop words: "is" would otherwise have to match an author or a tag.

    Runs between the fields filter and the multifield expansion, whose copies keep the mark.
    """

    def __init__(self, prose: Analyzer) -> None:
        self.prose = prose

    def filters(self, parser: QueryParser) -> list[tuple[object, int]]:
        return [(self.do_origin, 105)]

    def do_origin(self, parser: QueryParser, group: syntax.GroupNode) -> syntax.GroupNode:
        out = group.empty_copy()
        for node in group:
            if isinstance(node, syntax.GroupNode):
                node = self.do_origin(parser, node)
            elif node.has_text:
                node.origin = node.fieldname
                if (
                    node.fieldname is None
                    and type(node) is syntax.WordNode
                    and not any(True for _ in self.prose(node.text, mode="query"))
                ):
                    if out and isinstance(out[-1], _MinusPlugin.Minus):
                        out.pop()
                    continue
            out.append(node)
        return out


class _AffiliationGroup(syntax.SyntaxNode):
    """Every stored spelling of one affiliation, each as a phrase of its words."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.boost = 1.0

    def r(self) -> str:
        return f"affiliation {self.name!r}"

    def query(self, parser: QueryParser) -> wq.Query:
        analyzer = parser.schema["affiliations"].analyzer
        spellings: Callable[[str], list[str]] = parser.affiliation_spellings
        alternatives: list[wq.Query] = []
        for spelling in spellings(self.name):
            words = [token.text for token in analyzer(spelling, mode="query")]
            if len(words) == 1:
                alternatives.append(wq.Term("affiliations", words[0]))
            elif words:
                alternatives.append(wq.Phrase("affiliations", words))
        return wq.Or(alternatives) if alternatives else wq.NullQuery


class _AffiliationPlugin(qp.Plugin):
    """`affil:X` also finds X spelt another way: `affil:"Tsinghua University"` finds papers
    from "tsinghua" and "Tsinghua Univ.", as the sidebar groups them (the library says which
    spellings it holds; the index is not changed). Only a field the user named: an unfielded
    word is not made an affiliation."""

    def filters(self, parser: QueryParser) -> list[tuple[object, int]]:
        return [(self.do_groups, 106)]  # after the field names, before the multifield copies

    def do_groups(self, parser: QueryParser, group: syntax.GroupNode) -> syntax.GroupNode:
        out = group.empty_copy()
        for node in group:
            if isinstance(node, syntax.GroupNode):
                node = self.do_groups(parser, node)
            elif (
                type(node) in (syntax.WordNode, qp.PhrasePlugin.PhraseNode)
                and node.fieldname == "affiliations"
                and affiliation_key(node.text)
                and parser.affiliation_spellings is not None
            ):
                either = syntax.OrGroup([node, _AffiliationGroup(node.text)])
                for part in (either, either[1]):
                    part.set_range(node.startchar, node.endchar)
                node = either
            out.append(node)
        return out


@dataclass(slots=True)
class ParsedQuery:
    text: str  # what was parsed: the cleaned input, or the plain words of a fallback
    query: wq.Query | None  # None: nothing to search
    terms: list[str] = field(default_factory=list)
    words: list[Word] = field(default_factory=list)  # with their place in `text`
    fallback: bool = False


class PaperQueryParser:
    """Parses query strings for one index schema; never raises on user input."""

    def __init__(
        self,
        schema: Schema,
        vocabulary: Callable[[], Vocabulary],
        affiliation_spellings: Callable[[str], list[str]] | None = None,
    ) -> None:
        """``affiliation_spellings``: the library's spellings of an affiliation (`affil:`)."""
        parser = QueryParser(None, schema, group=syntax.AndGroup)
        parser.vocabulary = vocabulary  # for prefix queries, read when they run
        parser.affiliation_spellings = affiliation_spellings
        parser.remove_plugin_class(qp.WildcardPlugin)
        parser.remove_plugin_class(qp.EveryPlugin)
        parser.add_plugins(
            [
                _StarPlugin(),
                _MinusPlugin(),
                _OriginPlugin(schema[DEFAULT_FIELDS[0]].analyzer),
                _AffiliationPlugin(),
                qp.GtLtPlugin(),
                qp.FieldAliasPlugin(FIELD_ALIASES),
                qp.MultifieldPlugin(list(DEFAULT_FIELDS)),
            ]
        )
        self._parser = parser
        names = [*schema.names(), *(a for aliases in FIELD_ALIASES.values() for a in aliases)]
        self._field_prefix = re.compile(rf"\b(?:{'|'.join(map(re.escape, names))}):")

    def parse(self, raw: str) -> ParsedQuery:
        text = _open_bounds(clean_line(raw))
        if not text:
            return ParsedQuery(text, None)
        if len(text) > MAX_QUERY_CHARS or _looks_malformed(text):
            return self.plain(text)
        try:
            nodes = self._parser.process(text)
            if _unsafe_node(nodes):
                return self.plain(text)
            q = nodes.query(self._parser)
            if _has_error(q):  # before normalize(), which drops the erroneous part
                return self.plain(text)
            q = _refine(q.normalize()) if q else wq.NullQuery
        except Exception:  # the parser is lenient, but user input must never raise
            return self.plain(text)
        words = list(_words(nodes))
        return ParsedQuery(text, q, _highlight_terms(words), _placed(text, words))

    def plain(self, text: str) -> ParsedQuery:
        """The fallback: the words of ``text`` but field names, in lower case (so never
        operators, which are stop words then), all required."""
        text = self._field_prefix.sub(" ", clean_line(text))
        words = [w.lower() for w in _WORD.findall(text) if len(w) <= MAX_WORD]
        words = words[:MAX_PLAIN_WORDS]
        plain = " ".join(words)
        if not plain:
            return ParsedQuery(plain, None, fallback=True)
        try:
            nodes = self._parser.process(plain)
            q = nodes.query(self._parser)
            q = _refine(q.normalize()) if q else wq.NullQuery
        except Exception:
            return ParsedQuery(plain, None, fallback=True)
        found = list(_words(nodes))
        return ParsedQuery(plain, q, _highlight_terms(found), _placed(plain, found), True)


def _open_bounds(text: str) -> str:
    """`[* TO 2000]` as Whoosh writes it, `[TO 2000]` (Lucene's open bound is a star)."""
    if "*" not in text or "to" not in text.lower():
        return text
    return _STAR_END.sub(r"\1", _STAR_START.sub(r"\1", text))


def _looks_malformed(text: str) -> bool:
    if text.count('"') % 2:
        return True
    outside = _QUOTED.sub('""', text)
    if _FIELD_ALONE.search(outside) or _DANGLING.search(outside):
        return True
    for opening, closing in ("()", "[]", "{}"):
        depth = 0
        for ch in outside:
            if ch == opening:
                depth += 1
            elif ch == closing:
                depth -= 1
                if depth < 0:
                    return True
        if depth:
            return True
    return False


def _unsafe_node(node: syntax.SyntaxNode) -> bool:
    """Nodes that would scan the whole vocabulary or make no sense."""
    if isinstance(node, syntax.GroupNode):
        return any(_unsafe_node(child) for child in node)
    if isinstance(node, qp.WildcardPlugin.WildcardNode | syntax.ErrorNode):
        return True
    if isinstance(node, _PrefixNode):
        return len(node.text) < MIN_PREFIX or node.fieldname in RANGE_FIELDS
    if isinstance(node, syntax.RangeNode):
        return node.fieldname not in RANGE_FIELDS
    return False


def _has_error(q: wq.Query | None) -> bool:
    if q is None:
        return False
    if getattr(q, "error", None):
        return True
    return any(_has_error(child) for child in q.children())


class ExactRange(wq.NumericRange):
    """Whoosh's numeric range over full-precision terms only.

    Whoosh splits a numeric range into terms at several precisions, and for bounds like these
    that split is wrong: `year:<2000`, `year:[1000 TO 2000]` matched every paper. A year field
    has a few hundred distinct terms, so one range over them costs nothing.
    """

    def _compile_query(self, ixreader: Any) -> wq.Query:
        field = ixreader.schema[self.fieldname]
        low, high = 0, 2**field.bits - 1
        if self.start is not None:
            low = _sortable(field, self.start) + int(self.startexcl)
        if self.end is not None:
            high = _sortable(field, self.end) - int(self.endexcl)
        if low > high:
            return wq.NullQuery
        to_bytes = field.sortable_to_bytes
        terms = wq.TermRange(self.fieldname, to_bytes(low, 0), to_bytes(high, 0))
        return wq.ConstantScoreQuery(terms, self.boost) if self.constantscore else terms


def _sortable(field: Any, number: Any) -> int:
    return to_sortable(field.numtype, field.bits, field.signed, field.prepare_number(number))


def _refine(q: wq.Query) -> wq.Query:
    """Tag terms in their stored form (`#RL` finds the tag `rl`); one prefix query for all
    the fields of an unfielded `word*`, so its documents are gathered in one pass; numeric
    ranges by `ExactRange`."""
    if type(q) is wq.NumericRange:
        return ExactRange(
            q.fieldname, q.start, q.end, q.startexcl, q.endexcl, q.boost, q.constantscore
        )
    if isinstance(q, wq.Term) and q.fieldname == "tags" and isinstance(q.text, str):
        q = copy.copy(q)
        q.text = normalise_tag(q.text)
        return q
    if isinstance(q, wq.Or) and q.subqueries:
        subs = q.subqueries
        if all(isinstance(sub, PrefixQuery) and sub.text == subs[0].text for sub in subs):
            names = tuple(name for sub in subs for name in sub.fieldnames)
            return PrefixQuery(names, subs[0].text, subs[0].vocabulary, q.boost)
    if q.is_leaf():
        return q
    return q.apply(_refine)


def _words(node: syntax.SyntaxNode, negated: bool = False) -> Iterator[Word]:
    """Searched words that are not excluded, each once (multifield copies share a start)."""
    seen: set[int] = set()
    for word, is_negated in _walk(node, negated):
        if not is_negated and word.start not in seen:
            seen.add(word.start)
            yield word


def _walk(node: syntax.SyntaxNode, negated: bool) -> Iterator[tuple[Word, bool]]:
    if isinstance(node, syntax.NotGroup):
        for child in node:
            yield from _walk(child, True)
    elif isinstance(node, syntax.AndNotGroup):
        for i, child in enumerate(node):
            yield from _walk(child, negated or i == 1)
    elif isinstance(node, syntax.GroupNode):
        for child in node:
            yield from _walk(child, negated)
    elif isinstance(node, syntax.TextNode):
        origin = getattr(node, "origin", node.fieldname)
        if isinstance(node, qp.PhrasePlugin.PhraseNode):
            base = node.textstartchar
            for token in _WORDS(node.text, chars=True):
                start, end = base + token.startchar, base + token.endchar
                yield Word(token.text, start, end, origin), negated
        elif isinstance(node, _PrefixNode):
            yield Word(node.text.lower() + "*", node.startchar, node.endchar, origin), negated
        else:
            # An unknown `field:` is glued to the word's text but not to its span.
            base = node.endchar - len(node.text)
            for token in _WORDS(node.text, chars=True):
                start, end = base + token.startchar, base + token.endchar
                yield Word(token.text, start, end, origin), negated


def _placed(text: str, words: list[Word]) -> list[Word]:
    """The words whose span is known: a phrase after an unknown `field:` has the field name
    glued to its text, which shifts its words (they are still searched and highlighted)."""
    return [w for w in words if text[w.start : w.end].lower() == w.text]


def _highlight_terms(words: list[Word]) -> list[str]:
    terms = (w.text.rstrip("*") for w in words if w.origin in HIGHLIGHT_FIELDS)
    return list(dict.fromkeys(t for t in terms if t))
