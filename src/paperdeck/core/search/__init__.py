"""Everything that touches Whoosh: the index, its analysis, queries, hits, ranking, spelling.

Nothing is re-exported here: importing one module of this package must not load the others
(`paperdeck star` never imports Whoosh). Core modules outside this package never import
Whoosh; a test checks it. The one thing done here: before any of its modules imports
Whoosh, `whoosh_start` spares Whoosh's start two imports it never uses.
"""

from paperdeck.core.search import whoosh_start

whoosh_start.install()
