"""Whoosh's start without the two imports it never uses here: ~25 ms of every search command.

`whoosh.compat` imports `urllib.request` (for a download helper nothing in Whoosh calls),
which brings `http.client`, `ssl` and `email`; `whoosh.reading` imports the
`cached_property` package, which imports `asyncio` for coroutine properties Whoosh does not
have. Together they are a sixth of `paperdeck search`'s whole process at 10k papers.

`install()` puts a finder first on `sys.meta_path` that loads those two Whoosh modules as
usual, except that while each one's code runs, a light stand-in answers its import: a
`urlretrieve` that imports the real one when called, and the standard library's
`functools.cached_property` (the same caching, in the instance's `__dict__`). The stand-in is
taken out of `sys.modules` as soon as the module has run, so every other import, ours
included, gets the real package. Where Whoosh is already imported, nothing changes.

While those two modules run (a few milliseconds, once), another thread importing
`urllib.request` or `cached_property` for the first time gets the stand-in: a name it
lacks (`from urllib.request import getproxies`, as a feed refresh does) waits for the
module to have run and comes from the real package. (`import urllib.request` and then
`urllib.request.X` in that thread would still fail: nothing here imports it so.)
`functools.cached_property` on Python 3.11 holds a lock while it computes a value the
first time (Whoosh's only use: a reader's deleted documents, read from one small file);
the package's has none.
"""

from __future__ import annotations

import functools
import importlib
import sys
import threading
import types
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # importlib.abc imports importlib.resources: ~10 ms, the cost this saves
    from importlib.abc import Loader
    from importlib.machinery import ModuleSpec


def _urlretrieve(*args: Any, **kwargs: Any) -> Any:
    from urllib.request import urlretrieve

    return urlretrieve(*args, **kwargs)


def _url_stand_in() -> types.ModuleType:
    module = types.ModuleType("urllib.request")
    module.urlretrieve = _urlretrieve  # type: ignore[attr-defined]
    return module


def _cached_property_stand_in() -> types.ModuleType:
    module = types.ModuleType("cached_property")
    module.cached_property = functools.cached_property  # type: ignore[attr-defined]
    return module


# Whoosh module -> (the import to answer while it runs, the stand-in that answers it)
STAND_INS: dict[str, tuple[str, Callable[[], types.ModuleType]]] = {
    "whoosh.compat": ("urllib.request", _url_stand_in),
    "whoosh.reading": ("cached_property", _cached_property_stand_in),
}


def _after(ran: threading.Event, name: str) -> Callable[[str], Any]:
    """The stand-in's answer for a name it lacks. Asked by another thread that imported the
    package while the Whoosh module ran (a feed refreshed as the reader opens the index): the
    real package's, once that module has run. Asked by the Whoosh module itself: none, so
    its import fails and it runs again with the real package (`exec_module`)."""
    running = threading.get_ident()

    def attribute(attribute_name: str) -> Any:
        if attribute_name.startswith("__") or threading.get_ident() == running:
            raise AttributeError(attribute_name)
        ran.wait()
        return getattr(importlib.import_module(name), attribute_name)

    return attribute


class _WithStandIn:
    """Runs a module with a stand-in in `sys.modules`, then takes the stand-in out."""

    def __init__(self, loader: Loader, name: str, make: Callable[[], types.ModuleType]) -> None:
        self._loader = loader
        self._name = name
        self._make = make

    def create_module(self, spec: ModuleSpec) -> types.ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        if self._name in sys.modules:
            self._loader.exec_module(module)
            return
        ran = threading.Event()
        stand_in = sys.modules[self._name] = self._make()
        stand_in.__getattr__ = _after(ran, self._name)  # type: ignore[method-assign]
        try:
            self._loader.exec_module(module)
        except ImportError:  # a newer Whoosh asking the stand-in for more: the real thing
            self._take_out(stand_in)
            self._loader.exec_module(module)
        finally:
            self._take_out(stand_in)
            ran.set()

    def _take_out(self, stand_in: types.ModuleType) -> None:
        if sys.modules.get(self._name) is stand_in:
            del sys.modules[self._name]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == "_loader":  # copied or unpickled: not set yet
            raise AttributeError(name)
        return getattr(self._loader, name)  # get_source, get_filename: as the real loader


class _Finder:
    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: types.ModuleType | None = None,
    ) -> ModuleSpec | None:
        if fullname not in STAND_INS:
            return None
        from importlib.machinery import PathFinder  # (not at import: `star` loads this module)

        spec = PathFinder.find_spec(fullname, path, target)
        if spec is None or spec.loader is None:
            return None
        spec.loader = _WithStandIn(spec.loader, *STAND_INS[fullname])  # type: ignore[assignment]
        return spec


def install() -> None:
    """Once per process, before Whoosh is imported (or harmlessly after)."""
    if not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
