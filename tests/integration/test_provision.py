"""Provisioning against the simulator, end to end: the plan runs, and everything it made is read back from
vSphere (folder, pool allocation, VM hardware and NIC port groups, CD-ROM ISO path, guestinfo keys, the
uploaded ISO bytes), the endpoint's address arrives through the simulator, the Docker API is probed on a real
dockerd, and `ls` / `inspect` / `delete` see and remove it. A name in use stops every run before any change."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx
import pytest
from pyVmomi import vim

from tui.core.problems import ProblemsError
from tui.core.provision import events as ev
from tui.core.provision.endpoint import DOCKER_HOST_KEY, NAME_KEY, STATE_KEY, TLS_PREFIX, spec_from_guestinfo
from tui.core.provision.plan import RunOptions, build_plan
from tui.core.provision.runner import run_plan
from tui.core.provision.teardown import delete_vch, plan_delete
from tui.core.provision.wait import Waiter
from tui.core.simulator import DATASTORES, PORT_GROUPS
from tui.core.validate_target import load_target_facts
from tui.core.vchs import CREATED, inspect_vch, list_vchs

from test_provision_rig import (  # noqa: F401 - fixtures
    LOOPBACK,
    fingerprint,
    isos,
    make_spec,
    plain_dockerd,
    prov_session,
    prov_sim,
)

pytestmark = pytest.mark.rig


def plan_for(session, spec, port: int):
    return build_plan(spec, load_target_facts(session), RunOptions(docker_port=port))


def set_ip_when_waited(sim, name: str):
    """An event hook: once the run waits for the address, the simulator reports one (half a second later)."""

    def hook(event) -> None:
        if isinstance(event, ev.StepChanged) and event.key == "address" and event.state == ev.RUNNING:
            threading.Timer(0.5, sim.set_vm_ip, (name, LOOPBACK)).start()

    return hook


def find_vm(session, name: str):
    return session.content.searchIndex.FindByInventoryPath(f"Datacenter/vm/{name}/{name}")


def dpg_names(session) -> dict[str, str]:
    """Port group key → name for every distributed port group."""
    view = session.content.viewManager.CreateContainerView(session.content.rootFolder,
                                                           [vim.dvs.DistributedVirtualPortgroup], True)
    try:
        return {pg.key: pg.name for pg in view.view}
    finally:
        view.Destroy()


def read_back(sim, session, spec, isos) -> dict:
    """What vSphere holds for the VCH, in plain values."""
    vm = find_vm(session, spec.name)
    assert vm is not None, "no endpoint VM in the VCH folder"
    keys = dpg_names(session)
    devices = vm.config.hardware.device
    nics = [keys[d.backing.port.portgroupKey] for d in devices if isinstance(d, vim.vm.device.VirtualVmxnet3)]
    cdroms = [d.backing.fileName for d in devices if isinstance(d, vim.vm.device.VirtualCdrom)]
    serials = [d.backing.fileName for d in devices if isinstance(d, vim.vm.device.VirtualSerialPort)]
    pool = vm.resourcePool
    cookie = session.cookie().split(";")[0]
    uploads = {}
    for remote, local in (("appliance.iso", isos.appliance), ("bootstrap.iso", isos.bootstrap)):
        got = httpx.get(sim.datastore_url(f"{spec.name}/{remote}"), headers={"Cookie": cookie},
                        verify=sim.ssl_context())
        uploads[remote] = got.status_code == 200 and got.content == local.read_bytes()
    return {
        "folder": vm.parent.name, "folder_parent": vm.parent.parent.name,
        "pool": pool.name, "pool_parent": pool.parent.name,
        "cpu": (pool.config.cpuAllocation.limit, pool.config.cpuAllocation.reservation,
                pool.config.cpuAllocation.shares.level),
        "memory": (pool.config.memoryAllocation.limit, pool.config.memoryAllocation.shares.level,
                   pool.config.memoryAllocation.shares.shares),
        "guest": vm.config.guestId, "vcpus": vm.config.hardware.numCPU, "memory_mb": vm.config.hardware.memoryMB,
        "nics": nics, "cdroms": cdroms, "serials": serials,
        "pvscsi": sum(isinstance(d, vim.vm.device.ParaVirtualSCSIController) for d in devices),
        "disks": sum(isinstance(d, vim.vm.device.VirtualDisk) for d in devices),
        "extra": {o.key: o.value for o in vm.config.extraConfig},
        "power": vm.runtime.powerState, "ip": vm.guest.ipAddress, "uploads": uploads,
    }


def test_no_tls_vch_is_created_read_back_listed_inspected_and_deleted(prov_sim, prov_session, plain_dockerd, isos,
                                                                      tmp_path):
    spec = make_spec("vch-plain", isos, tmp_path, mode="no-tls", static_ip=False)
    before = fingerprint(prov_session)
    events: list = []
    hook = set_ip_when_waited(prov_sim, spec.name)

    def record(event) -> None:
        events.append(event)
        hook(event)

    plan = plan_for(prov_session, spec, plain_dockerd.port)
    result = run_plan(plan, prov_session, on_event=record)
    assert result.ok, result.error
    try:
        vch = read_back(prov_sim, prov_session, spec, isos)
        assert (vch["folder"], vch["folder_parent"], vch["pool"], vch["pool_parent"]) == (
            "vch-plain", "vm", "vch-plain", "Resources")
        assert vch["cpu"] == (4000, 500, "high")
        assert vch["memory"] == (8192, "custom", 2000)
        assert (vch["guest"], vch["vcpus"], vch["memory_mb"]) == ("otherGuest64", 1, 2048)
        assert vch["nics"] == [PORT_GROUPS["bridge"], PORT_GROUPS["public"], PORT_GROUPS["client"]]
        assert vch["cdroms"] == [f"[{DATASTORES[0]}] vch-plain/appliance.iso"]
        assert vch["serials"] == [f"[{DATASTORES[0]}] vch-plain/tether.debug"]
        assert (vch["pvscsi"], vch["disks"]) == (1, 0)
        assert vch["uploads"] == {"appliance.iso": True, "bootstrap.iso": True}
        assert (vch["power"], vch["ip"]) == ("poweredOn", LOOPBACK)
        extra = vch["extra"]
        assert extra[NAME_KEY] == "vch-plain" and extra[STATE_KEY] == "created"
        assert extra[DOCKER_HOST_KEY] == f"{LOOPBACK}:{plain_dockerd.port}"
        assert extra[TLS_PREFIX + "mode"] == "no-tls"
        assert spec_from_guestinfo(extra) == spec  # the whole spec, container network and firewall included

        assert result.outputs.docker_env == {"DOCKER_HOST": f"{LOOPBACK}:{plain_dockerd.port}"}
        env_file = Path(result.outputs.env_file)
        assert env_file.read_text().split() == [f"DOCKER_HOST={LOOPBACK}:{plain_dockerd.port}"]
        logs = [e.text for e in events if isinstance(e, ev.LogLine)]
        assert any(t.startswith("Docker API answers") for t in logs), logs
        sent = [e for e in events if isinstance(e, ev.BytesSent) and e.label == "appliance.iso"]
        assert sent[-1].done == sent[-1].total == isos.appliance.stat().st_size and len(sent) >= 4
        changes = [(e.key, e.state) for e in events if isinstance(e, ev.StepChanged)]
        assert changes == [(key, state) for key in plan.step_keys() for state in (ev.RUNNING, ev.DONE)]
        assert plan.step_keys() == ["validate", "tls", "folder", "pool", "vm", "upload", "power", "address", "probe",
                                    "finish"]

        added = set(fingerprint(prov_session)["entities"]) - set(before["entities"])
        assert added == {"folder /Datacenter/vm/vch-plain", "pool /Datacenter/host/Cluster/Resources/vch-plain",
                         "vm /Datacenter/vm/vch-plain/vch-plain pool=/Datacenter/host/Cluster/Resources/vch-plain"}

        (listed,) = [v for v in list_vchs(prov_session) if v.name == "vch-plain"]
        assert (listed.path, listed.endpoint_vm, listed.power, listed.docker_host, listed.state) == (
            "/Datacenter/host/Cluster/Resources/vch-plain", "vch-plain", "poweredOn",
            f"{LOOPBACK}:{plain_dockerd.port}", CREATED)
        inspected = inspect_vch(prov_session, "vch-plain")
        assert inspected.spec == spec and inspected.api and "API 1.41" in inspected.api
        assert inspected.pool.cpu_limit == 4000 and inspected.pool.memory_shares == "2000"
    finally:
        outcome = delete_vch(prov_session, plan_delete(prov_session, "vch-plain"), force=True)
    assert outcome.ok, outcome.left
    assert fingerprint(prov_session) == before


@pytest.mark.parametrize("taken", ["vm-folder", "resource-pool", "datastore-folder"])
def test_a_name_in_use_stops_before_any_change(prov_sim, prov_session, plain_dockerd, isos, tmp_path, taken):
    """Someone else's object with the VCH's name: the plan is refused, and a plan that was made before the
    object appeared fails in its validate step. Either way nothing is created and nothing of theirs is touched."""
    from tui.core.inventory_snapshot import load_inventory
    from tui.core.provision.plan import datastore_folder_problems

    spec = make_spec("vch-taken", isos, tmp_path)
    stale_plan = build_plan(spec, load_target_facts(prov_session), RunOptions(docker_port=plain_dockerd.port,
                                                                            inventory_max_age=0))
    inventory = load_inventory(prov_session)
    waiter = Waiter(prov_session)
    cleanup = None
    if taken == "vm-folder":
        theirs = inventory.vm_folder.CreateFolder("vch-taken")
        cleanup = lambda: waiter.task(theirs.Destroy_Task(), "cleanup")  # noqa: E731
    elif taken == "resource-pool":
        cluster = next(c for c in inventory.compute if c.path == "Cluster")
        theirs = cluster.resource_pool.CreateResourcePool("vch-taken", _pool_config())
        cleanup = lambda: waiter.task(theirs.Destroy_Task(), "cleanup")  # noqa: E731
    else:
        cookie = prov_session.cookie().split(";")[0]
        assert httpx.put(prov_sim.datastore_url("vch-taken/notes.txt"), content=b"mine", headers={"Cookie": cookie},
                         verify=prov_sim.ssl_context()).status_code == 200
        fm = prov_session.content.fileManager
        cleanup = lambda: waiter.task(fm.DeleteDatastoreFile_Task(  # noqa: E731
            f"[{DATASTORES[0]}] vch-taken", inventory.datacenter_ref), "cleanup")
    try:
        before = fingerprint(prov_session)
        with pytest.raises(ProblemsError) as refused:
            plan = build_plan(spec, load_target_facts(prov_session), RunOptions(docker_port=plain_dockerd.port))
            problems = datastore_folder_problems(prov_session, plan)
            if problems:
                raise ProblemsError(problems)
        assert any(p.field == "name" for p in refused.value.problems)
        result = run_plan(stale_plan, prov_session)
        assert not result.ok and result.failed_step == "validate" and result.removed == [] and result.left == []
        assert "vch-taken" in result.error
        assert fingerprint(prov_session) == before
    finally:
        cleanup()


def _pool_config():
    from tui.core.provision.steps import allocation

    return vim.ResourceConfigSpec(cpuAllocation=allocation(None, None, "normal"),
                                  memoryAllocation=allocation(None, None, "normal"))
