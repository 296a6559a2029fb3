"""The user's settings file (`paths.config_file()`, TOML). Unknown keys are errors, not silently ignored.

theme = "vch-dark"            # a theme name (themes/*.toml or <config dir>/themes/*.toml)
refresh_interval = 2.0        # seconds between dashboard refreshes
[thresholds]                  # passed on unchanged to the metrics core
[keymap]                      # binding id = "keys", e.g. "vch.help" = "f1"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.core import paths
from tui.core.errors import InvalidInput
from tui.core.settings.themes import DEFAULT_THEME
from tui.core.suggest import did_you_mean

DEFAULT_REFRESH_INTERVAL = 2.0
MIN_REFRESH_INTERVAL = 0.5
MAX_REFRESH_INTERVAL = 3600.0
KNOWN_KEYS = ("theme", "refresh_interval", "thresholds", "keymap")


@dataclass(frozen=True)
class Config:
    theme: str = DEFAULT_THEME
    refresh_interval: float = DEFAULT_REFRESH_INTERVAL
    thresholds: dict[str, Any] = field(default_factory=dict)
    keymap: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "config") -> "Config":
        for key in data:
            if key not in KNOWN_KEYS:
                raise InvalidInput(
                    f"{source}: unknown key {key!r}",
                    field=key,
                    hint=did_you_mean(key, KNOWN_KEYS) or "known keys: " + ", ".join(KNOWN_KEYS),
                )
        theme = data.get("theme", DEFAULT_THEME)
        if not isinstance(theme, str) or not theme.strip():
            raise InvalidInput(
                f"{source}: theme must be a theme name, got {theme!r}",
                field="theme",
                hint=f'e.g. theme = "{DEFAULT_THEME}"',
            )
        interval = data.get("refresh_interval", DEFAULT_REFRESH_INTERVAL)
        if (
            isinstance(interval, bool)
            or not isinstance(interval, int | float)
            or not (MIN_REFRESH_INTERVAL <= interval <= MAX_REFRESH_INTERVAL)
        ):
            raise InvalidInput(
                f"{source}: refresh_interval must be a number of seconds from {MIN_REFRESH_INTERVAL:g} "
                f"to {MAX_REFRESH_INTERVAL:g}, got {interval!r}",
                field="refresh_interval",
                hint=f"e.g. refresh_interval = {DEFAULT_REFRESH_INTERVAL:g}",
            )
        thresholds = data.get("thresholds", {})
        if not isinstance(thresholds, dict):
            raise InvalidInput(
                f"{source}: thresholds must be a table ([thresholds]), got {thresholds!r}", field="thresholds"
            )
        from tui.core.metrics.thresholds import Thresholds

        try:
            Thresholds.from_dict(thresholds)  # a bad threshold is reported when the file loads, not mid-watch
        except InvalidInput as err:
            raise InvalidInput(f"{source}: {err.message}", field=err.field, hint=err.hint) from None
        keymap = data.get("keymap", {})
        if not isinstance(keymap, dict) or not all(isinstance(keys, str) and keys.strip() for keys in keymap.values()):
            raise InvalidInput(
                f'{source}: keymap must be a table of binding id = "keys"',
                field="keymap",
                hint='e.g. [keymap] followed by "vch.help" = "f1"',
            )
        return cls(
            theme=theme.strip(),
            refresh_interval=float(interval),
            thresholds=dict(thresholds),
            keymap={str(k): v.strip() for k, v in keymap.items()},
        )

    @classmethod
    def load(cls, path: Path | None = None) -> "Config":
        """The settings file, or the defaults when there is none. Raises InvalidInput for a bad file."""
        path = path or paths.config_file()
        return cls.from_dict(_read_table(path), source=str(path))


def _read_table(path: Path) -> dict[str, Any]:
    try:
        text = paths.read_small_file(path)
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(
            f"cannot read the config file {path}: {getattr(exc, 'strerror', None) or exc}", field="config"
        ) from None
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError) as exc:  # deep nesting, a too-long integer
        reason = "nests too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise InvalidInput(
            f"the config file {path} is not valid TOML ({reason})",
            field="config",
            hint="fix the file or delete it to start from the defaults",
        ) from None


def save_theme(name: str, path: Path | None = None) -> Path:
    """Set `theme` in the settings file, keeping every other key. Refuses to touch a file it cannot parse.

    Comments in the file are not kept (tomli_w writes plain TOML).
    """
    import tomli_w

    path = path or paths.config_file()
    data = _read_table(path)
    data["theme"] = name
    paths.write_private_atomic(path, tomli_w.dumps(data).encode("utf-8"))  # 0600, never through a link
    return path
