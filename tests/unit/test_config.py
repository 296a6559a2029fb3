"""The settings file: defaults, validation naming the key, and writing back only the theme."""

from __future__ import annotations

import os
import stat
import tomllib

import pytest

from tui.core import paths
from tui.core.errors import ExitCode, InvalidInput
from tui.core.settings.config import DEFAULT_REFRESH_INTERVAL, Config, save_theme


def _write(text: str):
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_no_file_means_defaults():
    assert not paths.config_file().exists()
    config = Config.load()
    assert config == Config()
    assert config.theme == "vch-dark" and config.refresh_interval == DEFAULT_REFRESH_INTERVAL == 2.0


def test_a_full_file_is_read():
    _write(
        'theme = "vch-light"\nrefresh_interval = 5\n[thresholds]\ncpu_ready_warn_above_pct = 5.0\n'
        'mem_swapped_crit_above_mb = 1\n[keymap]\n"vch.help" = "f1"\n'
    )
    config = Config.load()
    assert config.theme == "vch-light"
    assert config.refresh_interval == 5.0 and isinstance(config.refresh_interval, float)
    assert config.thresholds == {"cpu_ready_warn_above_pct": 5.0, "mem_swapped_crit_above_mb": 1}
    assert config.keymap == {"vch.help": "f1"}


def test_unknown_key_is_named_with_a_suggestion():
    path = _write('thme = "vch-light"\n')
    with pytest.raises(InvalidInput) as caught:
        Config.load()
    err = caught.value
    assert err.field == "thme" and str(path) in str(err) and "did you mean 'theme'" in str(err)
    assert err.exit_code == ExitCode.INVALID


@pytest.mark.parametrize(
    "line, key",
    [
        ("refresh_interval = 0", "refresh_interval"),
        ("refresh_interval = 0.1", "refresh_interval"),
        ("refresh_interval = 7200", "refresh_interval"),
        ('refresh_interval = "fast"', "refresh_interval"),
        ("refresh_interval = true", "refresh_interval"),
        ("theme = 3", "theme"),
        ('theme = "  "', "theme"),
        ("thresholds = 5", "thresholds"),
        ('keymap = "f1"', "keymap"),
        ('[keymap]\n"vch.help" = 1', "keymap"),
    ],
)
def test_bad_values_name_their_key(line, key):
    _write(line + "\n")
    with pytest.raises(InvalidInput) as caught:
        Config.load()
    assert caught.value.field == key


def test_invalid_toml_names_the_file_and_line():
    path = _write('theme = "vch-light\n')
    with pytest.raises(InvalidInput) as caught:
        Config.load()
    assert str(path) in str(caught.value) and "line 1" in str(caught.value)


def test_save_theme_creates_the_file():
    path = save_theme("vch-contrast")
    assert path == paths.config_file()
    assert tomllib.loads(path.read_text()) == {"theme": "vch-contrast"}
    assert Config.load().theme == "vch-contrast"


def test_save_theme_keeps_everything_else():
    _write(
        'theme = "vch-dark"\nrefresh_interval = 3.5\n[thresholds]\ncpu_ready_warn_above_pct = 5.0\n'
        '[keymap]\n"home.create" = "n"\n'
    )
    save_theme("vch-light")
    data = tomllib.loads(paths.config_file().read_text())
    assert data == {
        "theme": "vch-light",
        "refresh_interval": 3.5,
        "thresholds": {"cpu_ready_warn_above_pct": 5.0},
        "keymap": {"home.create": "n"},
    }


def test_save_theme_keeps_keys_it_does_not_know_either():
    _write('theme = "vch-dark"\nfuture_option = 1\n')
    save_theme("vch-light")
    assert tomllib.loads(paths.config_file().read_text()) == {"theme": "vch-light", "future_option": 1}


def test_save_theme_refuses_to_overwrite_a_file_it_cannot_parse():
    path = _write("this is = = not toml\n")
    with pytest.raises(InvalidInput):
        save_theme("vch-light")
    assert path.read_text() == "this is = = not toml\n"
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp file left behind


def test_explicit_path_wins(tmp_path):
    target = tmp_path / "elsewhere.toml"
    save_theme("vch-light", target)
    assert Config.load(target).theme == "vch-light"
    assert not paths.config_file().exists()


def test_a_bad_threshold_is_reported_when_the_config_loads(tmp_path):
    import pytest

    from tui.core.errors import InvalidInput
    from tui.core.settings.config import Config

    f = tmp_path / "config.toml"
    f.write_text("[thresholds]\ncpu_ready_warn_abov_pct = 4\n")
    with pytest.raises(InvalidInput) as err:
        Config.load(f)
    assert err.value.field == "thresholds.cpu_ready_warn_abov_pct"
    f.write_text("[thresholds]\ncpu_ready_warn_above_pct = 4\n")
    assert Config.load(f).thresholds == {"cpu_ready_warn_above_pct": 4}


def test_save_theme_writes_0600_in_a_0700_folder_whatever_the_umask():
    old = os.umask(0)
    try:
        path = save_theme("vch-light")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_save_theme_replaces_a_symlink_instead_of_writing_through_it(tmp_path):
    target = tmp_path / "someone-elses.toml"
    target.write_text('theme = "vch-dark"\n')
    paths.config_dir().mkdir(parents=True, mode=0o700)
    paths.config_file().symlink_to(target)
    save_theme("vch-light")
    assert target.read_text() == 'theme = "vch-dark"\n' and not paths.config_file().is_symlink()
