"""What the search index keeps on disk: schema, documents, state and manifest, folder swaps.

The index folder holds Whoosh's files plus two of ours, each replaced atomically: the state
(the change-log position applied, a build id that changes when the folder is swapped, and a
manifest of Whoosh's files) and the vocabulary (see `spelling`). A rebuild writes a fresh
folder beside the index and swaps it in.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as windex
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.reading import IndexReader

from paperdeck.core.atomic import write_atomic
from paperdeck.core.search.analysis import FastChain, FastPositions
from paperdeck.core.search.checksums import CheckedStorage, ReadRounds, VerifiedBlocks, block_sums
from paperdeck.core.search.doc_ids import DocIds, SegmentIds, segment_ids
from paperdeck.core.search.impacts import SUFFIX as IMPACTS_SUFFIX
from paperdeck.core.search.pair_files import SUFFIX as PAIRS_SUFFIX
from paperdeck.core.search.pairs import add_pair_fields

# Bump when the schema or the analysis changes: old indexes are rebuilt. 2: word-pair fields.
# 3: words without `*` or edge underscores (`analysis.TOKEN_PATTERN`). 4: collocations paired
# (`pairs.PairFormat`): an earlier paperdeck syncing into the index would leave them out.
INDEX_FORMAT = 4
STATE_FILE = "paperdeck.json"
VOCABULARY_FILE = "words.txt"  # see `spelling`: checked with Whoosh's files

DEFAULT_FIELDS = ("title", "authors", "abstract", "tags", "note", "categories", "affiliations")
FIELD_ALIASES = {
    "authors": ["author"],
    "categories": ["cat", "category"],
    "tags": ["tag"],
    "affiliations": ["affil", "affiliation"],
}
SPELLING_FIELDS = ("title", "abstract")  # "did you mean" offers only words still in these

# Files beside Whoosh's derived from them: never a reason to rebuild.
DERIVED = (IMPACTS_SUFFIX, PAIRS_SUFFIX)

Stat = tuple[int, int, int]


def open_index(
    folder: Path, sums: dict[str, list[int]] | None = None, rounds: ReadRounds | None = None
) -> windex.Index:
    """The Whoosh index in ``folder``, read through file handles. With Whoosh's default memory
    mapping each segment opened is copied whole into memory: at 100k papers that is 0.5 GB
    and 170 ms per open, against 45 MB and 6 ms (queries get 10-40% slower). With ``sums``
    (`IndexState.sums`), every block read is checked against them (`checksums`), again in
    each round of ``rounds``."""
    if sums is None:
        return FileStorage(str(folder), supports_mmap=False).open_index()
    return CheckedStorage(str(folder), sums, rounds).open_index()


def make_schema() -> Schema:
    """Whoosh's fields, with the fast indexing path of `analysis` for the text fields.

    Title, abstract and note are stemmed; names are only folded (Müller finds Muller). No
    spelling sub-fields: they double the build time, and `spelling.Vocabulary` does their job.
    Each field a phrase can search has a word-pair field beside it (`pairs`).
    """
    words = FastChain(prose=False)
    prose = FastChain(prose=True)
    schema = Schema(
        id=ID(unique=True, stored=True, sortable=True),
        title=TEXT(analyzer=prose, field_boost=3.0),
        authors=TEXT(analyzer=words),
        abstract=TEXT(analyzer=prose),
        categories=KEYWORD(lowercase=True, commas=True, scorable=True),
        affiliations=TEXT(analyzer=words),
        tags=KEYWORD(lowercase=True, commas=True, scorable=True),
        note=TEXT(analyzer=prose),
        year=NUMERIC(int, bits=32, signed=False),
    )
    for name in ("title", "authors", "abstract", "affiliations", "note"):
        schema[name].format = FastPositions(field_boost=schema[name].format.field_boost)
    add_pair_fields(schema)
    return schema


@dataclass(frozen=True, slots=True)
class IndexState:
    seq: int  # the change-log sequence number the index has applied
    build: str  # a new id for each rebuilt folder: readers of the old one must reopen
    files: dict[str, tuple[int, int]] = field(default_factory=dict)  # see `manifest`
    sums: dict[str, list[int]] = field(default_factory=dict)  # CRC-32 of each block, by file


def manifest(folder: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of Whoosh's files, recorded after each commit.

    Whoosh never changes a file once written and keeps no checksums, so a file that differs
    from its record was damaged: garbage in the middle of a segment is otherwise only found
    (if ever) by the query that reads it.
    """
    found: dict[str, tuple[int, int]] = {}
    for path in folder.iterdir():
        if path.name.startswith(("MAIN_", "_MAIN_")) or path.name == VOCABULARY_FILE:
            st = path.stat()
            found[path.name] = (st.st_size, st.st_mtime_ns)
    return found


def intact(folder: Path, state: IndexState) -> bool:
    """Whether the files recorded in ``state`` are all there and unchanged."""
    for name, (size, mtime) in state.files.items():
        if name.endswith(DERIVED):
            continue  # missing: written again; damaged: set aside when read (`impacts`)
        try:
            st = os.stat(folder / name)
        except OSError:
            return False
        if (st.st_size, st.st_mtime_ns) != (size, mtime):
            return False
    # The vocabulary is read whole (a few MB at most) when loaded: check it whole now.
    if VOCABULARY_FILE in state.sums:
        try:
            if block_sums(folder / VOCABULARY_FILE) != state.sums[VOCABULARY_FILE]:
                return False
        except OSError:
            return False
    return True


# The state last read, with the full stat of its file then: at a million papers the file
# (1.1 MB, mostly block sums) took 15 ms to parse, holding the interpreter, and opening the
# index read it twice, then every sync (a star, a note) once more. The same file, not
# replaced since (an atomic replace is a new inode, and a new change time), is not parsed
# again. A file changed within `RACY_NS` of the read is not kept: where timestamps are
# coarse, a replace in the same tick could reuse the inode freed by the one before it,
# with the same size. One entry: a process works on one index at a time.
_last_read: tuple[tuple[object, ...], IndexState] | None = None
RACY_NS = VerifiedBlocks.RACY_NS


def read_state(folder: Path) -> tuple[IndexState | None, Stat | None]:
    """The state and the stat of its file (None: missing, unreadable, or another format).
    The `IndexState` may be the one returned before for the same file: nothing changes it."""
    global _last_read
    target = folder / STATE_FILE
    try:
        found = os.stat(target)
    except OSError:
        return None, None
    stat = _identity(found)
    key = (os.path.abspath(target), found.st_dev, *stat, found.st_ctime_ns)
    last = _last_read
    if last is not None and last[0] == key:
        return last[1], stat
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
        if data.get("format") != INDEX_FORMAT:
            return None, stat
        recorded = {str(k): (int(v[0]), int(v[1])) for k, v in data["files"].items()}
        # No sums: written before they were kept; the next commit records them all.
        sums = {str(k): [int(n) for n in v] for k, v in data.get("sums", {}).items()}
        state = IndexState(int(data["seq"]), str(data["build"]), recorded, sums)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None, stat
    if found.st_ctime_ns < time.time_ns() - RACY_NS:
        _last_read = key, state
    return state, stat


def older_format(folder: Path) -> bool:
    """Whether the index was written by an earlier paperdeck (`INDEX_FORMAT`): it is rebuilt
    as a damaged one is, but the user is told why."""
    try:
        found = json.loads((folder / STATE_FILE).read_text(encoding="utf-8")).get("format")
    except (OSError, ValueError, AttributeError):
        return False
    return isinstance(found, int) and found < INDEX_FORMAT


def write_state(folder: Path, seq: int, build: str) -> None:
    """Record ``seq`` and ``build`` with the manifest of the files as they are now, and the
    checksums of their blocks: those of a file already recorded unchanged are carried over
    (Whoosh never rewrites a file), so a commit reads only the files it wrote."""
    files = manifest(folder)
    before, _stat = read_state(folder)
    sums: dict[str, list[int]] = {}
    for name, record in files.items():
        if before is not None and before.files.get(name) == record and name in before.sums:
            sums[name] = before.sums[name]
        else:
            sums[name] = block_sums(folder / name)
    data = {"format": INDEX_FORMAT, "seq": seq, "build": build, "files": files, "sums": sums}
    write_atomic(folder / STATE_FILE, json.dumps(data, sort_keys=True))


def new_build() -> str:
    return os.urandom(16).hex()  # not uuid: its import costs a search 2 ms


def file_stat(path: Path) -> Stat | None:
    """Identity of a file's content: an atomic replace changes the inode."""
    try:
        return _identity(os.stat(path))
    except OSError:
        return None


def _identity(st: os.stat_result) -> Stat:
    return st.st_ino, st.st_mtime_ns, st.st_size


def swap_in(fresh: Path, target: Path) -> None:
    """Put the folder ``fresh`` at ``target``; the old one is renamed away, then removed.

    Processes reading the old folder keep their open files (POSIX); they notice the new
    build id in the state file and reopen.
    """
    old: Path | None = None
    if target.exists() or target.is_symlink():
        old = target.with_name(f"{target.name}.old-{os.urandom(4).hex()}")
        os.replace(target, old)
    os.replace(fresh, target)
    if old is not None:
        remove(old)


def remove_leftovers(target: Path) -> None:
    """Folders a crashed rebuild left beside the index (call with the writer lock held)."""
    for pattern in (f"{target.name}.tmp-*", f"{target.name}.old-*"):
        for leftover in target.parent.glob(pattern):
            remove(leftover)


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def id_column(
    reader: IndexReader, cache: dict[str, SegmentIds]
) -> tuple[DocIds, dict[str, SegmentIds]]:
    """docnum -> id from the id column, each segment's read once (stored fields are slow)
    and decoded as asked (`doc_ids`)."""
    segments: list[SegmentIds] = []
    kept: dict[str, SegmentIds] = {}
    total = 0
    for leaf, base in reader.leaf_readers():
        if base != total:
            raise ValueError("the index segments do not add up")
        if not leaf.doc_count_all():  # also an empty index's reader, which has no segment
            continue
        segid = leaf.segment().segment_id()
        column = cache.get(segid)
        if column is None:
            column = segment_ids(leaf)
        if len(column) != leaf.doc_count_all():
            raise ValueError("the id column is damaged")
        kept[segid] = column
        segments.append(column)
        total += len(column)
    return DocIds(segments), kept


def make_private(folder: Path) -> None:
    """Owner-only modes for the index: it holds every word of the notes. Whoosh creates its
    files with the umask's mode; chmod leaves their modification times, which the manifest
    checks, alone."""
    for path in (folder, *folder.rglob("*")):
        with contextlib.suppress(OSError):  # a file merged away meanwhile
            os.chmod(path, 0o700 if path.is_dir() else 0o600)
