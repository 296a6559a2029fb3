"""create waits for a VCH as vic-machine does, on the appliance stand-in: the client address and every session's
`started` key in the VM's configuration, then Docker's /info with the port layer RUNNING. A configuration the
appliance cannot use times out with the state of every interface and component in the error (what the
progress screen and the CLI print) and in the log, and is rolled back completely."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.rig.provisioning import fingerprint, make_spec
from tui.core.secret import Secret
from tui.core.spec.ops_user import OpsCredentials
from tui.core.vch import events as ev
from tui.core.vch.build import build_plan
from tui.core.vch.plan import RunOptions
from tui.core.vch.runner import run_plan
from tui.core.vch.teardown import delete_vch, plan_delete
from tui.core.vch.validate_target import load_target_facts

pytestmark = pytest.mark.rig


def run(session, spec, options: RunOptions | None = None):
    events: list = []
    plan = build_plan(spec, load_target_facts(session), options or RunOptions())
    return run_plan(plan, session, on_event=events.append), events


def logs(events) -> list[str]:
    return [e.text for e in events if isinstance(e, ev.LogLine)]


def test_a_ready_vch_logs_each_component_and_the_port_layer(prov_sim, prov_session, isos, tmp_path):
    spec = make_spec("vch-ready", isos, tmp_path, static_ip=False)
    result, events = run(prov_session, spec)
    try:
        assert result.ok, result.error
        lines = logs(events)
        for name in ("docker-personality", "port-layer", "vicadmin"):
            assert f"component {name}: started successfully" in lines, lines
        assert any("(API 1.25) answers on" in line for line in lines)
        assert not any("port layer is" in line for line in lines)  # RUNNING at the first look
    finally:
        assert delete_vch(prov_session, plan_delete(prov_session, spec.name), force=True).ok


def test_wrong_operations_credentials_time_out_with_every_component_state(prov_sim, prov_session, isos, tmp_path):
    """connect/* names a user the simulator refuses: the port layer's session reports the login error, the docker
    personality waits for a port layer forever, so the Docker API never answers; the error and the log list
    every interface and component."""
    spec = replace(make_spec("vch-bad-ops", isos, tmp_path, static_ip=False), ops_user="nobody", timeout="4s")
    before = fingerprint(prov_session)
    ops = OpsCredentials("nobody", Secret("not-the-password"))
    result, events = run(prov_session, spec, RunOptions(ops=ops))
    assert not result.ok and result.failed_step == "probe", result.error
    appliance = prov_sim.appliance(spec.name)
    assert appliance is None or appliance["state"] in ("off", "stopping")  # rolled back: powered off
    error = result.error
    assert "did not answer with its port layer RUNNING within 4s (timeout)" in error, error
    assert "interface client: 127." in error and "interface public: 127." in error
    assert "component docker-personality: started successfully" in error
    assert "component vicadmin: started successfully" in error
    (port_layer,) = [line for line in error.splitlines() if "component port-layer:" in line]
    assert "started successfully" not in port_layer and "nobody" in port_layer, port_layer
    lines = logs(events)
    assert any(line.startswith("component port-layer did not launch successfully:") for line in lines), lines
    assert any(line.startswith("component port-layer: ") and "nobody" in line for line in lines)  # the report
    assert fingerprint(prov_session) == before


def test_no_address_times_out_with_every_interface_waiting(slow_boot, prov_session, isos, tmp_path):
    spec = replace(make_spec("vch-no-address", isos, tmp_path, static_ip=False), timeout="3s")
    before = fingerprint(prov_session)
    result, events = run(prov_session, spec)
    assert not result.ok and result.failed_step == "address", result.error
    error = result.error
    assert "the endpoint VM reported no client address within 3s (timeout)" in error, error
    for role in ("bridge", "client", "public"):
        assert f"interface {role}: waiting for IP" in error
    for name in ("docker-personality", "port-layer", "vicadmin"):
        assert f"component {name}: waiting to launch" in error
    assert "interface client: waiting for IP" in logs(events)
    assert fingerprint(prov_session) == before


def test_a_volume_store_the_port_layer_cannot_bring_online_is_named_and_the_vch_is_created(
    prov_sim, prov_session, isos, tmp_path
):
    """As vic-machine: an offline volume store (here NFS, which the simulator has no server for) is an error
    line naming it, and the create goes on once the port layer is RUNNING."""

    spec = replace(
        make_spec("vch-nfs-store", isos, tmp_path, static_ip=False),
        volume_store=("nfs://nfs.example.test/export:shared",),
    )
    before = fingerprint(prov_session)
    result, events = run(prov_session, spec)
    try:
        assert result.ok, result.error
        errors = [e.text for e in events if isinstance(e, ev.LogLine) and e.level == "error"]
        assert errors == [
            "volume store shared cannot be brought online: check the network, the NFS server and the "
            "volume_store setting"
        ], errors
        assert prov_sim.appliance(spec.name)["components"]["port-layer"]["state"] == "running"
    finally:
        assert delete_vch(prov_session, plan_delete(prov_session, spec.name), force=True).ok
    assert fingerprint(prov_session) == before


def test_headless_create_prints_every_state_on_a_timeout(slow_boot, prov_session, isos, tmp_path):
    from tests.rig.provisioning import answers, cli

    spec = replace(make_spec("vch-cli-no-address", isos, tmp_path, static_ip=False), timeout="3s")
    before = fingerprint(prov_session)
    out = cli(slow_boot, "create", "--answers", str(answers(tmp_path, spec)), "--yes", "--i-understand-no-tls")
    assert out.returncode == 1, out.stderr
    assert "NOT created: failed at 'address': the endpoint VM reported no client address within 3s" in out.stderr
    for line in ("interface client: waiting for IP", "component docker-personality: waiting to launch"):
        assert line in out.stderr, out.stderr
    assert fingerprint(prov_session) == before
