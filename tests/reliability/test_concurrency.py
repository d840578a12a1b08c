"""Two processes changing one library at once: every change from both survives, in SQLite and
in the search index (also when both processes write the index themselves, contending for its
writer lock)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from paperdeck.core.models import Paper
from paperdeck.core.paperset import PaperSet
from paperdeck.core.search.index import SearchIndex
from paperdeck.core.store import Library

PAPERS = 20
CHANGES = 500
SYNC_EVERY = 50

# Each process owns the stars of half the papers and the notes of the other half, and adds and
# removes tags with its own prefix on every paper: the papers overlap, so the processes contend
# for the same rows, yet the final state of each field is known from each process's own log.
# Every note holds a word of its own ("a17n" = process a, change 17), so the index can be
# asked for each note ever written: only the one that survived may be found.
# With SYNC set, the process also brings the search index up to date every SYNC_EVERY changes.
WORKER = r"""
import json, random, sys
from paperdeck.core.store import Library

root, name, seed, sync_every = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(seed)
library = Library(root)
index = None
if sync_every:
    from paperdeck.core.search.index import SearchIndex
    index = SearchIndex(library)
    index.ensure()
ids = sorted(library.all_ids())
mine = ids[:10] if name == "a" else ids[10:]
theirs = ids[10:] if name == "a" else ids[:10]
stars, notes, tags = {}, {}, {pid: set() for pid in ids}
written, synced, skipped = [], 0, 0
for i in range({changes}):
    op = rng.choice(["star", "note", "tag", "untag"])
    if op == "star":
        pid = rng.choice(mine); on = rng.random() < 0.5
        library.set_starred(pid, on); stars[pid] = on
    elif op == "note":
        pid = rng.choice(theirs); word = f"{name}{i}n"; text = f"{name} note {word}"
        library.set_note(pid, text); notes[pid] = text; written.append(word)
    elif op == "tag":
        pid = rng.choice(ids); tag = f"{name}-{rng.randrange(5)}"
        library.add_tags(pid, [tag]); tags[pid].add(tag)
    else:
        pid = rng.choice(ids); tag = f"{name}-{rng.randrange(5)}"
        library.remove_tags(pid, [tag]); tags[pid].discard(tag)
    if index is not None and (i + 1) % sync_every == 0:
        n = index.sync()
        synced += n; skipped += n == 0
print(json.dumps({
    "stars": stars, "notes": notes, "tags": {k: sorted(v) for k, v in tags.items()},
    "written": written, "synced": synced, "skipped": skipped,
}))
""".replace("{changes}", str(CHANGES))


def run_two_workers(root: Path, sync_every: int) -> list[dict]:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(root), name, str(seed), str(sync_every)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for name, seed in (("a", 1), ("b", 2))
    ]
    logs = []
    for proc in procs:
        out, _ = proc.communicate(timeout=300)
        assert proc.returncode == 0
        logs.append(json.loads(out))
    return logs


def make_library(root: Path, *, with_index: bool) -> None:
    with Library(root) as library:
        library.add_papers(
            Paper(title=f"Paper number {n}", authors=[f"Author {n}"]) for n in range(PAPERS)
        )
        if with_index:
            with SearchIndex(library) as index:
                index.ensure()


def check_final_state(root: Path, logs: list[dict]) -> None:
    """SQLite holds the last change of every field; then the index agrees with SQLite."""
    stars = {**logs[0]["stars"], **logs[1]["stars"]}
    notes = {**logs[0]["notes"], **logs[1]["notes"]}
    assert len(stars) > 10 and len(notes) > 10
    with Library(root) as library:
        papers = {p.id: p for p in library.get_many(library.all_ids())}
        assert len(papers) == PAPERS
        for pid, paper in papers.items():
            assert paper.starred == stars.get(pid, False)
            assert paper.note == notes.get(pid, "")
            expected_tags = sorted(logs[0]["tags"][pid] + logs[1]["tags"][pid])
            assert sorted(paper.tags) == expected_tags
        starred = {pid for pid, on in stars.items() if on}
        assert set(library.select(PaperSet().starred())) == starred

        with SearchIndex(library) as index:
            assert index.ensure() is False  # brought up to date, not rebuilt
            assert library.changes_after(index.applied_seq() or 0)[1] == []
            for tag in [f"{n}-{k}" for n in "ab" for k in range(5)]:
                tagged = {pid for pid, p in papers.items() if tag in p.tags}
                assert set(index.search(f"tag:{tag}").ids) == tagged, tag
            for word in logs[0]["written"] + logs[1]["written"]:
                holder = [pid for pid, p in papers.items() if p.note.endswith(" " + word)]
                assert index.search(f"note:{word}").ids == holder, word
            noted = {pid for pid, p in papers.items() if p.note}
            assert set(index.search("note:note").ids) == noted


@pytest.mark.slow
def test_two_processes_interleaving_lose_nothing(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    make_library(root, with_index=True)
    logs = run_two_workers(root, sync_every=0)
    check_final_state(root, logs)


@pytest.mark.slow
def test_two_processes_each_syncing_the_index_lose_nothing(tmp_path: Path) -> None:
    """Both processes write the index every 50 changes: the writer lock is contended, a sync
    that cannot get it is skipped, and the next one (anyone's) catches up."""
    root = tmp_path / "lib"
    make_library(root, with_index=True)
    logs = run_two_workers(root, sync_every=SYNC_EVERY)
    assert logs[0]["synced"] + logs[1]["synced"] > 0  # the workers did write the index
    check_final_state(root, logs)
