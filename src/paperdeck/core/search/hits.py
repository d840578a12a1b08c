"""Which documents a query matches, without scoring them: sets of document numbers.

Whoosh finds every hit by walking its matchers one posting at a time in Python (0.4 s for
a word in all 100,000 papers), and checks a phrase through span objects (2-3 s for two
common words). Here a term's postings are read a block at a time into a set (and kept, see
`postings`), boolean queries become set operations, and a phrase is checked only where all
its words occur, with the positions of each word read once. `ranking` scores what these find.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence, Set
from itertools import accumulate
from pickle import loads

from whoosh import query as wq
from whoosh.formats import Format, Positions
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from paperdeck.core.search.analysis import FastPositions
from paperdeck.core.search.pairs import PhraseCounts, phrase_counts
from paperdeck.core.search.postings import Postings
from paperdeck.core.search.spelling import PrefixQuery

_SMALL_GAPS = b"\x80\x02]q\x00("  # pickle protocol 2: a list, memoised, then a mark
_GAPS_AT = 4 + len(_SMALL_GAPS)
_ONE_GAP = b"\x80\x02]q\x00K"  # ... an empty list, memoised, then one small int appended
_ONE_AT = 4 + len(_ONE_GAP)


def docs_of(searcher: Searcher, reader: IndexReader, q: wq.Query, postings: Postings) -> set[int]:
    """The (undeleted) documents of one segment (``searcher`` is its leaf) matching ``q``."""
    kind = type(q)
    if q is wq.NullQuery or isinstance(q, wq.NullQuery.__class__):
        return set()
    if kind is wq.Term:
        return _term(postings, reader, q.fieldname, q.text)
    if kind in (wq.Or, wq.DisjunctionMax) and getattr(q, "minmatch", 0) <= 1:
        docs: set[int] = set()
        for sub in q.subqueries:
            docs |= docs_of(searcher, reader, sub, postings)
        return docs
    if kind in (wq.And, wq.Require):
        subs = q.subqueries if kind is wq.And else [q.a, q.b]
        wanted = [s for s in subs if type(s) is not wq.Not]
        unwanted = [s.query for s in subs if type(s) is wq.Not]
        if wanted:
            sets = sorted((docs_of(searcher, reader, s, postings) for s in wanted), key=len)
            docs = sets[0].intersection(*sets[1:])
        else:
            docs = _every(reader)
        for sub in unwanted:
            if docs:
                docs -= docs_of(searcher, reader, sub, postings)
        return docs
    if kind is wq.Not:
        return _every(reader) - docs_of(searcher, reader, q.query, postings)
    if kind is wq.AndNot:
        return docs_of(searcher, reader, q.a, postings) - docs_of(searcher, reader, q.b, postings)
    if kind is wq.AndMaybe:
        return docs_of(searcher, reader, q.a, postings)
    if kind is wq.Phrase and q.slop == 1:
        return _undeleted(reader, phrase_docs(postings, reader, q))
    if isinstance(q, PrefixQuery):
        docs = set()
        for fieldname, btext in q.expanded(reader, postings.check):
            docs |= postings.docs(reader, fieldname, btext)
        return _undeleted(reader, docs)
    return set(q.docs(searcher))  # anything else: Whoosh's own way


def _undeleted(reader: IndexReader, docs: Set[int]) -> set[int]:
    return set(docs - reader.deleted_docs_set if reader.has_deletions() else docs)


def _term(postings: Postings, reader: IndexReader, fieldname: str, text: str | bytes) -> set[int]:
    if fieldname not in reader.schema:
        return set()
    try:
        btext = text if isinstance(text, bytes) else reader.schema[fieldname].to_bytes(text)
    except ValueError:
        return set()
    return _undeleted(reader, postings.docs(reader, fieldname, btext))


def _every(reader: IndexReader) -> set[int]:
    return set(reader.all_doc_ids())


def phrase_docs(
    postings: Postings,
    reader: IndexReader,
    q: wq.Phrase,
    *,
    check: bool = True,
    among: Set[int] | None = None,
) -> frozenset[int]:
    """Documents of one segment holding the words of ``q`` one after the other (deleted ones
    included; kept in ``postings``). ``check=False``: all the words, anywhere (no positions
    read); ``among``: checked only in these documents (not kept)."""
    if check and among is None:
        key = ("phrase", q.fieldname, tuple(q.words))
        return postings.remember(reader, key, lambda: _phrase(postings, reader, q))
    return _phrase(postings, reader, q, check=check, among=among)


def _phrase(
    postings: Postings,
    reader: IndexReader,
    q: wq.Phrase,
    *,
    check: bool = True,
    among: Set[int] | None = None,
) -> frozenset[int]:
    """From the word pairs (`pairs`) where the index has them. Otherwise the documents of all
    the words first, then positions, word by word, only where the phrase can still start."""
    name = q.fieldname
    if name not in reader.schema:
        return frozenset()
    if check:
        counts = phrase_counts(postings, reader, name, q.words)
        if counts is not None:
            paired = frozenset(counts.docs)
            return paired if among is None else paired.intersection(among)
    field = reader.schema[name]
    if not field.format or not field.format.supports("positions"):
        return frozenset()
    btexts = phrase_btexts(reader, q)
    if not btexts or any((name, b) not in reader for b in btexts):
        return frozenset()
    if check and among is None:
        keyed = _keyed(postings, reader, name, btexts)
        if keyed is not None:
            return keyed
    if check and len(btexts) > 1:  # positions to read: the words' whole blocks, read once
        for b in btexts:
            if not postings.holds(reader, ("docs", name, b)):
                postings.blocks(reader, name, b)
    docs = [postings.docs(reader, name, b) for b in btexts]
    candidates = frozenset.intersection(*sorted(docs, key=len))
    if among is not None:
        candidates = candidates.intersection(among)
    if len(btexts) == 1 or not candidates or not check:
        return candidates
    # Rarest word first: the later words only decode positions where the phrase can still
    # start. `starts`: doc -> phrase starts.
    order = sorted(range(len(btexts)), key=lambda k: len(docs[k]))
    starts: dict[int, set[int]] = {}
    for n, k in enumerate(order):
        shift = (-k).__add__
        if n == 0:
            found = _positions(postings, reader, name, btexts[k], candidates)
            starts = {d: set(map(shift, ps)) for d, ps in found.items()}
        else:
            found = _positions(postings, reader, name, btexts[k], starts)
            starts = {
                d: common
                for d, ps in found.items()
                if (common := starts[d].intersection(map(shift, ps)))
            }
        if not starts:
            return frozenset()
    return frozenset(starts)


def _keyed(
    postings: Postings, reader: IndexReader, name: str, btexts: list[bytes]
) -> frozenset[int] | None:
    found = keyed_counts(postings, reader, name, btexts)
    return None if found is None else frozenset(found.docs)


def keyed_counts(
    postings: Postings, reader: IndexReader, name: str, btexts: Sequence[bytes]
) -> PhraseCounts | None:
    """Where a phrase stands, and its words' counts there, from their keys in the segment's
    pair file (`word_keys`), kept; None where a word is not kept there (the file damaged:
    set aside, and the positions answer)."""
    files = postings.pair_files(reader) if postings.pair_files is not None else None
    if files is None or files.broken:
        return None
    key = ("word keys", name, tuple(btexts))
    if postings.holds(reader, key):
        return postings.remember(reader, key, _never)
    try:
        found = files.keyed_phrase(name, btexts, postings.check)
    except files.READ_ERRORS:
        files.broken = True
        return None
    return None if found is None else postings.remember(reader, key, lambda: found)


def keyed_cost(postings: Postings, reader: IndexReader, q: wq.Phrase) -> int | None:
    """About how many keys finding ``q`` from its words' keys goes through (`word_keys`);
    None where its words are not kept as keys here."""
    files = postings.pair_files(reader) if postings.pair_files is not None else None
    btexts = phrase_btexts(reader, q)
    if files is None or files.broken or btexts is None:
        return None
    try:
        return files.keyed_cost(q.fieldname, btexts)
    except files.READ_ERRORS:
        files.broken = True
        return None


def phrase_btexts(reader: IndexReader, q: wq.Phrase) -> list[bytes] | None:
    """The words of ``q`` as its field indexes them; None where the field cannot hold them
    (or the segment has no such field)."""
    if q.fieldname not in reader.schema:
        return None
    field = reader.schema[q.fieldname]
    try:
        return [field.to_bytes(word) for word in q.words]
    except ValueError:
        return None


def _never() -> PhraseCounts:
    raise AssertionError("kept: never worked out again")


def keyed_phrase_docs(
    postings: Postings, reader: IndexReader, q: wq.Phrase
) -> frozenset[int] | None:
    """`phrase_docs` where the words of ``q`` are kept as keys (kept as it keeps them);
    None where they are not."""
    key = ("phrase", q.fieldname, tuple(q.words))
    if postings.holds(reader, key):
        return phrase_docs(postings, reader, q)
    name = q.fieldname
    btexts = phrase_btexts(reader, q)
    if not btexts:
        return None
    if any((name, b) not in reader for b in btexts):
        return frozenset()
    found = _keyed(postings, reader, name, btexts)
    if found is None:
        return None
    return postings.remember(reader, key, lambda: found)


def decoder(fmt: Format) -> Callable[[bytes], Iterable[int]]:
    """Our `_decode_positions` for the formats whose encoding it knows (Whoosh's `Positions`,
    and `FastPositions`, which writes the same bytes); a format's own decoder otherwise."""
    return _decode_positions if type(fmt) in (Positions, FastPositions) else fmt.decode_positions


def _positions(
    postings: Postings,
    reader: IndexReader,
    name: str,
    btext: bytes,
    docs: Set[int] | dict[int, set[int]],
) -> dict[int, Iterable[int]]:
    """The positions of one term in ``docs``: a walk over its postings, or for a few
    documents among many postings, a binary search for each."""
    decode = decoder(reader.schema[name].format)
    blocks = postings.blocks(reader, name, btext)
    found: dict[int, Iterable[int]] = {}
    if len(docs) * 16 < sum(len(ids) for ids, _w, _v in blocks):
        last_ids = [ids[-1] for ids, _w, _v in blocks]
        for n, docnum in enumerate(docs):
            if n % 4096 == 4095:
                postings.check()
            b = bisect_left(last_ids, docnum)
            if b < len(blocks):
                ids, _weights, values = blocks[b]
                i = bisect_left(ids, docnum)
                if i < len(ids) and ids[i] == docnum:
                    found[docnum] = decode(values[i])
        return found
    for n, (ids, _weights, values) in enumerate(blocks):
        for i, docnum in enumerate(ids):
            if docnum in docs:
                found[docnum] = decode(values[i])
        if n % 32 == 31:
            postings.check()
    return found


def _decode_positions(value: bytes) -> Iterable[int]:
    """`Positions.decode_positions`, faster (it is most of a phrase's cost). The value is a
    4-byte frequency, then the gaps between positions pickled as a list; a list of several
    gaps under 256 is `\\x80\\x02]q\\x00(` + `K<byte>` per gap + `e.`, whose bytes are read
    straight (3x faster); anything else is unpickled. The running sum is done in C."""
    if value.startswith(_SMALL_GAPS, 4) and value.endswith(b"e."):
        body = value[_GAPS_AT:-2]
        if len(body) % 2 == 0 and not body[::2].strip(b"K"):
            return accumulate(body[1::2])
    elif len(value) == _ONE_AT + 3 and value.startswith(_ONE_GAP, 4) and value.endswith(b"a."):
        return (value[_ONE_AT],)  # a list of one position under 256: `K<byte>` + `a.`
    return accumulate(loads(value[4:] if value.endswith(b".") else value[4:] + b"."))
