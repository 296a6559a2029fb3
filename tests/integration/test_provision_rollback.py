"""Rollback: a fault injected at every step in turn (the rig's fault injection), a cancel at every step, a
cancel in the middle of an upload and of the address wait: each time the inventory afterwards equals the
inventory before (every folder, pool, VM and datastore file), nothing is left on disk, and the result says
what was removed. When a cleanup call fails too, the result says exactly what is left, and `delete` removes it.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.rig.provisioning import (
    cli_env,
    cli_target,
    fingerprint,
    free_port,
    make_spec,
    plan_and_run,
    put_foreign_file,
    remove_foreign_file,
)
from tui.core.cancel import CancelToken
from tui.core.vch import events as ev
from tui.core.vch.teardown import delete_vch, plan_delete

pytestmark = pytest.mark.rig

ALL_STEPS = ["validate", "tls", "folder", "pool", "vm", "upload", "configure", "power", "address", "probe", "finish"]
# what a failure at each step has created before it and so must be removed again (newest first); "local" is
# the .env file (and the folder it made for it)
CREATED_BEFORE = {
    "validate": [],
    "tls": [],
    "folder": [],
    "pool": ["folder"],
    "vm": ["pool", "folder"],
    "upload": ["vm", "pool", "folder"],
    "configure": ["uploads", "vm", "pool", "folder"],
    "power": ["protect", "uploads", "vm", "pool", "folder"],
    "address": ["power", "protect", "uploads", "vm", "pool", "folder"],
    "probe": ["power", "protect", "uploads", "vm", "pool", "folder"],
    "finish": ["local", "power", "protect", "uploads", "vm", "pool", "folder"],
}


def removed_kinds(removed: list[str]) -> list[str]:
    kinds = []
    for item in removed:
        kind = (
            "local"
            if item.startswith("local ")
            else "power"
            if item.startswith("powered off")
            else "uploads"
            if item.startswith("uploaded file")
            else "vm"
            if item.startswith("endpoint VM")
            else "pool"
            if item.startswith("resource pool")
            else "folder"
            if item.startswith("VM folder")
            else "dsfolder"
            if item.startswith("datastore folder")
            else "protect"
            if item.startswith("re-enabled Destroy_Task")
            else item
        )
        if kind not in kinds:
            kinds.append(kind)
    return [k for k in kinds if k != "dsfolder"]  # vSphere may remove the VM's folder with the VM


def run(session, spec, port: int | None = None, *, cancel=None, hook=None, sim=None):
    """Run the plan (tests.rig.provisioning.plan_and_run) and give back (result, events)."""
    _plan, result, events = plan_and_run(session, spec, port, cancel=cancel, hook=hook)
    return result, events


def assert_nothing_left(session, before, spec) -> None:
    assert fingerprint(session) == before
    cert_dir = Path(spec.effective_tls_cert_path())
    assert not (cert_dir / f"{spec.name}.env").exists()


# step → (SOAP method or "PUT /folder", arm options)
FAULTS = {
    "validate": ("SearchDatastore_Task", {}),
    "folder": ("CreateFolder", {}),
    "pool": ("CreateResourcePool", {}),
    "vm": ("CreateVM_Task", {"stage": "task"}),
    "upload": ("PUT /folder", {}),
    "configure": ("ReconfigVM_Task", {"stage": "task"}),
    "power": ("PowerOnVM_Task", {"stage": "task"}),
    "address": ("WaitForUpdatesEx", {}),
}


@pytest.mark.parametrize("step", list(FAULTS) + ["vm-call", "probe"])
def test_a_fault_at_each_step_is_rolled_back_completely(
    clean_faults, prov_session, plain_dockerd, isos, tmp_path, step
):
    sim = clean_faults
    spec = make_spec(f"vch-fault-{step}", isos, tmp_path, static_ip=False)
    port = None
    if step == "vm-call":
        sim.arm_fault("CreateVM_Task", message="injected: no room for the VM")
    elif step == "probe":
        from dataclasses import replace

        spec = replace(spec, timeout="3s")
        port = free_port()  # nothing listens: the Docker API never answers
    else:
        method, options = FAULTS[step]
        sim.arm_fault(method, message=f"injected in {step}", **options)
    before = fingerprint(prov_session)
    result, events = run(prov_session, spec, port, sim=sim)
    key = "vm" if step == "vm-call" else step
    assert not result.ok and not result.cancelled
    assert result.failed_step == key, result.error
    assert ("injected" if step != "probe" else "did not answer") in result.error, result.error
    assert removed_kinds(result.removed) == CREATED_BEFORE[key]
    assert result.left == []
    assert_nothing_left(prov_session, before, spec)
    rolled = {e.key for e in events if isinstance(e, ev.StepChanged) and e.state == ev.ROLLED_BACK}
    assert {"folder", "pool"} & rolled == ({"folder", "pool"} & set(CREATED_BEFORE[key]))


@pytest.mark.parametrize("step", ALL_STEPS)
def test_cancel_at_each_step_is_rolled_back_completely(prov_sim, prov_session, plain_dockerd, isos, tmp_path, step):
    spec = make_spec(f"vch-cancel-{step}", isos, tmp_path, static_ip=False)
    token = CancelToken()

    def cancel_when_running(event) -> None:
        if isinstance(event, ev.StepChanged) and event.key == step and event.state == ev.RUNNING:
            token.cancel()

    before = fingerprint(prov_session)
    result, events = run(prov_session, spec, cancel=token, hook=cancel_when_running, sim=prov_sim)
    assert result.cancelled and not result.ok and result.failed_step == step
    # cancelled as it started: the step itself made nothing (the finish step writes the .env file)
    assert removed_kinds(result.removed) == [k for k in CREATED_BEFORE[step] if not (step == "finish" and k == "local")]
    assert result.left == []
    assert_nothing_left(prov_session, before, spec)
    later = ALL_STEPS[ALL_STEPS.index(step) + 1 :]
    assert not [e for e in events if isinstance(e, ev.StepChanged) and e.key in later]  # nothing after it ran


def test_cancel_in_the_middle_of_an_upload_removes_the_partial_file(prov_session, plain_dockerd, isos, tmp_path):
    spec = make_spec("vch-cancel-mid-upload", isos, tmp_path)
    token = CancelToken()

    def cancel_after_first_chunk(event) -> None:
        if isinstance(event, ev.BytesSent) and 0 < event.done < event.total:
            token.cancel()

    before = fingerprint(prov_session)
    result, events = run(prov_session, spec, cancel=token, hook=cancel_after_first_chunk)
    sent = [e for e in events if isinstance(e, ev.BytesSent)]
    assert result.cancelled and result.failed_step == "upload"
    assert sent[-1].done < sent[-1].total and not any(e.label == "bootstrap.iso" for e in sent)
    assert_nothing_left(prov_session, before, spec)


def test_cancel_while_waiting_for_the_address_is_prompt(slow_boot, prov_session, isos, tmp_path):
    """The appliance stand-in boots slowly (slow_boot), so the run waits for the client address; a cancel
    1.5 s into that wait ends the run within a second (WaitForUpdatesEx is polled a second at a time)."""
    import threading

    spec = make_spec("vch-cancel-wait", isos, tmp_path, static_ip=False)
    token = CancelToken()
    asked: list[float] = []

    def cancel_soon(event) -> None:
        if isinstance(event, ev.StepChanged) and event.key == "address" and event.state == ev.RUNNING:

            def cancel() -> None:
                asked.append(time.monotonic())
                token.cancel()

            threading.Timer(1.5, cancel).start()

    before = fingerprint(prov_session)
    result, events = run(prov_session, spec, cancel=token, hook=cancel_soon)
    failed_at = next(e for e in events if isinstance(e, ev.StepChanged) and e.state == ev.FAILED)
    assert result.cancelled and result.failed_step == "address"
    assert failed_at.at - asked[0] < 1.5  # the wait polls WaitForUpdatesEx at most a second at a time
    assert_nothing_left(prov_session, before, spec)


def test_a_failed_cleanup_says_what_is_left_and_delete_removes_it(
    clean_faults, prov_session, plain_dockerd, isos, tmp_path
):
    sim = clean_faults
    spec = make_spec("vch-stuck", isos, tmp_path)
    before = fingerprint(prov_session)
    sim.arm_fault("PowerOnVM_Task", stage="task", message="injected: host is in maintenance")
    sim.arm_fault("Destroy_Task", count=-1, message="injected: the VM is locked")
    result, _ = run(prov_session, spec)
    sim.clear_faults()
    assert not result.ok and result.failed_step == "power"
    assert "endpoint VM vch-stuck" in result.left
    assert any(item.startswith("resource pool") for item in result.left)
    assert any(item.startswith("VM folder") for item in result.left)
    assert any(item.startswith("uploaded file") for item in result.removed)  # the rest was still cleaned up
    assert fingerprint(prov_session) != before

    outcome = delete_vch(prov_session, plan_delete(prov_session, "vch-stuck"))
    assert outcome.ok, outcome.left
    assert fingerprint(prov_session) == before


def test_rollback_removes_the_certificates_this_run_generated(
    clean_faults, prov_session, plain_dockerd, isos, tmp_path
):
    sim = clean_faults
    spec = make_spec("vch-certs-rolled", isos, tmp_path / "deep" / "certs", mode="tlsverify")
    cert_dir = Path(spec.effective_tls_cert_path())
    sim.arm_fault("CreateVM_Task", stage="task", message="injected: datastore full")
    before = fingerprint(prov_session)
    result, events = run(prov_session, spec)
    assert result.failed_step == "vm" and result.left == []
    assert f"local file {cert_dir.resolve() / 'ca-key.pem'}" in result.removed
    assert not (tmp_path / "deep").exists()  # the folders it made to hold them are gone too
    assert fingerprint(prov_session) == before


def test_rollback_keeps_a_certificate_folder_the_user_already_had(
    clean_faults, prov_session, plain_dockerd, isos, tmp_path
):
    """A second create reusing the first one's certificates: the rollback leaves that folder as it was."""
    sim = clean_faults
    spec = make_spec("vch-certs-kept", isos, tmp_path, mode="tlsverify")
    cert_dir = Path(spec.effective_tls_cert_path())
    from tui.core.tls.material import plan_material, write_material
    from tui.core.tls.modes import settings_from_spec

    write_material(plan_material(settings_from_spec(spec)))  # made earlier, e.g. by a create that was deleted
    files = {p.name: p.read_bytes() for p in cert_dir.iterdir()}
    sim.arm_fault("PowerOnVM_Task", stage="task", message="injected: no host can run it")
    result, _ = run(prov_session, spec)
    assert result.failed_step == "power" and result.left == []
    assert not [item for item in result.removed if item.startswith("local")]
    assert {p.name: p.read_bytes() for p in cert_dir.iterdir()} == files


def test_a_pool_and_folder_left_without_their_vm_are_listed_and_deleted(
    clean_faults, prov_session, plain_dockerd, isos, tmp_path
):
    """The endpoint VM is gone but removing the pool and folder fails: only the local journal proves they are
    this tool's. `ls` lists them, `delete NAME` removes them (they are empty), and the journal goes away."""
    import json
    import subprocess
    import sys

    from tui.core.vch.journal import Journal

    sim = clean_faults
    spec = make_spec("vch-orphans", isos, tmp_path)

    def break_the_rest_of_the_cleanup(event) -> None:
        if isinstance(event, ev.StepChanged) and event.key == "vm" and event.state == ev.ROLLED_BACK:
            sim.arm_fault("Destroy_Task", count=2, message="injected: vCenter is busy")

    before = fingerprint(prov_session)
    sim.arm_fault("PowerOnVM_Task", stage="task", message="injected: no host")
    result, _ = run(prov_session, spec, hook=break_the_rest_of_the_cleanup)
    assert "endpoint VM vch-orphans" in result.removed
    assert result.left == ["resource pool Cluster/Resources/vch-orphans", "VM folder Datacenter/vm/vch-orphans"]
    assert Journal.for_session(prov_session, "vch-orphans").entries

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "tui", args[0], *cli_target(sim), *args[1:]],
            capture_output=True,
            text=True,
            env=cli_env(sim),
            stdin=subprocess.DEVNULL,
            timeout=60,
        )

    listed = [v for v in json.loads(cli("ls", "--json").stdout) if v["name"] == "vch-orphans"]
    assert listed == [
        {
            "name": "vch-orphans",
            "path": "Cluster/Resources/vch-orphans",
            "endpoint_vm": "-",
            "power": "-",
            "docker_host": None,
            "state": "incomplete",
            "id": "journal:vch-orphans",
            "version": "",
            "upgrade_status": "",
        }
    ]
    out = cli("delete", "vch-orphans")
    assert out.returncode == 0, out.stderr
    assert fingerprint(prov_session) == before
    assert not Journal.for_session(prov_session, "vch-orphans").entries


def test_rollback_keeps_another_process_file_in_the_vch_datastore_folder(
    clean_faults, prov_session, plain_dockerd, isos, tmp_path
):
    """A file someone put into the new VM's folder during the run survives the rollback; the folder stays and
    the result says so; everything this run made is gone."""
    sim = clean_faults
    spec = make_spec("vch-shared-rollback", isos, tmp_path)
    theirs: list[str] = []

    def put_a_file(event) -> None:
        if isinstance(event, ev.StepChanged) and event.key == "upload" and event.state == ev.RUNNING:
            theirs.append(put_foreign_file(prov_session, tmp_path, f"{spec.name}/theirs.txt"))

    before = fingerprint(prov_session)
    sim.arm_fault("PowerOnVM_Task", stage="task", message="injected: no host")
    result, _ = run(prov_session, spec, hook=put_a_file)
    after = fingerprint(prov_session)
    assert result.failed_step == "power"
    assert [f for f in after["files"] if f"{spec.name}/" in f] == theirs
    assert result.left == [
        f"datastore folder [datastore1] {spec.name} (holds 1 file(s) this run did not create: theirs.txt)"
    ]
    assert "endpoint VM vch-shared-rollback" in result.removed
    assert set(result.removed).isdisjoint(result.left) and len(set(result.removed)) == len(result.removed)
    assert after["entities"] == before["entities"]
    remove_foreign_file(prov_session, theirs[0])
    assert fingerprint(prov_session) == before
