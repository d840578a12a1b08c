"""Nothing a command prints can act on the terminal: every CLI command's output and error
output is walked with hostile text in every field of every paper (imported, and written raw
into the database by another tool), in file names, in the `--library` path, in `-o`, in
config key names and in arguments. Then the reader, on the same kind of library.

"Hostile" is every escape we know of (OSC 52 clipboard writes, OSC 0 window titles, OSC 8
links, ESC c terminal reset, CSI, their 8-bit C1 forms, other C0/C1 controls, bidi
overrides) and Rich markup ([red], [link=...]), which must come out as plain characters.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from paperdeck.cli import build_parser, main
from paperdeck.core.models import Paper
from paperdeck.core.store import DB_NAME, Library
from paperdeck.core.store.importing import clean_paper
from testkit import MARKUP, capture_notifications_with_markup, settle

# No "/" (file names hold these too) and no NUL (nor can they hold that).
ESCAPES = (
    "\x1b]52;c;ZXZpbA==\x07"  # OSC 52: write the clipboard
    "\x1b]0;pwned\x07"  # OSC 0: set the window title
    "\x1b]8;;https:evil\x1b\\"  # OSC 8: a hyperlink
    "\x1bc"  # ESC c: reset the terminal
    "\x1b[2J\x1b[31m"  # CSI: clear, colour
    "\x9b31m\x9d0;title\x9c\x90dcs\x9c"  # 8-bit CSI, OSC, DCS
    "\x07\x08\x0b\x0c\r\x7f\x85"  # other C0, DEL, C1
    "\u202e\u2066\u200f"  # bidi override, isolate, mark
)
DANGER = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def evil(label: str) -> str:
    return f"{label} {MARKUP} {ESCAPES} end"


def assert_harmless(text: str, where: str) -> None:
    found = DANGER.findall(text)
    assert not found, f"{where}: {found[:8]!r} in {text[:400]!r}"


def hostile_record(n: int) -> dict[str, object]:
    return {
        "id": evil(f"id{n}"),
        "title": evil(f"Title {n}"),
        "authors": [evil(f"Author {n}"), "Plain Person"],
        "abstract": evil("abstract") + " see https://example.org/" + ESCAPES,
        "date": evil("2024-01-01"),
        "categories": [evil("cs.CR")],
        "affiliations": [evil("affil")],
        "links": ["https://example.org/x" + ESCAPES, "javascript:alert(1)" + ESCAPES],
        "venue": evil("venue"),
        "bibtex_key": evil("key"),
        "bibtex_type": evil("article"),
        "arxiv_id": evil("2401.00001"),
        "doi": "10.1000/" + ESCAPES,
        "tags": [evil("tag")],
        "note": evil("note line one") + "\n" + evil("line two"),
        "starred": True,
        "starred_at": evil("2024-01-02T00:00:00"),
        "added_at": evil("2024-01-03T00:00:00"),
        "read": True,
        "sources": [evil("source")],
    }


def write_raw_paper(root: Path, paper_id: str, new_id: str) -> None:
    """Another tool writes every column of a paper raw (no cleaning on the way in)."""
    db = sqlite3.connect(root / DB_NAME)
    with db:
        db.execute(
            "UPDATE papers SET id = ?, title = ?, authors = ?, abstract = ?, date = ?,"
            " categories = ?, affiliations = ?, links = ?, sources = ?, venue = ?, note = ?,"
            " starred_at = ?, added_at = ?, arxiv_id = ?, doi = ?, bibtex_key = ? WHERE id = ?",
            (
                new_id,
                evil("Raw title"),
                json.dumps([evil("Raw Author")]),
                evil("raw abstract"),
                evil("2023"),
                json.dumps([evil("raw.cat")]),
                json.dumps([evil("raw affil")]),
                json.dumps(["https://raw.example.org/" + ESCAPES, "javascript:x" + ESCAPES]),
                json.dumps([evil("raw source")]),
                evil("raw venue"),
                evil("raw note"),
                evil("2024-05-05"),
                evil("2024-05-06"),
                evil("2402.00002"),
                "10.2/" + ESCAPES,
                evil("rawkey"),
                paper_id,
            ),
        )
        db.execute("DELETE FROM paper_facets WHERE paper_id = ?", (paper_id,))
        db.executemany(
            "INSERT INTO paper_facets (paper_id, kind, value, position) VALUES (?, ?, ?, 0)",
            [
                (new_id, "tag", evil("raw tag")),
                (new_id, "category", evil("raw.cat")),
                (new_id, "affiliation", evil("raw affil")),
                (new_id, "source", evil("raw source")),
            ],
        )
    db.close()


@pytest.fixture
def hostile(tmp_path: Path) -> dict[str, Path | str]:
    """A library in a hostile folder, filled from a hostile file, one paper then rewritten raw,
    and a config with hostile key names and theme."""
    folder = tmp_path / ("lib " + ESCAPES)
    listing = tmp_path / ("listing " + ESCAPES + ".jsonl")
    listing.write_text("\n".join(json.dumps(hostile_record(n)) for n in range(3)) + "\n")
    broken = tmp_path / ("broken " + ESCAPES + ".json")
    broken.write_text('{"title": "unfinished', encoding="utf-8")
    config = Path(str(tmp_path / "config" / "config.toml"))
    config.parent.mkdir(parents=True, exist_ok=True)
    escaped = json.dumps(ESCAPES)  # a TOML basic string takes JSON's escapes
    config.write_text(
        f'theme = {escaped}\n[keys]\n{json.dumps("star" + ESCAPES)} = "8"\n',
        encoding="utf-8",
    )
    assert main(["--library", str(folder), "import", str(listing)]) == 0
    with Library(folder) as library:
        first, second, third = sorted(library.all_ids())
    raw_id = "raw-" + ESCAPES.replace("\r", "")
    write_raw_paper(folder, third, raw_id)
    return {
        "library": folder,
        "listing": listing,
        "broken": broken,
        "first": first,
        "raw": raw_id,
        "out": tmp_path / ("out " + ESCAPES + ".md"),
    }


def walk(h: dict[str, Path | str]) -> list[list[str]]:
    """Every command, with hostile data and arguments; errors included."""
    lib, first, raw = str(h["library"]), str(h["first"]), str(h["raw"])
    listing, broken, out = str(h["listing"]), str(h["broken"]), str(h["out"])
    missing = str(Path(lib).parent / ("missing " + ESCAPES))
    runs = [
        ["import", listing, broken, missing + ".json"],
        ["import", "--format", "bibtex", listing],
        ["search"],
        ["search", evil("query")],
        ["search", "--json"],
        ["search", "--tag", evil("tag"), "--starred"],
        ["show", first],
        ["show", raw[:6]],
        ["show", "--json", raw[:6]],
        ["show", evil("no such paper")],
        ["star", first, raw[:6]],
        ["unstar", first],
        ["star", evil("unknown")],
        ["tag", first, evil("new tag")],
        ["untag", first, evil("absent tag")],
        ["read", first],
        ["read", "--unread", raw[:6]],
        ["note", first],
        ["note", raw[:6]],
        ["note", first, evil("a new note")],
        ["remove", raw[:6]],
        ["trash"],
        ["restore", raw[:6]],
        ["remove", "--source", evil("source")],
        ["restore", evil("not in the trash")],
        ["export"],
        ["export", "--all", "--format", "bibtex"],
        ["export", "--all", "--format", "json"],
        ["export", "--all", "-o", out],
        ["export", "--all", "-o", str(Path(lib).parent)],  # a folder: refused, named
        ["fetch"],  # no [[feeds]] in the config: a usage error naming the config file
        ["fetch", "new", evil("category")],  # not a category: refused before any request
        ["fetch", "daily", "--date", evil("day")],
        ["stats"],
        ["stats", "--json"],
        ["reindex"],
        ["keys"],
        ["demo"],  # imports, then "needs a terminal"
        [],  # the reader: "needs a terminal"
        [evil("no-such-command")],
        ["search", "--sort", evil("sort")],
        ["show", first, evil("extra argument")],
    ]
    runs = [["--library", lib, *args] for args in runs]
    runs.append(["--library", missing, "search"])  # "no library at <hostile path>"
    runs += [[name, "--help"] for name in command_names()]
    return runs


def command_names() -> list[str]:
    """The commands `paperdeck --help` lists (so a new one cannot be missed by the walk)."""
    help_text = build_parser().format_help()
    listed = help_text.split("\ncommands:\n", 1)[1].split("\n\n", 1)[0]
    names = [m.group(1) for m in re.finditer(r"^ {4}(\S+)", listed, re.MULTILINE)]
    assert "import" in names and "show" in names
    return sorted(names)


def test_every_command_and_error_prints_nothing_that_acts_on_the_terminal(hostile, capsys):
    capsys.readouterr()
    walked: set[str] = set()
    for argv in walk(hostile):
        main(argv)
        out, err = capsys.readouterr()
        where = " ".join(argv[2:4] if argv[0] == "--library" else argv[:2])
        assert_harmless(out, f"stdout of {where!r}")
        assert_harmless(err, f"stderr of {where!r}")
        if argv[0] == "--library" and len(argv) > 2:
            walked.add(argv[2])
    assert set(command_names()) <= walked  # a new command must be added to the walk


def test_markup_and_file_names_come_out_as_plain_text(hostile, capsys):
    lib = str(hostile["library"])
    capsys.readouterr()
    main(["--library", lib, "show", str(hostile["first"])])
    out = capsys.readouterr().out
    assert MARKUP in out  # [red] and [link=...] are characters, not styling
    assert f"{'id:':<14}{hostile['first']}\n" in out  # the id, cleaned, as stored
    main(["--library", lib, "import", str(hostile["broken"])])
    err = capsys.readouterr().err
    assert "broken " in err and ".json" in err  # the file is still named, only made safe


def test_imported_ids_and_times_are_cleaned_or_dropped(hostile):
    with Library(hostile["library"]) as library:
        paper = library.get(str(hostile["first"]))
    assert paper is not None
    for name, value in paper.to_json().items():
        assert_harmless(json.dumps(value, ensure_ascii=False), name)
    assert paper.id.startswith("id0 [bold red]x[/]")
    assert paper.date == "2024-01-01"  # the date found in the text, nothing else of it
    assert paper.starred and paper.starred_at and paper.starred_at[:4] != "2024"  # now
    assert paper.added_at and paper.added_at[:4] != "2024"


def test_json_output_escapes_c1_and_bidi_but_keeps_the_data(hostile, capsys):
    raw = str(hostile["raw"])
    capsys.readouterr()
    assert main(["--library", str(hostile["library"]), "show", "--json", raw[:6]]) == 0
    out = capsys.readouterr().out
    assert "\\u0085" in out and "\\u202e" in out and "\\u009b" in out
    assert json.loads(out)["note"] == evil("raw note")  # every character still there


def test_every_field_of_every_format_is_cleaned_at_the_store():
    """`add_papers` is the one door of every format (parsers build a `Paper`)."""
    paper = Paper(
        title=evil("t"),
        authors=[evil("a")],
        abstract=evil("ab"),
        date=evil("2024"),
        categories=[evil("c")],
        affiliations=[evil("af")],
        links=[evil("https://x.org")],
        arxiv_id=evil("2401.00001"),
        doi=evil("10.1/x"),
        venue=evil("v"),
        bibtex_key=evil("k"),
        bibtex_type=evil("misc"),
        id=evil("id"),
        sources=[evil("s")],
        starred=True,
        starred_at=evil("2024-01-01"),
        note=evil("n"),
        tags=[evil("tag")],
        added_at=evil("2024-01-01"),
    )
    cleaned = clean_paper(paper)
    for name, value in cleaned.to_json().items():
        assert_harmless(json.dumps(value, ensure_ascii=False), name)


async def test_the_reader_shows_a_raw_database_and_hostile_config_harmlessly(
    hostile, make_app, tmp_path
):
    app = make_app(hostile["library"], config_path=tmp_path / "config" / "config.toml")
    seen = capture_notifications_with_markup(app)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        assert_harmless(app.export_screenshot(), "the reader's first screen")
        screen = app.screen
        for row in range(len(screen.papers.ids)):
            strip = screen.papers.render_line(row)
            assert_harmless(strip.text, f"list row {row}")  # the date column included
        assert "keys.star" in " ".join(text for text, _ in seen)  # the config key is named
        await pilot.press("G")  # the raw paper and its notification-bearing keys
        await settle(pilot)
        await pilot.press("s", "y", "c")
        await settle(pilot)
        assert_harmless(app.export_screenshot(), "after star and copy")
        await pilot.press("x")
        await settle(pilot)
        app.screen.query_one("Input").value = str(tmp_path / ("x " + ESCAPES + ".md"))
        await pilot.press("enter")
        await settle(pilot)
        assert_harmless(app.export_screenshot(), "after the export")
    assert any("Exported" in text for text, _ in seen)


async def test_the_welcome_screen_and_help_show_a_hostile_folder_and_remap_harmlessly(
    tmp_path, make_app
):
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f"[keys]\nstar = {json.dumps('8' + ESCAPES)}\n", encoding="utf-8")
    app = make_app(tmp_path / ("empty " + ESCAPES), config_path=config)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert type(app.screen).__name__ == "WelcomeScreen"
        assert_harmless(app.export_screenshot(), "the welcome screen")
        await pilot.press("question_mark")
        await settle(pilot)
        assert_harmless(app.export_screenshot(), "the help screen")
