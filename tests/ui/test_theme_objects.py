"""Checked theme files become Textual Theme objects; colours and variable names are checked on the way."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.settings.themes import APP_VARIABLES, ThemeFileError, parse_theme
from tui.ui.themes import FALLBACK_THEME, app_variable_defaults, load_themes, to_textual_theme


def _spec(text: str, name: str = "mine"):
    return parse_theme(text, Path(f"/themes/{name}.toml"))


def test_a_good_spec_becomes_a_theme():
    theme = to_textual_theme(_spec('primary = "#112233"\ndark = false\n[variables]\nfw-open = "red"\n'))
    assert theme.name == "mine" and theme.primary == "#112233" and theme.dark is False
    assert theme.variables == {"fw-open": "red"}


@pytest.mark.parametrize(
    "text, key",
    [
        ('primary = "#11223"\n', "primary"),
        ('primary = "#112233"\nsurface = "blurple"\n', "surface"),
        ('primary = "#112233"\n[variables]\nstate-warn = "amber-ish"\n', "variables.state-warn"),
    ],
)
def test_a_bad_colour_names_file_and_key(text, key):
    with pytest.raises(ThemeFileError) as caught:
        to_textual_theme(_spec(text))
    assert caught.value.field == key and "/themes/mine.toml" in str(caught.value)
    assert "is not a colour" in str(caught.value)


def test_an_unknown_textual_variable_gets_a_suggestion():
    with pytest.raises(ThemeFileError) as caught:
        to_textual_theme(_spec('primary = "#112233"\n[variables]\nfooter-key-foregrond = "#ffffff"\n'))
    assert "did you mean 'footer-key-foreground'" in str(caught.value)


def test_textual_variables_may_be_overridden():
    theme = to_textual_theme(_spec('primary = "#112233"\n[variables]\nblock-cursor-text-style = "none"\n'))
    assert theme.variables["block-cursor-text-style"] == "none"


def test_missing_app_variables_follow_the_theme_base_colours():
    theme = to_textual_theme(_spec('primary = "#112233"\nsuccess = "#00aa00"\nerror = "#cc0000"\n'))
    defaults = app_variable_defaults(theme)
    assert set(defaults) == set(APP_VARIABLES)
    base = theme.to_color_system().generate()
    assert defaults["state-ok"] == defaults["fw-closed"] == base["success"]
    assert defaults["state-crit"] == defaults["tls-no-tls"] == base["error"]
    assert base["success"].upper() == "#00AA00" and defaults["state-ok"] != defaults["state-crit"]


def test_no_usable_theme_file_still_gives_a_default(tmp_path):
    (tmp_path / "vch-dark.toml").write_text("primary = 1\n")
    loaded = load_themes([tmp_path])
    assert loaded.themes == {} and loaded.default is FALLBACK_THEME
    assert "vch-dark.toml" in str(loaded.problems[0])


def test_shipped_themes_all_convert():
    loaded = load_themes()
    assert {"vch-dark", "vch-light", "vch-contrast"} <= set(loaded.themes)
    assert loaded.default.name == "vch-dark"
