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
    """Create ``path`` (0700: notes can be private) and return it."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path
