"""The floors: what Python, SQLite, Whoosh and Textual cost on their own on this machine.

Each is measured in the same run as the figure it bounds, so a busy or slow machine moves
both and the ratio stays meaningful. Run as a script, each floor prints one JSON line.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path


def whoosh_schema():  # type: ignore[no-untyped-def]
    """A plain Whoosh schema for the same fields: Whoosh's stock analyzers, nothing of ours."""
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema

    return Schema(
        id=ID(unique=True, stored=True),
        title=TEXT(analyzer=StemmingAnalyzer(), field_boost=3.0),
        authors=TEXT,
        abstract=TEXT(analyzer=StemmingAnalyzer()),
        categories=KEYWORD(lowercase=True, commas=True, scorable=True),
        affiliations=TEXT,
        tags=KEYWORD(lowercase=True, commas=True, scorable=True),
        note=TEXT(analyzer=StemmingAnalyzer()),
        year=NUMERIC(int, bits=32, signed=False),
    )


def whoosh_document(paper: dict) -> dict:  # type: ignore[type-arg]
    doc = {
        "id": paper["id"],
        "title": paper["title"],
        "authors": "\n".join(paper.get("authors", [])),
        "abstract": paper.get("abstract", ""),
        "categories": ",".join(paper.get("categories", [])),
        "affiliations": "\n".join(paper.get("affiliations", [])),
        "tags": ",".join(paper.get("tags", [])),
        "note": paper.get("note", ""),
    }
    doc = {k: v for k, v in doc.items() if v}
    doc["year"] = int(paper["date"][:4])
    return doc


def whoosh_build(jsonl: Path, folder: Path) -> dict[str, float]:
    """A bare Whoosh build of the papers in ``jsonl``: writer(procs=2, multisegment=True)."""
    from whoosh import index

    started = time.perf_counter()
    ix = index.create_in(str(folder), whoosh_schema())
    writer = ix.writer(procs=2, limitmb=256, multisegment=True)
    count = 0
    with jsonl.open(encoding="utf-8") as lines:
        for line in lines:
            writer.add_document(**whoosh_document(json.loads(line)))
            count += 1
    writer.commit()
    seconds = time.perf_counter() - started
    return {"papers": count, "seconds": seconds, "papers_per_s": count / seconds}


def whoosh_search(folder: Path, query: str, limit: int) -> None:
    """The floor of `paperdeck search Q --json`: import whoosh, open the index, run Q, print."""
    from whoosh import index

    ix = index.open_dir(str(folder))
    with ix.searcher() as searcher:
        q = floor_parser(ix.schema).parse(query)
        hits = searcher.search(q, limit=limit)
        print(json.dumps([hit["id"] for hit in hits]))


FIELDS = ["title", "authors", "abstract", "tags", "note", "categories", "affiliations"]
# paperdeck's query syntax names fields as a person types them; the floor must read the same
# queries the same way, or `author:wang` would search titles for "author" and "wang".
ALIASES = {"authors": ["author"], "tags": ["tag"], "categories": ["cat", "category"]}


def floor_parser(schema):  # type: ignore[no-untyped-def]
    """Whoosh's own MultifieldParser over our fields, with our field names as aliases."""
    from whoosh.qparser import FieldAliasPlugin, MultifieldParser

    parser = MultifieldParser(FIELDS, schema)
    parser.add_plugin(FieldAliasPlugin(ALIASES))
    return parser


def main() -> None:
    kind = sys.argv[1]
    if kind == "whoosh-build":
        if len(sys.argv) > 3:  # keep the index: the search floors use it
            folder = Path(sys.argv[3])
            folder.mkdir(parents=True, exist_ok=True)
            print(json.dumps(whoosh_build(Path(sys.argv[2]), folder)))
        else:
            with tempfile.TemporaryDirectory() as d:
                print(json.dumps(whoosh_build(Path(sys.argv[2]), Path(d))))
    elif kind == "whoosh-search":
        whoosh_search(Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
    else:
        raise SystemExit(f"unknown floor {kind!r}")


if __name__ == "__main__":
    main()
