"""The build's grouped segment writer writes Whoosh's own files, byte for byte.

The same papers (real listings, bibliographies and feeds from the fixtures, and generated
ones long enough for postings of many blocks) are written into one segment by Whoosh's
`SegmentWriter` and by `GroupedSegmentWriter`; every file of the two segments is compared.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh import index as windex
from whoosh.writing import SegmentWriter

from paperdeck.core.models import Paper
from paperdeck.core.search.documents import paper_document
from paperdeck.core.search.grouped_writer import GroupedSegmentWriter, usable
from paperdeck.core.search.index_files import make_schema
from paperdeck.core.search.pairs import study, with_pairs
from paperdeck.core.sources import parse_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DEMO = Path(__file__).resolve().parents[2] / "assets" / "demo"
REAL = [
    FIXTURES / "arxiv-snapshot.jsonl",
    FIXTURES / "arxiv.atom",
    FIXTURES / "thesis-references.bib",
    FIXTURES / "ads-arxiv.bib",
    DEMO / "daily-papers.txt",
    DEMO / "author-listing.txt",
]
WORDS = [
    "large",
    "language",
    "model",
    "graph",
    "neural",
    "network",
    "attention",
    "learning",
    "data",
    "robot",
]


def _real_papers() -> list[Paper]:
    papers: list[Paper] = []
    for path in REAL:
        papers += parse_text(path.read_text(encoding="utf-8"), str(path)).papers
    return papers


def _generated(count: int) -> list[Paper]:
    """Papers of a few common words (postings of many blocks), odd weights and lengths:
    a note in some, tags in others, an empty abstract now and then."""
    rng = random.Random(26)
    papers = []
    for n in range(count):
        words = [rng.choice(WORDS) for _ in range(rng.randint(0, 60))]
        papers.append(
            Paper(
                id=f"gen{n}",
                title=" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 8))),
                authors=[f"Ann{n % 7} Lee", f"Bo Chen{n % 300}"],
                abstract=" ".join(words),
                categories=["cs.LG", f"cs.X{n % 3}"],
                tags=["keep"] if n % 4 == 0 else [],
                note="graph graph graph" if n % 9 == 0 else "",
                date=f"{2000 + n % 25}-02-03",
            )
        )
    return papers


HOSTILE = [  # what an attacker's listing may hold: odd Unicode, markup, long and empty words
    Paper(
        id="hostile1",
        title="Ｆｕｌｌｗｉｄｔｈ ﬁligree Ǆemal naïve café e\u0301 \u202eevil\u202c [bold]x[/]",
        authors=["Zoë O'Brien-Łukasz", "李 小龍", "\u0645\u062d\u0645\u062f"],
        abstract="emoji 🚀🚀 graph_neural max_tokens 3.5 e.g. " + "x" * 300 + " \x1b[31mred",
        affiliations=["École Polytechnique Fédérale", "Universität Zürich"],
        categories=["cs.LG", "weird,cat;egory"],
        tags=["a,b", "ü"],
        note="**bold** _under_ `code` graph graph",
    ),
    Paper(id="hostile2", title="a", authors=["X"], abstract=" ".join(["the"] * 50)),
]


def _segment_files(
    folder: Path,
    writer_class: type[SegmentWriter],
    papers: list[Paper],
    boosted: bool = False,
    **options: int,
) -> dict[str, bytes]:
    """Every file of the one segment ``papers`` are written to, by name (the segment's
    id, random, taken out of names and contents)."""
    schema = with_pairs(make_schema(), study(make_schema(), papers))
    folder.mkdir()
    ix = windex.create_in(str(folder), schema)
    writer = writer_class(ix, compound=False, **options)
    for n, paper in enumerate(papers):
        document = paper_document(paper)
        if boosted and n % 5 == 0:  # (Whoosh's own way, in both writers)
            document.update(_boost=2.0, _abstract_boost=0.5)
        writer.add_document(**document)
    writer.commit()
    with ix.reader() as reader:
        segment = reader.segment().segment_id()
    return {
        p.name.replace(segment, "SEGMENT"): p.read_bytes().replace(segment.encode(), b"SEGMENT")
        for p in folder.iterdir()
        if segment in p.name
    }


@pytest.mark.parametrize(
    ("limitmb", "boosted"),
    [(128, False), (1, False), (128, True)],
    ids=["in memory", "Whoosh spills its runs", "some documents boosted"],
)
def test_the_same_files_as_whooshs_own_writer(tmp_path: Path, limitmb: int, boosted: bool) -> None:
    papers = _real_papers() + HOSTILE + _generated(700)
    assert len(papers) > 900
    assert usable(make_schema())
    whoosh = _segment_files(tmp_path / "whoosh", SegmentWriter, papers, boosted, limitmb=limitmb)
    grouped = _segment_files(tmp_path / "grouped", GroupedSegmentWriter, papers, boosted)
    assert sorted(whoosh) == sorted(grouped)
    assert {".pst", ".trm"} <= {Path(name).suffix for name in whoosh}
    for name in sorted(whoosh):
        assert whoosh[name] == grouped[name], name
