"""The reader's settings in config.toml: the theme and key remaps.

The file may hold settings of other parts of paperdeck, so saving keeps every value it can
write back (strings, numbers, booleans and tables of them). A broken file never stops the
reader: it starts with defaults and says what was wrong.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from paperdeck.core.atomic import write_atomic
from paperdeck.core.paths import config_file
from paperdeck.ui.commands import unknown_ids


@dataclass(slots=True)
class ReaderConfig:
    """What the reader reads from config.toml; ``problems`` are worth one notification each."""

    path: Path
    theme: str | None = None
    keys: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def load_config(path: Path | None = None) -> ReaderConfig:
    """Read the theme and ``[keys]`` remaps; a missing or broken file gives the defaults."""
    path = path or config_file()
    config = ReaderConfig(path)
    data = _read(path, config.problems)
    theme = data.get("theme")
    if isinstance(theme, str) and theme:
        config.theme = theme
    keys = data.get("keys", {})
    if not isinstance(keys, dict):
        config.problems.append(f"{path}: [keys] must be a table")
        return config
    for name, value in keys.items():
        if isinstance(value, str) and value.strip():
            config.keys[name] = value.strip()
        else:
            config.problems.append(f"{path}: keys.{name} must be a key name in quotes")
    for name in unknown_ids(config.keys):
        config.problems.append(f"{path}: keys.{name} names no command (see paperdeck keys)")
        del config.keys[name]
    return config


def save_theme(path: Path, theme: str) -> None:
    """Remember the theme, keeping the rest of the file."""
    data = _read(path, [])
    data["theme"] = theme
    write_config(path, data)


def write_config(path: Path, data: dict[str, Any]) -> None:
    """Write simple TOML atomically, so a crash never leaves half a config file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, to_toml(data))


def to_toml(data: dict[str, Any]) -> str:
    """Top-level scalars first, then one ``[table]`` per dict; other values are dropped."""
    lines = [f"{_key(k)} = {_value(v)}" for k, v in data.items() if _is_scalar(v)]
    for name, table in data.items():
        if isinstance(table, dict):
            lines += ["", f"[{_key(name)}]"]
            lines += [f"{_key(k)} = {_value(v)}" for k, v in table.items() if _is_scalar(v)]
    return "\n".join(lines).lstrip("\n") + "\n"


def _read(path: Path, problems: list[str]) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problems.append(f"{path}: {exc}; using defaults")
        return {}


def _is_scalar(value: object) -> bool:
    return isinstance(value, str | int | float | bool)


def _key(name: str) -> str:
    bare = name and all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in name)
    return name if bare else _string(name)


def _value(value: str | int | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return _string(value)


def _string(text: str) -> str:
    out = []
    for ch in text:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'
