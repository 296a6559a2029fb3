"""What `inspect` shows about one VCH: everything vic-machine's inspect prints (versions, upgrade status, ID,
admin portal, bridge range and width, published and management addresses, docker environment, how to connect)
plus the spec rebuilt from VIC's configuration (networks, container networks with firewall levels, stores,
limits from the VCH's pool, TLS mode and certificate expiry), the container VMs, and the Docker API probe.
`inspection_sections` lays it out as (label, value) rows for the CLI and the TUI alike. No secret is read.
"""

from __future__ import annotations

import shlex
from dataclasses import asdict, dataclass, field
from typing import Any

from tui.core.errors import VchError
from tui.core.spec.model import VchSpec
from tui.core.vch.endpoint import TlsFacts
from tui.core.vch.listing import CREATED, CREATING, ContainerVm, VchRecord, VchSummary, find_vch, own_pool, vch_members
from tui.core.vch.vic_version import KNOWN_RELEASE
from tui.core.vic import read

ADMIN_PORTAL_PORT = 2378


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
        return PoolSettings(
            cpu.limit, cpu.reservation, shares(cpu.shares), mem.limit, mem.reservation, shares(mem.shares)
        )


@dataclass
class VicFacts:
    """The lines of vic-machine inspect that are not the spec."""

    vch_version: str
    upgrade_status: str
    installer: str = KNOWN_RELEASE  # the VIC release vch-tui speaks
    admin_portal: str | None = None
    bridge_range: str | None = None
    bridge_width: int | None = None
    published_ip: str | None = None  # the public NIC's address: where published ports are reached
    management_ip: str | None = None


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
    vic: VicFacts | None = None
    create_command: str | None = None  # the equivalent vic-machine create (inspect --config)
    docker_command: str | None = None
    extras: dict[str, Any] = field(default_factory=dict)  # registries, proxies, ops user (not in the spec)

    def to_json(self) -> dict:
        from tui.core.spec.answers import answers_dict

        return {
            "summary": self.summary.to_json(),
            "spec": answers_dict(self.spec) if self.spec else None,
            "spec_error": self.spec_error,
            "tls": asdict(self.tls) if self.tls else None,
            "address": self.address,
            "resource_pool": asdict(self.pool) if self.pool else None,
            "containers": [
                {"name": c.name, "power": c.power, "vic_container": c.is_container} for c in self.containers
            ],
            "docker_env": self.docker_env,
            "api": self.api,
            "api_error": self.api_error,
            "vic": asdict(self.vic) if self.vic else None,
            "create_command": self.create_command,
            "extras": self.extras,
        }


# --- reading ----------------------------------------------------------------------------------------


def network_names(session) -> dict[str, str]:
    """Port group moref as VIC records it (`Network:network-7`, `DistributedVirtualPortgroup:dvportgroup-9`) →
    its name."""
    from pyVmomi import vim

    from tui.core.vsphere.inventory import retrieve

    return {f"{o.obj._wsdlName}:{o.moid}": o.get("name") for o in retrieve(session, vim.Network, ["name"])}


def _allocation(info):
    from tui.core.vic.to_spec import Allocation

    return Allocation(
        limit=info.limit if info.limit is not None else -1,
        reservation=info.reservation or 0,
        level=str(info.shares.level),
        shares=int(info.shares.shares or 0),
    )


def tls_facts(extra: dict[str, str]) -> TlsFacts:
    """TLS mode, the server certificate's SHA-256 and expiry, the client CA's SHA-256, from VIC's `cert/*`."""
    from tui.core.tls.pem import sha256_fingerprint

    def first_cert(pem: bytes | None):
        if not pem:
            return None
        from cryptography import x509

        try:
            return x509.load_pem_x509_certificate(pem)
        except ValueError:
            return None

    server = first_cert(read.server_certificate_pem(extra))
    ca_pem = None
    try:
        import base64

        text = extra.get(read.CA_KEY) or ""
        ca_pem = base64.b64decode(text) if text and text != "<nil>" else None
    except ValueError:
        ca_pem = None
    ca = first_cert(ca_pem)
    expiry = read.certificate_expiry(extra)
    return TlsFacts(
        mode=read.tls_mode(extra).value,
        server_sha256=sha256_fingerprint(server) if server else None,
        ca_sha256=sha256_fingerprint(ca) if ca else None,
        not_after=expiry.isoformat() if expiry else None,
    )


def _vic_facts(record: VchRecord, cfg) -> VicFacts:
    from tui.core.vic import goip

    extra = record.extra
    client = read.client_ip(extra)
    network = cfg.network if cfg is not None else None
    width = goip.mask_prefixlen(network.bridge_network_width) if network and network.bridge_network_width else None
    return VicFacts(
        record.summary.version,
        record.summary.upgrade_status,
        admin_portal=f"https://{client}:{ADMIN_PORTAL_PORT}" if client else None,
        bridge_range=network.bridge_ip_range.cidr() if network and network.bridge_ip_range else None,
        bridge_width=width,
        published_ip=read.assigned_ip(extra, "public"),
        management_ip=read.assigned_ip(extra, "management"),
    )


def _spec_from_vic(session, record: VchRecord, pool_config):
    """(config, spec, extras) rebuilt from VIC's keys; limits from the VCH pool, endpoint size from the VM."""
    from pyVmomi import vim

    from tui.core.spec.model import Resources
    from tui.core.vic.config import decode
    from tui.core.vic.to_spec import extras_from_config, resources_from_pool, spec_from_config
    from tui.core.vsphere.wait import Waiter

    cfg = decode(record.extra, key=None)
    hardware = Waiter(session).read(
        record.vm, vim.VirtualMachine, ["config.hardware.numCPU", "config.hardware.memoryMB"]
    )
    cpus, memory = hardware.get("config.hardware.numCPU") or 1, hardware.get("config.hardware.memoryMB") or 2048
    if pool_config is not None:
        resources = resources_from_pool(
            _allocation(pool_config.cpuAllocation),
            _allocation(pool_config.memoryAllocation),
            endpoint_cpu=int(cpus),
            endpoint_memory=int(memory),
        )
    else:
        resources = Resources(endpoint_cpu=int(cpus), endpoint_memory=int(memory))
    spec = spec_from_config(cfg, network_names=network_names(session), resources=resources)
    return cfg, spec, extras_from_config(cfg)


def _create_command(session, record: VchRecord, spec: VchSpec, cfg, extras) -> str:
    from dataclasses import replace

    from tui.core.spec.vicmachine import to_vic_machine_command

    target = getattr(session, "target", None)
    dc_name = record.paths.path(record.datacenter).rsplit("/", 1)[-1] if record.datacenter is not None else None
    if target is not None and dc_name:
        target = replace(target, datacenter=dc_name, password=None)
    text = to_vic_machine_command(spec, target, None, cfg.connect.target_thumbprint or None, multiline=True)
    more: list[list[str]] = []
    if extras.ops_user:
        more.append(["--ops-user", extras.ops_user])
    return text + "".join(" \\\n    " + shlex.join(words) for words in more)


def inspect_vch(session, name: str, *, probe: bool = True) -> VchInspection:
    from pyVmomi import vim

    from tui.core.vsphere.wait import Waiter

    record = find_vch(session, name)
    pool = own_pool(record)
    pool_config = Waiter(session).read(pool, vim.ResourcePool, ["config"]).get("config") if pool is not None else None
    settings = PoolSettings.of(pool_config) if pool_config is not None else None
    spec, spec_error, cfg, extras, command = None, None, None, None, None
    tls = tls_facts(record.extra)
    try:
        cfg, spec, extras = _spec_from_vic(session, record, pool_config)
        command = _create_command(session, record, spec, cfg, extras)
    except (VchError, ValueError, KeyError) as exc:
        spec_error = f"VIC's configuration cannot be read: {exc}"
    host = record.summary.docker_host
    address = host.rsplit(":", 1)[0].strip("[]") if host else None
    result = VchInspection(
        record.summary,
        spec,
        spec_error,
        tls,
        address,
        settings,
        vch_members(session, record),
        {},
        vic=_vic_facts(record, cfg),
        create_command=command,
    )
    if extras is not None:
        result.extras = {k: v for k, v in asdict(extras).items() if v and k != "explicit"}
    if spec is not None and host:
        from tui.core.vch.tls_bridge import TlsWork

        work = TlsWork.existing(spec, tls)
        result.docker_env = work.docker_env(*_split_host(host))
        docker_host = result.docker_env.get("DOCKER_HOST", host).removeprefix("tcp://")
        flag = {"tlsverify": " --tlsverify", "no-tlsverify": " --tls"}.get(tls.mode if tls else "", "")
        result.docker_command = f"docker -H {docker_host}{flag} info"
        if probe:
            try:
                result.api = work.probe(*_split_host(host))
            except VchError as exc:
                result.api_error = str(exc)
    return result


def _split_host(host: str) -> tuple[str, int]:
    address, _, port = host.rpartition(":")
    return address.strip("[]"), int(port)


# --- what inspect shows, as sections of (label, value) rows: the CLI prints them, the TUI lays them out --


def _limit_text(limit: int | None, reservation: int | None, shares: str, unit: str) -> str:
    lim = f"{limit} {unit}" if limit not in (None, -1, 0) else "unlimited"
    return f"limit {lim}, reservation {reservation or 0} {unit}, shares {shares}"


def _role_text(spec: VchSpec, role: str) -> str:
    net = spec.role(role)
    pg = spec.effective_port_group(role)
    text = pg + (
        "" if net.port_group or role == "public" else f" (same as {'public' if role == 'client' else 'client'})"
    )
    if net.ip:
        text += f", {net.ip}"
    if net.gateway:
        text += f", gateway {net.gateway}"
    return text


def _state_text(s: VchSummary) -> str:
    return {
        CREATED: "created",
        CREATING: "CREATING: its create has not finished (or was interrupted: "
        f"vch-tui delete {shlex.quote(s.name)} removes it)",
    }.get(s.state, s.state)


def inspection_sections(result: VchInspection) -> list[tuple[str, list[tuple[str, str]]]]:
    s = result.summary
    if result.api:
        api = f"answers ({result.api})"
    elif result.api_error:
        api = f"does NOT answer: {result.api_error}"
    else:
        api = "not checked" if s.docker_host else "no client address assigned yet"
    rows = [
        ("name", s.name),
        ("state", _state_text(s)),
        ("ID", s.id),
        ("path", s.path),
        ("endpoint VM", s.endpoint_vm),
        ("power", s.power),
    ]
    vic = result.vic
    if vic is not None:
        rows += [
            ("VCH version", vic.vch_version or "-"),
            ("upgrade status", f"{vic.upgrade_status} (vch-tui speaks VIC {vic.installer})"),
        ]
    rows += [("address", result.address or "-"), ("docker host", s.docker_host or "-"), ("docker API", api)]
    if vic is not None:
        rows += [
            ("admin portal", vic.admin_portal or "-"),
            ("published ports at", vic.published_ip or "-"),
            ("management traffic", vic.management_ip or "-"),
        ]
    sections = [("VCH", rows)]
    spec = result.spec
    res_rows: list[tuple[str, str]] = []
    if result.pool is not None:
        p = result.pool
        res_rows += [
            ("CPU", _limit_text(p.cpu_limit, p.cpu_reservation, p.cpu_shares, "MHz")),
            ("memory", _limit_text(p.memory_limit, p.memory_reservation, p.memory_shares, "MB")),
        ]
    if spec is not None:
        res_rows.append(("endpoint VM", f"{spec.resources.endpoint_cpu} vCPU, {spec.resources.endpoint_memory} MB"))
    if res_rows:
        sections.append(("Resources", res_rows))
    if spec is not None:
        bridge = f"{spec.effective_bridge_network()} (range {spec.bridge_network_range}"
        if vic is not None and vic.bridge_width:
            bridge += f", width {vic.bridge_width}"
        nets = [("bridge", bridge + ")")]
        nets += [(role, _role_text(spec, role)) for role in ("public", "client", "management")]
        if spec.dns_server:
            nets.append(("DNS", " ".join(spec.dns_server)))
        for cn in spec.container_networks:
            extra = f", gateway {cn.gateway}" if cn.gateway else ", DHCP"
            if cn.ip_range:
                extra += f", ranges {' '.join(cn.ip_range)}"
            if cn.dns:
                extra += f", DNS {' '.join(cn.dns)}"
            nets.append(("container", f"{cn.port_group} as {cn.effective_alias()}: firewall {cn.firewall}{extra}"))
        sections.append(("Networks", nets))
        stores = [("images", spec.image_store or "-")]
        stores += [("volumes", v) for v in spec.volume_store]
        sections.append(("Storage", stores))
    if result.spec_error:
        sections.append(("Spec", [("error", result.spec_error)]))
    if result.tls is not None:
        t = result.tls
        tls_rows = [("mode", t.mode)]
        if t.server_sha256:
            tls_rows.append(("server cert", f"SHA-256 {t.server_sha256}"))
        if t.not_after:
            tls_rows.append(("expires", t.not_after))
        if t.ca_sha256:
            tls_rows.append(("client CA", f"SHA-256 {t.ca_sha256}"))
        if t.client_sha256:
            tls_rows.append(("client cert", f"SHA-256 {t.client_sha256}"))
        if t.cert_path:
            tls_rows.append(("certificates", t.cert_path))
        sections.append(("TLS", tls_rows))
    running = sum(1 for c in result.containers if c.power == "poweredOn")
    members = [(c.name, c.power + ("" if c.is_container else " (not a VIC container)")) for c in result.containers]
    sections.append((f"Containers ({len(result.containers)}, {running} powered on)", members))
    if result.docker_env:
        from tui.core.tls.envfile import shell_value

        env_rows = [(key, shell_value(value)) for key, value in result.docker_env.items()]  # as `export` takes them
        if result.docker_command:
            env_rows.append(("connect", result.docker_command))
        sections.append(("Docker environment", env_rows))
    return sections
