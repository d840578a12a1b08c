"""Schema 11: values earlier versions stored in shapes today's importers no longer give.

- A class list kept as one subject class ("I.2.9; J.3", "68T05, 68T45", as the arXiv API
  writes it) becomes its terms, as `split_terms` splits it at import. The terms stay
  subject classes: the lists the API glues are ACM and MSC terms.
- An abstract that starts with the arXiv announcement's preamble ("arXiv:2405.01234v1
  Announce Type: new Abstract: ...") loses it, as `split_preamble` strips it at import.

Only those two columns are written, so stars, notes, tags and read marks stay as they are.
A paper whose abstract changed logs a change: the search index re-reads it, and its old
words stop finding it. Subject classes are not indexed. A trashed paper's record is mended
too, so a restore brings it back clean. Run again, it finds nothing to change and writes
nothing. It runs inside the migration's transaction (`schema.migrate`).
"""

from __future__ import annotations

import json
import sqlite3

from paperdeck.core.sources.announcements import split_preamble
from paperdeck.core.sources.categories import split_terms


def mend_legacy_values(connection: sqlite3.Connection) -> None:
    """Mend every paper and trashed record stored in an earlier shape (see the module)."""
    rows = connection.execute(
        "SELECT id, abstract, subject_classes FROM papers"
        " WHERE abstract LIKE 'arxiv:%' OR subject_classes GLOB '*[;,]*'"
    ).fetchall()
    for paper_id, abstract, stored_classes in rows:
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
    for paper_id, text in connection.execute("SELECT paper_id, record FROM trash").fetchall():
        record = json.loads(text)
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
