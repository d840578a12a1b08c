"""Two processes changing one library at once: every change from both survives."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from paperdeck.core.models import Paper
from paperdeck.core.store import Library

PAPERS = 20
CHANGES = 500

# Each process owns the stars of half the papers and the notes of the other half, and adds and
# removes tags with its own prefix on every paper: the papers overlap, so the processes contend
# for the same rows, yet the final state of each field is known from each process's own log.
WORKER = r"""
import json, random, sys
from paperdeck.core.store import Library

root, name, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
rng = random.Random(seed)
library = Library(root)
ids = sorted(library.all_ids())
mine = ids[:10] if name == "a" else ids[10:]
theirs = ids[10:] if name == "a" else ids[:10]
stars, notes, tags = {}, {}, {pid: set() for pid in ids}
for i in range({changes}):
    op = rng.choice(["star", "note", "tag", "untag"])
    if op == "star":
        pid = rng.choice(mine); on = rng.random() < 0.5
        library.set_starred(pid, on); stars[pid] = on
    elif op == "note":
        pid = rng.choice(theirs); text = f"{name} note {i}"
        library.set_note(pid, text); notes[pid] = text
    elif op == "tag":
        pid = rng.choice(ids); tag = f"{name}-{rng.randrange(5)}"
        library.add_tags(pid, [tag]); tags[pid].add(tag)
    else:
        pid = rng.choice(ids); tag = f"{name}-{rng.randrange(5)}"
        library.remove_tags(pid, [tag]); tags[pid].discard(tag)
print(json.dumps({"stars": stars, "notes": notes, "tags": {k: sorted(v) for k, v in tags.items()}}))
""".replace("{changes}", str(CHANGES))


@pytest.mark.slow
def test_two_processes_interleaving_lose_nothing(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    with Library(root) as library:
        library.add_papers(
            Paper(title=f"Paper number {n}", authors=[f"Author {n}"]) for n in range(PAPERS)
        )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(root), name, str(seed)],
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
    with Library(root) as library:
        papers = {p.id: p for p in library.get_many(library.all_ids())}
    stars = {**logs[0]["stars"], **logs[1]["stars"]}
    notes = {**logs[0]["notes"], **logs[1]["notes"]}
    assert len(stars) > 10 and len(notes) > 10
    for pid, paper in papers.items():
        assert paper.starred == stars.get(pid, False)
        assert paper.note == notes.get(pid, "")
        expected_tags = sorted(logs[0]["tags"][pid] + logs[1]["tags"][pid])
        assert sorted(paper.tags) == expected_tags
