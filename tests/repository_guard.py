"""Refuses, during the tests, every read of what stands beside the repository.

README's test command must pass in a clone of the repository alone, so a test that reads a
sibling of the clone (a folder that only the developers' machines have beside it) fails at
once, naming the path, instead of passing here and failing for a user.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

_READ_EVENTS = frozenset({"open", "os.listdir", "os.scandir"})
INSTALLED: SiblingGuard | None = None


class SiblingGuard:
    """Knows the siblings of a repository that existed when the tests started."""

    def __init__(self, repository: Path, machine_folders: Iterable[Path]) -> None:
        repository = repository.resolve()
        # A machine folder that holds the clone itself (/tmp for a clone in /tmp/x/clone) would
        # excuse every sibling: only the machine folders beside or inside the parent count.
        machine = [
            folder.resolve()
            for folder in machine_folders
            if not repository.is_relative_to(folder.resolve())
        ]

        def belongs_to_the_machine(sibling: Path) -> bool:
            # A virtualenv or the temp folder may sit beside the clone; so may pytest's own
            # temp root when the clone itself is in /tmp. Folders made during the run
            # (mkdtemp) did not exist yet, so they are never listed.
            return sibling.name.startswith("pytest-of-") or any(
                folder.is_relative_to(sibling) or sibling.is_relative_to(folder)
                for folder in machine
            )

        try:
            siblings = list(repository.parent.iterdir())
        except OSError:
            siblings = []
        self.forbidden = tuple(
            sibling.resolve()
            for sibling in siblings
            if sibling.resolve() != repository and not belongs_to_the_machine(sibling)
        )

    def refuses(self, path: object) -> Path | None:
        """The resolved path when it lies in a sibling of the repository, else None."""
        if not isinstance(path, str | bytes | os.PathLike):
            return None
        try:
            resolved = Path(os.fsdecode(path)).resolve()
        except (OSError, ValueError):
            return None
        if any(resolved.is_relative_to(sibling) for sibling in self.forbidden):
            return resolved
        return None

    def audit(self, event: str, args: tuple[object, ...]) -> None:
        if event in _READ_EVENTS and args:
            refused = self.refuses(args[0])
            if refused is not None:
                raise PermissionError(f"a test read outside the repository: {refused}")


def install(repository: Path) -> SiblingGuard:
    """Guard every read of this test process (audit hooks cannot be removed: install once)."""
    machine = [Path(tempfile.gettempdir()), Path(sys.prefix), Path(sys.base_prefix)]
    global INSTALLED
    INSTALLED = SiblingGuard(repository, machine)
    sys.addaudithook(INSTALLED.audit)
    return INSTALLED
