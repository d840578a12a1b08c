"""The old home of the analysis classes, kept because indexes written before they moved to
`paperdeck.core.search.analysis` name this module in their pickled schema.

Unpickling such an index imports this module; nothing else should. It is the one module of
core outside `search/` that imports Whoosh (the boundary test names it).
"""

from paperdeck.core.search.analysis import FastChain, FastPositions

__all__ = ["FastChain", "FastPositions"]
