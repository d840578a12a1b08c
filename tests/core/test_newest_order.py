"""`NewestOrder`: the newest-first order a search with many hits filters, kept between the
reader's loads, is the date index's order, and is read again after any change that can move
a paper in it (made by this connection, another one, or another process), but not after a
star or a read mark."""

from __future__ import annotations

import random
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from paperdeck.core.cancel import SearchCancelled
from paperdeck.core.models import Paper
from paperdeck.core.paperset import PaperSet, Sort
from paperdeck.core.store import Library, id_run, newest_order
from paperdeck.core.store import library as store_library
from paperdeck.core.store.id_run import IdRun
from paperdeck.core.store.library import DB_NAME
from paperdeck.core.store.newest_order import NewestOrder

NEWEST = PaperSet(sort=Sort.NEWEST)


def _papers() -> list[Paper]:
    dated = [("2020", "a"), ("2020-06-01", "b"), ("2019-03-02", "c"), (None, "d")]
    dated += [("2021-01-01", "e"), ("2021-01-01", "f"), ("2018-11-30", "g")]
    return [Paper(title=f"Paper {pid}", date=date, id=pid) for date, pid in dated]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    with Library(tmp_path / "lib") as library:
        library.add_papers(_papers())
    return tmp_path / "lib"


def _sql_order(library: Library, hits: set[str]) -> list[str]:
    return [i for i in library.first_ids(NEWEST, -1) if i in hits]


def _kept_only(order: NewestOrder, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(order, "_walk", lambda *a: pytest.fail("walked the date index again"))


def test_the_whole_list_keeps_the_order_and_a_search_filters_it(root, monkeypatch) -> None:
    order = NewestOrder()
    with Library(root, newest=order) as library:
        every = library.select(NEWEST)
        assert every == ["e", "f", "b", "a", "c", "g", "d"]  # undated last
        _kept_only(order, monkeypatch)
    with Library(root, newest=order) as library:  # the reader's next load: a new connection
        hits = ["a", "g", "e", "d", "c"]  # best first, as the index gives them
        assert library.select(NEWEST, hits) == ["e", "a", "c", "g", "d"]
        assert library.select(NEWEST, ["zz", "b"]) == ["b"]  # a hit no longer a paper: left out


def test_a_search_walks_once_then_filters_the_kept_order(root, monkeypatch) -> None:
    order = NewestOrder()
    with Library(root, newest=order) as library:
        assert library.select(NEWEST, ["c", "b", "d"]) == ["b", "c", "d"]
        _kept_only(order, monkeypatch)
        assert library.select(NEWEST, ["g", "a", "f"]) == ["f", "a", "g"]


@pytest.mark.parametrize(
    "change",
    [
        lambda lib: lib.add_papers([Paper(title="Newest", date="2024-05-05", id="n")]),
        lambda lib: lib.remove_papers(["e"]),
        lambda lib: lib.add_papers([Paper(title="Paper a", date="2020-12-31", id="a")]),
        lambda lib: lib.restore_papers(["e"]) if lib.remove_papers(["e"]) else None,
    ],
    ids=["added", "removed", "given-a-fuller-date", "removed-and-restored"],
)
def test_a_change_elsewhere_that_moves_papers_is_seen(root, change) -> None:
    order = NewestOrder()
    hits = {"a", "b", "c", "e", "n"}
    with Library(root, newest=order) as reader:
        before = reader.select(NEWEST)
        with Library(root) as other:  # another connection
            change(other)
        after = reader.first_ids(NEWEST, -1)
        assert reader.select(NEWEST, sorted(hits)) == _sql_order(reader, hits)
        if after != before:
            assert reader.select(NEWEST, sorted(hits)) != [i for i in before if i in hits]


def test_a_change_by_another_process_is_seen(root) -> None:
    order = NewestOrder()
    with Library(root, newest=order) as reader:
        reader.select(NEWEST)
        script = (
            "import sys; from paperdeck.core.store import Library; "
            "from paperdeck.core.models import Paper; "
            "lib = Library(sys.argv[1]); "
            "lib.add_papers([Paper(title='From elsewhere', date='2030-01-01', id='x')]); "
            "lib.remove_papers(['b']); lib.close()"
        )
        subprocess.run([sys.executable, "-c", script, str(root)], check=True)
        assert reader.select(NEWEST, ["b", "a", "e", "x"]) == ["x", "e", "a"]


def test_stars_and_read_marks_keep_the_order(root, monkeypatch) -> None:
    order = NewestOrder()
    with Library(root, newest=order) as library:
        library.select(NEWEST)
        library.set_starred("c", True)
        library.mark_read(["a", "b"])
        with Library(root) as other:
            other.set_starred("e", True)
            other.set_read("g", True)
        _kept_only(order, monkeypatch)
        assert library.select(NEWEST, ["a", "c", "e"]) == ["e", "a", "c"]


def test_an_id_holding_the_separator_is_never_kept(root) -> None:
    """The store cleans ids of line breaks; a library written otherwise still lists right."""
    with sqlite3.connect(root / DB_NAME) as raw:
        raw.execute("UPDATE papers SET id = 'odd' || char(10) || 'id' WHERE id = 'a'")
    order = NewestOrder()
    with Library(root, newest=order) as library:
        assert library.select(NEWEST) == ["e", "f", "b", "odd\nid", "c", "g", "d"]
        assert library.select(NEWEST, ["c", "odd\nid", "e"]) == ["e", "odd\nid", "c"]


@pytest.mark.parametrize("piece", [1, 2, 5, 1 << 20])
def test_the_kept_order_is_read_a_piece_at_a_time(root, monkeypatch, piece: int) -> None:
    monkeypatch.setattr(newest_order, "PIECE", piece)
    order = NewestOrder()
    with Library(root, newest=order) as library:
        every = library.select(NEWEST)
        _kept_only(order, monkeypatch)
        assert library.select(NEWEST, every[::-1]) == every
        assert library.select(NEWEST, ["d", "e"]) == ["e", "d"]  # the first and the last


def test_a_library_made_again_in_the_same_place_is_seen(root) -> None:
    """Its change numbers and paper count start over: the same as before here."""
    order = NewestOrder()
    with Library(root, newest=order) as library:
        library.select(NEWEST)
    shutil.rmtree(root)
    with Library(root) as library:
        library.add_papers([Paper(title=f"New {n}", date=f"202{n}", id=f"n{n}") for n in range(7)])
    with Library(root, newest=order) as library:
        hits = [f"n{n}" for n in range(7)]
        assert library.select(NEWEST, hits) == hits[::-1]


def test_a_replaced_load_stops_while_filtering(root) -> None:
    order = NewestOrder()
    with Library(root, newest=order) as library:
        library.select(NEWEST)  # kept: filtered in Python, not stopped by SQLite
        with library.stopped_by(lambda: True), pytest.raises(SearchCancelled):
            library.select(NEWEST, ["a", "b", "c"])
    with (
        Library(root, newest=NewestOrder()) as library,  # nothing kept: the walk stops
        library.stopped_by(lambda: True),
        pytest.raises(SearchCancelled),
    ):
        library.select(NEWEST, ["a", "b", "c"])


def test_a_library_without_a_kept_order_reads_the_date_index(root) -> None:
    with Library(root) as library:
        assert library.select(NEWEST, ["g", "a", "f", "d"]) == ["f", "a", "g", "d"]


@pytest.mark.parametrize("piece", [1, 3, 1 << 20])
def test_an_empty_id_is_kept_in_its_place(root, monkeypatch, piece: int) -> None:
    with sqlite3.connect(root / DB_NAME) as raw:
        raw.execute("UPDATE papers SET id = '' WHERE id = 'd'")  # undated: the last
    monkeypatch.setattr(newest_order, "PIECE", piece)
    order = NewestOrder()
    with Library(root, newest=order) as library:
        every = library.select(NEWEST)
        assert every == ["e", "f", "b", "a", "c", "g", ""]
        _kept_only(order, monkeypatch)
        assert library.select(NEWEST, ["c", "", "f"]) == ["f", "c", ""]


def test_keeping_walks_only_when_the_kept_order_is_not_current(root) -> None:
    order = NewestOrder()
    with Library(root, newest=order) as library:
        library.keep_newest_order()
        assert order._kept is not None
        kept = order._kept
        library.keep_newest_order()
        assert order._kept is kept  # current: not read again
        library.add_papers([Paper(title="Later", date="2031-01-01", id="z")])
        library.keep_newest_order()
        assert order._kept is not kept and order._kept[1].split("\n")[0] == "z"
    with Library(root) as library:  # no order to keep: nothing happens
        library.keep_newest_order()


@pytest.mark.parametrize("piece", [1, 3, 1 << 20])
def test_the_whole_list_again_is_split_from_the_kept_order(root, monkeypatch, piece) -> None:
    """Clearing a search lists every paper again: from the kept order, not a second walk."""
    monkeypatch.setattr(newest_order, "PIECE", piece)
    order = NewestOrder()
    with Library(root, newest=order) as library:
        first = library.select(NEWEST)
    with Library(root, newest=order) as library:  # the reader's next load
        with monkeypatch.context() as kept_only:
            _kept_only(order, kept_only)
            again = library.select(NEWEST)
            assert again == first == library.first_ids(NEWEST, -1)
            assert isinstance(again, IdRun) and library.select(NEWEST) is again  # made once
        library.add_papers([Paper(title="Later", date="2031-01-01", id="z")])
        assert library.select(NEWEST) == ["z", *first]  # changed: walked and kept again


@pytest.mark.parametrize("piece", [1, 3, 1 << 20])
def test_a_replaced_load_stops_while_the_whole_list_is_made(root, monkeypatch, piece) -> None:
    monkeypatch.setattr(id_run, "PIECE", piece)
    order = NewestOrder()
    with Library(root, newest=order) as library:
        library.keep_newest_order()  # kept as the index's worker keeps it: no list made yet
        _kept_only(order, monkeypatch)
        with library.stopped_by(lambda: True), pytest.raises(SearchCancelled):
            library.select(NEWEST)
        assert library.select(NEWEST) == ["e", "f", "b", "a", "c", "g", "d"]


def test_two_threads_asking_at_once_walk_the_date_index_once(root, monkeypatch) -> None:
    """The reader's start: the whole list and the index's worker both want the order."""
    import threading
    import time

    order = NewestOrder()
    walked = []
    walk = order._walk

    def slow_walk(*args, **kwargs):
        walked.append(threading.current_thread().name)
        time.sleep(0.2)  # the second thread asks while this one walks
        return walk(*args, **kwargs)

    monkeypatch.setattr(order, "_walk", slow_walk)
    found: dict[str, list[str]] = {}

    def whole_list() -> None:
        with Library(root, newest=order) as library:
            found["list"] = library.select(NEWEST)

    def index_worker() -> None:
        with Library(root, newest=order) as library:
            library.keep_newest_order()
            found["filtered"] = library.select(NEWEST, ["g", "a", "e"])

    threads = [threading.Thread(target=whole_list), threading.Thread(target=index_worker)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(walked) == 1
    assert found == {"list": ["e", "f", "b", "a", "c", "g", "d"], "filtered": ["e", "a", "g"]}


def test_a_load_waiting_for_another_walk_stops_when_replaced(root, monkeypatch) -> None:
    """A load that a newer key replaced stops while another thread walks, not after it."""
    import threading

    order = NewestOrder()
    walk = order._walk
    walking, release, walked = threading.Event(), threading.Event(), threading.Event()

    def held_walk(*args, **kwargs):
        walking.set()
        release.wait(10)  # the walk lasts until the test lets it end
        try:
            return walk(*args, **kwargs)
        finally:
            walked.set()

    monkeypatch.setattr(order, "_walk", held_walk)

    def index_worker() -> None:
        with Library(root, newest=order) as library:
            library.keep_newest_order()

    worker = threading.Thread(target=index_worker)
    worker.start()
    try:
        assert walking.wait(5)
        with (
            Library(root, newest=order) as library,
            library.stopped_by(lambda: True),
            pytest.raises(SearchCancelled),
        ):
            library.select(NEWEST)
        assert not walked.is_set()  # it stopped while the other walk was still going
    finally:
        release.set()
        worker.join()
    assert walked.is_set() and order._kept is not None


@pytest.mark.parametrize("piece", [1, 2, 3, 1 << 20])
def test_the_whole_list_walked_is_the_date_order(root, monkeypatch, piece) -> None:
    """Walked, every id is a run of the kept order, split a piece at a time."""
    monkeypatch.setattr(newest_order, "PIECE", piece)
    order = NewestOrder()
    with Library(root, newest=order) as library:
        walked = library.select(NEWEST)
        assert isinstance(walked, IdRun)
        assert list(walked) == ["e", "f", "b", "a", "c", "g", "d"] == library.first_ids(NEWEST, -1)
        assert [walked[i] for i in range(7)] == list(walked) and walked.index("g") == 5
        _kept_only(order, monkeypatch)
        assert library.select(NEWEST) is walked  # kept: the same run


def test_ids_joined_by_sqlite_keep_the_order_of_the_rows(tmp_path: Path) -> None:
    """The walk has SQLite join the ids of the ordered rows (`group_concat` over them): on
    a library written in no order, with many equal dates, titles ordered without regard to
    case, undated papers and ids of any length, it lists what reading the rows one by one
    does."""
    rng = random.Random(7)
    papers = []
    for n in range(3000):
        date = rng.choice([None, "2020", "2021-03", "2021-03-04", f"20{rng.randrange(10, 25)}"])
        title = f"{rng.choice(['alpha', 'Alpha', 'BETA', 'beta', 'Gamma'])} {n}"
        papers.append(
            Paper(title=title, date=date, id=f"{rng.randrange(10 ** rng.randrange(1, 9))}-{n}")
        )
    rng.shuffle(papers)
    with Library(tmp_path / "lib") as library:
        library.add_papers(papers)
    order = NewestOrder()
    with Library(tmp_path / "lib", newest=order) as library:
        rows = library.first_ids(NEWEST, -1)
        assert len(rows) == 3000
        assert list(library.select(NEWEST)) == rows
        hits = set(rng.sample(rows, 500))
        assert library.select(NEWEST, list(hits)) == [i for i in rows if i in hits]
    with Library(tmp_path / "lib", newest=NewestOrder()) as library:  # walked to filter
        assert library.select(NEWEST, list(hits)) == [i for i in rows if i in hits]


def test_a_null_id_beside_one_holding_the_separator_is_listed_as_read(root) -> None:
    """`group_concat` skips a NULL id that `count(*)` counts: with an id holding the
    separator beside it the counts would balance, and the joined ids be trusted."""
    with sqlite3.connect(root / DB_NAME) as raw:
        raw.execute("UPDATE papers SET id = NULL WHERE id = 'a'")
        raw.execute("UPDATE papers SET id = 'x' || char(10) || 'y' WHERE id = 'b'")
    order = NewestOrder()
    with Library(root, newest=order) as library:
        assert list(library.select(NEWEST)) == ["e", "f", "x\ny", None, "c", "g", "d"]
    assert order._kept is None


@pytest.mark.parametrize(
    ("joined", "first", "starts"),
    [("a\nb", "a", True), ("a", "a", True), ("ab\nc", "a", False), ("a\nb", "b", False),
     ("\nb", "", True), ("", "", True), ("b", "", False)],
)  # fmt: skip
def test_the_joined_ids_are_trusted_only_from_the_newest(joined, first, starts) -> None:
    """The free check of the order SQLite joined the ids in: its first id is the newest."""
    assert newest_order._starts_with(joined, first) is starts


def test_a_replaced_load_stops_while_sqlite_joins_the_ids(tmp_path, monkeypatch) -> None:
    """The statement that joins every id is interrupted by `stopped_by`, and nothing kept."""
    with Library(tmp_path / "lib") as library:
        library.add_papers([Paper(title=f"P {n}", date="2020", id=f"p{n}") for n in range(500)])
    monkeypatch.setattr(store_library, "CANCEL_CHECK_STEPS", 50)
    asked: list[bool] = []

    def cancel() -> bool:  # not before the statement: only SQLite's handler can stop it
        asked.append(True)
        return len(asked) > 1

    order = NewestOrder()
    with (
        pytest.raises(SearchCancelled),  # (`stopped_by` turns SQLite's "interrupted" into it)
        Library(tmp_path / "lib", newest=order) as library,
        library.stopped_by(cancel),
    ):
        library.select(NEWEST)
    assert order._kept is None and len(asked) > 1
    with Library(tmp_path / "lib", newest=order) as library:
        assert len(library.select(NEWEST)) == 500


def test_ids_joined_in_another_order_are_not_trusted(root, monkeypatch) -> None:
    """Joined ids whose first is not the newest (an order SQLite did not keep) are read
    again row by row, and not kept."""
    monkeypatch.setattr(newest_order, "_starts_with", lambda joined, first: False)
    order = NewestOrder()
    with Library(root, newest=order) as library:
        assert list(library.select(NEWEST)) == ["e", "f", "b", "a", "c", "g", "d"]
        assert library.select(NEWEST, ["g", "e"]) == ["e", "g"]
    assert order._kept is None
