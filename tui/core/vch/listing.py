"""The VCHs on a target: endpoint VMs carrying VIC's `guestinfo.vice.` configuration (made by vch-tui, or by
vic-machine where its name key is readable). `read_vchs` for the endpoint VMs (tui.core.vch.site adds leftovers for `ls`), `find_vch` for one by name, `inspect_vch`
for everything `inspect` shows. All reads are bulk: a listing costs three vSphere calls.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from tui.core.errors import InvalidInput, VchError
from tui.core.vch.endpoint import (
    CONTAINER_ID_KEY,
    DOCKER_HOST_KEY,
    DOCKER_PORT_KEY,
    NAME_KEY,
    STATE_CREATED,
    STATE_CREATING,
    STATE_KEY,
    TlsFacts,
    spec_from_guestinfo,
    tls_facts_from_guestinfo,
)
from tui.core.spec.model import VchSpec

# state column values
CREATED = STATE_CREATED
INCOMPLETE = "incomplete"  # a create that was interrupted (killed): `delete` removes it
FOREIGN = "vic-machine"  # no vch-tui keys: made by vic-machine or another tool

VM_PATHS = ["name", "runtime.powerState", "config.extraConfig", "resourcePool", "parent", "guest.ipAddress",
            "config.files.vmPathName"]


@dataclass
class VchSummary:
    name: str
    path: str  # the inventory path of the VCH's resource pool
    endpoint_vm: str
    power: str
    docker_host: str | None
    state: str = CREATED
    id: str = ""  # the endpoint VM's managed object id

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class VchRecord:
    """One VCH as read from vSphere: the summary plus the references `inspect` and `delete` need."""

    summary: VchSummary
    vm: Any
    extra: dict[str, str]
    pool: Any
    folder: Any
    guest_ip: str | None
    vm_path: str | None  # "[datastore1] vch1/vch1.vmx"
    paths: Any = None  # query.PathIndex over folders, pools and compute resources
    kinds: dict[str, str] = field(default_factory=dict)  # moid → "folder", "pool", "root-pool", "datacenter"

    @property
    def name(self) -> str:
        return self.summary.name


def _state(extra: dict[str, str]) -> str:
    value = extra.get(STATE_KEY)
    if value == STATE_CREATED:
        return CREATED
    if value == STATE_CREATING:
        return INCOMPLETE
    return FOREIGN


def _docker_host(extra: dict[str, str], guest_ip: str | None) -> str | None:
    if extra.get(DOCKER_HOST_KEY):
        return extra[DOCKER_HOST_KEY]
    if guest_ip and _state(extra) != INCOMPLETE:
        return f"{guest_ip}:{extra.get(DOCKER_PORT_KEY) or 2376}"
    return None


def read_vchs(session) -> list[VchRecord]:
    from pyVmomi import vim

    from tui.core.vsphere.inventory import retrieve_many
    from tui.core.vsphere.query import PathIndex

    found = retrieve_many(session, {
        vim.VirtualMachine: VM_PATHS, vim.ResourcePool: ["name", "parent"], vim.ComputeResource: ["name", "parent"],
        vim.Folder: ["name", "parent"], vim.Datacenter: ["name", "parent"],
    })
    index = PathIndex([o for t in (vim.ResourcePool, vim.ComputeResource, vim.Folder, vim.Datacenter)
                       for o in found[t]])
    kinds = {o.moid: "folder" for o in found[vim.Folder]}
    kinds.update({o.moid: "datacenter" for o in found[vim.Datacenter]})
    compute_ids = {o.moid for o in found[vim.ComputeResource]}
    for o in found[vim.ResourcePool]:
        parent = o.get("parent")
        kinds[o.moid] = "root-pool" if parent is not None and parent._moId in compute_ids else "pool"
    out = []
    for vm in found[vim.VirtualMachine]:
        extra = {opt.key: str(opt.value) for opt in (vm.get("config.extraConfig") or [])}
        name = extra.get(NAME_KEY)
        if not name or CONTAINER_ID_KEY in extra:
            continue
        pool = vm.get("resourcePool")
        guest_ip = vm.get("guest.ipAddress")
        summary = VchSummary(name=name, path=index.path(pool), endpoint_vm=vm.get("name"),
                             power=str(vm.get("runtime.powerState")), docker_host=_docker_host(extra, guest_ip),
                             state=_state(extra), id=vm.moid)
        out.append(VchRecord(summary, vm.obj, extra, pool, vm.get("parent"), guest_ip,
                             vm.get("config.files.vmPathName"), index, kinds))
    return sorted(out, key=lambda r: (r.summary.name, r.summary.path))


def find_vch(session, name: str) -> VchRecord:
    """The VCH called `name`; InvalidInput (exit 2) naming the VCHs that exist when there is none, or when
    the name is ambiguous (give the endpoint VM's id instead, as `ls --json` shows it)."""
    records = read_vchs(session)
    matches = [r for r in records if r.summary.name == name or r.summary.id == name]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        known = ", ".join(sorted({r.summary.name for r in records})) or "none"
        raise InvalidInput(f"there is no VCH named {name!r} on this target", field="NAME",
                           hint=f"VCHs here: {known} (see vch-tui ls)")
    raise InvalidInput(f"{len(matches)} VCHs are named {name!r}", field="NAME",
                       hint="name one by its endpoint VM id instead: " + ", ".join(
                           f"{r.summary.id} ({r.summary.path})" for r in matches))


# --- inspect --------------------------------------------------------------------------------------

@dataclass
class PoolSettings:
    cpu_limit: int
    cpu_reservation: int
    cpu_shares: str
    memory_limit: int
    memory_reservation: int
    memory_shares: str

    @staticmethod
    def of(config) -> "PoolSettings":
        def shares(info) -> str:
            return str(info.shares) if info.level == "custom" else info.level

        cpu, mem = config.cpuAllocation, config.memoryAllocation
        return PoolSettings(cpu.limit, cpu.reservation, shares(cpu.shares), mem.limit, mem.reservation,
                            shares(mem.shares))


@dataclass
class ContainerVm:
    name: str
    power: str
    ref: Any = None
    is_container: bool = True  # False: a VM in the VCH's pool or folder that VIC did not create


@dataclass
class VchInspection:
    summary: VchSummary
    spec: VchSpec | None
    spec_error: str | None
    tls: TlsFacts | None
    address: str | None
    pool: PoolSettings | None
    containers: list[ContainerVm]
    docker_env: dict[str, str]
    api: str | None = None  # what the Docker API answered, or None when not probed / no answer
    api_error: str | None = None

    def to_json(self) -> dict:
        from tui.core.spec.answers import answers_dict

        data = {
            "summary": self.summary.to_json(),
            "spec": answers_dict(self.spec) if self.spec else None,
            "spec_error": self.spec_error,
            "tls": asdict(self.tls) if self.tls else None,
            "address": self.address,
            "resource_pool": asdict(self.pool) if self.pool else None,
            "containers": [{"name": c.name, "power": c.power, "vic_container": c.is_container}
                           for c in self.containers],
            "docker_env": self.docker_env,
            "api": self.api,
            "api_error": self.api_error,
        }
        return data


def vch_members(session, record: VchRecord) -> list[ContainerVm]:
    """The other VMs in the VCH's own pool or folder (not a root pool, not the datacenter's VM folder)."""
    from pyVmomi import vim

    from tui.core.vsphere.inventory import retrieve_many

    containers = []
    owned = [c for c in (own_pool(record), own_folder(record)) if c is not None]
    seen = {record.summary.id}
    for container in owned:
        for vm in retrieve_many(session, {vim.VirtualMachine: ["name", "runtime.powerState", "config.extraConfig"]},
                                container=container)[vim.VirtualMachine]:
            if vm.moid in seen:
                continue
            seen.add(vm.moid)
            keys = {o.key for o in (vm.get("config.extraConfig") or [])}
            containers.append(ContainerVm(vm.get("name"), str(vm.get("runtime.powerState")), vm.obj,
                                          CONTAINER_ID_KEY in keys))
    return sorted(containers, key=lambda c: c.name)


def own_pool(record: VchRecord):
    """The VCH's resource pool: the endpoint's pool when it carries the VCH name and is not a root pool."""
    pool = record.pool
    if pool is None or record.kinds.get(pool._moId) != "pool":
        return None
    return pool if record.paths.path(pool).rsplit("/", 1)[-1] == record.name else None


def own_folder(record: VchRecord):
    """The VCH's VM folder: the endpoint's folder when it carries the VCH name and is not a datacenter's."""
    folder = record.folder
    if folder is None or record.kinds.get(folder._moId) != "folder":
        return None
    parent = record.paths.parent(folder)
    if parent is None or record.kinds.get(parent._moId) == "datacenter":
        return None  # the datacenter's own VM folder
    return folder if record.paths.path(folder).rsplit("/", 1)[-1] == record.name else None


def inspect_vch(session, name: str, *, probe: bool = True) -> VchInspection:
    from pyVmomi import vim

    from tui.core.vsphere.wait import Waiter

    record = find_vch(session, name)
    extra = record.extra
    spec, spec_error = None, None
    try:
        spec = spec_from_guestinfo(extra)
    except (VchError, ValueError) as exc:
        spec_error = str(exc)
    tls = tls_facts_from_guestinfo(extra)
    pool = own_pool(record)
    settings = None
    if pool is not None:
        config = Waiter(session).read(pool, vim.ResourcePool, ["config"]).get("config")
        settings = PoolSettings.of(config) if config is not None else None
    address = record.guest_ip
    host = record.summary.docker_host
    if host and not address:
        address = host.rsplit(":", 1)[0]
    result = VchInspection(record.summary, spec, spec_error, tls, address, settings, vch_members(session, record),
                           {})
    if spec is not None and host:
        from tui.core.vch.tls_bridge import TlsWork

        work = TlsWork.existing(spec, tls)
        result.docker_env = work.docker_env(*_split_host(host))
        if probe:
            try:
                result.api = work.probe(*_split_host(host))
            except VchError as exc:
                result.api_error = str(exc)
    return result


def _split_host(host: str) -> tuple[str, int]:
    address, _, port = host.rpartition(":")
    return address, int(port)


# --- what inspect shows, as sections of (label, value) rows: the CLI prints them, the TUI lays them out --

def _limit_text(limit: int | None, reservation: int | None, shares: str, unit: str) -> str:
    lim = f"{limit} {unit}" if limit not in (None, -1, 0) else "unlimited"
    return f"limit {lim}, reservation {reservation or 0} {unit}, shares {shares}"


def _role_text(spec: VchSpec, role: str) -> str:
    net = spec.role(role)
    pg = spec.effective_port_group(role)
    text = pg + ("" if net.port_group or role == "public" else f" (same as {'public' if role == 'client' else 'client'})")
    if net.ip:
        text += f", {net.ip}"
    if net.gateway:
        text += f", gateway {net.gateway}"
    return text


def inspection_sections(result: VchInspection) -> list[tuple[str, list[tuple[str, str]]]]:
    s = result.summary
    state = {CREATED: "created", INCOMPLETE: "INCOMPLETE: an interrupted create left it (vch-tui delete removes it)",
             FOREIGN: "not created by vch-tui"}[s.state]
    if result.api:
        api = f"answers ({result.api})"
    elif result.api_error:
        api = f"does NOT answer: {result.api_error}"
    else:
        api = "not checked"
    sections = [("VCH", [("name", s.name), ("state", state), ("path", s.path), ("endpoint VM", f"{s.endpoint_vm} ({s.id})"),
                         ("power", s.power), ("address", result.address or "-"), ("docker host", s.docker_host or "-"),
                         ("docker API", api)])]
    spec = result.spec
    rows: list[tuple[str, str]] = []
    if result.pool is not None:
        p = result.pool
        rows += [("CPU", _limit_text(p.cpu_limit, p.cpu_reservation, p.cpu_shares, "MHz")),
                 ("memory", _limit_text(p.memory_limit, p.memory_reservation, p.memory_shares, "MB"))]
    elif spec is not None:
        r = spec.resources
        rows += [("CPU", _limit_text(r.cpu, r.cpu_reservation, r.cpu_shares, "MHz") + " (recorded)"),
                 ("memory", _limit_text(r.memory, r.memory_reservation, r.memory_shares, "MB") + " (recorded)")]
    if spec is not None:
        rows.append(("endpoint VM", f"{spec.resources.endpoint_cpu} vCPU, {spec.resources.endpoint_memory} MB"))
    if rows:
        sections.append(("Resources", rows))
    if spec is not None:
        nets = [("bridge", f"{spec.effective_bridge_network()} (range {spec.bridge_network_range})")]
        nets += [(role, _role_text(spec, role)) for role in ("public", "client", "management")]
        for cn in spec.container_networks:
            extra = f", gateway {cn.gateway}" if cn.gateway else ", DHCP"
            if cn.ip_range:
                extra += f", ranges {' '.join(cn.ip_range)}"
            nets.append(("container", f"{cn.port_group} as {cn.effective_alias()}: firewall {cn.firewall}{extra}"))
        sections.append(("Networks", nets))
    elif result.spec_error:
        sections.append(("Spec", [("error", result.spec_error)]))
    if result.tls is not None:
        t = result.tls
        tls_rows = [("mode", t.mode)]
        if t.server_sha256:
            tls_rows.append(("server cert", f"SHA-256 {t.server_sha256}"))
        if t.not_after:
            tls_rows.append(("expires", t.not_after))
        if t.ca_sha256:
            tls_rows.append(("CA", f"SHA-256 {t.ca_sha256}"))
        if t.client_sha256:
            tls_rows.append(("client cert", f"SHA-256 {t.client_sha256}"))
        if t.cert_path:
            tls_rows.append(("certificates", t.cert_path))
        sections.append(("TLS", tls_rows))
    running = sum(1 for c in result.containers if c.power == "poweredOn")
    members = [(c.name, c.power + ("" if c.is_container else " (not a VIC container)")) for c in result.containers]
    sections.append((f"Containers ({len(result.containers)}, {running} powered on)", members))
    if result.docker_env:
        sections.append(("Docker environment", list(result.docker_env.items())))
    return sections
