"""`vch-tui create` with and without an operations user, as a user runs it against the simulator: vic-machine's
warning without one, --ops-user in the equivalent command with one, exit 2 naming the field when its password
is missing or stray, and the password in no output."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import pytest

from tests.rig.provisioning import cli_env, cli_target, fingerprint, make_spec
from tui.core.spec.answers import dump_answers
from tui.core.spec.ops_user import ADMIN_OPS_WARNING, OPS_PASSWORD_ENV

pytestmark = pytest.mark.rig

OPS = "vch-ops@vsphere.local"
OPS_PASSWORD = "0ps-Pa55 word"


def _dry_run(sim, tmp_path, spec, **env: str) -> subprocess.CompletedProcess:
    answers = tmp_path / f"{spec.name}.toml"
    answers.write_text(dump_answers(spec))
    out = subprocess.run(
        [sys.executable, "-m", "tui", "create", *cli_target(sim), "--answers", str(answers), "--dry-run"],
        capture_output=True,
        text=True,
        env={**cli_env(sim), **env},
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert sim.password.reveal() not in out.stdout + out.stderr
    assert OPS_PASSWORD not in out.stdout + out.stderr + answers.read_text()
    return out


def test_without_an_ops_user_the_plan_warns_as_vic_machine_does(prov_sim, isos, tmp_path):
    out = _dry_run(prov_sim, tmp_path, make_spec("vch-noops", isos, tmp_path / "certs", mode="no-tlsverify"))
    assert out.returncode == 0, out.stderr
    assert f"warning: ops_user: {ADMIN_OPS_WARNING}" in out.stdout
    assert "--ops-user " not in out.stdout.split("Equivalent vic-machine command:")[1]


def test_an_ops_user_with_its_password_goes_into_the_command_only_by_name(prov_sim, isos, tmp_path):
    spec = replace(make_spec("vch-ops", isos, tmp_path / "certs", mode="no-tlsverify"), ops_user=OPS)
    out = _dry_run(prov_sim, tmp_path, spec, **{OPS_PASSWORD_ENV: OPS_PASSWORD})
    assert out.returncode == 0, out.stderr
    assert f"--ops-user {OPS}" in out.stdout and ADMIN_OPS_WARNING not in out.stdout


@pytest.mark.parametrize(
    ("ops_user", "env", "field"),
    [
        (OPS, {}, "ops_password"),
        (None, {OPS_PASSWORD_ENV: OPS_PASSWORD}, "ops_user"),
    ],
)
def test_a_missing_or_stray_ops_password_exits_2_and_creates_nothing(
    prov_sim, prov_session, isos, tmp_path, ops_user, env, field
):
    spec = replace(make_spec("vch-badops", isos, tmp_path / "certs", mode="no-tlsverify"), ops_user=ops_user)
    before = fingerprint(prov_session)
    clean = {OPS_PASSWORD_ENV: ""} | env
    out = _dry_run(prov_sim, tmp_path, spec, **clean)
    assert out.returncode == 2, out.stderr
    assert field in out.stderr and OPS_PASSWORD_ENV in out.stderr
    assert fingerprint(prov_session) == before
    assert not (tmp_path / "certs").exists()
