"""One consistent read of what a datacenter offers: compute resources, datastores, networks, names in use.

The wizard's pickers, the target validation and the provisioning plan all read this, so each question
("does port group X exist?", "is the name free?") costs no extra round trip.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tui.core.errors import InvalidInput
from tui.core.vsphere.inventory import ObjectProps, retrieve, retrieve_many


@dataclass
class ComputeResource:
    path: str  # as --compute-resource takes it: "Cluster", "Cluster/Resources/pool", "host.example.com"
    kind: str  # "cluster", "host" or "pool"
    ref: Any
    resource_pool: Any  # where the VCH pool is created
    drs: bool
    cpu_mhz: int  # effective capacity
    memory_mb: int
    hosts: frozenset[str]  # host moids
    cpu_cores: int = 0
    effective_hosts: int = 0


@dataclass
class Datastore:
    name: str
    ref: Any
    accessible: bool
    free_bytes: int
    capacity_bytes: int
    hosts: frozenset[str]


@dataclass
class Network:
    name: str
    ref: Any
    kind: str  # "dpg", "standard" or "opaque"
    hosts: frozenset[str]


@dataclass
class Inventory:
    datacenter: str
    datacenter_ref: Any
    vm_folder: Any
    compute: list[ComputeResource] = field(default_factory=list)
    datastores: dict[str, Datastore] = field(default_factory=dict)
    networks: dict[str, Network] = field(default_factory=dict)
    vm_names: set[str] = field(default_factory=set)
    folder_names: set[str] = field(default_factory=set)  # direct children of the VM folder
    pool_names: dict[str, set[str]] = field(default_factory=dict)  # compute path → child pool names

    def find_compute(self, path: str | None) -> list[ComputeResource]:
        """Candidates for --compute-resource: exact path, or a unique suffix match, or the only one."""
        if not path:
            roots = [c for c in self.compute if c.kind != "pool"]
            return roots
        exact = [c for c in self.compute if c.path == path]
        if exact:
            return exact
        return [c for c in self.compute if c.path.endswith("/" + path) or c.path.split("/")[-1] == path]

    def distributed_port_groups(self) -> list[str]:
        return sorted(n for n, net in self.networks.items() if net.kind in ("dpg", "opaque"))


MIB = 1024 * 1024
# vSphere's default name for a switch's uplink port group; the simulator sets neither its tag nor config.uplink
_UPLINK_NAME = re.compile(r"-DVUplinks-\d+$")


def _effective_memory_mb(summary) -> int:
    """effectiveMemory is MB on vCenter and ESXi; the simulator reports bytes. It never exceeds the total."""
    effective = int(getattr(summary, "effectiveMemory", 0) or 0)
    total_mb = int(getattr(summary, "totalMemory", 0) or 0) // MIB
    return min(effective, total_mb) if total_mb else effective


def _pick_datacenter(session, wanted: str | None):
    from pyVmomi import vim

    dcs = retrieve(session, vim.Datacenter, ["name", "vmFolder"])
    if wanted:
        match = [d for d in dcs if d.get("name") == wanted]
        if not match:
            raise InvalidInput(
                f"datacenter {wanted!r} not found",
                field="--target",
                hint="datacenters here: " + ", ".join(sorted(d.get("name") for d in dcs)),
            )
        return match[0]
    if len(dcs) == 1:
        return dcs[0]
    if not dcs:
        raise InvalidInput("the target has no datacenter", field="--target", hint="create one in vSphere first")
    raise InvalidInput(
        "datacenter must be specified in --target",
        field="--target",
        hint="add it to the target path, e.g. --target host/"
        + sorted(d.get("name") for d in dcs)[0]
        + "; datacenters: "
        + ", ".join(sorted(d.get("name") for d in dcs)),
    )


def load_inventory(session, datacenter: str | None = None) -> Inventory:
    from pyVmomi import vim

    dc = _pick_datacenter(session, datacenter or session.target.datacenter)
    inv = Inventory(datacenter=dc.get("name"), datacenter_ref=dc.obj, vm_folder=dc.get("vmFolder"))

    # one round trip for every type below (the datacenter pick above is the only other read)
    objects = retrieve_many(
        session,
        {
            vim.ComputeResource: ["name", "host", "resourcePool", "summary", "configurationEx"],
            vim.ResourcePool: ["name", "parent", "owner"],
            vim.Datastore: ["name", "summary", "host"],
            vim.Network: ["name", "host", "tag"],
            vim.VirtualMachine: ["name"],
            vim.Folder: ["name", "parent"],
        },
        container=dc.obj,
    )
    computes = objects[vim.ComputeResource]
    by_root_pool: dict[str, str] = {}
    for c in computes:
        is_cluster = isinstance(c.obj, vim.ClusterComputeResource)
        summary = c.get("summary")
        drs = bool(is_cluster and getattr(getattr(c.get("configurationEx"), "drsConfig", None), "enabled", False))
        root_pool = c.get("resourcePool")
        inv.compute.append(
            ComputeResource(
                path=c.get("name"),
                kind="cluster" if is_cluster else "host",
                ref=c.obj,
                resource_pool=root_pool,
                drs=drs,
                cpu_mhz=int(getattr(summary, "effectiveCpu", 0) or 0),
                memory_mb=_effective_memory_mb(summary),
                hosts=frozenset(h._moId for h in (c.get("host") or [])),
                cpu_cores=int(getattr(summary, "numCpuCores", 0) or 0),
                effective_hosts=int(getattr(summary, "numEffectiveHosts", 0) or 0),
            )
        )
        if root_pool is not None:
            by_root_pool[root_pool._moId] = c.get("name")
            inv.pool_names[c.get("name")] = set()

    pools = objects[vim.ResourcePool]
    pool_by_moid = {p.moid: p for p in pools}
    owners = {c.ref._moId: c for c in inv.compute}

    def pool_path(p: ObjectProps) -> str | None:
        if p.moid in by_root_pool:
            return by_root_pool[p.moid]
        parent = p.get("parent")
        parent_path = (
            pool_path(pool_by_moid[parent._moId]) if parent is not None and parent._moId in pool_by_moid else None
        )
        if parent_path is None:
            return None
        sep = "/Resources/" if parent._moId in by_root_pool else "/"
        return f"{parent_path}{sep}{p.get('name')}"

    for p in pools:
        if p.moid in by_root_pool:
            continue
        path = pool_path(p)
        owner = owners.get(p.get("owner")._moId) if p.get("owner") is not None else None
        if path is None or owner is None:
            continue
        parent = p.get("parent")
        parent_path = (
            pool_path(pool_by_moid[parent._moId]) if parent is not None and parent._moId in pool_by_moid else None
        )
        if parent_path is not None:
            inv.pool_names.setdefault(parent_path, set()).add(p.get("name"))
        inv.pool_names.setdefault(path, set())
        inv.compute.append(
            ComputeResource(
                path=path,
                kind="pool",
                ref=p.obj,
                resource_pool=p.obj,
                drs=owner.drs,
                cpu_mhz=owner.cpu_mhz,
                memory_mb=owner.memory_mb,
                hosts=owner.hosts,
                cpu_cores=owner.cpu_cores,
                effective_hosts=owner.effective_hosts,
            )
        )

    for d in objects[vim.Datastore]:
        s = d.get("summary")
        inv.datastores[d.get("name")] = Datastore(
            name=d.get("name"),
            ref=d.obj,
            accessible=bool(getattr(s, "accessible", False)),
            free_bytes=int(getattr(s, "freeSpace", 0) or 0),
            capacity_bytes=int(getattr(s, "capacity", 0) or 0),
            hosts=frozenset(m.key._moId for m in (d.get("host") or [])),
        )

    for n in objects[vim.Network]:
        tags = {t.key for t in (n.get("tag") or [])}
        if "SYSTEM/DVS.UPLINKPG" in tags or _UPLINK_NAME.search(n.get("name") or ""):
            continue
        kind = (
            "dpg"
            if isinstance(n.obj, vim.dvs.DistributedVirtualPortgroup)
            else "opaque"
            if isinstance(n.obj, vim.OpaqueNetwork)
            else "standard"
        )
        inv.networks[n.get("name")] = Network(
            n.get("name"), n.obj, kind, frozenset(h._moId for h in (n.get("host") or []))
        )

    inv.vm_names.update(vm.get("name") for vm in objects[vim.VirtualMachine])
    if inv.vm_folder is not None:
        vm_folder = inv.vm_folder._moId
        inv.folder_names.update(
            f.get("name")
            for f in objects[vim.Folder]
            if f.get("parent") is not None and f.get("parent")._moId == vm_folder
        )
    return inv
