"""The private-Whoosh shortcuts and their public fallbacks give the same answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import whoosh

from paperdeck.core.importer import import_file
from paperdeck.core.search import whoosh_private
from paperdeck.core.search.doc_ids import segment_ids
from paperdeck.core.search.index import SearchIndex
from paperdeck.core.search.ranking import Ranker
from paperdeck.core.store import Library

SEEDS = sorted((Path(__file__).resolve().parents[2] / "assets" / "demo").glob("*.txt"))


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("private") / "lib"
    with Library(root) as library, SearchIndex(library) as index:
        reports = [import_file(library, path) for path in SEEDS]
        assert all(report.error is None for report in reports)
        index.ensure()
        for paper_id in reports[0].ids[:5]:  # a second segment, with deletions in the first
            library.add_tags(paper_id, ["keep"])
        index.sync()
        yield index


@pytest.fixture
def public_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(whoosh_private, "PRIVATE_OK", False)


def test_the_shortcuts_are_taken_with_the_whoosh_they_were_written_for():
    assert whoosh_private.PRIVATE_OK is (tuple(whoosh.__version__[:3]) == (2, 7, 5))


def flat(blocks):
    ids, weights, values = [], [], []
    for i, w, v in blocks:
        ids += list(i)
        weights += list(w)
        values += list(v)
    return ids, weights, values


def blocks_and_lengths(index):
    searcher = index._current()
    found = []
    for leaf in searcher.leaf_searchers():
        reader = leaf[0].reader()
        for fieldname, btext in [("abstract", b"languag"), ("title", b"model"), ("tags", b"keep")]:
            if (fieldname, btext) not in reader:
                continue
            matcher = reader.postings(fieldname, btext)
            if hasattr(matcher, "child"):
                matcher = matcher.child
            found.append(flat(whoosh_private.posting_blocks(matcher)))
        found += [whoosh_private.length_column(reader, f) for f in ("title", "abstract", "tags")]
    return found


def test_blocks_and_length_columns_read_publicly_are_the_same(index, monkeypatch):
    fast = blocks_and_lengths(index)
    monkeypatch.setattr(whoosh_private, "PRIVATE_OK", False)
    slow = blocks_and_lengths(index)

    # A paper without the field has no postings in it, so its length is never read: the
    # column says 0, the public way 1 (what Whoosh's scorer takes when it finds none).
    def where_present(slow_item, fast_item):
        if isinstance(fast_item, bytes):
            return bytes(s if f else 0 for s, f in zip(slow_item, fast_item, strict=True))
        return slow_item

    assert [where_present(s, f) for s, f in zip(slow, fast, strict=True)] == fast
    assert len(slow) == len(fast)
    postings = [f for f in fast if isinstance(f, tuple)]
    assert len(postings) >= 4 and any(len(ids) > 1 for ids, _w, _v in postings)


@pytest.mark.parametrize("text", ["language models", '"language models"', "title:reasoning"])
def test_scores_through_the_fallbacks_are_the_same(index, monkeypatch, text):
    searcher = index._current()
    q = index._parser.parse(text).query
    fast = Ranker().scores(searcher, q)
    monkeypatch.setattr(whoosh_private, "PRIVATE_OK", False)
    assert Ranker().scores(searcher, q) == fast
    assert fast


def test_a_whoosh_it_was_not_written_for_gives_no_per_field_b(public_only):
    assert whoosh_private.field_b(whoosh.scoring.BM25F(title_B=0.5)) == {}


def test_the_known_whoosh_gives_its_per_field_b():
    if not whoosh_private.PRIVATE_OK:
        pytest.skip("another Whoosh")
    assert whoosh_private.field_b(whoosh.scoring.BM25F(title_B=0.5)) == {"title": 0.5}


@pytest.mark.parametrize("text", ["language models", '"language models"', "model OR agents"])
def test_top_k_through_the_fallbacks_is_the_same(index, monkeypatch, text):
    """Without the block headers (another Whoosh), each term is one block whose bound is
    exact: the same best papers and scores, found by scoring every window."""
    from paperdeck.core.search.topk import top_k

    searcher = index._current()
    q = index._parser.parse(text).query
    fast = top_k(Ranker(), searcher, q, 5, window=8, dense=2.0)
    monkeypatch.setattr(whoosh_private, "PRIVATE_OK", False)
    slow = top_k(Ranker(), searcher, q, 5, window=8, dense=2.0)
    assert (slow.docs, slow.scores) == (fast.docs, fast.scores)
    assert len(fast.docs) == 5


def test_block_headers_say_what_their_blocks_hold(index):
    reader = next(iter(index._current().leaf_searchers()))[0].reader()

    def matcher():
        found = reader.postings("abstract", b"model")
        return getattr(found, "child", found)

    headers = list(whoosh_private.block_headers(matcher()))
    assert headers
    low = 0
    for offset, last, top, _length, count in headers:
        ids, weights, _values = whoosh_private.read_block(matcher(), offset)
        assert (len(ids), ids[-1], max(weights)) == (count, last, top)
        assert ids[0] >= low
        low = last + 1


@pytest.fixture(scope="module")
def many_blocks(tmp_path_factory):
    """700 papers: "alpha" in every abstract (six blocks of postings), a few times each."""
    folder = tmp_path_factory.mktemp("blocks")
    path = folder / "papers.jsonl"
    lines = [
        json.dumps({"title": f"Paper {n}", "abstract": "alpha beta " * (1 + n % 7) + f"w{n}"})
        for n in range(700)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Library(folder / "lib") as library, SearchIndex(library) as index:
        assert import_file(library, path).added == 700
        index.ensure()
        yield index


def _walked(matcher):
    """The headers as the matcher itself reads them, block after block (`_goto`)."""
    found = []
    while True:
        found.append(
            (
                matcher._maxid,
                matcher._maxweight,
                whoosh_private.length_to_byte(matcher._minlength),
                matcher._blocklength,
            )
        )
        if matcher._lastblock:
            return found
        matcher._next_block()


@pytest.mark.parametrize(("head", "window"), [(64, 16384), (64, 100), (8, 16384)])
def test_block_headers_read_from_bytes_are_what_the_matcher_reads(
    many_blocks, monkeypatch, head, window
):
    """The headers are read from the term's bytes a window at a time (``window``), each
    from its first ``head`` bytes, or from its whole block where it is longer."""
    if not whoosh_private.PRIVATE_OK:
        pytest.skip("another Whoosh")
    monkeypatch.setattr(whoosh_private, "_HEAD_BYTES", head)
    monkeypatch.setattr(whoosh_private, "_WINDOW", window)
    reader = many_blocks._current().reader()
    for fieldname, btext in [("abstract", b"alpha"), ("abstract", b"beta"), ("title", b"paper")]:
        fast = list(whoosh_private.block_headers(_matcher(reader, fieldname, btext)))
        slow = _walked(_matcher(reader, fieldname, btext))
        assert len(fast) >= 5
        assert [h[1:] for h in fast] == slow
        matcher = _matcher(reader, fieldname, btext)
        for offset, last, _top, _length, count in fast:  # each offset is its block's
            ids, _weights, _values = whoosh_private.read_block(matcher, offset)
            assert (ids[-1], len(ids)) == (last, count)


def _matcher(reader, fieldname, btext):
    found = reader.postings(fieldname, btext)
    return getattr(found, "child", found)


def test_a_fields_postings_read_in_one_pass_are_the_ones_read_term_by_term(index):
    searcher = index._current()
    for leaf in searcher.leaf_searchers():
        reader = leaf[0].reader()
        deleted = reader.deleted_docs_set if reader.has_deletions() else frozenset()

        def live(ids, weights, deleted=deleted):  # Whoosh's matchers skip deleted ones
            return [(d, w) for d, w in zip(ids, weights, strict=True) if d not in deleted]

        for fieldname in ("title", "abstract", "tags", "nosuchfield"):
            one_pass = whoosh_private.field_postings(reader, fieldname)
            fast = [(t, live(i, w)) for t, i, w in one_pass]
            terms = reader.lexicon(fieldname) if fieldname in reader.schema else []
            slow = []
            for btext in terms:
                ids, weights = whoosh_private.ids_and_weights(reader, fieldname, btext)
                slow.append((btext, live(ids, weights)))
            assert fast == slow
            if fieldname in ("title", "nosuchfield"):
                assert bool(fast) is (fieldname == "title")


def test_a_fields_postings_the_public_way(index, public_only):
    searcher = index._current()
    reader = searcher.leaf_searchers()[-1][0].reader()  # the synced papers, tagged
    found = {t: list(i) for t, i, _w in whoosh_private.field_postings(reader, "tags")}
    assert len(found[b"keep"]) == 5


@pytest.mark.parametrize("private", [True, False])
def test_one_segment_opens_that_segment_alone(index, monkeypatch, private):
    from whoosh.filedb.filestore import FileStorage

    monkeypatch.setattr(whoosh_private, "PRIVATE_OK", private)
    opened = []
    original = whoosh_private.SegmentReader.__init__

    def counting(self, storage, schema, segment, *args, **kwargs):
        opened.append(segment.segment_id())
        original(self, storage, schema, segment, *args, **kwargs)

    monkeypatch.setattr(whoosh_private.SegmentReader, "__init__", counting)
    ix = FileStorage(str(index.path)).open_index()
    segments = [s.segment_id() for s in ix._segments()]
    assert len(segments) >= 2
    with whoosh_private.one_segment(ix, segments[-1]) as reader:
        assert reader is not None
        assert reader.segment().segment_id() == segments[-1]
    if private:
        assert opened == [segments[-1]]
    with whoosh_private.one_segment(ix, "MAIN_nosuchsegment") as reader:
        assert reader is None


def test_the_id_column_read_in_one_go_is_the_public_one(index, monkeypatch):
    """Each segment's ids (deleted papers' too), as Whoosh reads them a document at a time,
    one by one or all at once."""
    reader = index._current().reader()
    leaves = [leaf for leaf, _base in reader.leaf_readers()]
    assert len(leaves) >= 2 and any(leaf.has_deletions() for leaf in leaves)
    parts = [whoosh_private.column_parts(leaf, "id") for leaf in leaves]
    assert all(p is not None and p[3] is None for p in parts)  # read in one go, UTF-8
    public = [list(leaf.column_reader("id")) for leaf in leaves]
    one_by_one = [[ids[d] for d in range(len(ids))] for ids in map(segment_ids, leaves)]
    at_once = [segment_ids(leaf).decoded() for leaf in leaves]
    assert one_by_one == public and at_once == public
    assert all(isinstance(i, str) for ids in at_once for i in ids)
    assert sum(len(ids) for ids in at_once) == reader.doc_count_all()
    monkeypatch.setattr(whoosh_private, "PRIVATE_OK", False)
    assert all(whoosh_private.column_parts(leaf, "id") is None for leaf in leaves)
    assert [segment_ids(leaf).decoded() for leaf in leaves] == public
