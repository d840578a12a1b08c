"""Commands over the whole library, not one paper: `stats`, and `remove`, `trash`, `restore`."""

from __future__ import annotations

import json
import re

from cli_kit import DAILY, LISTING, SURVEY, TTRL, Cli, mark_two


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


def test_remove_trash_and_restore_as_json(seeded: Cli) -> None:
    ttrl, survey = seeded.id_of(TTRL), seeded.id_of(SURVEY)
    seeded("star", ttrl)
    code, out, err = seeded("remove", "--json", ttrl, survey)
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "removed": [{"id": ttrl, "title": TTRL}, {"id": survey, "title": SURVEY}],
        "kept": [],
    }
    trashed = json.loads(seeded("trash", "--json")[1])
    assert sorted(paper["id"] for paper in trashed) == sorted([ttrl, survey])
    first = next(paper for paper in trashed if paper["id"] == ttrl)
    assert first["title"] == TTRL and first["starred"] is True
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT.+", first["removed_at"])
    assert set(first) == set(seeded.json()[0]) | {"removed_at"}  # a paper as search shows it
    assert json.loads(seeded("restore", "--json", ttrl)[1]) == {
        "restored": [{"id": ttrl, "title": TTRL}]
    }
    assert json.loads(seeded("restore", "--json", "--all")[1]) == {
        "restored": [{"id": survey, "title": SURVEY}]
    }
    assert seeded("trash", "--json")[1:] == ("[]\n", "")
    code, out, _ = seeded("remove", "--json", "--source", "author-listing.txt")
    removed = json.loads(out)
    assert code == 0 and len(removed["removed"]) == 17 and len(removed["kept"]) == 1
