"""The operations user: answers key, vic-machine flag, local rules, vic-machine's warning without it, and the
password only from VIC_MACHINE_OPS_PASSWORD or --ops-password-file (never the spec, the file or the command)."""

from __future__ import annotations

import argparse

import pytest

from tests.unit.vic.vic_captures import DATA
from tui.cli.commands.create import configure, ops_credentials
from tui.core.errors import InvalidInput
from tui.core.spec.answers import dump_answers, loads_answers
from tui.core.spec.model import VchSpec
from tui.core.spec.ops_user import ADMIN_OPS_WARNING, OPS_PASSWORD_ENV, ops_user_warning
from tui.core.spec.validate_local import validate_local
from tui.core.spec.vicmachine import parse_vic_machine_command, to_vic_machine_command

OPS = "vch-ops@vsphere.local"


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    configure(parser)
    return parser.parse_args(["--answers", "a.toml", *argv])


def test_the_warning_is_vic_machines_own_words():
    # every vic-machine 1.5.8 create capture prints it on its second line
    stdout = (DATA / "G1" / "stdout.txt").read_text().splitlines()[1]
    assert ADMIN_OPS_WARNING in stdout
    problem = ops_user_warning(None)
    assert problem is not None and not problem.is_error and problem.field == "ops_user"
    assert ops_user_warning(OPS) is None


def test_answers_file_and_command_carry_the_user_only():
    spec = loads_answers(f'name = "vch-1"\nops_user = "{OPS}"\n')
    assert spec.ops_user == OPS
    assert f'ops_user = "{OPS}"' in dump_answers(spec)
    command = to_vic_machine_command(spec)
    assert f"--ops-user {OPS}" in command
    assert "ops-password" not in command
    assert parse_vic_machine_command(command).ops_user == OPS
    assert "--ops-user" not in to_vic_machine_command(VchSpec(name="vch-1"))


def test_a_blank_user_is_the_login():
    assert VchSpec(ops_user="").ops_user is None


@pytest.mark.parametrize("bad", ["vch ops", "ops\tuser", "ops\x00", " ops"])
def test_a_bad_user_name_names_the_field(bad):
    problems = [p for p in validate_local(VchSpec(ops_user=bad)) if p.field == "ops_user"]
    assert problems and problems[0].is_error and problems[0].hint


def test_ops_password_from_the_environment(monkeypatch):
    monkeypatch.setenv(OPS_PASSWORD_ENV, "ops s3cret")
    creds = ops_credentials(parse(), OPS)
    assert creds is not None and creds.user == OPS and creds.password.reveal() == "ops s3cret"
    assert "ops s3cret" not in repr(creds)


def test_ops_password_file_wins_over_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(OPS_PASSWORD_ENV, "from env")
    path = tmp_path / "ops"
    path.write_text("from file\n")
    creds = ops_credentials(parse("--ops-password-file", str(path)), OPS)
    assert creds is not None and creds.password.reveal() == "from file"


def test_no_ops_user_means_the_login(monkeypatch):
    monkeypatch.delenv(OPS_PASSWORD_ENV, raising=False)
    assert ops_credentials(parse(), None) is None


def test_an_ops_user_without_a_password_is_refused(monkeypatch):
    monkeypatch.delenv(OPS_PASSWORD_ENV, raising=False)
    with pytest.raises(InvalidInput) as err:
        ops_credentials(parse(), OPS)
    assert err.value.field == "ops_password" and OPS_PASSWORD_ENV in (err.value.hint or "")


def test_a_password_without_an_ops_user_is_refused(monkeypatch):
    monkeypatch.setenv(OPS_PASSWORD_ENV, "stray")
    with pytest.raises(InvalidInput) as err:
        ops_credentials(parse(), None)
    assert err.value.field == "ops_user"


def test_a_bad_ops_password_file_names_its_flag(tmp_path, monkeypatch):
    monkeypatch.delenv(OPS_PASSWORD_ENV, raising=False)
    with pytest.raises(InvalidInput) as err:
        ops_credentials(parse("--ops-password-file", str(tmp_path / "missing")), OPS)
    assert err.value.field == "--ops-password-file"
