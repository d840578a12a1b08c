"""The data layer stands alone: importing it never pulls in Textual, nor Whoosh outside `search/`."""

import subprocess
import sys

CHECK = """
import importlib, pkgutil, sys
import paperdeck.core as core
for info in pkgutil.walk_packages(core.__path__, "paperdeck.core."):
    importlib.import_module(info.name)
print("textual" in sys.modules, "rich" in sys.modules)
"""

CHEAP = """
import sys
import paperdeck.core.store, paperdeck.core.importer, paperdeck.core.export
print(sorted(m for m in ("whoosh", "textual") if m in sys.modules))
"""


OUTSIDE_SEARCH = """
import importlib, pkgutil, sys
import paperdeck.core as core
# paperdeck.core.analysis only forwards old pickled class paths to search/ (see its docstring).
for info in pkgutil.walk_packages(core.__path__, "paperdeck.core."):
    if not info.name.startswith("paperdeck.core.search") and info.name != "paperdeck.core.analysis":
        importlib.import_module(info.name)
print(sorted(m for m in sys.modules if m.split(".")[0] == "whoosh"))
"""


def run(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.strip()


SOURCES_NAMED = """
import sys
from paperdeck.ui.widgets.sidebar import _source_label
print(_source_label("feed:cs.CL"), _source_label("/x/daily.txt"))
print(sorted(m for m in sys.modules if m.startswith("paperdeck.core.feeds.")))
"""


def test_the_sidebar_names_sources_without_the_feeds_settings():
    """Its first counts are painted on the UI thread: the feeds' settings cost ~20 ms there."""
    assert run(SOURCES_NAMED).splitlines() == [
        "feed: cs.CL daily.txt",
        "['paperdeck.core.feeds.source_names']",
    ]


def test_core_never_imports_textual():
    assert run(CHECK) == "False False"


def test_store_import_and_export_do_not_load_whoosh():
    assert run(CHEAP) == "[]"


def test_core_outside_search_never_imports_whoosh():
    assert run(OUTSIDE_SEARCH) == "[]"


def test_the_main_screens_helpers_name_only_protocols_of_it():
    """Each helper names the few members of the screen it uses (a protocol in its module),
    never `MainScreen` itself, even for type checking: its reach stays readable at its top."""
    import ast
    from pathlib import Path

    import paperdeck.ui.screens as screens

    folder = Path(screens.__path__[0])
    reaching = []
    for module in sorted(folder.glob("*.py")):
        if module.name == "main.py":
            continue
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                absolute = node.module == "paperdeck.ui.screens.main"
                relative = node.level == 1 and (
                    node.module == "main"
                    or (node.module is None and any(a.name == "main" for a in node.names))
                )
                if absolute or relative:
                    reaching.append(module.name)
            elif isinstance(node, ast.Import) and any(
                a.name == "paperdeck.ui.screens.main" for a in node.names
            ):
                reaching.append(module.name)
    assert len(list(folder.glob("*.py"))) > 10  # the folder read is the screens' own
    assert reaching == []
