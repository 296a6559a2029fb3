"""vSphere faults while `create --dry-run` reads the target (plan time) end in a clear message and exit 1
(or 3 for a lost session), never a traceback: each read the plan makes after the login fails once in turn."""

from __future__ import annotations

import pytest

from tests.rig.provisioning import answers, cli, make_spec

pytestmark = pytest.mark.rig

# (method the plan calls, fault, exit code): a lost session is a connection failure (3), the rest failures (1)
FAULTS = [
    ("RetrievePropertiesEx", "SystemError", 1),
    ("RetrievePropertiesEx", "NoPermission", 1),
    ("RetrievePropertiesEx", "NotAuthenticated", 3),
    ("SearchDatastore_Task", "SystemError", 1),
]


@pytest.mark.parametrize("method,fault,code", FAULTS)
def test_a_fault_while_planning_is_a_clear_error(clean_faults, isos, tmp_path, method, fault, code):
    sim = clean_faults
    spec = make_spec("vch-plan-fault", isos, tmp_path / "certs", mode="tlsverify")
    path = answers(tmp_path, spec)
    sim.arm_fault(method, fault, message="injected at plan time", count=-1)
    out = cli(sim, "create", "--answers", str(path), "--dry-run")
    fired = sim.faults()
    sim.clear_faults()
    assert "Traceback" not in out.stderr, out.stderr
    assert fired["fired_total"] >= 1, fired  # the plan did make that call
    assert out.returncode == code, (out.returncode, out.stderr, fired)
    assert out.stderr.startswith("vch-tui: reading the target failed: "), out.stderr
    # a lost session is logged in again once (the re-login fails here too, with InvalidLogin)
    assert ("connection to vSphere was lost" if code == 3 else fault) in out.stderr, out.stderr
    assert "nothing was created" in out.stderr.lower()
