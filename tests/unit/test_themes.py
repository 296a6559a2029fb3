"""Theme files: the shipped ones are complete and readable; broken ones are reported precisely."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tui.core.settings.themes import (
    APP_VARIABLES,
    DEFAULT_THEME,
    ThemeFileError,
    load_theme_dirs,
    parse_theme,
    shipped_themes_dir,
    theme_dirs,
)

SHIPPED = ("vch-dark", "vch-light", "vch-contrast")


def _luminance(hex_colour: str) -> float:
    value = hex_colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio, 1 to 21."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture(scope="module")
def shipped():
    directory = shipped_themes_dir()
    assert directory is not None, "no themes directory found"
    return load_theme_dirs([directory])


def test_contrast_helper_knows_black_on_white():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#777777") == pytest.approx(1.0)


def test_three_shipped_themes_load_without_problems(shipped):
    assert shipped.problems == []
    assert set(SHIPPED) <= set(shipped.themes)
    assert DEFAULT_THEME == "vch-dark"


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_theme_sets_every_app_variable(shipped, name):
    assert set(APP_VARIABLES) <= set(shipped.themes[name].variables)


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_theme_file_documents_every_app_variable(shipped, name):
    comments = "\n".join(line for line in shipped.themes[name].source.read_text().splitlines() if line.startswith("#"))
    for variable in APP_VARIABLES:
        assert re.search(rf"^#\s+{re.escape(variable)}\s+\S", comments, re.M), variable


@pytest.mark.parametrize(("name", "minimum"), [("vch-dark", 4.5), ("vch-light", 4.5), ("vch-contrast", 7.0)])
def test_meaningful_colours_are_readable_on_background_and_surface(shipped, name, minimum):
    spec = shipped.themes[name]
    grounds = [spec.fields["background"], spec.fields["surface"]]
    for ground in grounds:
        assert contrast(spec.fields["foreground"], ground) >= 7.0
        for variable in APP_VARIABLES:
            ratio = contrast(spec.variables[variable], ground)
            assert ratio >= minimum, f"{name}: {variable} on {ground} has contrast {ratio:.1f}"


def test_light_theme_is_light_and_the_others_dark(shipped):
    assert shipped.themes["vch-light"].dark is False
    assert shipped.themes["vch-dark"].dark is True
    assert shipped.themes["vch-contrast"].dark is True


def test_states_and_extremes_are_told_apart(shipped):
    for name in SHIPPED:
        v = shipped.themes[name].variables
        assert len({v["state-ok"], v["state-warn"], v["state-crit"]}) == 3, name
        assert len({v["fw-closed"], v["fw-outbound"], v["fw-published"], v["fw-peers"], v["fw-open"]}) == 5, name
        assert len({v["tls-no-tls"], v["tls-no-tlsverify"], v["tls-tlsverify"], v["tls-custom"]}) == 4, name


def test_installed_package_themes_come_first(tmp_path):
    package = tmp_path / "site" / "tui"
    (package / "themes").mkdir(parents=True)
    (tmp_path / "site" / "themes").mkdir()
    assert shipped_themes_dir(package) == package / "themes"
    (package / "themes").rmdir()
    assert shipped_themes_dir(package) == tmp_path / "site" / "themes"
    (tmp_path / "site" / "themes").rmdir()
    assert shipped_themes_dir(package) is None


def test_user_themes_dir_follows_vch_tui_home(tmp_path, monkeypatch):
    monkeypatch.setenv("VCH_TUI_HOME", str(tmp_path))
    assert theme_dirs()[-1] == tmp_path / "config" / "themes"


GOOD = 'primary = "#112233"\n[variables]\nstate-ok = "#00ff00"\n'


def _problem(text: str, name: str = "mine") -> ThemeFileError:
    path = Path(f"/themes/{name}.toml")
    with pytest.raises(ThemeFileError) as caught:
        parse_theme(text, path)
    assert str(path) in str(caught.value)
    return caught.value


def test_a_good_file_parses_and_takes_its_name_from_the_file():
    spec = parse_theme(GOOD + "", Path("/themes/mine.toml"))
    assert spec.name == "mine" and spec.fields == {"primary": "#112233"}
    assert spec.variables == {"state-ok": "#00ff00"}


def test_invalid_toml_is_reported_with_its_line():
    err = _problem('primary = "#112233\n')
    assert "not valid TOML" in str(err) and "line 1" in str(err)


def test_unknown_key_suggests_the_close_one():
    err = _problem('primry = "#112233"\n')
    assert err.field == "primry" and "did you mean 'primary'" in str(err)


def test_missing_primary_is_named():
    err = _problem('background = "#000000"\n')
    assert err.field == "primary" and "required" in str(err)


@pytest.mark.parametrize(
    "line, key",
    [
        ("primary = 42", "primary"),
        ('primary = ""', "primary"),
        ('primary = "#111111"\ndark = "yes"', "dark"),
        ('primary = "#111111"\ntext_alpha = 3', "text_alpha"),
        ('primary = "#111111"\nluminosity_spread = true', "luminosity_spread"),
    ],
)
def test_wrong_types_name_the_key(line, key):
    assert _problem(line + "\n").field == key


def test_name_must_match_the_file():
    err = _problem('name = "other"\nprimary = "#111111"\n')
    assert err.field == "name" and "other.toml" in str(err)


def test_misspelt_app_variable_is_caught():
    err = _problem('primary = "#111111"\n[variables]\nfw-opne = "#ff0000"\n')
    assert "fw-opne" in str(err) and "did you mean 'fw-open'" in str(err)


def test_variables_must_be_a_table_of_strings():
    assert _problem('primary = "#111111"\nvariables = 3\n').field == "variables"
    assert "state-ok" in str(_problem('primary = "#111111"\n[variables]\nstate-ok = 1\n'))


def test_loading_a_directory_keeps_good_files_and_reports_bad_and_duplicate_ones(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    (first / "good.toml").write_text(GOOD)
    (first / "bad.toml").write_text("primary = \n")
    (second / "good.toml").write_text(GOOD)
    (second / "notes.txt").write_text("not a theme")
    result = load_theme_dirs([first, second, tmp_path / "missing"])
    assert list(result.themes) == ["good"] and result.themes["good"].source == first / "good.toml"
    messages = [str(p) for p in result.problems]
    assert len(messages) == 2
    assert any(str(first / "bad.toml") in m for m in messages)
    assert any(str(second / "good.toml") in m and "again" in m for m in messages)


def test_unreadable_file_is_a_problem_not_a_crash(tmp_path):
    (tmp_path / "bin.toml").write_bytes(b"\xff\xfe\x00")
    result = load_theme_dirs([tmp_path])
    assert not result.themes and "cannot be read" in str(result.problems[0])
