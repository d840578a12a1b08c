"""The command line, run in-process on temporary libraries (and a few real subprocesses)."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
import pytest

from paperdeck import __version__
from paperdeck.cli import main

DEMO = Path(__file__).resolve().parents[1] / "assets" / "demo"
LISTING = DEMO / "author-listing.txt"
DAILY = DEMO / "daily-papers.txt"
TTRL = "TTRL: Test-Time Reinforcement Learning"
SURVEY = "A Survey of Reinforcement Learning for Large Reasoning Models"


class Cli:
    """Runs `paperdeck --library ROOT ...` in-process and captures what it printed."""

    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.root = root
        self.capsys = capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = main(["--library", str(self.root), *args])
        out, err = self.capsys.readouterr()
        return code, out, err

    def json(self, *args: str) -> list[dict]:
        code, out, err = self("search", "--json", *args)
        papers = json.loads(out)
        assert code == (0 if papers else 1), err  # nothing found: exit 1, as grep does
        return papers

    def id_of(self, title: str) -> str:
        return next(p["id"] for p in self.json() if p["title"] == title)


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One library holding both seeds (and its index), copied for each test that needs it."""
    root = tmp_path_factory.mktemp("template") / "lib"
    assert main(["--library", str(root), "import", str(LISTING), str(DAILY)]) == 0
    return root


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(tmp_path / "lib", capsys)


@pytest.fixture
def seeded(seeded_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    root = tmp_path / "seeded"
    shutil.copytree(seeded_template, root)
    return Cli(root, capsys)


@pytest.fixture(autouse=True)
def no_user_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Never the user's library or config, whatever the environment says."""
    monkeypatch.setenv("PAPERDECK_HOME", str(tmp_path / "home-library"))
    monkeypatch.setenv("PAPERDECK_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)


# -- import -------------------------------------------------------------------------------


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


def stdin_bytes(data: bytes) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")


def test_import_reads_stdin(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", stdin_bytes(LISTING.read_bytes()))
    code, out, _ = cli("import", "-")
    assert code == 0
    assert out == "<stdin>: listing: 18 added, 0 merged, 0 unchanged, 0 skipped\n"


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


# -- search and show ----------------------------------------------------------------------


def test_search_without_query_lists_every_paper_newest_first(seeded: Cli) -> None:
    code, out, err = seeded("search")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert len(lines) == 123
    dates = [line.split()[1] for line in lines if re.match(r"\S+  \d{4}-\d\d-\d\d  ", line)]
    assert dates == sorted(dates, reverse=True) and len(dates) == 123


def test_search_line_format(seeded: Cli) -> None:
    paper_id = seeded.id_of(TTRL)
    code, out, _ = seeded("search", "test-time reinforcement", "--limit", "1")
    assert code == 0
    assert out == f"{paper_id}  2025-04-22  {TTRL} — Yuxin Zuo\n"


def test_search_suggests_a_spelling(seeded: Cli) -> None:
    code, out, err = seeded("search", "reinforcment")
    assert code == 0
    assert "did you mean: reinforcement" in err.splitlines()
    assert "did you mean" not in out


def test_search_limit_and_json(seeded: Cli) -> None:
    code, out, err = seeded("search", "--limit", "5")
    assert code == 0 and len(out.splitlines()) == 5
    assert err == "5 of 123 papers shown\n"
    papers = seeded.json("--limit", "3", "--sort", "title")
    assert [p["title"] for p in papers] == sorted((p["title"] for p in papers), key=str.casefold)
    assert set(papers[0]) >= {"id", "title", "authors", "starred", "tags", "note", "read"}


def test_search_nothing_found_exits_1_as_grep_does(seeded: Cli) -> None:
    code, out, err = seeded("search", "zzzqqqxxx")
    assert (code, out) == (1, "") and "no papers found" in err
    assert seeded("search", "--json", "zzzqqqxxx")[:2] == (1, "[]\n")
    assert seeded("search", "--json", "TTRL")[0] == 0
    assert "exits with status 1 when no paper matches" in " ".join(
        seeded("search", "--help")[1].split()
    )


def test_search_widens_a_half_word_as_the_reader_does(seeded: Cli) -> None:
    """ "transf" matches no whole word; the reader lists "transf*", and so does the CLI."""
    code, out, err = seeded("search", "transf")
    assert code == 0
    assert err == "nothing matches “transf”; searched “transf*”\n"
    wide = seeded("search", "transf*")[1]
    assert out == wide and len(out.splitlines()) > 1
    assert [p["id"] for p in seeded.json("transf")] == [p["id"] for p in seeded.json("transf*")]
    # A whole word that matches nothing is not widened: "zzzqqqxxx*" finds nothing either.
    assert seeded("search", "zzzqqqxxx")[2] == "no papers found\n"


def test_show(seeded: Cli) -> None:
    paper_id = seeded.id_of(TTRL)
    code, out, _ = seeded("show", paper_id[:8])
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == TTRL
    assert f"id:           {paper_id}" in lines
    assert "authors:      Yuxin Zuo, Kaiyan Zhang, Li Sheng et al." in lines
    assert "code:         https://github.com/PRIME-RL/TTRL" in lines
    code, out, _ = seeded("show", paper_id, "--json")
    assert json.loads(out) == next(p for p in seeded.json() if p["id"] == paper_id)


def test_show_lists_each_link_once_and_keeps_hyphenated_words_whole(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paper = {
        "title": "Pre-trained things",
        "arxiv_id": "2504.16084",
        "doi": "10.1000/XYZ.1",
        "links": [
            "https://arxiv.org/abs/2504.16084",
            "http://arxiv.org/pdf/2504.16084v2",
            "https://dx.doi.org/10.1000/xyz.1",
            "https://github.com/x/y",
            "https://x.github.io/y",
        ],
        "abstract": "We study " + "pre-trained " * 12 + "models.",
    }
    source = tmp_path / "one.json"
    source.write_text(json.dumps([paper]))
    assert cli("import", str(source))[0] == 0
    monkeypatch.setenv("COLUMNS", "40")
    out = cli("show", "2504.16084")[1]
    assert out.count("arxiv.org") == 1 and out.count("doi.org") == 1
    assert "links:        https://x.github.io/y" in out.splitlines()
    abstract = out.split("\n\n")[-1].split()
    assert abstract.count("pre-trained") == 12 and "pre-" not in abstract


# -- the user's marks ---------------------------------------------------------------------


def test_star_and_unstar_round_trip(seeded: Cli) -> None:
    ttrl, survey = seeded.id_of(TTRL), seeded.id_of(SURVEY)
    code, out, _ = seeded("star", ttrl, survey)
    assert code == 0
    assert out.splitlines() == [f"starred {ttrl}  {TTRL}", f"starred {survey}  {SURVEY}"]
    assert seeded("star", ttrl)[1] == f"already starred {ttrl}  {TTRL}\n"
    assert {p["id"] for p in seeded.json("--starred")} == {ttrl, survey}
    assert seeded("unstar", ttrl)[1] == f"unstarred {ttrl}  {TTRL}\n"
    starred = seeded.json("--starred")
    assert [p["id"] for p in starred] == [survey] and starred[0]["starred_at"]


def test_unknown_id_is_one_line_and_changes_nothing(seeded: Cli) -> None:
    ttrl = seeded.id_of(TTRL)
    code, out, err = seeded("star", ttrl, "no-such-paper")
    assert (code, out, err) == (1, "", "paperdeck: no paper with id 'no-such-paper'\n")
    assert seeded.json("--starred") == []
    assert seeded("show", "pd-")[2] == "paperdeck: paper id 'pd-' is ambiguous; type more of it\n"
    for command in (["note", "nope", "x"], ["tag", "nope", "x"], ["read", "nope"]):
        code, out, err = seeded(*command)
        assert (code, out, err) == (1, "", "paperdeck: no paper with id 'nope'\n")


def test_note_set_print_clear(seeded: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    ttrl = seeded.id_of(TTRL)
    assert seeded("note", ttrl)[2] == f"{ttrl} has no note\n"
    assert seeded("note", ttrl, "Majority vote\nas reward")[1] == f"note saved for {ttrl}\n"
    assert seeded("note", ttrl)[1] == "Majority vote\nas reward\n"
    assert seeded("note", ttrl, "Majority vote\nas reward")[1] == f"note unchanged for {ttrl}\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO("from stdin\x1b[31m\n"))
    assert seeded("note", ttrl, "-")[1] == f"note saved for {ttrl}\n"
    assert next(p for p in seeded.json() if p["id"] == ttrl)["note"] == "from stdin"
    assert seeded("note", ttrl, "")[1] == f"note cleared for {ttrl}\n"
    assert seeded("note", ttrl)[1] == ""


def test_note_edit_uses_the_editor(
    seeded: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ttrl = seeded.id_of(TTRL)
    seeded("note", ttrl, "old text")
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys\n"
        "path = sys.argv[1]\n"
        "old = open(path, encoding='utf-8').read()\n"
        "open(path, 'w', encoding='utf-8').write(old.upper() + 'added line\\n')\n"
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    assert seeded("note", ttrl, "--edit")[1] == f"note saved for {ttrl}\n"
    assert seeded("note", ttrl)[1] == "OLD TEXT\nadded line\n"
    monkeypatch.setenv("VISUAL", f'{sys.executable} -c "raise SystemExit(3)"')
    code, _, err = seeded("note", ttrl, "--edit")
    assert (code, err) == (1, "paperdeck: the editor exited with status 3; the note is unchanged\n")
    assert seeded("note", ttrl)[1] == "OLD TEXT\nadded line\n"
    monkeypatch.setenv("VISUAL", "no-such-editor-anywhere")
    code, _, err = seeded("note", ttrl, "--edit")
    assert code == 1 and err.startswith(
        "paperdeck: cannot run the editor 'no-such-editor-anywhere'"
    )
    # --edit with TEXT opens the editor on TEXT, in either order (as `git commit -e -m`).
    monkeypatch.delenv("VISUAL")
    for args in ((ttrl, "--edit", "draft"), (ttrl, "draft two", "--edit"), ("--edit", ttrl, "x")):
        assert seeded("note", *args)[1] == f"note saved for {ttrl}\n"
    assert seeded("note", ttrl)[1] == "X\nadded line\n"
    assert seeded("note", ttrl, "-", "--edit")[0] == 2


def test_tag_and_untag_round_trip(seeded: Cli) -> None:
    ttrl = seeded.id_of(TTRL)
    assert seeded("tag", ttrl, "+RL", "Test Time", "#rl")[1] == f"{ttrl} tags: rl, test-time\n"
    assert [p["id"] for p in seeded.json("--tag", "rl")] == [ttrl]
    assert [p["id"] for p in seeded.json("--tag", "+test-time")] == [ttrl]
    assert next(p for p in seeded.json() if p["id"] == ttrl)["tags"] == ["rl", "test-time"]
    assert seeded("untag", ttrl, "rl")[1] == f"{ttrl} tags: test-time\n"
    assert seeded("untag", ttrl, "test-time")[1] == f"{ttrl} tags: (none)\n"
    code, out, err = seeded("untag", ttrl, "Nosuch")
    assert (code, out) == (0, f"{ttrl} tags: (none)\n")
    assert err == f"paperdeck: {ttrl} had no tag 'nosuch'\n"
    assert seeded.json("--tag", "rl") == []
    code, _, err = seeded("tag", ttrl, "+")
    assert code == 2 and "not a tag name: '+'" in err


def test_read_and_unread(seeded: Cli) -> None:
    ttrl, survey = seeded.id_of(TTRL), seeded.id_of(SURVEY)
    assert seeded("read", ttrl, survey)[1].splitlines() == [
        f"marked read {ttrl}  {TTRL}",
        f"marked read {survey}  {SURVEY}",
    ]
    assert len(seeded.json("--unread")) == 121
    assert seeded("read", "--unread", ttrl)[1] == f"marked unread {ttrl}  {TTRL}\n"
    assert {p["id"] for p in seeded.json() if p["read"]} == {survey}


# -- export -------------------------------------------------------------------------------


def mark_two(seeded: Cli) -> tuple[str, str]:
    ttrl, survey = seeded.id_of(TTRL), seeded.id_of(SURVEY)
    seeded("star", ttrl, survey)
    seeded("tag", ttrl, "rl", "to-read")
    seeded("note", ttrl, "Reward = <b>majority</b> vote [x](javascript:y)\n- try AIME")
    return ttrl, survey


def test_export_markdown_of_starred(seeded: Cli, tmp_path: Path) -> None:
    mark_two(seeded)
    code, out, err = seeded("export")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "# Starred papers"
    assert re.fullmatch(r"2 papers · Starred · newest first · exported \d{4}-\d\d-\d\d", lines[2])
    assert [line for line in lines if line.startswith("## ")] == [
        f"## [{SURVEY}](https://github.com/TsinghuaC3I/Awesome-RL-for-LRMs)",
        f"## [{TTRL}](https://github.com/PRIME-RL/TTRL)",
    ]
    assert "- **Tags:** `rl` `to-read`" in lines
    # The note is Markdown (a list stays a list), with no HTML or javascript: link.
    assert "> Reward = &lt;b&gt;majority&lt;/b&gt; vote \\[x\\](javascript:y)" in lines
    assert "> - try AIME" in lines
    target = tmp_path / "reading-list.md"
    code, out, err = seeded("export", "-o", str(target))
    assert (code, out) == (0, "")
    assert err == f"exported 2 papers to {target} (markdown)\n"
    assert target.read_text(encoding="utf-8") == "\n".join(lines) + "\n"


def test_export_bibtex_and_format_from_suffix(seeded: Cli, tmp_path: Path) -> None:
    mark_two(seeded)
    target = tmp_path / "refs.bib"
    assert seeded("export", "-o", str(target))[0] == 0
    library = bibtexparser.parse_string(target.read_text(encoding="utf-8"))
    assert [e.key for e in library.entries] == ["zhang2025survey", "zuo2025ttrl"]
    assert library.entries[1]["keywords"] == "rl, to-read"
    assert "majority" not in target.read_text(encoding="utf-8").split("abstract")[0]


def test_export_query_and_all(seeded: Cli) -> None:
    code, out, _ = seeded("export", "--query", "test-time reinforcement", "--format", "json")
    assert code == 0 and json.loads(out)[0]["title"] == TTRL
    code, out, _ = seeded("export", "--all", "--format", "markdown")
    assert out.splitlines()[2].startswith("123 papers · All papers · newest first")
    code, out, err = seeded("export", "--all", "--starred")
    assert code == 2 and "not allowed with argument" in err


def test_exporting_nothing_writes_nothing_and_fails(seeded: Cli, tmp_path: Path) -> None:
    code, out, err = seeded("export")
    assert (code, out, err) == (1, "", "paperdeck: nothing to export (starred)\n")
    target = tmp_path / "list.md"
    target.write_text("an earlier list\n", encoding="utf-8")
    code, out, err = seeded("export", "-o", str(target), "--format", "json")
    assert (code, out) == (1, "")
    assert err == f"paperdeck: nothing to export (starred); {target} not written\n"
    assert target.read_text(encoding="utf-8") == "an earlier list\n"  # not replaced
    code, _, _ = seeded("export", "-o", str(tmp_path / "new.md"))
    assert code == 1 and not (tmp_path / "new.md").exists()


def test_export_abstracts_adds_each_abstract(seeded: Cli) -> None:
    code, out, _ = seeded("export", "--query", "test-time reinforcement", "--abstracts")
    assert code == 0
    code, plain, _ = seeded("export", "--query", "test-time reinforcement")
    lines = out.splitlines()
    added = [line for line in lines if line not in plain.splitlines()]
    assert len(added) == 1 and lines[lines.index(added[0]) - 1] == ""  # its own paragraph
    assert added[0].startswith("This paper investigates Reinforcement Learning (RL) on data")


def test_json_export_imports_back_unchanged(
    seeded: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ttrl, _ = mark_two(seeded)
    seeded("read", ttrl)
    backup = tmp_path / "backup.json"
    assert seeded("export", "--all", "-o", str(backup))[0] == 0
    fresh = Cli(tmp_path / "fresh", capsys)
    code, out, _ = fresh("import", str(backup))
    assert (code, out) == (0, f"{backup}: json: 123 added, 0 merged, 0 unchanged, 0 skipped\n")
    original, restored = seeded.json(), fresh.json()
    assert len(restored) == 123

    assert restored == original  # stars, notes, tags, read marks, ids and sources alike
    assert fresh("import", str(backup))[1].endswith("0 added, 0 merged, 123 unchanged, 0 skipped\n")


# -- stats, reindex, keys ----------------------------------------------------------------


def test_stats(seeded: Cli) -> None:
    mark_two(seeded)
    code, out, _ = seeded("stats")
    assert code == 0
    lines = out.splitlines()
    assert lines[:6] == [
        "papers:     123",
        "starred:    2",
        "unread:     123",
        "with notes: 1",
        "with code:  35",
        "tags:       2  (rl 1, to-read 1)",
    ]
    assert lines[7:10] == [  # as the sidebar names them, most papers first
        "sources:",
        "     106  daily-papers.txt",
        "      18  author-listing.txt",
    ]
    assert re.fullmatch(rf"library:    {re.escape(str(seeded.root))} \(\d+\.\d [KM]B\)", lines[-1])
    numbers = json.loads(seeded("stats", "--json")[1])
    assert numbers["papers"] == 123 and numbers["tags"] == {"rl": 1, "to-read": 1}
    assert numbers["sources"] == {str(DAILY): 106, str(LISTING): 18}  # the stored values


def test_reindex(seeded: Cli) -> None:
    assert seeded("reindex")[:2] == (0, "indexed 123 papers\n")
    assert seeded.json("test-time reinforcement")[0]["title"] == TTRL


def test_search_rebuilds_a_deleted_index(seeded: Cli) -> None:
    shutil.rmtree(seeded.root / "index")
    assert seeded.json("test-time reinforcement")[0]["title"] == TTRL


def test_keys_prints_the_registry(cli: Cli) -> None:
    from paperdeck.ui.commands import COMMANDS

    code, out, _ = cli("keys")
    assert code == 0
    assert re.search(r"^  s +Star or unstar the paper +star$", out, re.MULTILINE)
    for command in COMMANDS:
        assert re.search(rf" {command.id}$", out, re.MULTILINE)


def test_keys_warns_of_a_remap_that_collides(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[keys]\nstar = "j"\n')
    code, out, err = cli("keys")
    assert code == 0 and re.search(r"^  j +Star or unstar the paper +star$", out, re.MULTILINE)
    assert err == (
        f"paperdeck: {tmp_path / 'config.toml'}: keys.star = 'j' is also the key of "
        "“Move down” (cursor_down); one of them cannot be used\n"
    )


def test_keys_without_the_reader(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "paperdeck.ui.commands", None)
    code, out, err = cli("keys")
    assert (code, out) == (1, "")
    assert err.startswith("paperdeck: the reader's key table is not available (")
    assert len(err.splitlines()) == 1


# -- removing and restoring --------------------------------------------------------------


def test_remove_trash_and_restore(seeded: Cli) -> None:
    ttrl, survey = seeded.id_of(TTRL), seeded.id_of(SURVEY)
    seeded("star", ttrl)
    seeded("note", ttrl, "keep this")
    code, out, err = seeded("remove", ttrl, survey[:9])
    assert code == 0
    assert out.splitlines() == [f"removed {ttrl}  {TTRL}  ★  ✎", f"removed {survey}  {SURVEY}"]
    assert err == "2 papers moved to the trash; paperdeck restore ID brings one back\n"
    assert len(seeded.json()) == 121 and seeded("search", "TTRL")[0] == 1
    code, out, _ = seeded("trash")
    assert [line.split("  ")[0] for line in out.splitlines()] == sorted([ttrl, survey])
    assert f"  {TTRL}  ★  ✎" in out
    # Importing the file again leaves them out, and says so.
    out = seeded("import", str(LISTING))[1]
    assert out.endswith("0 skipped, 2 left in the trash\n")
    assert seeded("restore", ttrl)[1] == f"restored {ttrl}  {TTRL}\n"
    paper = next(p for p in seeded.json("TTRL") if p["id"] == ttrl)
    assert paper["starred"] and paper["note"] == "keep this"
    assert seeded("restore", "--all")[1] == f"restored {survey}  {SURVEY}\n"
    assert seeded("trash")[2] == "the trash is empty\n" and len(seeded.json()) == 123


def test_remove_a_source(seeded: Cli) -> None:
    code, out, err = seeded("remove", "--source", "author-listing.txt")
    assert code == 0 and len(out.splitlines()) == 17
    assert err.splitlines() == [
        "kept 1 paper that other sources list too",
        "17 papers moved to the trash; paperdeck restore ID brings one back",
    ]
    assert len(seeded.json()) == 106
    code, _, err = seeded("remove", "--source", "nope.txt")
    assert code == 1 and err.startswith("paperdeck: no source named 'nope.txt' (sources: ")
    assert seeded("remove")[0] == 2 and seeded("remove", "x", "--source", "y")[0] == 2
    assert seeded("restore")[0] == 2
    code, _, err = seeded("restore", "nope")
    assert (code, err) == (1, "paperdeck: no paper with id 'nope' in the trash\n")


# -- the reader and the demo --------------------------------------------------------------


@pytest.fixture
def fake_reader(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[Path, bool, int]]]:
    """A stand-in `paperdeck.ui.app` recording each call (root, demo, papers at that time)."""
    calls: list[tuple[Path, bool, int]] = []

    def run_reader(library_root: Path, demo: bool = False) -> int:
        from paperdeck.core.store import Library

        with Library(library_root) as library:
            calls.append((Path(library_root), demo, library.count()))
        return 0

    module = types.ModuleType("paperdeck.ui.app")
    module.run_reader = run_reader  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "paperdeck.ui.app", module)
    monkeypatch.setattr("paperdeck.cli.reader.is_terminal", lambda: True)
    yield calls


def test_plain_paperdeck_opens_the_reader(cli: Cli, fake_reader: list) -> None:
    assert cli()[0] == 0
    assert fake_reader == [(cli.root, False, 0)]


def test_the_default_library_comes_from_the_environment(
    fake_reader: list, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([]) == 0
    assert fake_reader[0][0] == tmp_path / "home-library"


def test_reader_not_available(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("paperdeck.cli.reader.is_terminal", lambda: True)
    monkeypatch.setitem(sys.modules, "paperdeck.ui.app", None)
    code, out, err = cli()
    assert (code, out) == (1, "")
    assert err.startswith("paperdeck: the reader is not available (") and err.count("\n") == 1


def test_reader_needs_a_terminal(cli: Cli) -> None:
    code, _, err = cli()
    assert code == 1 and err.startswith("paperdeck: the reader needs a terminal")


def test_demo_keeps_a_named_library(cli: Cli, fake_reader: list) -> None:
    code, _, err = cli("demo")
    assert code == 0
    assert err == f"demo: 123 papers in {cli.root}\n"
    assert fake_reader == [(cli.root, True, 123)]
    assert len(cli.json()) == 123


def test_demo_uses_a_throwaway_library(
    fake_reader: list, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["demo"]) == 0
    root, demo, count = fake_reader[0]
    assert demo and count == 123
    assert not root.exists()  # deleted when the reader closed
    assert not (tmp_path / "home-library").exists()  # $PAPERDECK_HOME untouched


# -- errors and help ----------------------------------------------------------------------


def test_no_library_is_one_line(cli: Cli) -> None:
    code, out, err = cli("search")
    assert (code, out) == (1, "")
    assert err == f"paperdeck: no library at {cli.root}; add papers first: paperdeck import FILE\n"
    assert not cli.root.exists()


def test_newer_schema_is_one_line(seeded: Cli) -> None:
    with sqlite3.connect(seeded.root / "library.sqlite3") as db:
        db.execute("PRAGMA user_version = 99")
    code, out, err = seeded("star", "x")
    assert (code, out) == (1, "")
    assert err.startswith("paperdeck: the library was written by a newer paperdeck")
    assert err.count("\n") == 1


def test_interrupt_exits_130(seeded: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> list[str]:
        raise KeyboardInterrupt

    monkeypatch.setattr("paperdeck.cli.search.select", interrupted)
    assert seeded("search", "anything")[0] == 130


def test_a_closed_pipe_ends_quietly(seeded: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    class ClosedPipe(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    seeded.capsys.readouterr()
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(["--library", str(seeded.root), "search"]) == 1
    assert seeded.capsys.readouterr().err == ""


def test_output_file_errors_are_one_line(seeded: Cli, tmp_path: Path) -> None:
    target = tmp_path / "no-such-dir" / "out.md"
    code, _, err = seeded("export", "--all", "-o", str(target))
    assert code == 1
    assert err == f"paperdeck: {target}: No such file or directory\n"


def test_usage_errors_exit_2(cli: Cli) -> None:
    assert cli("search", "--limit", "0")[0] == 2
    assert cli("frobnicate")[0] == 2
    assert cli("star")[0] == 2
    assert cli("export", "--format", "docx")[0] == 2


def test_argument_errors_show_the_command_usage(cli: Cli) -> None:
    code, out, err = cli("star", "--foo", "x")
    assert (code, out) == (2, "")
    assert err.startswith("usage: paperdeck star ")
    assert err.endswith("paperdeck star: error: unrecognized arguments: --foo\n")
    code, _, err = cli("search", "a", "b")
    assert code == 2 and err.startswith("usage: paperdeck search ") and "arguments: b\n" in err
    code, _, err = cli("--foo")
    assert code == 2 and err.startswith("usage: paperdeck [-h]")


def test_version(cli: Cli) -> None:
    assert cli("--version") == (0, f"paperdeck {__version__}\n", "")


COMMANDS = [
    "import", "reindex", "fetch", "search", "show", "star", "unstar", "tag", "untag", "read",
    "note", "remove", "restore", "trash", "export", "stats", "keys", "demo",
]  # fmt: skip


def test_every_command_has_help_with_examples(cli: Cli) -> None:
    code, out, _ = cli("--help")
    assert code == 0
    assert re.findall(r"^    (\w+) +\S", out, re.MULTILINE) == COMMANDS
    for name in COMMANDS:
        code, out, _ = cli(name, "--help")
        assert code == 0
        assert f"usage: paperdeck {name}" in out and "examples:\n  paperdeck" in out


def test_library_option_after_the_command(seeded: Cli, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["search", "--library", str(seeded.root), "--limit", "1"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1


# -- real processes -----------------------------------------------------------------------


def run_paperdeck(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, **kwargs
    )  # type: ignore[call-overload]


def test_python_m_paperdeck_imports_and_searches(tmp_path: Path) -> None:
    root = str(tmp_path / "lib")
    done = run_paperdeck("-m", "paperdeck", "--library", root, "import", str(LISTING), str(DAILY))
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout.splitlines()[1]
        == f"{DAILY}: daily: 105 added, 1 merged, 0 unchanged, 0 skipped"
    )
    done = run_paperdeck("-m", "paperdeck", "--library", root, "search", "--json", "TTRL")
    assert done.returncode == 0 and json.loads(done.stdout)[0]["title"] == TTRL
    done = run_paperdeck("-m", "paperdeck", "--library", root, "show", "nope")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == "paperdeck: no paper with id 'nope'\n"  # no traceback


OFF_THE_STAR_PATH = {
    "dataclasses",
    "json",
    "shutil",
    "paperdeck.core.models",
    "paperdeck.core.paperset",
    "paperdeck.core.merge",
    "paperdeck.core.query_words",
}


def test_marking_commands_never_load_whoosh_or_textual(
    seeded_template: Path, tmp_path: Path
) -> None:
    root = tmp_path / "lib"
    shutil.copytree(seeded_template, root)
    with sqlite3.connect(root / "library.sqlite3") as db:
        paper_id = db.execute("SELECT id FROM papers WHERE title = ?", (TTRL,)).fetchone()[0]
    # The real entry point, with Python's own import log as the witness.
    done = run_paperdeck(
        "-X", "importtime", "-m", "paperdeck", "--library", str(root), "star", paper_id
    )
    assert done.returncode == 0, done.stderr
    imported = {
        line.rsplit("|", 1)[-1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "paperdeck.cli" in imported
    assert not {m for m in imported if m.split(".")[0] in ("whoosh", "textual")}
    # Nor what `star` does not need and once loaded: the paper records and sets (dataclasses,
    # ~8 ms), json, and shutil (which argparse's own help formatter would import).
    assert not imported & OFF_THE_STAR_PATH
    # Every command that does not search or open the reader, checked through sys.modules.
    runner = (
        "import sys, json\n"
        "from paperdeck.cli import main\n"
        "codes = [main(['--library', sys.argv[1], *args.split('|')]) for args in sys.argv[2:]]\n"
        "loaded = sorted({m.split('.')[0] for m in sys.modules} & {'whoosh', 'textual'})\n"
        "print(json.dumps([codes, loaded]), file=sys.stderr)\n"
    )
    commands = [
        f"star|{paper_id}", f"unstar|{paper_id}", f"note|{paper_id}|hi", f"note|{paper_id}",
        f"tag|{paper_id}|x", f"untag|{paper_id}|x", f"read|{paper_id}", f"show|{paper_id}",
        "stats", "export|--all", "export|--all|--format|bibtex", "search|--unread", "keys",
    ]  # fmt: skip
    done = run_paperdeck("-c", runner, str(root), *commands)
    codes, loaded = json.loads(done.stderr.splitlines()[-1])
    assert codes == [0] * len(commands)
    assert loaded == []
    # The witness works: a search does load Whoosh.
    done = run_paperdeck("-c", runner, str(root), "search|reinforcement")
    assert json.loads(done.stderr.splitlines()[-1]) == [[0], ["whoosh"]]


def test_search_json_loads_neither_the_exporters_nor_the_parsers(
    seeded_template: Path, tmp_path: Path
) -> None:
    """`search --json` prints papers as JSON: the BibTeX writer and the source parsers it
    would pull in through `core.export` cost a whole-process search ~50 ms of imports."""
    root = tmp_path / "lib"
    shutil.copytree(seeded_template, root)
    runner = (
        "import sys, json\n"
        "from paperdeck.cli import main\n"
        "code = main(['--library', sys.argv[1], 'search', '--json', 'reinforcement'])\n"
        "heavy = ('paperdeck.core.export', 'paperdeck.core.bibtex_writer',\n"
        "         'paperdeck.core.sources.bibtex')\n"
        "print(json.dumps([code, sorted(set(heavy) & set(sys.modules))]), file=sys.stderr)\n"
    )
    done = run_paperdeck("-c", runner, str(root))
    assert json.loads(done.stderr.splitlines()[-1]) == [0, []]
    assert json.loads(done.stdout)[0]["title"]


def test_the_parser_offers_every_export_format() -> None:
    from paperdeck.cli.exporting import EXPORT_FORMATS as offered
    from paperdeck.core.export import EXPORT_FORMATS

    assert offered == EXPORT_FORMATS


def test_the_parser_offers_every_sort() -> None:
    from paperdeck.cli.parsing import SORT_NAMES as offered
    from paperdeck.core.paperset import Sort

    assert offered == tuple(sort.value for sort in Sort)


def test_an_edited_note_that_cannot_be_saved_is_kept(
    seeded: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import tempfile

    from paperdeck.cli import notes
    from paperdeck.core.store import Library

    pid = json.loads(seeded("search", "--json")[1])[0]["id"]
    monkeypatch.setattr(notes, "edit_text", lambda initial: "hours of careful thought")

    def refuse(self: Library, paper_id: str, note: str, **_: object) -> str:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(Library, "set_note", refuse)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the kept text stays in the test
    code, _, err = seeded("note", pid, "--edit")
    assert code == 1
    kept = Path(err.split("your text is in ")[1].split("\n")[0])
    assert kept.read_text() == "hours of careful thought"
    assert kept.is_relative_to(tmp_path)


def test_search_json_with_a_limit_lists_the_best_without_counting_them_all(seeded: Cli) -> None:
    """`--json --limit N` prints no total, so a phrase is checked only where it can rank."""
    query = '"language models"'
    code, out, err = seeded("search", query, "--limit", "3")
    assert code == 0
    assert err.startswith("3 of ")  # the text listing counts every match
    listed = [line.split()[0] for line in out.splitlines()]
    assert len(listed) == 3
    assert [paper["id"] for paper in seeded.json(query, "--limit", "3")] == listed


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
