"""`paperdeck` as a real process: `python -m paperdeck` works, and the commands that need
neither search nor the reader import neither."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from cli_kit import DAILY, LISTING, TTRL


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
    would pull in through `core.export` cost a whole-process search ~50 ms of imports; what
    Whoosh's start imports and never uses (`urllib.request`, `asyncio`) ~25 ms more, which
    `core.search.whoosh_start` spares."""
    root = tmp_path / "lib"
    shutil.copytree(seeded_template, root)
    runner = (
        "import sys, json\n"
        "from paperdeck.cli import main\n"
        "code = main(['--library', sys.argv[1], 'search', '--json', 'reinforcement'])\n"
        "heavy = ('paperdeck.core.export', 'paperdeck.core.bibtex_writer',\n"
        "         'paperdeck.core.sources.bibtex', 'asyncio', 'urllib.request',\n"
        "         'http.client', 'ssl', 'cached_property')\n"
        "print(json.dumps([code, sorted(set(heavy) & set(sys.modules))]), file=sys.stderr)\n"
    )
    done = run_paperdeck("-c", runner, str(root))
    assert json.loads(done.stderr.splitlines()[-1]) == [0, []]
    assert json.loads(done.stdout)[0]["title"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="process substitution needs bash")
def test_process_substitutions_are_distinct_sources_in_stats(tmp_path: Path) -> None:
    """`import <(cat a.bib)` then `import <(cat b.json)`: both came as /dev/fd/63, whose
    name "63" the two sources shared, so `remove --source 63` would have removed both."""
    (tmp_path / "a.bib").write_text("@article{k, title = {Piped BibTeX}, year = {2024}}\n")
    (tmp_path / "b.json").write_text('[{"title": "Piped JSON"}]\n')
    script = (
        'pd() { "$PY" -m paperdeck --library "$DIR/lib" "$@"; }\n'
        'pd import <(cat "$DIR/a.bib") && pd import <(cat "$DIR/b.json") && pd stats\n'
    )
    before = datetime.now()
    done = run_paperdeck_shell(script, tmp_path)
    after = datetime.now()
    assert done.returncode == 0, done.stderr
    out = done.stdout.splitlines()
    rows = [line.split(None, 2) for line in out[out.index("sources:") + 1 : -1]]
    assert [(n, kind) for n, kind, _ in rows] == [("1", "bibtex"), ("1", "json")]
    minutes = {f"{before:%Y-%m-%d %H:%M}", f"{after:%Y-%m-%d %H:%M}"}  # the import's
    assert {when for _, _, when in rows} <= minutes


def run_paperdeck_shell(script: str, folder: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PY": sys.executable, "DIR": str(folder)}
    return subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env)
