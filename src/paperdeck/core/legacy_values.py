"""Schema 11: values earlier versions stored in shapes today's importers no longer give.

- A class list kept as one subject class ("I.2.9; J.3", "68T05, 68T45", as the arXiv API
  writes it) becomes its terms, as `split_terms` splits it at import. The terms stay
  subject classes: the lists the API glues are ACM and MSC terms.
- An abstract that starts with the arXiv announcement's preamble ("arXiv:2405.01234v1
  Announce Type: new Abstract: ...") loses it, as `split_preamble` strips it at import.
- A title with a formula is keyed as the text the formula stands for (`title_text_key`):
  its ``title_key`` is made again, so that "The $\\alpha$-model" and "The α-model", as
  earlier versions stored a BibTeX title, are found as one title.

Only those three columns are written, so stars, notes, tags and read marks stay as they
are. A paper whose abstract changed logs a change: the search index re-reads it, and its
old words stop finding it. Subject classes and title keys are not indexed. A trashed
paper's record and key are mended too, so a restore brings it back clean and an import
still leaves it out. Run again, it finds nothing to change and writes nothing. It runs
inside the migration's transaction (`schema.migrate`).
"""

from __future__ import annotations

import json
import sqlite3

from paperdeck.core.merge import title_text_key
from paperdeck.core.sources.announcements import split_preamble
from paperdeck.core.sources.categories import split_terms


def mend_legacy_values(connection: sqlite3.Connection) -> None:
    """Mend every paper and trashed record stored in an earlier shape (see the module)."""
    _mend_papers(connection)
    _mend_title_keys(connection)
    _mend_trash(connection)


def _mend_papers(connection: sqlite3.Connection) -> None:
    rows = connection.execute(
        "SELECT id, abstract, subject_classes FROM papers"
        " WHERE abstract LIKE 'arxiv:%' OR subject_classes GLOB '*[;,]*'"
    )
    for paper_id, abstract, stored_classes in rows.fetchall():
        mended_abstract = split_preamble(abstract)[1]
        classes = json.loads(stored_classes)
        mended_classes = split_classes(classes)
        if mended_abstract != abstract:
            connection.execute(
                "UPDATE papers SET abstract = ? WHERE id = ?", (mended_abstract, paper_id)
            )
            connection.execute("INSERT INTO changes (paper_id) VALUES (?)", (paper_id,))
        if mended_classes != classes:
            connection.execute(
                "UPDATE papers SET subject_classes = ? WHERE id = ?",
                (json.dumps(mended_classes, ensure_ascii=False), paper_id),
            )


def _mend_title_keys(connection: sqlite3.Connection) -> None:
    rows = connection.execute("SELECT id, title, title_key FROM papers WHERE instr(title, '$')")
    for paper_id, title, key in rows.fetchall():
        if (mended := title_text_key(title)) != key:
            connection.execute("UPDATE papers SET title_key = ? WHERE id = ?", (mended, paper_id))


def _mend_trash(connection: sqlite3.Connection) -> None:
    rows = connection.execute("SELECT paper_id, record, title_key FROM trash")
    for paper_id, text, key in rows.fetchall():
        record = json.loads(text)
        if (mended_key := title_text_key(record.get("title") or "")) != key:
            connection.execute(
                "UPDATE trash SET title_key = ? WHERE paper_id = ?", (mended_key, paper_id)
            )
        abstract, classes = record.get("abstract") or "", record.get("subject_classes") or []
        mended_abstract, mended_classes = split_preamble(abstract)[1], split_classes(classes)
        if mended_abstract != abstract or mended_classes != classes:
            record["abstract"], record["subject_classes"] = mended_abstract, mended_classes
            connection.execute(
                "UPDATE trash SET record = ? WHERE paper_id = ?",
                (json.dumps(record, ensure_ascii=False), paper_id),
            )


def split_classes(classes: list[str]) -> list[str]:
    """Each subject class as its terms, in order, each once."""
    return list(dict.fromkeys(term for value in classes for term in split_terms(value)))
