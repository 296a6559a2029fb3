"""Standalone ESXi: the bridge network create makes when its port group is missing, as vic-machine does
(lib/install/management/network.go createBridgeNetwork): a standard vSwitch named after the port group with
1024 ports, and on it the port group with VLAN 1. On vCenter the bridge must exist (a distributed port group).

What this run made is tracked part by part: the journal records each part's intent before its call (kind
"bridge-network": name = the port group, parent = the host, files = the parts) and the network's id after.
Undo removes only the parts this run made, and only after checking that each still is what it made: the
port group on its own vSwitch with no VM on it, the vSwitch holding no other port group. A port group that
existed before the run is never in the plan, so nothing of it is ever removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tui.core.errors import VchError
from tui.core.spec.model import VchSpec
from tui.core.vch import journal
from tui.core.vch.steps import RunContext, Step, UndoIncomplete
from tui.core.vsphere.faults import call_failed, error_text
from tui.core.vsphere.inventory_snapshot import Inventory, Network

VSWITCH_PORTS = 1024
VLAN_ID = 1
VSWITCH, PORT_GROUP = "vswitch", "portgroup"  # the parts, in the order they are made


def bridge_to_create(spec: VchSpec, inventory: Inventory, *, vcenter: bool) -> str | None:
    """The bridge port group create must make: on standalone ESXi only, when the host has no network of
    that name (the bridge defaults to the VCH name, as in vic-machine)."""
    if vcenter:
        return None
    name = spec.effective_bridge_network()
    if not isinstance(name, str) or not name.strip() or name in inventory.networks:
        return None
    return name


def creation_text(name: str, host: str) -> str:
    return (
        f"no port group {name!r} on {host}: create makes a standard vSwitch {name!r} ({VSWITCH_PORTS} ports) "
        f"with the port group {name!r} (VLAN {VLAN_ID}), as vic-machine does on standalone ESXi; "
        "a rollback or delete removes them again"
    )


def host_label(compute) -> str:
    return compute.path.split("/", 1)[0]


@dataclass
class BridgeWork:
    """What this run made of the bridge network, part by part."""

    name: str
    host: Any  # vim.HostSystem
    network_system: Any  # vim.host.NetworkSystem
    made: list[str] = field(default_factory=list)
    network: Any = None  # vim.Network once the port group exists


def _host(ctx: RunContext) -> Any:
    from pyVmomi import vim

    compute = ctx.targets.compute
    (moid,) = sorted(compute.hosts)  # a standalone host: exactly one
    return vim.HostSystem(moid, compute.ref._stub)


def _network_info(waiter, network_system) -> tuple[dict[str, list[str]], dict[str, str]]:
    """(vSwitch name → its port group names, port group name → its vSwitch), read now."""
    from pyVmomi import vim

    info = waiter.read(network_system, vim.host.NetworkSystem, ["networkInfo"]).get("networkInfo")
    switches = {v.name: list(v.portgroup or []) for v in getattr(info, "vswitch", None) or []}
    groups = {p.spec.name: p.spec.vswitchName for p in getattr(info, "portgroup", None) or []}
    return switches, groups


def _find_network(waiter, datacenter, name: str) -> Any:
    from pyVmomi import vim

    from tui.core.vch.ownership import child_named

    folder = waiter.read(datacenter, vim.Datacenter, ["networkFolder"])["networkFolder"]
    return child_named(waiter, folder, "childEntity", name)


def remove_made(waiter, datacenter, work: BridgeWork, removed: list[str], left: list[str]) -> None:
    """Remove the parts of `work` this run made, each after checking it still is what was made: the port group
    on its own vSwitch with no VM on it, then the vSwitch holding no other port group. What stays goes in `left`."""
    if PORT_GROUP in work.made:
        _remove_port_group(waiter, datacenter, work, removed, left)
    if VSWITCH in work.made and not left:
        _remove_vswitch(waiter, work, removed, left)


def _remove_port_group(waiter, datacenter, work: BridgeWork, removed: list[str], left: list[str]) -> None:
    from pyVmomi import vim

    _switches, groups = _network_info(waiter, work.network_system)
    if work.name not in groups:
        work.made.remove(PORT_GROUP)  # already gone
        return
    if groups[work.name] != work.name:
        left.append(f"port group {work.name} (now on vSwitch {groups[work.name]}, not this run's: kept)")
        return
    network = work.network or _find_network(waiter, datacenter, work.name)
    vms = waiter.read(network, vim.Network, ["vm"]).get("vm") if network is not None else None
    if vms:
        left.append(f"port group {work.name} ({len(vms)} VM(s) still use it: kept)")
        return
    work.network_system.RemovePortGroup(work.name)
    work.made.remove(PORT_GROUP)
    removed.append(f"bridge port group {work.name}")


def _remove_vswitch(waiter, work: BridgeWork, removed: list[str], left: list[str]) -> None:
    switches, _groups = _network_info(waiter, work.network_system)
    if work.name not in switches:
        work.made.remove(VSWITCH)
        return
    others = switches[work.name]
    if others:
        left.append(f"vSwitch {work.name} (holds port groups this run did not make: {', '.join(others)}; kept)")
        return
    work.network_system.RemoveVirtualSwitch(work.name)
    work.made.remove(VSWITCH)
    removed.append(f"bridge vSwitch {work.name}")


def created_bridge_of(record) -> str | None:
    """The moref (`Network:network-12`) of the bridge port group a VCH's create made, when its configuration
    says so (create_bridge_network, as vic-machine's removeNetwork reads it); None otherwise."""
    from tui.core.vic.config import decode

    try:
        config = decode(record.extra, key=None)
        if not config.create_bridge_network:
            return None
        return config.network.container_networks["bridge"].common.id or None
    except Exception:  # noqa: BLE001 - an unreadable config owns nothing provable
        return None


def work_for_created(session, waiter, moref: str) -> BridgeWork | None:
    """The bridge a VCH's configuration says its create made, on the standalone host (None when the network is
    gone): both parts, to be removed after the same checks as a rollback's."""
    from pyVmomi import vim, vmodl

    from tui.core.vsphere.inventory import retrieve

    kind, _, moid = moref.partition(":")
    stub = session.si._stub
    network = vim.Network(moid, stub)
    try:
        name = waiter.read(network, vim.Network, ["name"]).get("name")
    except vmodl.fault.ManagedObjectNotFound:
        return None
    hosts = retrieve(session, vim.HostSystem, ["configManager.networkSystem"])
    if kind != "Network" or not name or len(hosts) != 1:
        return None
    return BridgeWork(name, hosts[0].obj, hosts[0].get("configManager.networkSystem"), [PORT_GROUP, VSWITCH], network)


def work_from_journal(session, waiter, entry) -> BridgeWork:
    """What a journal entry says a run may have made of the bridge (the parts it intended), on its host."""
    from pyVmomi import vim

    stub = session.si._stub
    host = vim.HostSystem(entry.parent, stub)
    network_system = waiter.read(host, vim.HostSystem, ["configManager.networkSystem"])["configManager.networkSystem"]
    network = vim.Network(entry.ref, stub) if entry.ref else None
    made = [part for part in (PORT_GROUP, VSWITCH) if part in entry.files]
    return BridgeWork(entry.name, host, network_system, made, network)


class BridgeStep(Step):
    key = "bridge"
    title = "Create the bridge network"

    def details(self, plan) -> list[str]:
        t = plan.targets
        return [creation_text(t.bridge_to_create, host_label(t.compute))]

    def label(self, ctx: RunContext) -> str:
        name = ctx.targets.bridge_to_create
        return f"bridge port group {name} on vSwitch {name}"

    def run(self, ctx: RunContext) -> None:
        from pyVmomi import vim

        name = ctx.targets.bridge_to_create
        host = _host(ctx)
        network_system = ctx.waiter.read(host, vim.HostSystem, ["configManager.networkSystem"])[
            "configManager.networkSystem"
        ]
        work = ctx.bridge = BridgeWork(name, host, network_system)
        ctx.journal.add(journal.DATACENTER, ctx.targets.datacenter_ref._moId, ctx.targets.datacenter)
        ctx.journal.intend(journal.BRIDGE, name, host._moId, self.label(ctx))
        self._make(
            ctx,
            work,
            VSWITCH,
            lambda: network_system.AddVirtualSwitch(name, vim.host.VirtualSwitch.Specification(numPorts=VSWITCH_PORTS)),
            lambda switches, _groups: name in switches,
        )
        spec = vim.host.PortGroup.Specification(
            name=name, vlanId=VLAN_ID, vswitchName=name, policy=vim.host.NetworkPolicy()
        )
        self._make(
            ctx,
            work,
            PORT_GROUP,
            lambda: network_system.AddPortGroup(spec),
            lambda _switches, groups: groups.get(name) == name,
        )
        work.network = _find_network(ctx.waiter, ctx.targets.datacenter_ref, name)
        if work.network is None:
            raise VchError(f"the port group {name!r} was created but no network of that name appeared on the host")
        ctx.journal.created(journal.BRIDGE, work.network._moId)
        network = Network(name, work.network, "standard", frozenset({host._moId}))
        ctx.targets.networks[name] = network  # the VM's NIC
        ctx.plan.facts.inventory.networks[name] = network  # the port group morefs VIC's configuration names
        ctx.log(f"created the vSwitch {name!r} and its port group {name!r} (the bridge network)")

    def _make(self, ctx: RunContext, work: BridgeWork, part: str, call, exists) -> None:
        """One create call, its intent journalled first. AlreadyExists: someone else's, left alone. Any other
        failure: whatever the call may have made is looked up, and tracked when it is there."""
        from pyVmomi import vim

        ctx.journal.add_file(journal.BRIDGE, part)
        what = "vSwitch" if part == VSWITCH else "port group"
        try:
            call()
        except (vim.fault.AlreadyExists, vim.fault.DuplicateName):
            raise VchError(
                f"a {what} named {work.name!r} appeared on the host after validation; it is not this run's and "
                "is left alone",
                hint="choose another bridge_network, or use that port group",
            ) from None
        except Exception as exc:
            try:
                there = exists(*_network_info(ctx.waiter, work.network_system))
            except Exception:  # noqa: BLE001 - the create already failed; its error is the one to report
                there = False
            if there:
                work.made.append(part)
            raise call_failed(f"creating the {what} {work.name!r}", exc) from None
        work.made.append(part)

    def undo(self, ctx: RunContext, removed: list[str]) -> None:
        work = ctx.bridge
        if work is None:
            return
        left: list[str] = []
        try:
            remove_made(ctx.waiter, ctx.targets.datacenter_ref, work, removed, left)
        except UndoIncomplete:
            raise
        except Exception as exc:
            raise UndoIncomplete(error_text(exc), removed=list(removed), left=[self.label(ctx)]) from exc
        if left:
            raise UndoIncomplete(left[0], removed=list(removed), left=left)
        ctx.targets.networks.pop(work.name, None)
        ctx.plan.facts.inventory.networks.pop(work.name, None)
        ctx.bridge = None
        ctx.journal.drop(journal.BRIDGE)
