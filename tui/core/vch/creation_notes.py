"""What create will make on this target, in words, for the wizard's compute and networks steps: the
resource pool (or none, DRS off), the VM folder (vCenter only; standalone ESXi has none), and the bridge
network (an existing port group, or on standalone ESXi a vSwitch and port group create makes)."""

from __future__ import annotations

from tui.core.spec.model import VchSpec
from tui.core.vch.bridge_network import bridge_to_create, creation_text, host_label
from tui.core.vch.validate_target import TargetFacts, resolve_compute


def compute_notes(spec: VchSpec, facts: TargetFacts | None) -> list[str]:
    if facts is None or not isinstance(spec.name, str) or not spec.name.strip():
        return []
    computes = resolve_compute(spec, facts.inventory)
    if len(computes) != 1:
        return []
    compute, datacenter = computes[0], facts.inventory.datacenter
    if compute.kind != "cluster" or compute.drs:
        base = compute.path + ("/Resources" if compute.kind != "pool" else "")
        pool = f"resource pool {base}/{spec.name}"
    else:
        pool = f"no resource pool: DRS is off on {compute.path}, so the VM goes in its root pool"
    if facts.vcenter:
        folder = f"VM folder {datacenter}/vm/{spec.name}"
    else:
        folder = f"no VM folder (standalone ESXi has none): the endpoint VM goes in {datacenter}/vm"
    return [f"Create makes: {pool}; {folder}."]


def network_notes(spec: VchSpec, facts: TargetFacts | None) -> list[str]:
    if facts is None:
        return []
    bridge = bridge_to_create(spec, facts.inventory, vcenter=facts.vcenter)
    if bridge is not None:
        computes = resolve_compute(spec, facts.inventory)
        host = host_label(computes[0]) if len(computes) == 1 else "the host"
        return [f"Bridge: {creation_text(bridge, host)}."]
    name = spec.effective_bridge_network()
    if name in facts.inventory.networks:
        return [f"Bridge: the existing port group {name!r} (never removed by rollback or delete)."]
    return []
