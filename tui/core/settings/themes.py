"""Theme files: find them, parse the TOML and check its shape. No textual here.

A theme file is `<name>.toml` with the fields of `textual.theme.Theme` at the top level and a
`[variables]` table. Colours are checked for shape here; `tui.ui.themes` parses them with Textual's
own colour parser when it builds the `Theme` objects.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from tui.core import paths
from tui.core.errors import InvalidInput
from tui.core.suggest import did_you_mean

DEFAULT_THEME = "vch-dark"

# The app's own theme variables: every colour that carries a meaning. Each is a foreground colour
# that must stay readable on $background and $surface.
APP_VARIABLES: dict[str, str] = {
    "state-ok": "a healthy value (contention below the warning threshold)",
    "state-warn": "a value past the warning threshold",
    "state-crit": "a value past the critical threshold",
    "fw-closed": "container network firewall: closed (no traffic)",
    "fw-outbound": "container network firewall: outbound only",
    "fw-published": "container network firewall: published ports only",
    "fw-peers": "container network firewall: peers on the same network",
    "fw-open": "container network firewall: open to all",
    "tls-no-tls": "VCH API without TLS",
    "tls-no-tlsverify": "VCH API with TLS but no client verification",
    "tls-tlsverify": "VCH API with TLS and client-certificate verification",
    "tls-custom": "VCH API with user-supplied certificates",
}
APP_VARIABLE_PREFIXES = ("state-", "fw-", "tls-")

COLOUR_FIELDS = (
    "primary",
    "secondary",
    "accent",
    "warning",
    "error",
    "success",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
)
_FLOAT_FIELDS = ("luminosity_spread", "text_alpha")
_BOOL_FIELDS = ("dark", "ansi")
KNOWN_KEYS = ("name", *COLOUR_FIELDS, *_FLOAT_FIELDS, *_BOOL_FIELDS, "variables")


class ThemeFileError(InvalidInput):
    """A theme file that cannot be used. `str()` names the file, the key and what is wrong."""

    def __init__(self, path: Path, problem: str, *, key: str | None = None, hint: str | None = None) -> None:
        where = f"theme file {path}" + (f": key {key!r}" if key else "")
        super().__init__(f"{where}: {problem}", field=key, hint=hint)
        self.path = path


@dataclass(frozen=True)
class ThemeSpec:
    """A theme file that passed the shape checks; `fields` holds Theme keyword arguments."""

    name: str
    source: Path
    fields: dict[str, str | bool | float] = field(default_factory=dict)
    variables: dict[str, str] = field(default_factory=dict)

    @property
    def dark(self) -> bool:
        return bool(self.fields.get("dark", True))


@dataclass
class ThemeLoad:
    """What loading a set of theme directories gave: usable themes and the files that were not."""

    themes: dict[str, ThemeSpec] = field(default_factory=dict)
    problems: list[ThemeFileError] = field(default_factory=list)


def shipped_themes_dir(package: Path | None = None) -> Path | None:
    """The themes shipped with vch-tui: inside the installed package (the wheel force-includes them
    as tui/themes), else the source checkout's top-level themes/."""
    package = package or Path(__file__).resolve().parents[2]
    for candidate in (package / "themes", package.parent / "themes"):
        if candidate.is_dir():
            return candidate
    return None


def user_themes_dir() -> Path:
    return paths.config_dir() / "themes"


def theme_dirs() -> list[Path]:
    """Shipped themes first, then the user's own (which may add themes but not replace shipped ones)."""
    shipped = shipped_themes_dir()
    return [d for d in (shipped, user_themes_dir()) if d is not None]


def _check_variables(path: Path, table: object) -> dict[str, str]:
    if not isinstance(table, dict):
        raise ThemeFileError(path, 'must be a table of name = "value" lines', key="variables")
    variables: dict[str, str] = {}
    for name, value in table.items():
        if name.startswith(APP_VARIABLE_PREFIXES) and name not in APP_VARIABLES:
            raise ThemeFileError(
                path,
                f"unknown app variable {name!r}",
                key="variables",
                hint=did_you_mean(name, tuple(APP_VARIABLES)) or "app variables are: " + ", ".join(APP_VARIABLES),
            )
        if not isinstance(value, str) or not value.strip():
            raise ThemeFileError(path, f"variable {name!r} must be a non-empty string, got {value!r}", key="variables")
        variables[name] = value.strip()
    return variables


def parse_theme(text: str, path: Path) -> ThemeSpec:
    """Check one theme file's text. Raises ThemeFileError naming the file and the key."""
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError) as exc:  # deep nesting, a too-long integer
        raise ThemeFileError(
            path, "is not valid TOML (" + ("it nests too deeply" if isinstance(exc, RecursionError) else str(exc)) + ")"
        ) from None
    stem = path.stem
    name = data.get("name", stem)
    if name != stem:
        raise ThemeFileError(
            path,
            f"the name {name!r} differs from the file name",
            key="name",
            hint=f"rename the file to {name}.toml or set name = {stem!r}",
        )
    for key in data:
        if key not in KNOWN_KEYS:
            raise ThemeFileError(
                path,
                "unknown key",
                key=key,
                hint=did_you_mean(key, KNOWN_KEYS) or "known keys: " + ", ".join(KNOWN_KEYS),
            )
    if "primary" not in data:
        raise ThemeFileError(path, "is required", key="primary", hint='e.g. primary = "#4ea1ff"')
    fields: dict[str, str | bool | float] = {}
    for key in COLOUR_FIELDS:
        if key in data:
            value = data[key]
            if not isinstance(value, str) or not value.strip():
                raise ThemeFileError(path, f'must be a colour string such as "#4ea1ff", got {value!r}', key=key)
            fields[key] = value.strip()
    for key in _BOOL_FIELDS:
        if key in data:
            if not isinstance(data[key], bool):
                raise ThemeFileError(path, f"must be true or false, got {data[key]!r}", key=key)
            fields[key] = data[key]
    for key in _FLOAT_FIELDS:
        if key in data:
            value = data[key]
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
                raise ThemeFileError(path, f"must be a number from 0 to 1, got {value!r}", key=key)
            fields[key] = float(value)
    variables = _check_variables(path, data.get("variables", {}))
    return ThemeSpec(name=name, source=path, fields=fields, variables=variables)


def load_theme_file(path: Path) -> ThemeSpec:
    try:
        text = paths.read_small_file(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise ThemeFileError(path, f"cannot be read ({getattr(exc, 'strerror', None) or exc})") from None
    return parse_theme(text, path)


def load_theme_dirs(dirs: list[Path]) -> ThemeLoad:
    """Every `*.toml` in the given directories, in order; a name seen before is reported, not replaced."""
    result = ThemeLoad()
    for directory in dirs:
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.toml")):
            try:
                spec = load_theme_file(path)
            except ThemeFileError as err:
                result.problems.append(err)
                continue
            if spec.name in result.themes:
                first = result.themes[spec.name].source
                result.problems.append(
                    ThemeFileError(
                        path,
                        f"defines theme {spec.name!r} again (first in {first})",
                        key="name",
                        hint="give the theme another name",
                    )
                )
                continue
            result.themes[spec.name] = spec
    return result
