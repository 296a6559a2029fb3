"""Standalone ESXi as the target (the simulator's ESX scenario: one host answering as itself): no VM folder
(the endpoint VM goes in ha-datacenter's vm folder), and a missing bridge port group is created as a standard
vSwitch with its port group, as vic-machine does there, and rolled back only when this run made it. A port
group that was there before is never removed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from tests.rig.provisioning import connect_to, fingerprint, free_loopback, make_spec, plan_and_run
from tui.core.cancel import CancelToken
from tui.core.spec.model import Resources, RoleNetwork
from tui.core.vch import events as ev
from tui.core.vch import journal
from tui.core.vch.validate_target import load_target_facts
from tui.vchsim.simulator import (
    ESX_DATACENTER,
    ESX_DATASTORE,
    ESX_EXISTING_PORT_GROUP,
    ESX_VSWITCH,
    VM_NETWORK,
    Simulator,
)

pytestmark = pytest.mark.rig


@pytest.fixture(scope="module")
def esx_sim(vchsim_binary) -> Iterator[Simulator]:
    with Simulator(model="esx", binary=vchsim_binary) as sim:
        yield sim


@pytest.fixture(scope="module")
def esx_session(esx_sim):
    session = connect_to(esx_sim)
    yield session
    session.logout()


@pytest.fixture
def esx_faults(esx_sim):
    esx_sim.clear_faults()
    yield esx_sim
    esx_sim.clear_faults()


def esx_spec(sim: Simulator, name: str, isos, tmp_path, *, bridge: str | None = None):
    """A no-TLS VCH on the standalone host: public (and so client) on VM Network at a free loopback address
    (the appliance stand-in serves its Docker API there)."""
    return replace(
        make_spec(name, isos, tmp_path),
        compute_resource=sim.inventory["standalone_host"],
        image_store=ESX_DATASTORE,
        bridge_network=bridge,
        public=RoleNetwork(port_group=VM_NETWORK, ip=f"{free_loopback()}/8", gateway="127.0.0.254"),
        client=RoleNetwork(),
        container_networks=(),
        resources=Resources(cpu=1000, memory=3072),
    )


def switches(session) -> dict[str, tuple[int, list[str]]]:
    """vSwitch name → (ports, port groups) on the standalone host, read from its network system."""
    from pyVmomi import vim

    view = session.content.viewManager.CreateContainerView(session.content.rootFolder, [vim.HostSystem], True)
    try:
        (host,) = view.view
        info = host.configManager.networkSystem.networkInfo
    finally:
        view.DestroyView()
    out = {s.name: (s.numPorts, sorted(s.portgroup)) for s in info.vswitch}
    vlans = {p.spec.name: p.spec.vlanId for p in info.portgroup}
    return {name: (ports, groups, [vlans.get(g) for g in groups]) for name, (ports, groups) in out.items()}


def test_the_esx_scenario_is_a_standalone_host(esx_sim, esx_session):
    assert not esx_session.is_vcenter and esx_session.content.about.apiType == "HostAgent"
    facts = load_target_facts(esx_session)
    assert facts.inventory.datacenter == ESX_DATACENTER
    assert [c.kind for c in facts.inventory.compute] == ["host"]
    assert set(facts.inventory.networks) == {VM_NETWORK, ESX_EXISTING_PORT_GROUP}
    assert switches(esx_session)[ESX_VSWITCH][1] == sorted([ESX_EXISTING_PORT_GROUP, VM_NETWORK])


def test_an_esxi_host_a_vcenter_manages_is_refused_naming_the_vcenter(esx_sim, esx_session, isos, tmp_path):
    """vic-machine's managedbyVC: summary.managementServerIp set means the target must be that vCenter."""
    from tui.core.vch.plan import check
    from tui.core.vch.validate_target import validate_against

    facts = load_target_facts(esx_session)
    spec = esx_spec(esx_sim, "vch-esx-managed", isos, tmp_path)
    assert facts.managed_by == "" and not [p for p in check(spec, facts) if p.is_error]
    managed = replace(facts, managed_by="10.0.0.9")
    (problem, *_) = validate_against(spec, managed)
    assert problem.field == "--target" and "managed by vCenter server '10.0.0.9'" in problem.message
    assert "change --target to the vCenter server address (10.0.0.9)" in problem.hint


def test_create_on_esx_makes_the_bridge_and_no_vm_folder_and_delete_removes_both(
    esx_sim, esx_session, plain_dockerd, isos, tmp_path
):
    from tui.core.vch.teardown import delete_vch, plan_delete

    name = "vch-esx-ok"
    spec = esx_spec(esx_sim, name, isos, tmp_path)  # the bridge defaults to the VCH name: not there yet
    before = fingerprint(esx_session)
    seen_journal: list = []

    def at_vm_step(event) -> None:  # the bridge is journalled (network id, host, both parts) before the VM
        if isinstance(event, ev.StepChanged) and event.key == "vm" and event.state == ev.RUNNING:
            seen_journal.append(journal.Journal.for_session(esx_session, name).get(journal.BRIDGE))

    plan, result, _ = plan_and_run(esx_session, spec, hook=at_vm_step)
    try:
        assert result.ok, (result.error, esx_sim.appliance(name))
        assert plan.step_keys() == [
            "validate",
            "tls",
            "pool",
            "bridge",
            "vm",
            "upload",
            "configure",
            "power",
            "address",
            "probe",
            "finish",
        ]
        (bridge_step,) = [p for p in plan.describe() if p.key == "bridge"]
        assert "standard vSwitch 'vch-esx-ok' (1024 ports)" in bridge_step.details[0]
        assert switches(esx_session)[name] == (1024, [name], [1])
        (entry,) = seen_journal
        assert entry.name == name and entry.parent == "ha-host" and entry.files == ("vswitch", "portgroup")
        assert entry.ref and entry.ref.startswith("network")
        added = set(fingerprint(esx_session)["entities"]) - set(before["entities"])
        pool = f"/{ESX_DATACENTER}/host/{esx_sim.inventory['standalone_host']}/Resources/{name}"
        assert {e for e in added if not e.startswith(("network", "vswitch", "portgroup"))} == {
            f"pool {pool}",
            f"vm /{ESX_DATACENTER}/vm/{name} pool={pool}",  # in the datacenter's vm folder: no VM folder
        }
        from tui.core.vch.listing import find_vch
        from tui.core.vic.config import decode

        config = decode(find_vch(esx_session, name).extra, key=None)
        assert config.create_bridge_network  # so delete removes it, as vic-machine's removeNetwork
        assert config.network.container_networks["bridge"].common.id == f"Network:{entry.ref}"
    finally:
        outcome = delete_vch(esx_session, plan_delete(esx_session, name), force=True)
    assert outcome.ok, outcome.left
    bridge = [r for r in outcome.removed if r.startswith("bridge ")]
    assert bridge == [f"bridge port group {name}", f"bridge vSwitch {name}"], outcome.removed
    assert fingerprint(esx_session) == before  # the bridge this create made went with the VCH
    assert ESX_EXISTING_PORT_GROUP in switches(esx_session)[ESX_VSWITCH][1]


# step → (SOAP method, arm options): a fault at the bridge's two calls and at the VM after it
BRIDGE_FAULTS = {
    "vswitch": "AddVirtualSwitch",
    "portgroup": "AddPortGroup",
    "vm-after-bridge": "CreateVM_Task",
}


@pytest.mark.parametrize("where", list(BRIDGE_FAULTS))
def test_a_fault_at_or_after_the_bridge_step_leaves_the_inventory_exactly_as_before(
    esx_faults, esx_session, plain_dockerd, isos, tmp_path, where
):
    sim = esx_faults
    spec = esx_spec(sim, f"vch-esx-{where}", isos, tmp_path)
    sim.arm_fault(BRIDGE_FAULTS[where], message=f"injected in {where}")
    before = fingerprint(esx_session)
    _, result, _ = plan_and_run(esx_session, spec)
    assert not result.ok and result.failed_step == ("vm" if where == "vm-after-bridge" else "bridge"), result.error
    assert "injected" in result.error
    assert result.left == []
    made = {"vswitch": [], "portgroup": ["bridge vSwitch"], "vm-after-bridge": ["bridge port group", "bridge vSwitch"]}
    assert [r.rpartition(" ")[0] for r in result.removed if r.startswith("bridge")] == made[where]
    assert fingerprint(esx_session) == before
    assert not journal.Journal.for_session(esx_session, spec.name).entries


def test_a_cancel_at_the_bridge_step_leaves_the_inventory_exactly_as_before(
    esx_sim, esx_session, plain_dockerd, isos, tmp_path
):
    spec = esx_spec(esx_sim, "vch-esx-cancel", isos, tmp_path)
    token = CancelToken()

    def cancel_at_bridge(event) -> None:
        if isinstance(event, ev.StepChanged) and event.key == "bridge" and event.state == ev.RUNNING:
            token.cancel()

    before = fingerprint(esx_session)
    _, result, _ = plan_and_run(esx_session, spec, cancel=token, hook=cancel_at_bridge)
    assert result.cancelled and result.left == []
    assert fingerprint(esx_session) == before


def test_a_bridge_port_group_that_was_there_is_used_and_never_removed(
    esx_faults, esx_session, plain_dockerd, isos, tmp_path
):
    sim = esx_faults
    spec = esx_spec(sim, "vch-esx-existing", isos, tmp_path, bridge=ESX_EXISTING_PORT_GROUP)
    before = fingerprint(esx_session)
    sim.arm_fault("PowerOnVM_Task", stage="task", message="injected: no power")
    plan, result, _ = plan_and_run(esx_session, spec)
    assert "bridge" not in plan.step_keys()
    assert not result.ok and result.failed_step == "power" and result.left == []
    assert not [r for r in result.removed if "bridge" in r]
    assert fingerprint(esx_session) == before
    assert ESX_EXISTING_PORT_GROUP in switches(esx_session)[ESX_VSWITCH][1]


def test_a_bridge_the_rollback_could_not_remove_is_deleted_from_the_journal(
    esx_faults, esx_session, plain_dockerd, isos, tmp_path
):
    from tui.core.vch.teardown import delete_vch, plan_delete

    sim = esx_faults
    spec = esx_spec(sim, "vch-esx-stuck", isos, tmp_path)
    before = fingerprint(esx_session)
    sim.arm_fault("CreateVM_Task", message="injected: no room")
    sim.arm_fault("RemovePortGroup", count=-1, message="injected: host busy")
    _, result, _ = plan_and_run(esx_session, spec, plain_dockerd.port)
    sim.clear_faults()
    assert result.failed_step == "vm"
    assert result.left == ["bridge port group vch-esx-stuck on vSwitch vch-esx-stuck"], result.left
    assert "vch-esx-stuck" in switches(esx_session)

    from tui.core.vch.listing import INCOMPLETE
    from tui.core.vch.site import list_vchs

    (listed,) = [v for v in list_vchs(esx_session) if v.name == spec.name]  # ls shows what is left
    assert (listed.state, listed.path) == (INCOMPLETE, "bridge vch-esx-stuck")
    plan = plan_delete(esx_session, spec.name)
    assert "bridge port group and vSwitch vch-esx-stuck (if still only this VCH's)" in plan.describe()
    outcome = delete_vch(esx_session, plan)
    assert outcome.ok, outcome.left
    assert outcome.removed == ["bridge port group vch-esx-stuck", "bridge vSwitch vch-esx-stuck"]
    assert fingerprint(esx_session) == before
    assert not journal.Journal.for_session(esx_session, spec.name).entries
