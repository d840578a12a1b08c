"""Papers and values as JSON for scripts: `search --json`, `show --json`, `stats --json`.

Apart from `export` (Markdown and BibTeX), whose BibTeX writer loads the source parsers:
`search --json` printed its 50 papers after ~50 ms of imports it never used.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from paperdeck.core.models import Paper
from paperdeck.core.text import escape_json_controls


def json_text(value: object) -> str:
    """``value`` as indented JSON, Unicode kept readable, but DEL, C1 and bidi controls
    escaped (`escape_json_controls`): printed to a terminal, it cannot act on it."""
    return escape_json_controls(json.dumps(value, indent=2, ensure_ascii=False))


def to_json(papers: Iterable[Paper]) -> str:
    """A JSON array of `Paper.to_json()` objects: what `search --json` prints and import reads."""
    return json_text([paper.to_json() for paper in papers]) + "\n"
