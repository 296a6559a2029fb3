"""Turn checked theme files (tui.core.settings.themes) into Textual `Theme` objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from textual.color import Color, ColorParseError
from textual.theme import BUILTIN_THEMES, Theme

from tui.core.settings.themes import (
    APP_VARIABLES,
    COLOUR_FIELDS,
    DEFAULT_THEME,
    ThemeFileError,
    ThemeSpec,
    load_theme_dirs,
    theme_dirs,
)
from tui.core.suggest import did_you_mean

# When no theme file can be used at all (a broken install), the app still starts on this one.
FALLBACK_THEME = BUILTIN_THEMES["textual-dark"]

# Where a theme that does not set an app variable takes it from (a Textual base colour of the same theme).
_VARIABLE_BASES = {
    "state-ok": "success",
    "state-warn": "warning",
    "state-crit": "error",
    "fw-closed": "success",
    "fw-outbound": "primary",
    "fw-published": "accent",
    "fw-peers": "warning",
    "fw-open": "error",
    "tls-no-tls": "error",
    "tls-no-tlsverify": "warning",
    "tls-tlsverify": "success",
    "tls-custom": "primary",
}
assert set(_VARIABLE_BASES) == set(APP_VARIABLES)


def _textual_variable_names() -> frozenset[str]:
    return frozenset(FALLBACK_THEME.to_color_system().generate())


def _check_colour(path: Path, key: str, value: str) -> None:
    try:
        Color.parse(value)
    except ColorParseError:
        raise ThemeFileError(
            path,
            f"{value!r} is not a colour",
            key=key,
            hint='use "#rrggbb", "rgb(r, g, b)", "hsl(h, s%, l%)" or a colour name',
        ) from None


def to_textual_theme(spec: ThemeSpec) -> Theme:
    """Build the Theme; colours are parsed and variable names checked. Raises ThemeFileError."""
    for key in COLOUR_FIELDS:
        if key in spec.fields:
            _check_colour(spec.source, key, str(spec.fields[key]))
    textual_names = _textual_variable_names()
    for name, value in spec.variables.items():
        if name in APP_VARIABLES:
            _check_colour(spec.source, f"variables.{name}", value)
        elif name not in textual_names:
            raise ThemeFileError(
                spec.source,
                f"unknown variable {name!r}",
                key="variables",
                hint=did_you_mean(name, sorted(textual_names | set(APP_VARIABLES))),
            )
    # parse_theme checked each field's type against Theme's keyword (colour str, bool, float).
    return Theme(name=spec.name, variables=dict(spec.variables), **cast("dict[str, Any]", spec.fields))


def app_variable_defaults(theme: Theme) -> dict[str, str]:
    """App variables a theme leaves out follow that theme's own success/warning/error/... colours."""
    colours = theme.to_color_system().generate()
    return {name: colours[base] for name, base in _VARIABLE_BASES.items()}


@dataclass
class LoadedThemes:
    themes: dict[str, Theme] = field(default_factory=dict)
    problems: list[ThemeFileError] = field(default_factory=list)

    @property
    def default(self) -> Theme:
        return self.themes.get(DEFAULT_THEME, FALLBACK_THEME)


def load_themes(dirs: list[Path] | None = None) -> LoadedThemes:
    """All usable themes from the theme directories, plus one problem per file that is not usable."""
    checked = load_theme_dirs(theme_dirs() if dirs is None else dirs)
    loaded = LoadedThemes(problems=list(checked.problems))
    for name, spec in checked.themes.items():
        try:
            loaded.themes[name] = to_textual_theme(spec)
        except ThemeFileError as err:
            loaded.problems.append(err)
    return loaded
