"""The live reader's core: noticing another process's commits, and keeping the user's rows."""

from __future__ import annotations

import subprocess
import sys

from paperdeck.core.live import LibraryWatch, keep_rows
from paperdeck.core.models import Paper
from paperdeck.core.store import Library


def seeded(root) -> list[str]:
    with Library(root) as lib:
        return lib.add_papers([Paper(title=f"Paper {n}", authors=["A B"]) for n in range(3)]).ids


def test_another_connections_changes_are_noticed_once(tmp_path):
    ids = seeded(tmp_path / "lib")
    with Library(tmp_path / "lib") as reader, Library(tmp_path / "lib") as other:
        watch = LibraryWatch(reader)
        assert not watch.poll()
        other.set_starred(ids[0], True)
        assert watch.poll()
        assert not watch.poll()
        other.set_read(ids[1], True)
        assert watch.poll()
        other.add_tags(ids[2], ["llm"])
        assert watch.poll()
        other.remove_tags(ids[2], ["llm"])
        assert watch.poll()
        other.add_papers([Paper(title="Arrived", authors=["C D"])])
        assert watch.poll()
        assert watch.seen_arrival == 2


def test_commits_that_change_nothing_shown_are_not_news(tmp_path):
    ids = seeded(tmp_path / "lib")
    with Library(tmp_path / "lib") as reader, Library(tmp_path / "lib") as other:
        watch = LibraryWatch(reader)
        other.prune_changes(10**6)  # the search index forgetting its change log
        other.set_starred(ids[0], False)  # already unstarred: nothing written
        other.add_papers([Paper(title="Paper 0", authors=["A B"])])  # unchanged
        assert not watch.poll()


def test_the_readers_own_writes_are_not_news(tmp_path):
    ids = seeded(tmp_path / "lib")
    with Library(tmp_path / "lib") as reader, Library(tmp_path / "lib") as other:
        watch = LibraryWatch(reader)
        reader.set_starred(ids[0], True)
        watch.own_write()
        other.prune_changes(10**6)  # data_version moves, the counters do not
        assert not watch.poll()


def test_a_change_just_before_the_readers_own_write_is_still_noticed(tmp_path):
    ids = seeded(tmp_path / "lib")
    with Library(tmp_path / "lib") as reader, Library(tmp_path / "lib") as other:
        watch = LibraryWatch(reader)
        other.set_note(ids[1], "written elsewhere")
        reader.set_starred(ids[0], True)
        watch.own_write()  # must not swallow the other process's note
        assert watch.poll()


def test_a_cli_process_loop_is_noticed_at_each_commit(tmp_path):
    """Real processes: each `paperdeck star`/`tag`/`import` run is seen by the watch."""
    ids = seeded(tmp_path / "lib")
    extra = tmp_path / "more.jsonl"
    extra.write_text('{"title": "Fetched by cron", "authors": ["E F"]}\n', encoding="utf-8")
    commands = [
        ["star", ids[0]],
        ["tag", ids[1], "later"],
        ["unstar", ids[0]],
        ["import", str(extra)],
    ]
    with Library(tmp_path / "lib") as reader:
        watch = LibraryWatch(reader)
        for command in commands:
            subprocess.run(
                [sys.executable, "-m", "paperdeck", "--library", str(tmp_path / "lib"), *command],
                check=True,
                capture_output=True,
            )
            assert watch.poll(), command
            assert not watch.poll()
        assert reader.new_count(1) == 1


def test_rows_that_stop_matching_stay_after_the_row_they_followed():
    assert keep_rows(["a", "b", "c", "d"], ["x", "a", "c", "d"]) == ["x", "a", "b", "c", "d"]
    assert keep_rows(["a", "b"], ["b", "c"]) == ["a", "b", "c"]
    assert keep_rows(["a", "b", "c"], []) == ["a", "b", "c"]
    assert keep_rows([], ["a"]) == ["a"]
    assert keep_rows(["a", "b"], ["b", "a"]) == ["b", "a"]  # a new order is taken as it is


def test_only_rows_within_reach_of_the_top_keep_their_place(monkeypatch) -> None:
    from paperdeck.core import live
    from paperdeck.core.store.id_run import IdRun, PickedIds

    monkeypatch.setattr(live, "KEEP_WITHIN", 3)
    # "b" (row 2) left the view and keeps its place; "e" (row 5) is past reach and leaves.
    assert keep_rows(["a", "b", "c", "d", "e"], ["a", "c", "d"]) == ["a", "b", "c", "d"]
    fresh = PickedIds([0, 2, 3], IdRun("a\nb\nc\nd\ne"))
    assert keep_rows(["a", "c", "d", "e"], fresh) is fresh  # nothing to keep: not copied
    assert live.within_reach(["a", "b", "c", "d"], fresh) == (["a", "b", "c"], {"a", "c"})
