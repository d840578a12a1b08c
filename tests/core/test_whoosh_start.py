"""Whoosh started without `urllib.request` and `asyncio` (`core.search.whoosh_start`).

Each check runs in a new interpreter: in the test process Whoosh is long imported.
"""

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("asyncio", "urllib.request", "http.client", "ssl", "email.parser", "cached_property")


def run(code: str, *args: str) -> list[object]:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


STARTED = f"""
import functools, json, sys
import paperdeck.core.search.index
import whoosh.compat, whoosh.reading
loaded = sorted(m for m in {HEAVY!r} if m in sys.modules)
cached = isinstance(whoosh.reading.SegmentReader.__dict__["deleted_docs_set"],
                    functools.cached_property)
print(json.dumps([loaded, cached, whoosh.compat.urlretrieve.__module__]))
"""


def test_whoosh_starts_without_the_imports_it_never_uses():
    loaded, cached, retrieve_from = run(STARTED)
    assert loaded == []
    assert cached is True  # the standard library's, the same caching
    assert retrieve_from == "paperdeck.core.search.whoosh_start"


STAND_INS_GONE = """
import json, sys
from pathlib import Path
import paperdeck.core.search.index
import whoosh.compat
import urllib.request  # the real module, not the stand-in Whoosh was given
import cached_property
whoosh.compat.urlretrieve(Path(sys.argv[1]).as_uri(), sys.argv[2])  # imports the real one
print(json.dumps([
    urllib.request.Request.__name__,
    hasattr(cached_property, "threaded_cached_property"),
    Path(sys.argv[2]).read_text(),
]))
"""


def test_every_later_import_gets_the_real_packages(tmp_path: Path):
    source, copy = tmp_path / "a.txt", tmp_path / "b.txt"
    source.write_text("fetched")
    assert run(STAND_INS_GONE, str(source), str(copy)) == ["Request", True, "fetched"]


ALREADY_LOADED = """
import json, sys
import urllib.request, cached_property
import paperdeck.core.search.index
import whoosh.compat, whoosh.reading
print(json.dumps([
    whoosh.compat.urlretrieve is urllib.request.urlretrieve,
    whoosh.reading.cached_property is cached_property.cached_property,
]))
"""


def test_packages_already_imported_are_what_whoosh_gets():
    assert run(ALREADY_LOADED) == [True, True]


DELETIONS = """
import json
import paperdeck.core.search.index  # before Whoosh: its reader gets the stand-in
from whoosh.fields import ID, Schema
from whoosh.filedb.filestore import RamStorage
ix = RamStorage().create_index(Schema(id=ID(stored=True, unique=True)))
with ix.writer() as writer:
    for key in "abc":
        writer.add_document(id=key)
with ix.writer() as writer:
    writer.delete_by_term("id", "b")
with ix.reader() as reader:
    first = reader.deleted_docs_set
    print(json.dumps([sorted(first), reader.deleted_docs_set is first,
                      sorted(d["id"] for d in reader.all_stored_fields())]))
"""


def test_a_readers_deleted_documents_are_read_once_and_kept():
    assert run(DELETIONS) == [[1], True, ["a", "c"]]


ASKED_FOR_MORE = """
import json, sys
from paperdeck.core.search import whoosh_start
# A newer Whoosh importing more from urllib.request than the stand-in has: loaded for real.
empty = lambda: whoosh_start.types.ModuleType("urllib.request")  # no urlretrieve
whoosh_start.STAND_INS["whoosh.compat"] = ("urllib.request", empty)
import paperdeck.core.search.index
import whoosh.compat, urllib.request
print(json.dumps([whoosh.compat.urlretrieve is urllib.request.urlretrieve,
                  type(sys.modules["urllib.request"]).__name__]))
"""


def test_a_stand_in_missing_a_name_gives_way_to_the_real_package():
    assert run(ASKED_FOR_MORE) == [True, "module"]


COPIED = """
import copy, json, pickle
import paperdeck.core.search.index
import whoosh.reading
loader = whoosh.reading.__loader__
copy.copy(loader)
pickle.loads(pickle.dumps(whoosh.reading.__spec__))
print(json.dumps(type(loader).__name__))
"""


def test_the_loader_can_be_copied_and_pickled():
    assert run(COPIED) == "_WithStandIn"


MET_MIDWAY = """
import json, sys, threading, time, types
from paperdeck.core.search import whoosh_start
inside, go_on, got = threading.Event(), threading.Event(), {}

class Slow:  # a module whose run another thread's import meets half way
    def create_module(self, spec):
        return None
    def exec_module(self, module):
        from urllib.request import urlretrieve  # the stand-in's, for the module itself
        module.retrieve = urlretrieve
        inside.set()
        go_on.wait(5)

def feed_refresh():  # as `core.feeds.http` imports it, while the module runs
    inside.wait(5)
    from urllib.request import getproxies
    got["getproxies"] = getproxies.__module__

threads = [threading.Thread(target=feed_refresh),
           threading.Thread(target=lambda: (time.sleep(0.2), go_on.set()))]
for thread in threads:
    thread.start()
module = types.ModuleType("slow")
whoosh_start._WithStandIn(Slow(), "urllib.request", whoosh_start._url_stand_in).exec_module(module)
for thread in threads:
    thread.join()
print(json.dumps([module.retrieve.__module__, got.get("getproxies"),
                  type(sys.modules["urllib.request"].getproxies).__name__]))
"""


def test_another_thread_meeting_a_stand_in_gets_the_real_package():
    """A feed refreshed while the index opens imports `urllib.request` in another thread
    while `whoosh.compat` runs: it waits for the module, then gets the real package."""
    assert run(MET_MIDWAY) == ["paperdeck.core.search.whoosh_start", "urllib.request", "function"]
