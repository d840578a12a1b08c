"""`paperdeck search` and `show`: what they list and how, and the index they search (built
again by `reindex`, or when it is missing)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from cli_kit import TTRL, Cli, mark_two


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


def test_show_lists_each_link_once_keeps_hyphenated_words_and_affiliations_whole(
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
        "affiliations": ["University of California, Berkeley", "Tsinghua University"],
    }
    source = tmp_path / "one.json"
    source.write_text(json.dumps([paper]))
    assert cli("import", str(source))[0] == 0
    monkeypatch.setenv("COLUMNS", "40")
    out = cli("show", "2504.16084")[1]
    assert out.count("arxiv.org") == 1 and out.count("doi.org") == 1
    assert "links:        https://x.github.io/y" in out.splitlines()
    # As the reader shows them: a name may hold a comma.
    affiliations = "University of California, Berkeley; Tsinghua University"
    assert f"affiliations: {affiliations}" in out.splitlines()
    abstract = out.split("\n\n")[-1].split()
    assert abstract.count("pre-trained") == 12 and "pre-" not in abstract


def test_search_json_with_a_limit_lists_the_best_without_counting_them_all(seeded: Cli) -> None:
    """`--json --limit N` prints no total, so a phrase is checked only where it can rank."""
    query = '"language models"'
    code, out, err = seeded("search", query, "--limit", "3")
    assert code == 0
    assert err.startswith("3 of ")  # the text listing counts every match
    listed = [line.split()[0] for line in out.splitlines()]
    assert len(listed) == 3
    assert [paper["id"] for paper in seeded.json(query, "--limit", "3")] == listed


def test_reindex(seeded: Cli) -> None:
    assert seeded("reindex")[:2] == (0, "indexed 123 papers\n")
    assert seeded("reindex", "--json") == (0, '{\n  "indexed": 123\n}\n', "")
    assert seeded.json("test-time reinforcement")[0]["title"] == TTRL


def test_search_rebuilds_a_deleted_index(seeded: Cli) -> None:
    shutil.rmtree(seeded.root / "index")
    assert seeded.json("test-time reinforcement")[0]["title"] == TTRL


@pytest.mark.parametrize(
    "options",
    [
        ["cat:cs.CL", "--limit", "3"],  # a fielded query alone lists newest first
        ["author:zhang", "--limit", "2"],
        ["reinforcement", "--sort", "title", "--limit", "4"],
        ["reinforcement", "--starred", "--limit", "1"],
        ["reinforcement", "--tag", "rl"],
        ["learning"],  # no limit: every hit
    ],
)
def test_search_json_lists_the_papers_the_text_listing_does(
    seeded: Cli, options: list[str]
) -> None:
    """`--json` stops at the best hits only where they are the answer (relevance order, a
    limit, no filter); a date or title order, a filter or no limit needs every hit."""
    mark_two(seeded)
    code, out, _ = seeded("search", *options)
    listed = [line.split()[0] for line in out.splitlines()]
    assert code == 0 and listed
    assert [paper["id"] for paper in seeded.json(*options)] == listed


def test_a_slow_search_is_not_reported_as_an_index_update(
    seeded: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The line names the sync or rebuild that took the time, not the search after it."""
    from types import SimpleNamespace

    from paperdeck.core.search.index import SearchIndex

    seeded("search", "reinforcement")  # the index is current
    now = [0.0]
    monkeypatch.setattr("paperdeck.cli.library.time", SimpleNamespace(monotonic=lambda: now[0]))
    search = SearchIndex.search

    def slow_search(self: SearchIndex, *args: object, **options: object) -> object:
        now[0] += 5.0  # a search of five seconds
        return search(self, *args, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(SearchIndex, "search", slow_search)
    code, _, err = seeded("search", "reinforcement", "--limit", "1")
    assert code == 0 and "search index updated" not in err
    shutil.rmtree(seeded.root / "index")
    code, _, err = seeded("search", "reinforcement", "--limit", "1")
    assert code == 0 and "rebuilding it" in err  # the rebuild is announced, and was quick
    assert "search index updated" not in err


def test_words_in_a_notes_markdown_are_found(seeded: Cli) -> None:
    """`*emphasised*`, `**bold**` and `_under_` in a note: the words inside are searchable."""
    paper_id = seeded.id_of(TTRL)
    assert seeded("note", paper_id, "an *emphasised* word, **bold** and _under_ max_tokens")[0] == 0
    for query in ("note:emphasised", "emphasised", "note:bold", "note:under", "max_tokens"):
        code, out, _err = seeded("search", query)
        assert (code, out.split()[:1]) == (0, [paper_id]), query


def test_the_default_order_is_what_the_help_says(seeded: Cli) -> None:
    """Filters alone list newest first, words by relevance: `search --help` said "best
    match first … relevance (the default with a query)" for `author:zhang` too."""
    _, out, _ = seeded("search", "--help")
    help_text = " ".join(out.split())
    assert (
        "best match first; a QUERY of filters alone (author:, cat:, tag:, year:) and no QUERY"
        " list newest first." in help_text
    )
    assert (
        "order: newest (the default without a query, or with one of filters alone such as"
        " author:NAME), oldest, title, relevance (the default with a query of words)"
    ) in help_text
    orders = {
        "author:zhang": ("newest", "relevance"),
        "cat:cs.CL": ("newest", "relevance"),
        "reinforcement": ("relevance", "newest"),
        "reinforcement author:zhang": ("relevance", "newest"),
    }
    for query, (default, other) in orders.items():
        listed = [paper["id"] for paper in seeded.json(query)]
        assert listed == [paper["id"] for paper in seeded.json(query, "--sort", default)], query
        assert listed != [paper["id"] for paper in seeded.json(query, "--sort", other)], query


def test_search_widens_a_dashed_word_and_a_phrase_being_typed(seeded: Cli) -> None:
    code, out, err = seeded("search", "test-tim")
    assert code == 0 and err == "nothing matches “test-tim”; searched “test-tim*”\n"
    assert out.splitlines()[0].endswith(f"{TTRL} — Yuxin Zuo")
    code, out, err = seeded("search", '"language mod')
    assert code == 0 and "searched “language mod*”" in err and "did you mean" not in err
    assert out == seeded("search", "language mod*")[1] and len(out.splitlines()) > 10


def test_search_widens_a_query_whose_parenthesis_is_still_open(seeded: Cli) -> None:
    """ "(quantum OR transf" ran as its plain words, all required, and found nothing, while
    "quantum OR transf" was widened: its last word is widened as well, the group closed."""
    code, out, err = seeded("search", "(quantum OR transf")
    assert code == 0
    assert err == "nothing matches “(quantum OR transf”; searched “(quantum OR transf*)”\n"
    assert out == seeded("search", "quantum OR transf")[1] and len(out.splitlines()) > 10
    code, out, err = seeded("search", "quantum) OR transf")  # malformed before its end
    assert (code, out) == (1, "") and "query syntax not understood" in err


def test_search_takes_its_words_unquoted_and_a_leading_dash_as_exclusion(seeded: Cli) -> None:
    """`search learning -robot` was "unrecognized arguments: -robot"; two words unquoted
    were an error too."""
    quoted = seeded.json("reinforcement learning -test")
    assert quoted and seeded.json("reinforcement", "learning", "-test") == quoted
    assert seeded.json("-test", "reinforcement", "learning") == quoted
    every = seeded.json()
    without = seeded.json("-learning")
    assert 0 < len(without) < len(every)
    code, _, err = seeded("search", "--bogus")
    assert code == 2 and "unrecognized arguments: --bogus" in err
