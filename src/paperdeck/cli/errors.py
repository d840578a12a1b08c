"""The two ways a command fails on purpose: a one-line error (exit 1) or a usage error (exit 2)."""

from __future__ import annotations


class CommandError(Exception):
    """Something the user can fix, told in one line: ``paperdeck: <message>``, exit 1."""


class UsageError(Exception):
    """Options that do not go together; reported with the command's usage line, exit 2."""
