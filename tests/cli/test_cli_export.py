"""`paperdeck export`: Markdown, BibTeX and JSON of the starred papers, a query or all of them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import bibtexparser
import pytest
from cli_kit import SURVEY, TTRL, Cli, mark_two


def test_export_markdown_of_starred(seeded: Cli, tmp_path: Path) -> None:
    mark_two(seeded)
    code, out, err = seeded("export")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "# Starred papers"
    assert re.fullmatch(r"2 papers · Starred · newest first · exported \d{4}-\d\d-\d\d", lines[2])
    # Plain: the demo gives these two only a code link, which is not the paper's own page
    # (it is listed as Code; the heading used to link to it).
    assert [line for line in lines if line.startswith("## ")] == [f"## {SURVEY}", f"## {TTRL}"]
    assert "- **Code:** <https://github.com/PRIME-RL/TTRL>" in lines
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
