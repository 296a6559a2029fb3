"""The create log beside the endpoint VM, as vic-machine leaves it: `[ds] <vm folder>/vic-machine_<UTC time>_create_
<operation>.log` in logrus' text form, with every line and step of the run and no secret; `delete` removes it with
the VM's folder."""

from __future__ import annotations

import os
import re

import httpx
import pytest

from tests.rig.provisioning import fingerprint, make_spec, plan_and_run
from tui.core.vch.teardown import delete_vch, plan_delete
from tui.core.vsphere.datastore_files import list_folder
from tui.core.vsphere.inventory_snapshot import load_inventory
from tui.core.vsphere.wait import Waiter
from tui.vchsim.simulator import DATASTORES

pytestmark = pytest.mark.rig

NAME = re.compile(r"^vic-machine_\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ_create_(\d+)\.1\.log$")
LINE = re.compile(r'^time="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ" level=(info|warning|error) msg="(.*)"$')


def test_the_create_log_is_uploaded_beside_the_vm_without_secrets(
    prov_sim, prov_session, plain_dockerd, isos, tmp_path
):
    name = "vch-create-log"
    spec = make_spec(name, isos, tmp_path)  # no-tls: plain_dockerd serves it (the key scrubbing: test_create_log)
    before = fingerprint(prov_session)
    _, result, events = plan_and_run(prov_session, spec)
    try:
        assert result.ok, result.error
        folder = list_folder(
            Waiter(prov_session), load_inventory(prov_session).datacenter_ref, f"[{DATASTORES[0]}] {name}"
        )
        logs = [n for n in folder or [] if n.startswith("vic-machine_")]
        assert len(logs) == 1, folder
        match = NAME.match(logs[0])
        assert match and int(match.group(1)) == os.getpid(), logs[0]
        got = httpx.get(
            prov_sim.datastore_url(f"{name}/{logs[0]}"),
            headers={"Cookie": prov_session.cookie().split(";")[0]},
            verify=prov_sim.ssl_context(),
        )
        assert got.status_code == 200
        text = got.text
        messages = [LINE.match(line) for line in text.splitlines()]
        assert all(messages), [line for line in text.splitlines() if not LINE.match(line)][:3]
        said = [m.group(2) for m in messages]
        assert "step vm: done" in said and "step finish: done" in said and f"VCH {name} created" in said
        assert any(s.startswith("uploading ") for s in said)
        assert prov_sim.password.reveal() not in text  # no secret
        assert any(
            f"create log uploaded to [{DATASTORES[0]}] {name}/{logs[0]}" in getattr(e, "text", "") for e in events
        )
    finally:
        if result.ok:
            outcome = delete_vch(prov_session, plan_delete(prov_session, name), force=True)
    assert outcome.ok, outcome.left
    assert fingerprint(prov_session) == before  # the log went with the VM's folder


def test_a_failed_log_upload_is_a_warning_and_the_vch_stays_created(
    clean_faults, prov_session, plain_dockerd, isos, tmp_path
):
    sim = clean_faults
    name = "vch-create-log-fails"
    spec = make_spec(name, isos, tmp_path)
    before = fingerprint(prov_session)

    def fail_the_log(event) -> None:  # the ISOs are up by now: only the log's PUT meets the fault
        if getattr(event, "key", None) == "finish" and getattr(event, "state", None) == "running":
            sim.arm_fault("PUT /folder", fault="503", message="injected: datastore busy", count=2)

    _, result, events = plan_and_run(prov_session, spec, hook=fail_the_log)
    try:
        assert result.ok, result.error
        warnings = [e.text for e in events if getattr(e, "level", "") == "warning"]
        assert any(w.startswith("could not upload the create log") for w in warnings), warnings
    finally:
        sim.clear_faults()
        outcome = delete_vch(prov_session, plan_delete(prov_session, name), force=True)
    assert outcome.ok, outcome.left
    assert fingerprint(prov_session) == before
