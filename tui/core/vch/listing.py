"""The VCHs on a target, recognised and read as vic-machine does (VIC's lib/install/management finder): an endpoint VM
whose hidden `init/common/name` is set and whose `init/common/id` is its own moref or `CreatingVCH`.

`read_vchs` for the endpoint VMs (tui.core.vch.site adds leftovers of interrupted runs for `ls`), `find_vch` for
one by name or id, `vch_members`, `own_pool`, `own_folder` for what `inspect` and `delete` look at. Only the
datacenter `--target` names is looked at. All reads are bulk: a listing costs three vSphere calls. No secret is
needed or read.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from typing import Any

from tui.core.errors import InvalidInput, VicConfigError
from tui.core.vch.vic_version import short, upgrade_status
from tui.core.vic import read

log = logging.getLogger(__name__)

# state column values
CREATED = "created"
CREATING = "creating"  # init/common/id is still CreatingVCH: a create running, or one that was interrupted
INCOMPLETE = "incomplete"  # leftovers of an interrupted vch-tui run without an endpoint VM (its journal)

VM_PATHS = [
    "name",
    "runtime.powerState",
    "config.extraConfig",
    "resourcePool",
    "parent",
    "config.files.vmPathName",
    "config.uuid",
    "disabledMethod",
]


@dataclass
class VchSummary:
    name: str
    path: str  # the inventory path of the VCH's resource pool
    endpoint_vm: str
    power: str
    docker_host: str | None
    state: str = CREATED
    id: str = ""  # the endpoint VM's managed object id (vic-machine's ID column)
    version: str = ""  # init/version as vic-machine prints it: v1.5.8-0-2c978fe
    upgrade_status: str = ""

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class VchRecord:
    """One VCH as read from vSphere: the summary plus the references `inspect` and `delete` need."""

    summary: VchSummary
    vm: Any
    extra: dict[str, str]
    pool: Any  # the endpoint VM's resource pool
    folder: Any
    vm_path: str | None  # "[datastore1] vch1/vch1.vmx"
    paths: Any = None  # query.PathIndex over folders, pools, compute resources and datacenters
    kinds: dict[str, str] = field(default_factory=dict)  # moid → "folder", "pool", "root-pool", "datacenter"
    uuid: str | None = None  # the VM's BIOS uuid: its image store folder is `<image store>/VIC/<uuid>`
    disabled_methods: tuple[str, ...] = ()  # e.g. ("Destroy_Task",): what VIC protected
    datacenter: Any = None

    @property
    def name(self) -> str:
        return self.summary.name


def docker_host(extra: dict[str, str]) -> str | None:
    """`client IP:port` once the appliance reports its client address; None before."""
    address = read.client_ip(extra)
    if not address:
        return None
    port = read.docker_port(extra) or (2375 if read.tls_mode(extra).value == "no-tls" else 2376)
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


def _summary(vm, extra: dict[str, str], path: str) -> VchSummary | None:
    """The summary when `vm` is a VCH endpoint by VIC's own keys (vch-tui's VCHs and vic-machine's alike)."""
    moid = vm.moid
    if read.is_vch(extra, moid):
        build = read.version(extra)
        return VchSummary(
            name=read.vch_name(extra) or "",
            path=path,
            endpoint_vm=vm.get("name"),
            power=str(vm.get("runtime.powerState")),
            docker_host=docker_host(extra),
            state=CREATING if read.is_creating(extra) else CREATED,
            id=moid,
            version=short(build),
            upgrade_status=upgrade_status(build, extra),
        )
    return None


def skip_malformed(vm_name: str, exc: BaseException) -> None:
    """A VM whose VIC keys cannot be read is left out with a warning naming it (the CLI prints warnings on
    stderr), never a crash of ls, inspect or top."""
    log.warning(
        "warning: VM %s skipped: its VIC configuration (guestinfo) is malformed: %s",
        vm_name,
        str(exc) or type(exc).__name__,
    )


def read_vchs(session) -> list[VchRecord]:
    from pyVmomi import vim

    from tui.core.vsphere.datacenter_scope import check_datacenter, wanted_datacenter
    from tui.core.vsphere.inventory import retrieve_many
    from tui.core.vsphere.query import PathIndex

    found = retrieve_many(
        session,
        {
            vim.VirtualMachine: VM_PATHS,
            vim.ResourcePool: ["name", "parent"],
            vim.ComputeResource: ["name", "parent"],
            vim.Folder: ["name", "parent"],
            vim.Datacenter: ["name", "parent"],
        },
    )
    wanted = wanted_datacenter(session)
    check_datacenter(wanted, [o.get("name") for o in found[vim.Datacenter]])
    index = PathIndex(
        [o for t in (vim.ResourcePool, vim.ComputeResource, vim.Folder, vim.Datacenter) for o in found[t]]
    )
    kinds = {o.moid: "folder" for o in found[vim.Folder]}
    kinds.update({o.moid: "datacenter" for o in found[vim.Datacenter]})
    dc_names = {o.moid: o.get("name") for o in found[vim.Datacenter]}
    compute_ids = {o.moid for o in found[vim.ComputeResource]}
    for o in found[vim.ResourcePool]:
        parent = o.get("parent")
        kinds[o.moid] = "root-pool" if parent is not None and parent._moId in compute_ids else "pool"
    out = []
    for vm in found[vim.VirtualMachine]:
        extra = {opt.key: str(opt.value) for opt in (vm.get("config.extraConfig") or [])}
        pool = vm.get("resourcePool")
        try:
            recognised = _summary(vm, extra, index.path(pool))
        except (VicConfigError, ValueError, TypeError, KeyError, IndexError) as exc:
            skip_malformed(vm.get("name") or vm.moid, exc)
            continue
        if recognised is None:
            continue
        summary = recognised
        datacenter = vm.get("parent")
        while datacenter is not None and kinds.get(datacenter._moId) != "datacenter":
            datacenter = index.parent(datacenter)
        if wanted and (datacenter is None or dc_names.get(datacenter._moId) != wanted):
            continue
        out.append(
            VchRecord(
                summary,
                vm.obj,
                extra,
                pool,
                vm.get("parent"),
                vm.get("config.files.vmPathName"),
                index,
                kinds,
                vm.get("config.uuid"),
                tuple(str(m) for m in (vm.get("disabledMethod") or ())),
                datacenter,
            )
        )
    return sorted(out, key=lambda r: (r.summary.name, r.summary.path))


def find_vch(session, name: str, records: list[VchRecord] | None = None) -> VchRecord:
    """The VCH called `name` (among `records`, default: read them); InvalidInput (exit 2) naming the VCHs that
    exist when there is none, or when the name is ambiguous (give the endpoint VM's id instead, as `ls` shows)."""
    records = read_vchs(session) if records is None else records
    matches = [r for r in records if r.summary.name == name or r.summary.id == name]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        known = ", ".join(sorted({r.summary.name for r in records})) or "none"
        raise InvalidInput(
            f"there is no VCH named {name!r} on this target", field="NAME", hint=f"VCHs here: {known} (see vch-tui ls)"
        )
    raise InvalidInput(
        f"{len(matches)} VCHs are named {name!r}",
        field="NAME",
        hint="name one by its endpoint VM id instead: "
        + ", ".join(f"{r.summary.id} ({r.summary.path})" for r in matches),
    )


# --- what belongs to a VCH -----------------------------------------------------------------------------


@dataclass
class ContainerVm:
    name: str
    power: str
    ref: Any = None
    is_container: bool = True  # False: a VM in the VCH's pool or folder that VIC did not create
    disabled_methods: tuple[str, ...] = ()


def vch_members(session, record: VchRecord) -> list[ContainerVm]:
    """The other VMs in the VCH's own pool or folder (not a root pool, not the datacenter's VM folder).
    Container VMs carry VIC's `guestinfo.vice./common/id`; another VCH's endpoint never counts as one."""
    from pyVmomi import vim

    from tui.core.vsphere.inventory import retrieve_many

    containers = []
    owned = [c for c in (own_pool(record), own_folder(record)) if c is not None]
    seen = {record.summary.id}
    for container in owned:
        for vm in retrieve_many(
            session,
            {vim.VirtualMachine: ["name", "runtime.powerState", "config.extraConfig", "disabledMethod"]},
            container=container,
        )[vim.VirtualMachine]:
            if vm.moid in seen:
                continue
            seen.add(vm.moid)
            extra = {o.key: str(o.value) for o in (vm.get("config.extraConfig") or [])}
            is_container = read.is_container_vm(extra) and not read.is_vch(extra, vm.moid)
            containers.append(
                ContainerVm(
                    vm.get("name"),
                    str(vm.get("runtime.powerState")),
                    vm.obj,
                    is_container,
                    tuple(str(m) for m in (vm.get("disabledMethod") or ())),
                )
            )
    return sorted(containers, key=lambda c: c.name)


def _own_name(record: VchRecord, obj) -> bool:
    return record.paths.path(obj).rsplit("/", 1)[-1] == record.name


def own_pool(record: VchRecord):
    """The VCH's resource pool: the one its config names (`container/ComputeResources`), when it carries the
    VCH name and is not a root pool."""
    pool = record.pool
    recorded = read.vch_pool(record.extra)
    if recorded is not None:
        if pool is None or pool._moId != recorded.value:
            from pyVmomi import vim

            pool = vim.ResourcePool(recorded.value, record.vm._stub) if record.kinds.get(recorded.value) else None
    if pool is None or record.kinds.get(pool._moId) != "pool":
        return None
    return pool if _own_name(record, pool) else None


def own_folder(record: VchRecord):
    """The VCH's VM folder: the endpoint's folder when it carries the VCH name and is not a datacenter's."""
    folder = record.folder
    if folder is None or record.kinds.get(folder._moId) != "folder":
        return None
    parent = record.paths.parent(folder)
    if parent is None or record.kinds.get(parent._moId) == "datacenter":
        return None  # the datacenter's own VM folder
    return folder if _own_name(record, folder) else None
