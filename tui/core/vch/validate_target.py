"""Checks of a VCH spec against what the vSphere target really has (vic-machine's validator, and more).

`validate_target(spec, inventory)` reads only the `Inventory` snapshot (tui/core/vsphere/inventory_snapshot.py), so
it makes no vSphere call and can run on every keystroke in the wizard. It returns every problem at once,
each naming the answers-file key, what is wrong and how to fix it (listing the valid names when a name is
missing or ambiguous). `load_target_facts(session)` reads the snapshot plus the capacity figures the
compute checks and the wizard's capacity panel use.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from tui.core.problems import Problem, warning
from tui.core.spec.model import ROLES, VchSpec
from tui.core.spec.storage_paths import parse_datastore_path, parse_volume_store
from tui.core.vsphere.inventory_snapshot import ComputeResource, Inventory, load_inventory

DEFAULT_CONTAINER_VCPUS = 2
DEFAULT_CONTAINER_MEMORY_MB = 2048
MAX_LISTED = 12  # valid names listed in a hint, at most
# vSphere names a switch's uplink port group "<switch>-DVUplinks-<n>"; no VCH network may use one. The
# snapshot drops uplinks by their SYSTEM/DVS.UPLINKPG tag, which the simulator does not set.
_UPLINK_NAME = re.compile(r"-DVUplinks-\d+$")


@dataclass(frozen=True)
class Capacity:
    """What a compute resource offers: effective CPU (MHz) and memory (MB), and its physical cores."""

    cpu_mhz: int
    memory_mb: int
    cpu_cores: int
    hosts: int

    @property
    def core_mhz(self) -> int:
        return self.cpu_mhz // self.cpu_cores if self.cpu_cores else 0


@dataclass
class TargetFacts:
    """Everything target validation and the wizard's pickers read, loaded once per connection."""

    inventory: Inventory
    capacity: dict[str, Capacity]  # by compute path
    vcenter: bool = True
    managed_by: str = ""  # a standalone-looking ESXi target's vCenter (summary.managementServerIp), if any


def load_target_facts(session) -> TargetFacts:
    """Blocking (run it in a worker): the inventory snapshot plus per-compute-resource capacity."""
    inventory = load_inventory(session)
    capacity = {
        c.path: Capacity(c.cpu_mhz, c.memory_mb, c.cpu_cores, c.effective_hosts or len(c.hosts))
        for c in inventory.compute
    }
    vcenter = bool(getattr(session, "is_vcenter", True))
    return TargetFacts(inventory, capacity, vcenter, "" if vcenter else _managing_vcenter(session))


def _managing_vcenter(session) -> str:
    """The vCenter an ESXi target is managed by (vic-machine's managedbyVC reads the same property), or ""."""
    from pyVmomi import vim

    from tui.core.vsphere.inventory import retrieve

    hosts = retrieve(session, vim.HostSystem, ["summary.managementServerIp"])
    return next((str(ip) for h in hosts if (ip := h.get("summary.managementServerIp"))), "")


def _owner(inventory: Inventory, pool: ComputeResource) -> ComputeResource | None:
    root = pool.path.split("/", 1)[0]
    return next((c for c in inventory.compute if c.kind != "pool" and c.path == root), None)


def capacity_of(compute: ComputeResource, capacity: Mapping[str, Capacity] | None = None) -> Capacity:
    if capacity and compute.path in capacity:
        return capacity[compute.path]
    return Capacity(compute.cpu_mhz, compute.memory_mb, 0, len(compute.hosts))


def validate_against(spec: VchSpec, facts: TargetFacts) -> list[Problem]:
    problems = validate_target(spec, facts.inventory, capacity=facts.capacity, vcenter=facts.vcenter)
    if facts.managed_by:
        problems.insert(
            0,
            Problem(
                "--target",
                f"Target is managed by vCenter server {facts.managed_by!r}: a VCH on one of its hosts is created "
                "through that vCenter",
                f"change --target to the vCenter server address ({facts.managed_by}), or select a standalone ESXi",
            ),
        )
    return problems


def validate_target(
    spec: VchSpec, inventory: Inventory, *, capacity: Mapping[str, Capacity] | None = None, vcenter: bool = True
) -> list[Problem]:
    """Every problem of `spec` on this target; pass `capacity` (from load_target_facts) for exact limits."""
    problems: list[Problem] = []
    computes = resolve_compute(spec, inventory)
    compute = computes[0] if len(computes) == 1 else None
    problems += _compute_problems(spec, inventory, computes)
    problems += _name_problems(spec, inventory, compute)
    problems += _datastore_problems(spec, inventory, compute)
    problems += _network_problems(spec, inventory, compute, vcenter)
    if compute is not None:
        problems += _limit_problems(spec, compute, capacity_of(compute, capacity))
    return problems


# --- compute resource -----------------------------------------------------------------------------


def resolve_compute(spec: VchSpec, inventory: Inventory) -> list[ComputeResource]:
    """The compute resources `spec.compute_resource` may mean (exactly one when it resolves)."""
    return inventory.find_compute(spec.compute_resource.strip() if spec.compute_resource else None)


def _listing(names: list[str]) -> str:
    shown = names[:MAX_LISTED]
    more = f" and {len(names) - len(shown)} more" if len(names) > len(shown) else ""
    return ", ".join(repr(n) for n in shown) + more if shown else "none"


def _compute_problems(spec: VchSpec, inventory: Inventory, computes: list[ComputeResource]) -> Iterator[Problem]:
    every = [c.path for c in inventory.compute]
    if len(computes) == 1:
        return
    if spec.compute_resource is None:
        if not computes:
            yield Problem(
                "compute_resource",
                f"the datacenter {inventory.datacenter!r} has no cluster or host",
                "add a host or cluster to the datacenter in vSphere",
            )
        else:
            yield Problem(
                "compute_resource",
                "No unambiguous default compute resource available: the datacenter "
                f"{inventory.datacenter!r} has {len(computes)} clusters and hosts",
                "choose one: compute_resource = one of " + _listing(sorted(c.path for c in computes)),
            )
    elif not computes:
        yield Problem(
            "compute_resource",
            f"{spec.compute_resource!r} is not a cluster, host or resource pool in "
            f"the datacenter {inventory.datacenter!r}",
            "choose one of " + _listing(sorted(every)) + " (a pool as Cluster/Resources/pool)",
        )
    else:
        yield Problem(
            "compute_resource",
            f"{spec.compute_resource!r} is ambiguous: it matches {len(computes)} compute resources",
            "write the full path, one of " + _listing(sorted(c.path for c in computes)),
        )


def _limit_problems(spec: VchSpec, compute: ComputeResource, cap: Capacity) -> Iterator[Problem]:
    res = spec.resources
    where = f"{compute.kind} {compute.path!r}"
    for kind, unit, available in (("cpu", "MHz", cap.cpu_mhz), ("memory", "MB", cap.memory_mb)):
        if available <= 0:
            continue
        for key in (kind, f"{kind}_reservation"):
            value = getattr(res, key)
            if isinstance(value, int) and not isinstance(value, bool) and value > available:
                what = "limit" if key == kind else "reservation"
                yield Problem(
                    key,
                    f"the {what} of {value} {unit} is more than the {available} {unit} the {where} has",
                    f"use at most {available} {unit}"
                    + (" (0 or leaving it out means unlimited)" if key == kind else ""),
                )
    if (
        not compute.drs
        and compute.kind != "host"
        and any(getattr(res, k) not in (None, 0) for k in ("cpu", "memory", "cpu_reservation", "memory_reservation"))
    ):
        yield warning(
            "cpu" if res.cpu or res.cpu_reservation else "memory",
            f'DRS is off on {where}: "Provided VCH Resource Pool options are ignored"',
            "turn DRS on for the cluster, or leave the limits and reservations out",
        )
    endpoint = res.endpoint_memory
    if cap.memory_mb > 0 and isinstance(endpoint, int) and not isinstance(endpoint, bool) and endpoint > cap.memory_mb:
        yield Problem(
            "endpoint_memory",
            f"{endpoint} MB is more than the {cap.memory_mb} MB the {where} has",
            "the endpoint VM needs far less: the default is 2048 MB",
        )


# --- the VCH name ---------------------------------------------------------------------------------


def _name_problems(spec: VchSpec, inventory: Inventory, compute: ComputeResource | None) -> Iterator[Problem]:
    name = spec.name
    if not isinstance(name, str) or not name.strip():
        return
    if name in inventory.vm_names:
        yield Problem(
            "name",
            f"a VM named {name!r} already exists in the datacenter {inventory.datacenter!r}",
            'choose another name (vic-machine: "A VCH with the name already exists"); '
            "delete the old VCH first to reuse it",
        )
    if name in inventory.folder_names:
        yield Problem(
            "name",
            f"a VM folder named {name!r} already exists in the datacenter {inventory.datacenter!r}",
            'choose another name (vic-machine: "The specified VCH name is already in use")',
        )
    if compute is not None and name in inventory.pool_names.get(compute.path, set()):
        yield Problem(
            "name",
            f"a resource pool named {name!r} already exists in {compute.path!r}",
            "choose another name: VIC would put the VCH into that existing pool and its limits",
        )


# --- datastores -----------------------------------------------------------------------------------


def _datastore_names(inventory: Inventory) -> list[str]:
    return sorted(inventory.datastores)


def _reachable_names(inventory: Inventory, compute: ComputeResource | None) -> list[str]:
    if compute is None:
        return _datastore_names(inventory)
    return sorted(n for n, d in inventory.datastores.items() if d.accessible and d.hosts & compute.hosts)


def _check_datastore(
    field: str, name: str, inventory: Inventory, compute: ComputeResource | None
) -> tuple[list[Problem], frozenset[str] | None]:
    """Problems of one datastore name, and the compute hosts that can reach it (None when not checked)."""
    store = inventory.datastores.get(name)
    if store is None:
        return [
            Problem(
                field,
                f"the datastore {name!r} does not exist in the datacenter {inventory.datacenter!r}",
                "choose one of " + _listing(_reachable_names(inventory, compute)),
            )
        ], None
    if not store.accessible:
        return [
            Problem(
                field,
                f"the datastore {name!r} is not accessible (vSphere reports it inaccessible)",
                "fix the datastore in vSphere or choose one of "
                + _listing([n for n in _reachable_names(inventory, compute) if n != name]),
            )
        ], None
    if compute is None:
        return [], None
    hosts = store.hosts & compute.hosts
    if not hosts:
        return [
            Problem(
                field,
                f"Datastore {name!r} is not accessible by the compute resource {compute.path!r}: "
                "none of its hosts mounts it",
                "choose one the hosts share: " + _listing(_reachable_names(inventory, compute)),
            )
        ], None
    return [], hosts


def _datastore_problems(spec: VchSpec, inventory: Inventory, compute: ComputeResource | None) -> Iterator[Problem]:
    wanted: list[tuple[str, str]] = []  # (field, datastore)
    if spec.image_store is None:
        if len(inventory.datastores) != 1:
            yield Problem(
                "image_store",
                "is not set and the datacenter has "
                f"{len(inventory.datastores)} datastores, so none is picked by default",
                "choose one: image_store = one of " + _listing(_reachable_names(inventory, compute)),
            )
        else:
            wanted.append(("image_store", next(iter(inventory.datastores))))
    else:
        try:
            wanted.append(("image_store", parse_datastore_path(spec.image_store).datastore))
        except ValueError:
            pass  # validate_local reports the syntax
    for index, text in enumerate(spec.volume_store):
        try:
            store = parse_volume_store(text)
        except ValueError:
            continue
        if store.datastore is not None:
            wanted.append((f"volume_store[{index}]", store.datastore.datastore))
    reach: list[frozenset[str]] = []
    for field, name in wanted:
        problems, hosts = _check_datastore(field, name, inventory, compute)
        yield from problems
        if hosts is not None:
            reach.append(hosts)
    if compute is None or len(reach) < 2 or len(reach) != len(wanted):
        return
    shared = frozenset.intersection(*reach)
    names = ", ".join(sorted({n for _, n in wanted}))
    if not shared:
        yield Problem(
            wanted[-1][0],
            f"No single host can access all of the requested datastores ({names})",
            "put the image store and volume stores on datastores that one host mounts together",
        )
    elif len(shared) == 1 and len(compute.hosts) > 1:
        yield warning(
            wanted[-1][0],
            f"only one host of {compute.path!r} can access all of {names}: the VCH and "
            "its containers could run on that host only",
            "use datastores that the compute resource's hosts share",
        )


# --- networks -------------------------------------------------------------------------------------


def usable_networks(inventory: Inventory) -> list[str]:
    """Every network a VCH role may use (uplink port groups left out)."""
    return sorted(n for n, net in inventory.networks.items() if not (net.kind == "dpg" and _UPLINK_NAME.search(n)))


def distributed_networks(inventory: Inventory) -> list[str]:
    """Distributed port groups and opaque networks: what bridge and container networks must be on vCenter."""
    return [n for n in usable_networks(inventory) if inventory.networks[n].kind in ("dpg", "opaque")]


def _missing_hosts(network_hosts: frozenset[str], compute: ComputeResource | None) -> set[str]:
    if compute is None or not network_hosts:
        return set()
    return set(compute.hosts - network_hosts)


def _check_network(
    field: str,
    name: str,
    inventory: Inventory,
    compute: ComputeResource | None,
    *,
    distributed: bool,
    purpose: str,
    default_note: str = "",
) -> Iterator[Problem]:
    valid = distributed_networks(inventory) if distributed else usable_networks(inventory)
    net = inventory.networks.get(name)
    if net is None or name not in usable_networks(inventory):
        kind = "distributed port group" if distributed else "network"
        yield Problem(
            field,
            f"there is no {kind} named {name!r} in the datacenter {inventory.datacenter!r}{default_note}",
            f"choose one of {_listing(valid)}" if valid else f"create a {kind} in vSphere for the {purpose}",
        )
        return
    if distributed and net.kind not in ("dpg", "opaque"):
        yield Problem(
            field,
            f"{name!r} is a standard port group; the {purpose} must be a distributed port group",
            f"choose one of {_listing(valid)}"
            if valid
            else "create a distributed port group on a vDS that all the cluster's hosts are members of",
        )
        return
    missing = _missing_hosts(net.hosts, compute) if net.kind == "dpg" else set()
    if missing and compute is not None:  # (only a compute resource has hosts missing)
        yield Problem(
            field,
            f"{len(missing)} host(s) of {compute.path!r} are not members of the distributed switch of {name!r}",
            "add every host of the compute resource to that vDS, or choose another port group",
        )


def _network_problems(
    spec: VchSpec, inventory: Inventory, compute: ComputeResource | None, vcenter: bool
) -> Iterator[Problem]:
    bridge = spec.effective_bridge_network()
    if vcenter or spec.bridge_network is not None:
        note = "" if spec.bridge_network is not None else " (the bridge network defaults to the VCH name)"
        if vcenter or bridge in inventory.networks:
            yield from _check_network(
                "bridge_network",
                bridge,
                inventory,
                compute,
                distributed=vcenter,
                purpose="bridge network",
                default_note=note,
            )
    for role in ROLES:
        own = spec.role(role).port_group
        if own is None or not own.strip():
            if role != "public":
                continue  # the default: same as public (client) or client (management)
        name = spec.effective_port_group(role)
        note = (
            ' (the public network defaults to "VM Network")' if role == "public" and own in (None, "VM Network") else ""
        )
        yield from _check_network(
            f"{role}_network", name, inventory, compute, distributed=False, purpose=f"{role} network", default_note=note
        )
    for index, cn in enumerate(spec.container_networks):
        if isinstance(cn.port_group, str) and cn.port_group.strip():
            yield from _check_network(
                f"container_network[{index}].port_group",
                cn.port_group,
                inventory,
                compute,
                distributed=vcenter,
                purpose="container network",
            )


# --- what fits (the wizard's capacity panel) ------------------------------------------------------


@dataclass(frozen=True)
class Fit:
    """How many default containers (2 vCPU, 2 GB) a VCH's pool holds; VIC itself never says."""

    memory_mb: int  # the pool's memory: the limit, or all of the compute resource when unlimited
    memory_left_mb: int  # after the endpoint VM
    by_memory: int
    cpu_mhz: int
    container_mhz: int  # one busy default container (0 when the core speed is unknown)
    busy_by_cpu: int | None  # how many can run flat out at once (None when the core speed is unknown)
    memory_limited: bool
    cpu_limited: bool


def _positive_int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def default_containers_fit(spec: VchSpec, cap: Capacity) -> Fit:
    res = spec.resources
    memory_limit, cpu_limit = _positive_int(res.memory), _positive_int(res.cpu)
    memory = memory_limit or cap.memory_mb
    endpoint_mb = _positive_int(res.endpoint_memory) or 0
    left = max(memory - endpoint_mb, 0)
    cpu = cpu_limit or cap.cpu_mhz
    container_mhz = DEFAULT_CONTAINER_VCPUS * cap.core_mhz
    busy = None
    if container_mhz:
        endpoint_mhz = (_positive_int(res.endpoint_cpu) or 0) * cap.core_mhz
        busy = max(cpu - endpoint_mhz, 0) // container_mhz
    return Fit(
        memory,
        left,
        left // DEFAULT_CONTAINER_MEMORY_MB,
        cpu,
        container_mhz,
        busy,
        memory_limit is not None,
        cpu_limit is not None,
    )
