"""Full-text search over the library: a Whoosh index beside SQLite, kept in step with it.

SQLite is the truth and the index a cache of it that can always be rebuilt. Each write to the
library appends to its change log; `sync` applies the log in one commit and only then records
how far it got, so a crash or a busy lock never loses a change: the next sync applies it again.
Every writer (sync, rebuild) of every process takes one file lock beside the index; a rebuild
is written into a fresh folder and swapped in, so a reader sees the old index or the new one.
"""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_left
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh import index as windex
from whoosh import query as wq
from whoosh.searching import Searcher

from paperdeck.core.cancel import Cancel, SearchCancelled
from paperdeck.core.search import index_files as files
from paperdeck.core.search.checksums import ReadRounds, is_read_error
from paperdeck.core.search.doc_ids import DocIds, SegmentIds
from paperdeck.core.search.hits import docs_of
from paperdeck.core.search.impacts import ImpactFiles
from paperdeck.core.search.index_files import VOCABULARY_FILE
from paperdeck.core.search.index_writing import (
    GROWN_LABEL,
    REBUILD_LABEL,
    Outgrown,
    Progress,
    apply_changes,
    build_index,
    derived_files_missing,
    write_derived_files,
    writer_lock,
)
from paperdeck.core.search.kept_results import Results
from paperdeck.core.search.pair_files import PairFiles
from paperdeck.core.search.postings import footprint
from paperdeck.core.search.query import PaperQueryParser
from paperdeck.core.search.ranking import Ranker, best
from paperdeck.core.search.search_result import (
    IndexBusy,
    IndexCorrupt,
    SearchIndexError,
    SearchResult,
)
from paperdeck.core.search.spelling import Vocabulary, suggest
from paperdeck.core.search.threshold import top_k_by_impacts
from paperdeck.core.search.topk import TopK, top_k
from paperdeck.core.search.unmatched import unmatched_docnums
from paperdeck.core.store import Library
from paperdeck.core.store.id_run import PickedIds

if TYPE_CHECKING:
    from paperdeck.core.search.following_build import FollowingBuild

RANKED = 200  # hits a search puts in relevance order; the rest follow in index order
# The best found first where each is dear to find (a phrase's positions, ~0.5 ms a paper):
# a screenful and more, the complete search ranks the rest
FIRST_SCREEN = 60
KEEP_SCORES = 32 * 1024 * 1024  # bytes of scores a top-k pass keeps for the complete one
KEEP_RESULTS = 8 * 1024 * 1024  # bytes of complete results kept for a query asked again


class SearchIndex:
    """Searching the library, and keeping the index in step with it.

    One per `Library`: ensure/sync/rebuild/more_like use its SQLite connection. A search may
    run while another thread syncs; it keeps the old searcher until the commit is done.
    """

    bulk_threshold = 5000  # more papers than this are written by two processes
    lock_timeout = 5.0  # seconds a sync waits for another process's writer, then skips
    rebuild_timeout = 600.0  # seconds ensure/rebuild wait for another process's rebuild

    def __init__(self, library: Library) -> None:
        self.library = library
        self.path = Path(library.index_dir)
        self._lock_path = self.path.with_name(self.path.name + ".lock")
        self._schema = files.make_schema()
        self._parser = PaperQueryParser(
            self._schema, self.vocabulary, library.affiliation_spellings
        )
        self._write_lock = threading.RLock()  # sync and rebuild, in this process
        self._read_lock = threading.RLock()  # the searcher and what belongs to it
        self._searcher: Searcher | None = None
        self._state: files.IndexState | None = None
        self._state_stat: files.Stat | None = None
        self._ids = DocIds()  # docnum -> paper id, for the current searcher
        self._segment_ids: dict[str, SegmentIds] = {}
        self._rounds = ReadRounds()  # each search verifies the index blocks it reads again
        self._impacts = ImpactFiles(self.path, self._rounds)
        self._pairs = PairFiles(self.path, self._rounds)
        self._ranker = self._new_ranker()
        # The scores of every hit of the last search, when its top-k pass found them all:
        # (searcher, query, docnum -> score).
        self._scored: tuple[Searcher, str, dict[int, float]] | None = None
        # The best hits the last top-k pass found, when it did not score them all:
        # (searcher, query, how many wanted, docnums best first).
        self._head: tuple[Searcher, str, int, list[int]] | None = None
        self._results = Results(KEEP_RESULTS)
        self._vocabulary: tuple[files.Stat | None, Vocabulary] | None = None
        self._suspect = False  # a search failed in a way only a rebuild mends

    # -- opening ---------------------------------------------------------------------------

    def ensure(self, progress: Progress | None = None) -> bool:
        """Open the index, rebuilding it if missing, damaged or out of step; then sync.

        Returns True if it rebuilt an index missing, damaged or out of step (not one the sync
        rebuilt for the library having outgrown it: `Outgrown`).
        """
        with self._write_lock:
            rebuilt = False
            seen = files.file_stat(self.path / files.STATE_FILE)
            if self.library.read_only:
                # Nothing can be written: search what is there, which may lag behind the
                # change log (a library made read-only before its index caught up).
                if not self._open():
                    raise SearchIndexError(
                        "the search index is missing or damaged and the library is read-only;"
                        " make it writable to rebuild the index"
                    )
                return False
            if not self._usable():
                with writer_lock(self._lock_path, self.rebuild_timeout) as locked:
                    if not locked:
                        raise IndexBusy("another paperdeck is rebuilding the search index")
                    # Another process may have rebuilt it while we waited for the lock.
                    swapped = files.file_stat(self.path / files.STATE_FILE) != seen
                    if not (swapped and self._usable()):
                        self._rebuild_locked(progress)
                        rebuilt = True
            self.sync(progress)
            self._write_impacts(progress)
            return rebuilt

    def _write_impacts(self, progress: Progress | None) -> None:
        """Impact lists and pair files for the segments without them (an index written
        before they existed), derived from the index as a sync writes them for its own."""
        with self._read_lock:  # the searcher just opened, if current: no second open
            searcher = self._searcher
            reader = searcher.reader() if searcher is not None and searcher.up_to_date() else None
            if not derived_files_missing(self.path, reader):
                return
        write_derived_files(self.path, self._lock_path, self.lock_timeout, progress)

    def _usable(self) -> bool:
        if self._suspect or not self._open():
            return False
        assert self._state is not None and self._searcher is not None
        # Papers missing from the index must all be in the change log; if not, the database
        # was replaced or restored, or the state file lost. (Counted first: a paper added in
        # between is then in the log but not in the count, which the check allows.)
        papers = self.library.count()
        _seq, pending = self.library.changes_after(self._state.seq)
        return abs(papers - self._searcher.doc_count()) <= len(pending)

    def _open(self) -> bool:
        """Open what is on disk; False if it is missing, of another format, or unreadable."""
        state, stat = files.read_state(self.path)
        if state is None or not files.intact(self.path, state):
            return False
        try:
            ix = files.open_index(self.path, state.sums, self._rounds)
            if sorted(ix.schema.names()) != sorted(self._schema.names()):
                return False
            searcher = ix.searcher()
            try:
                # Damage inside a file is found by the block checks when a search reads it.
                ids = files.id_column(searcher.reader(), self._segment_ids)
            except BaseException:
                searcher.close()
                raise
        except Exception:
            return False
        with self._read_lock:
            old, self._searcher = self._searcher, searcher
            self._state, self._state_stat = state, stat
            self._ids, self._segment_ids = ids
            self._forget_derived(rebuilt=True)  # a rebuilt folder: other files, maybe sums
            if old is not None:
                old.close()
        return True

    def _current(self) -> Searcher:
        """The searcher, refreshed if a writer committed since, reopened if it swapped; a
        new round of block checks (`checksums`) for the search that asks for it."""
        self._rounds.next()
        stat = files.file_stat(self.path / files.STATE_FILE)
        if self._searcher is None or stat != self._state_stat:
            state, stat = files.read_state(self.path)
            if state is None or self._state is None or state.build != self._state.build:
                if not self._open():
                    raise IndexCorrupt("the search index is missing or damaged; rebuild it")
            else:
                self._state, self._state_stat = state, stat
        assert self._searcher is not None
        if not self._searcher.up_to_date():
            # Not Searcher.refresh(): it reuses segment readers with outdated deletions (and
            # keeps merged-away segments), which shows replaced papers twice.
            assert self._state is not None
            fresh = files.open_index(self.path, self._state.sums, self._rounds).searcher()
            try:
                ids = files.id_column(fresh.reader(), self._segment_ids)
            except BaseException:
                fresh.close()
                raise
            old, self._searcher = self._searcher, fresh
            self._ids, self._segment_ids = ids
            self._forget_derived(rebuilt=False)
            old.close()
        return self._searcher

    def _forget_derived(self, rebuilt: bool) -> None:
        """Drop what was read for segments gone (all of it, after a rebuild)."""
        live = set(self._segment_ids)
        self._ranker.forget_except(live)
        self._results.clear()
        if rebuilt:
            self._impacts.discard()
            self._pairs.discard()
        else:
            self._impacts.forget_except(live)
            self._pairs.forget_except(live)

    def vocabulary(self) -> Vocabulary:
        """The words of titles, abstracts and notes; loaded on first use, reloaded if changed."""
        stat = files.file_stat(self.path / VOCABULARY_FILE)
        if self._vocabulary is None or self._vocabulary[0] != stat:
            self._vocabulary = (stat, Vocabulary.load(self.path))
        return self._vocabulary[1]

    def close(self) -> None:
        with self._read_lock:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = None
            self._state = self._state_stat = None
            self._ids, self._segment_ids = DocIds(), {}
            self._vocabulary = None
            self._impacts.discard()
            self._results.clear()
            self._pairs.discard()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- searching -------------------------------------------------------------------------

    def decode_ids(self) -> None:
        """Decode every paper id of the open index now, where a moment is free (the reader,
        once the index is open): the first search with many hits would otherwise wait for
        it, 14 ms at 100,000 papers and 0.14 s at a million."""
        with self._read_lock:
            ids = self._ids
        ids.flat()  # outside the lock: a search meanwhile waits only if it needs them too

    def search(
        self,
        query: str,
        *,
        limit: int | None = None,
        ranked: int | None = RANKED,
        complete: bool = True,
        cancel: Cancel | None = None,
    ) -> SearchResult:
        """Papers matching ``query``: the ``ranked`` best first, in relevance order, then
        every other hit in index order (``ranked=None``: all in relevance order; a screen
        shows 40). ``limit`` caps the ids returned, never ``total``. A malformed query never
        raises; a damaged index raises IndexCorrupt (`ensure()` then rebuilds it).

        ``complete=False`` returns only the ``ranked`` best, found without scoring every hit
        (`threshold`, `topk`): the result is then not `complete` unless they are all the
        hits, and its total may be an estimate (`estimated`); a complete search follows.
        ``cancel`` is asked as the search runs: it raises SearchCancelled.
        """
        parsed = self._parser.parse(query)
        if parsed.query is None:
            return SearchResult([], 0, parsed.terms, None, parsed.fallback)
        with self._read_lock:
            try:
                searcher = self._current()
                ids, total, done, rough = self._run(
                    searcher, parsed.query, limit, ranked, complete, cancel
                )
            except (SearchIndexError, SearchCancelled):
                raise
            except Exception as exc:
                if is_read_error(exc):
                    raise self._damaged(exc) from exc
                searcher = self._recover(exc)  # raises if the index is damaged
                try:
                    ids, total, done, rough = self._run(
                        searcher, parsed.query, limit, ranked, complete, cancel
                    )
                except SearchCancelled:
                    raise
                except Exception as again:
                    if is_read_error(again):
                        raise self._damaged(again) from again
                    # Every byte read was checked: the index is sound, the query at fault.
                    parsed = self._parser.plain(parsed.text)
                    try:
                        ids, total, done, rough = self._run(
                            searcher, parsed.query, limit, ranked, complete, cancel
                        )
                    except SearchCancelled:
                        raise
                    except Exception:
                        return SearchResult([], 0, parsed.terms, None, True)
            suggestion = None
            with suppress(Exception):
                reader = searcher.reader()
                suggestion = suggest(reader, self.vocabulary, parsed.text, parsed.words)
        return SearchResult(
            ids, total, parsed.terms, suggestion, parsed.fallback, done, estimated=rough
        )

    def _run(
        self,
        searcher: Searcher,
        q: wq.Query | None,
        limit: int | None,
        ranked: int | None,
        complete: bool,
        cancel: Cancel | None = None,
    ) -> tuple[Sequence[str], int, bool, bool]:
        """(ids, total, every hit listed (or ``limit`` of them), total estimated)."""
        if q is None or q is wq.NullQuery:
            return [], 0, True, False
        want = None if ranked is None else max(ranked, 0)
        if limit is not None:
            want = max(limit, 0) if want is None else min(want, max(limit, 0))
        kept = self._scored
        if not complete and want is not None:
            answered = self._results.get(searcher, repr(q), want)
            if answered is not None:  # asked again (a key typed, deleted, typed again)
                head, order = answered
                ids = self._ids.many(head[:want])
                return ids, len(order), len(head) == len(order) or len(ids) == limit, False
            found = self._top_k(searcher, q, want, cancel, first=FIRST_SCREEN)
            # Every hit was scored on the way (nothing could be skipped): kept for the
            # complete search that follows, which then only puts them in order.
            every = found.every
            small = every is not None and footprint(every) <= KEEP_SCORES
            self._scored = (searcher, repr(q), every) if every is not None and small else None
            # (the best known only if as many as wanted were found, or every hit)
            every_hit = found.exact and len(found.docs) == found.estimate
            known = self._scored is None and (len(found.docs) >= want or every_hit)
            self._head = (searcher, repr(q), want, found.docs) if known else None
            ids = self._ids.many(found.docs)
            return ids, found.estimate, every_hit or len(ids) == limit, not found.exact
        answered = self._results.get(searcher, repr(q), want)
        if answered is not None:
            head, order = answered
        elif kept is not None and kept[0] is searcher and kept[1] == repr(q):
            scores, self._scored = kept[2], None  # used once: memory stays bounded
            head, listed = best(scores, want)
            order = self._results.put(searcher, repr(q), want, head, listed)
        elif (top := self._head) is not None and top[:3] == (searcher, repr(q), want):
            # The best are known from the top-k pass: only the hits are still wanted (at a
            # million papers, 1 s of the complete "large language model" was finding the
            # best again).
            head = top[3]
            order = self._results.put(
                searcher, repr(q), want, head, self._every(searcher, q, cancel)
            )
            self._head = None  # (kept while a cancelled try may be made again)
        else:
            head, hits = self._best(searcher, q, want, cancel)
            order = self._results.put(searcher, repr(q), want, head, hits)
        if ranked is None or (limit is not None and len(head) >= limit):
            return self._ids.many(head), len(order), True, False
        return self._ids.many(ranked_first(head, order, limit)), len(order), True, False

    def _best(
        self, searcher: Searcher, q: wq.Query, want: int | None, cancel: Cancel | None
    ) -> tuple[list[int], Sequence[int]]:
        """(the ``want`` best docnums, best first; every hit in index order). The best from
        the impact lists and the hits from their documents, unscored, where they can
        answer; else every hit scored. None wanted (a view listed by date): the hits
        alone, from their documents (2-7x faster than building the scoring nodes)."""
        if want == 0:
            return [], self._hits(searcher, q, cancel)
        if want is not None:
            found = self._impacts_top_k(searcher, q, want, cancel, count=True)
            if found is not None and found.hits is not None:
                return found.docs, found.hits
        return best(self._ranker.scores(searcher, q, cancel=cancel), want)

    def _every(self, searcher: Searcher, q: wq.Query, cancel: Cancel | None) -> Sequence[int]:
        """Every hit's docnum in index order: from the impact lists' documents as sets where
        they can answer (none scored, none ranked), else from the postings."""
        found = self._impacts_top_k(searcher, q, 0, cancel, count=True)
        if found is not None and found.hits is not None:
            return found.hits
        return self._hits(searcher, q, cancel)

    def _hits(self, searcher: Searcher, q: wq.Query, cancel: Cancel | None) -> array[int]:
        """Every hit's docnum, in index order, none scored (4 bytes each)."""
        postings = self._ranker.postings
        found = array("I")
        with postings.cancelled_by(cancel):
            for leaf, offset in searcher.leaf_searchers():
                docs = docs_of(leaf, leaf.reader(), q, postings)  # deleted ones left out
                found.extend(sorted(d + offset for d in docs))
        return found

    def _top_k(
        self,
        searcher: Searcher,
        q: wq.Query,
        k: int,
        cancel: Cancel | None,
        first: int | None = None,
    ) -> TopK:
        """The k best by the impact lists (`threshold`; ``first``: fewer where each is
        dear to find); where a segment has none yet, or the query holds a phrase its
        pairs cannot serve, by block-max bounds (`topk`). An impact file that cannot be
        read is set aside (the next write of the index writes it again)."""
        found = self._impacts_top_k(searcher, q, k, cancel, first=first)
        return found if found is not None else top_k(self._ranker, searcher, q, k, cancel)

    def _impacts_top_k(
        self,
        searcher: Searcher,
        q: wq.Query,
        k: int,
        cancel: Cancel | None,
        count: bool = False,
        first: int | None = None,
    ) -> TopK | None:
        sums = self._sums()
        try:
            return top_k_by_impacts(
                self._ranker,
                searcher,
                q,
                k,
                lambda r: self._impacts.get(r, sums),
                cancel,
                count=count,
                first=first,
            )
        except SearchCancelled:
            raise
        except Exception as exc:
            if not is_read_error(exc) and not isinstance(exc, ValueError):
                raise
            self._impacts.discard()
            return None

    def _damaged(self, exc: Exception) -> IndexCorrupt:
        """A read error inside the index (a checksum that does not match, a zlib error): the
        index is damaged, whatever the query; `ensure()` rebuilds it."""
        self._suspect = True
        return IndexCorrupt(f"the search index is damaged ({exc}); it will be rebuilt")

    def _recover(self, exc: Exception) -> Searcher:
        """After a failed search: reopen; if the index itself is broken, say so."""
        if self._open():
            assert self._searcher is not None
            return self._searcher
        self._suspect = True
        raise IndexCorrupt("the search index is damaged; it will be rebuilt") from exc

    def more_like(self, paper_id: str, limit: int = 20) -> list[str]:
        """Papers sharing the key terms of this paper's title and abstract, best first."""
        papers = self.library.get_many([paper_id])
        if not papers or limit <= 0:
            return []
        text = f"{papers[0].title}\n{papers[0].abstract}"
        from paperdeck.core.search.similar import similar_docnums  # only `m` asks

        with self._read_lock:
            docnums = similar_docnums(self._current(), text, limit + 1)
            ids = self._ids.many(docnums)
        return [i for i in ids if i != paper_id][:limit]

    # -- writing ---------------------------------------------------------------------------

    def sync(self, progress: Progress | None = None) -> int:
        """Apply the library's change log in one commit, or rebuild when it outgrows the
        index (`Outgrown`); returns the papers re-indexed.

        Skips (returns 0) if another process holds the index longer than `lock_timeout`:
        whoever uses the index next catches up; and in a read-only library.
        """
        if self.library.read_only:
            return 0
        with self._write_lock, writer_lock(self._lock_path, self.lock_timeout) as locked:
            if not locked:
                return 0
            try:
                count = apply_changes(
                    self.library,
                    self.path,
                    bulk_threshold=self.bulk_threshold,
                    timeout=self.lock_timeout,
                    progress=progress,
                )
            except windex.LockError:  # a writer outside paperdeck's lock: skip, as above
                return 0
            except Outgrown:
                return self._rebuild_locked(progress, GROWN_LABEL)
            if count:
                files.make_private(self.path)
        if count is None:
            raise IndexCorrupt("the search index is missing; rebuild it")
        if count:
            self._refresh_quietly()
        return count

    def follow_import(
        self, paths: Sequence[str], format_name: str | None = None
    ) -> FollowingBuild | None:
        """Start building the index beside an import of the files at ``paths`` when they
        hold enough papers to outgrow it (`Outgrown`: the sync after the import would
        rebuild it anyway). None: the sync after the import indexes it, as for any import
        (a small one, files not read a line at a time, the lock held elsewhere, threads
        here). The build holds the writer lock until its `finish` or `stop`."""
        from paperdeck.core.search import following_build

        if self.library.read_only:
            return None
        return following_build.start_beside(
            self.library,
            self.path,
            self._lock_path,
            self._schema,
            paths,
            format_name,
            bulk_threshold=self.bulk_threshold,
            timeout=self.lock_timeout,
        )

    def rebuild(self, progress: Progress | None = None) -> int:
        """Index every paper afresh, in a new folder swapped in at the end; returns the count."""
        with self._write_lock, writer_lock(self._lock_path, self.rebuild_timeout) as locked:
            if not locked:
                raise IndexBusy("another paperdeck is writing the search index")
            return self._rebuild_locked(progress)

    def _rebuild_locked(self, progress: Progress | None, label: str = REBUILD_LABEL) -> int:
        count = build_index(
            self.library,
            self.path,
            self._schema,
            bulk_threshold=self.bulk_threshold,
            timeout=self.lock_timeout,
            progress=progress,
            label=label,
        )
        files.make_private(self.path)
        self._suspect = False
        if not self._open():
            raise IndexCorrupt("the rebuilt search index cannot be read")
        return count

    def _refresh_quietly(self) -> None:
        """Reopen changed segments now, in the writer's thread, not in the next search."""
        with self._read_lock:
            if self._searcher is not None:
                with suppress(Exception):  # the next search reports it
                    self._current()

    # -- diagnostics -----------------------------------------------------------------------

    def segment_count(self) -> int:
        with files.open_index(self.path).reader() as reader:
            return len(list(reader.leaf_readers()))

    def drop_caches(self) -> None:
        """Forget the postings kept between searches: the next search reads the index as a
        first one does (benchmarks measure that)."""
        with self._read_lock:
            self._ranker = self._new_ranker()
            self._ranker.forget_except(set(self._segment_ids))
            self._scored = self._head = None
            self._results.clear()

    def _new_ranker(self) -> Ranker:
        """A ranker reading phrases of common words from the segments' pair files."""
        return Ranker(pair_files=lambda reader: self._pairs.get(reader, self._sums()))

    def _sums(self) -> dict[str, list[int]]:
        return self._state.sums if self._state is not None else {}

    def others(
        self, hits: Sequence[str], cancel: Cancel | None = None
    ) -> tuple[int, Sequence[str]] | None:
        """The papers of the index that are not among ``hits`` (a search's, by the searcher
        still open), fewer than the hits, and the change-log position the index holds
        (`Library.changes_after` of it empty: the index's papers are the library's).
        None when that cannot be known cheaply: ``hits`` from an older searcher or a
        filter, or as many others as hits. ``cancel`` raises `SearchCancelled`.

        Also None when the index on disk moved on since the searcher was opened: a sync
        (of any process) prunes the change log it applied, so the log no longer tells
        what this searcher lacks. Asked inside the caller's snapshot of the library, a
        sync that had pruned before the snapshot began has written its state by now."""
        if not isinstance(hits, PickedIds):
            return None
        with self._read_lock:
            searcher, state, run = self._searcher, self._state, self._ids.decoded_run()
            picked = None if run is None else hits.positions_in(run)
            if searcher is None or state is None or run is None or picked is None:
                return None
            stat = files.file_stat(self.path / files.STATE_FILE)
            if stat != self._state_stat or not searcher.up_to_date():
                return None
            deleted = [
                (offset, leaf.reader().deleted_docs_set)
                for leaf, offset in searcher.leaf_searchers()
                if leaf.reader().has_deletions()
            ]
        gone = (offset + docnum for offset, docnums in deleted for docnum in docnums)
        found = unmatched_docnums(picked, len(run), gone, len(picked), cancel)
        return None if found is None else (state.seq, run.take(found))

    def applied_seq(self) -> int | None:
        state, _stat = files.read_state(self.path)
        return state.seq if state else None


def ranked_first(head: list[int], order: array[int], limit: int | None) -> array[int]:
    """``head`` (the best, best first), then the other hits of ``order`` (every hit,
    ascending) in its order, up to ``limit`` in all: as 4-byte docnums copied a run at a
    time between the best, not as a list of a million int objects (36 MB at a million
    hits, in the reader's peak of memory)."""
    out = array("I", head)
    places = [bisect_left(order, docnum) for docnum in head]
    found = zip(places, head, strict=True)
    cuts = sorted(at for at, d in found if at < len(order) and order[at] == d)
    want = len(head) + len(order) - len(cuts) if limit is None else limit
    start = 0
    for at in cuts:
        room = want - len(out)
        if room <= 0:
            return out
        out.extend(order[start : start + min(at - start, room)])
        start = at + 1
    room = want - len(out)
    if room > 0:
        out.extend(order[start : start + room])
    return out
