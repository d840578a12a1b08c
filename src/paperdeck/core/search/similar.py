"""Papers like a given one (`m` in the reader, `paperdeck similar`): the sixteen weightiest
words of its title and abstract, each searched in both fields with its weight as a boost,
so that papers sharing its rarest words come first."""

from __future__ import annotations

from whoosh import query as wq
from whoosh.searching import Searcher

KEY_TERMS = 16


def similar_docnums(searcher: Searcher, text: str, limit: int) -> list[int]:
    """The ``limit`` documents best matching the key terms of ``text``, best first."""
    keys = searcher.key_terms_from_text("abstract", text, numterms=KEY_TERMS)
    terms = [wq.Term(f, word, boost=weight) for word, weight in keys for f in ("title", "abstract")]
    if not terms:
        return []
    return [docnum for _score, docnum in searcher.search(wq.Or(terms), limit=limit).top_n]
