"""`vch-tui export` bad input: exit 2 naming the option and the fix, before anything connects."""

import pytest

from tui.cli.commands.export import parse_duration
from tui.cli.main import main
from tui.core.errors import InvalidInput

TARGET = ["--target", "127.0.0.1:1", "--user", "u"]  # nothing listens there: input is checked first


def _run(capsys, *args: str) -> tuple[int, str]:
    code = main(["export", *TARGET, *args])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("text,seconds", [("20s", 20), ("1m", 60), ("500ms", 0.5), ("2", 2), ("1.5h", 3600 * 1.5)])
def test_durations(text, seconds):
    if seconds > 3600:
        with pytest.raises(InvalidInput):
            parse_duration(text)
    else:
        assert parse_duration(text) == seconds


def test_bad_interval(capsys):
    code, err = _run(capsys, "--interval", "soon")
    assert code == 2 and "--interval" in err and "20s" in err


def test_password_file_readable_by_others(capsys, tmp_path):
    path = tmp_path / "pw"
    path.write_text("secret-value\n")
    path.chmod(0o644)
    code, err = _run(capsys, "--web-user", "prom", "--web-password-file", str(path))
    assert code == 2 and "chmod 600" in err and "secret-value" not in err


def test_web_user_without_password(capsys, monkeypatch):
    monkeypatch.delenv("VCH_TUI_EXPORT_PASSWORD", raising=False)
    code, err = _run(capsys, "--web-user", "prom")
    assert code == 2 and "VCH_TUI_EXPORT_PASSWORD" in err


def test_password_file_without_user(capsys, tmp_path):
    code, err = _run(capsys, "--web-password-file", str(tmp_path / "pw"))
    assert code == 2 and "--web-user" in err


def test_tls_cert_without_key(capsys, tmp_path):
    code, err = _run(capsys, "--tls-cert", str(tmp_path / "c.pem"))
    assert code == 2 and "--tls-key" in err


def test_missing_tls_files(capsys, tmp_path):
    code, err = _run(capsys, "--tls-cert", str(tmp_path / "c.pem"), "--tls-key", str(tmp_path / "k.pem"))
    assert code == 2 and "not found" in err


def test_bad_listen(capsys):
    code, err = _run(capsys, "--listen", "somewhere:port")
    assert code == 2 and "--listen" in err


def test_print_rules_uses_the_config_thresholds(capsys, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text("[thresholds]\ncpu_ready_warn_above_pct = 7\n")
    monkeypatch.setenv("VCH_TUI_CONFIG", str(config))
    assert main(["export", "--print-rules"]) == 0
    out = capsys.readouterr().out
    assert "vch_container_cpu_ready_ratio > 0.07 unless" in out and "your config file" in out
