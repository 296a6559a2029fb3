"""Where vch-tui keeps its files. `VCH_TUI_HOME` moves all of them (tests, demos); otherwise platformdirs."""

from __future__ import annotations

import os
from pathlib import Path

APP = "vch-tui"


def _home() -> Path | None:
    value = os.environ.get("VCH_TUI_HOME")
    return Path(value) if value else None


def config_dir() -> Path:
    home = _home()
    if home:
        return home / "config"
    from platformdirs import user_config_path

    return user_config_path(APP)


def cache_dir() -> Path:
    home = _home()
    if home:
        return home / "cache"
    from platformdirs import user_cache_path

    return user_cache_path(APP)


def state_dir() -> Path:
    home = _home()
    if home:
        return home / "state"
    from platformdirs import user_state_path

    return user_state_path(APP)


def config_file() -> Path:
    override = os.environ.get("VCH_TUI_CONFIG")
    return Path(override) if override else config_dir() / "config.toml"


def known_hosts_file() -> Path:
    return config_dir() / "known_hosts"
