"""`paperdeck import`: what it reports per file, stdin, its options and progress line, and a
paper that learns its arXiv id on a later import."""

from __future__ import annotations

import io
import json
import re
import sys
import time
from pathlib import Path

import pytest
from cli_kit import DAILY, LISTING, Cli


def test_import_both_seeds_reports_exact_counts(cli: Cli) -> None:
    code, out, err = cli("import", str(LISTING), str(DAILY))
    assert code == 0, err
    assert out.splitlines() == [
        f"{LISTING}: listing: 18 added, 0 merged, 0 unchanged, 0 skipped",
        f"{DAILY}: daily: 105 added, 1 merged, 0 unchanged, 0 skipped",
    ]
    assert len(cli.json()) == 123


def test_each_seed_alone(cli: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("import", str(LISTING))[1] == (
        f"{LISTING}: listing: 18 added, 0 merged, 0 unchanged, 0 skipped\n"
    )
    other = Cli(tmp_path / "daily-only", capsys)
    assert other("import", str(DAILY))[1] == (
        f"{DAILY}: daily: 106 added, 0 merged, 0 unchanged, 0 skipped\n"
    )
    assert len(cli.json()) == 18 and len(other.json()) == 106


def test_a_large_import_into_a_small_library_says_nothing_of_damage(cli: Cli) -> None:
    """106 papers into an index of 18: rebuilt rather than synced (`Outgrown`), which is no
    repair and is not announced as one."""
    assert cli("import", str(LISTING))[0] == 0
    code, out, err = cli("import", str(DAILY))
    assert code == 0, err
    assert out == f"{DAILY}: daily: 105 added, 1 merged, 0 unchanged, 0 skipped\n"
    assert err == ""
    code, out, err = cli("search", "--json", "--limit", "200", "")
    assert code == 0, err
    assert len(json.loads(out)) == 123


def test_reimport_changes_nothing(seeded: Cli) -> None:
    before = seeded.json()
    code, out, _ = seeded("import", str(LISTING), str(DAILY))
    assert code == 0
    assert out.splitlines() == [
        f"{LISTING}: listing: 0 added, 0 merged, 18 unchanged, 0 skipped",
        f"{DAILY}: daily: 0 added, 0 merged, 106 unchanged, 0 skipped",
    ]
    assert seeded.json() == before


def test_a_bad_file_fails_alone(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('[{"title": "x"},\n  {broken\n')
    missing = tmp_path / "missing.txt"
    code, out, err = cli("import", str(bad), str(LISTING), str(missing))
    assert code == 1
    assert out == f"{LISTING}: listing: 18 added, 0 merged, 0 unchanged, 0 skipped\n"
    lines = err.splitlines()
    assert len(lines) == 2
    assert re.fullmatch(rf"paperdeck: {re.escape(str(bad))}:2: invalid JSON: .+", lines[0])
    assert lines[1] == f"paperdeck: {missing}: No such file or directory"
    assert len(cli.json()) == 18


def test_skipped_entries_are_warned_with_file_and_line(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "some.json"
    source.write_text('[\n  {"title": "A kept paper"},\n  {"title": ""}\n]\n')
    code, out, err = cli("import", str(source))
    assert code == 0
    assert out == f"{source}: json: 1 added, 0 merged, 0 unchanged, 1 skipped\n"
    assert err == f"{source}:3: paper without a title; skipped\n"


def test_files_whose_every_entry_is_skipped_exit_1(cli: Cli, tmp_path: Path) -> None:
    broken = tmp_path / "broken.bib"
    broken.write_text("@article{a, title = {Unclosed\n")
    empty = tmp_path / "empty.json"
    empty.write_text("{}\n")
    nums = tmp_path / "nums.json"
    nums.write_text('[1, 2, "x"]\n')
    code, out, err = cli("import", str(empty), str(nums))
    assert code == 1
    assert out.splitlines() == [
        f"{empty}: json: 0 added, 0 merged, 0 unchanged, 1 skipped",
        f"{nums}: json: 0 added, 0 merged, 0 unchanged, 3 skipped",
    ]
    assert err.splitlines() == [
        f"{empty}:1: paper without a title; skipped",
        f"{nums}:1: item 1: not a paper object; skipped",
        f"{nums}:1: item 2: not a paper object; skipped",
        f"{nums}:1: item 3: not a paper object; skipped",
        "paperdeck: nothing imported: every entry read was skipped",
    ]
    code, out, err = cli("import", str(broken))
    assert (code, out) == (1, f"{broken}: bibtex: 0 added, 0 merged, 0 unchanged, 1 skipped\n")
    assert err.splitlines()[-1] == "paperdeck: nothing imported: every entry read was skipped"


def test_some_papers_imported_and_others_skipped_exit_0(cli: Cli, tmp_path: Path) -> None:
    nums = tmp_path / "nums.json"
    nums.write_text('[1, 2, "x"]\n')
    code, out, err = cli("import", str(nums), str(LISTING))
    assert code == 0
    assert out.splitlines()[-1] == f"{LISTING}: listing: 18 added, 0 merged, 0 unchanged, 0 skipped"
    assert "nothing imported" not in err
    # Papers already there are read too: importing them again is not a failure.
    assert cli("import", str(LISTING), str(nums))[0] == 0


def stdin_bytes(data: bytes) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")


def test_import_reads_stdin(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", stdin_bytes(LISTING.read_bytes()))
    code, out, _ = cli("import", "-")
    assert code == 0
    assert out == "<stdin>: listing: 18 added, 0 merged, 0 unchanged, 0 skipped\n"


def test_the_same_stdin_again_is_the_same_source(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """Piped again, the same listing changes nothing and lists no second source; a file
    read from stdin a moment later with a paper more is a source of its own."""
    for _ in range(2):
        monkeypatch.setattr(sys, "stdin", stdin_bytes(LISTING.read_bytes()))
        assert cli("import", "-")[0] == 0
    before = cli.json()
    monkeypatch.setattr(sys, "stdin", stdin_bytes(LISTING.read_bytes()))
    assert cli("import", "-")[1] == "<stdin>: listing: 0 added, 0 merged, 18 unchanged, 0 skipped\n"
    assert cli.json() == before
    (sources,) = {tuple(p["sources"]) for p in before}  # every paper lists one, the same
    assert len(sources) == 1 and re.fullmatch(r"listing [0-9-]{10} [0-9:]{5}", sources[0])
    more = b"CLMar 5, 2024\nA Paper Piped LaterAnn Lee, Bo Chen\nIts abstract.\n"
    more += LISTING.read_bytes()
    monkeypatch.setattr(sys, "stdin", stdin_bytes(more))
    assert cli("import", "-")[1] == "<stdin>: listing: 1 added, 18 merged, 0 unchanged, 0 skipped\n"
    assert len({source for p in cli.json() for source in p["sources"]}) == 2


def test_stdin_is_decoded_like_a_file(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    latin1 = LISTING.read_text(encoding="utf-8").replace("Qi", "Qï").encode("latin-1", "replace")
    monkeypatch.setattr(sys, "stdin", stdin_bytes(latin1))
    assert cli("import", "-")[:2] == (
        0,
        "<stdin>: listing: 18 added, 0 merged, 0 unchanged, 0 skipped\n",
    )
    monkeypatch.setattr(sys, "stdin", stdin_bytes(b"\x00\x01binary"))
    code, _, err = cli("import", "-")
    assert code == 1 and err.startswith("paperdeck: <stdin>:1: binary file")


def test_import_options_are_checked(cli: Cli) -> None:
    code, _, err = cli("import", "--format", "nope", str(LISTING))
    assert code == 2 and "invalid choice: 'nope'" in err and "listing" in err
    code, _, err = cli("import", "--year", "25", str(LISTING))
    assert code == 2 and "not a four-digit year" in err
    assert cli("import")[0] == 2


def test_import_with_format_and_year(cli: Cli, tmp_path: Path) -> None:
    code, out, _ = cli("import", "--format", "daily", "--year", "2024", str(DAILY))
    assert code == 0 and ": daily: 106 added" in out
    dates = {p["date"][:4] for p in cli.json() if p["date_inferred"]}
    assert dates == {"2024"}


def test_progress_text_has_a_bar_and_the_time_left() -> None:
    from paperdeck.cli.library import progress_text

    assert progress_text("importing a.json (MB)", 5, 20, 3.0, width=10) == (
        "importing a.json (MB) [##--------] 25% 5/20 ETA 0:00:09"
    )
    assert progress_text("indexing", 20, 20, 3.0, width=4) == "indexing [####] 100% 20/20"
    assert progress_text("counting", 3, 0, 1.0) == "counting"


def test_the_progress_line_draws_with_controls_but_names_files_safely() -> None:
    from paperdeck.cli.library import ProgressLine
    from paperdeck.cli.output import TerminalSafeStream

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    progress = ProgressLine(TerminalSafeStream(screen), delay=0)  # type: ignore[arg-type]
    progress("importing evil\x1b]0;title\x07.json", 1, 0)
    progress.finish("done")
    assert screen.getvalue().startswith("\rimporting evil.json\x1b[K\r\x1b[K")


def test_work_that_began_before_its_first_report_is_timed_from_its_start() -> None:
    """An index built beside an import is first reported when the import is done: its
    time left comes from its pace since it began, not since that report."""
    from paperdeck.cli.library import ProgressLine
    from paperdeck.cli.output import TerminalSafeStream

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    progress = ProgressLine(TerminalSafeStream(screen), delay=0)  # type: ignore[arg-type]
    progress.began("Indexing", time.monotonic() - 30)
    progress("Indexing", 600, 1000)  # 600 in 30 s: 400 more take ~20 s
    assert "60% 600/1000 ETA 0:00:20" in screen.getvalue()


MLGYM = "MLGym: A New Framework and Benchmark for Advancing AI Research Agents"


def test_a_paper_that_learns_its_arxiv_id_takes_it_and_its_old_id_still_works(
    seeded: Cli, tmp_path: Path
) -> None:
    old = seeded.id_of(MLGYM)
    assert old.startswith("pd-")
    seeded("star", old)
    seeded("tag", old, "agents")
    seeded("note", old, "compare with AIDE")
    bib = tmp_path / "mlgym.bib"
    bib.write_text(
        "@misc{nathani2025mlgym, title = {" + MLGYM + "},\n"
        " author = {Nathani, Deepak and others}, year = {2025},\n"
        " eprint = {2502.14499}, archivePrefix = {arXiv}, primaryClass = {cs.CL}}\n",
        encoding="utf-8",
    )
    assert seeded("import", str(bib))[0] == 0
    assert seeded.id_of(MLGYM) == "2502.14499"  # the README's promise: the arXiv id when known
    paper = seeded.json("--starred")[0]
    assert (paper["id"], paper["tags"], paper["note"]) == (
        "2502.14499",
        ["agents"],
        "compare with AIDE",
    )
    # Every command that names a paper still takes the old id, and its prefix.
    for args in (
        ("show", old), ("unstar", old), ("star", old[:8]), ("tag", old, "x"), ("untag", old, "x"),
        ("note", old, "still here"), ("read", old),
    ):  # fmt: skip
        code, out, err = seeded(*args)
        assert code == 0 and err == "", args
        assert "2502.14499" in out, args
    assert seeded("search", "--json", "mlgym")[0] == 0
    assert [p["id"] for p in seeded.json("mlgym")] == ["2502.14499"]  # the index moved too
    code, out, _ = seeded("remove", old)
    assert code == 0 and "2502.14499" in out
    code, out, _ = seeded("restore", old)  # the trash knows the old id too
    assert code == 0 and "2502.14499" in out
    code, out, _ = seeded("show", old)
    assert code == 0 and "2502.14499" in out


def test_a_saved_announcement_feed_imports_as_fetch_reads_it(cli: Cli) -> None:
    feeds = Path(__file__).parents[1] / "fixtures" / "feeds"
    atom, rss = feeds / "arxiv-announce-atom-cs.AI.xml", feeds / "arxiv-announce-rss.xml"
    code, out, err = cli("import", str(atom), str(rss))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"{atom}: arxiv-feed: 86 added, 0 merged, 0 unchanged, 0 skipped",
        f"{rss}: arxiv-feed: 6 added, 0 merged, 0 unchanged, 0 skipped; "
        "0 revised, 3 replacements not in the library",
    ]
    papers = {paper["arxiv_id"]: paper for paper in cli.json()}
    assert papers["2508.00875"]["doi"] == "10.7249/PEA3971-1"
    assert papers["2508.13251"]["authors"][:2] == ["Di Zhang", "Xue Jia"]
    assert papers["2508.13251"]["abstract"].startswith("Data-driven artificial intelligence")


def test_import_json_reports_each_file_and_prints_nothing_else(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "some.json"
    source.write_text('[\n  {"title": "A kept paper"},\n  {"title": ""}\n]\n')
    missing = tmp_path / "missing.txt"
    code, out, err = cli("import", "--json", str(source), str(LISTING), str(missing))
    assert code == 1
    some, listing, gone = json.loads(out)
    kept = cli.json("A kept paper")[0]["id"]
    assert some == {
        "file": str(source),
        "format": "json",
        "ok": True,
        "error": None,
        "added": 1,
        "updated": 0,
        "unchanged": 0,
        "skipped": 1,
        "left_in_trash": 0,
        "revised": 0,
        "replacements_not_in_library": 0,
        "new_ids": [kept],
        "warnings": [{"file": str(source), "line": 3, "message": "paper without a title; skipped"}],
        "cut_to_size": [],
    }
    assert (listing["format"], listing["added"], len(listing["new_ids"])) == ("listing", 18, 18)
    assert (gone["ok"], gone["added"], gone["new_ids"]) == (False, 0, [])
    assert gone["error"] == {
        "file": str(missing),
        "line": None,
        "message": "No such file or directory",
    }
    # stderr still says what went wrong, for a person watching
    assert err.splitlines() == [
        f"{source}:3: paper without a title; skipped",
        f"paperdeck: {missing}: No such file or directory",
    ]
    again = json.loads(cli("import", "--json", str(LISTING))[1])
    assert (again[0]["added"], again[0]["unchanged"], again[0]["new_ids"]) == (0, 18, [])
