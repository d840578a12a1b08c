"""Where the library and the configuration live."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "paperdeck"
HOME_VARIABLE = "PAPERDECK_HOME"
CONFIG_VARIABLE = "PAPERDECK_CONFIG"


def library_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The library folder: ``--library`` wins, then $PAPERDECK_HOME, then the user data dir."""
    if override:
        return Path(override).expanduser()
    if env := os.environ.get(HOME_VARIABLE):
        return Path(env).expanduser()
    import platformdirs  # 5 ms: only when no folder was named

    return Path(platformdirs.user_data_dir(APP_NAME))


def config_file() -> Path:
    """config.toml: $PAPERDECK_CONFIG names the file itself, else the user config dir."""
    if env := os.environ.get(CONFIG_VARIABLE):
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def make_private_dir(path: Path) -> Path:
    """Create ``path`` and any missing parents 0700 (notes can be private), whatever the
    umask, and return it. A folder that already exists keeps its mode: a user who made a
    library read-only, or shares a parent folder, decided so."""
    missing: list[Path] = []
    folder = path
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:  # another process made it meanwhile: theirs, left alone
            continue
        os.chmod(folder, 0o700)  # mkdir's mode passes through the umask
    return path
