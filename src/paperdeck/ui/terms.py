"""Search terms to highlight: one pattern shared by the paper list and the abstract pane."""

from __future__ import annotations

import re
from collections.abc import Sequence


def terms_pattern(terms: Sequence[str]) -> re.Pattern[str] | None:
    """Words that start with a search term (a stem matches its longer forms), any case."""
    words = sorted({t.strip() for t in terms if t and t.strip()}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")\w*", re.I)
