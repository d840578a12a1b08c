"""The reader's settings in config.toml: the theme and key remaps.

The file may hold settings of other parts of paperdeck, so saving keeps every value it can
write back (strings, numbers, booleans and tables of them). A broken file never stops the
reader: it starts with defaults and says what was wrong.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from paperdeck.core.atomic import write_atomic
from paperdeck.core.config_file import not_a_file, read_config
from paperdeck.core.paths import config_file, make_private_dir
from paperdeck.ui.keys import key_conflicts, unknown_ids


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
    data = read_config(path, config.problems)
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
    for problem in key_conflicts(config.keys):
        config.problems.append(f"{path}: {problem}")
    return config


def save_theme(path: Path, theme: str) -> None:
    """Change only the top-level ``theme`` line, atomically.

    Comments, lists and tables the reader does not know survive. A file that does not
    parse is left alone (ValueError): rewriting it would throw away the user's key remaps.
    So is anything but a regular file (a FIFO would block the read, a device is no config).
    """
    if not_a_file(path):
        raise ValueError(f"{path} is not a regular file; the theme was not saved")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    try:
        before = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path} does not parse ({exc}); the theme was not saved") from None
    lines = text.splitlines()
    first_table = next(
        (i for i, line in enumerate(lines) if line.lstrip().startswith("[")), len(lines)
    )
    setting = f"theme = {_string(theme)}"
    for i in range(first_table):
        if re.match(r"\s*theme\s*=", lines[i]):
            lines[i] = setting
            break
    else:
        lines.insert(0, setting)
    updated = "\n".join(lines) + "\n"
    if tomllib.loads(updated) != {**before, "theme": theme}:
        raise ValueError(f"{path}: could not change the theme line safely; not saved")
    make_private_dir(path.parent)
    write_atomic(path, updated)


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
