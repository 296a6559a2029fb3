"""The appliance's own part of the config (VIC's executor.ExecutorConfig, key `init`): identity, version,
diagnostics, the components it runs (sessions) and its NICs by role (networks). Container networks use
`ContainerNetwork` too. Field names follow VIC's Go fields; `vic(...)` gives each its key and scope.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.vic.schema import BOOL, BYTES, HIDDEN, INHERIT, INT, RW, TEXT, TEXTS, ListOf, MapOf, Ptr, Struct, vic
from tui.core.vic.values import URL, Build, IPNet, IPRange

# Firewall trust of a container network (executor.TrustLevel)
TRUST_UNSPECIFIED, TRUST_PUBLISHED, TRUST_OPEN, TRUST_CLOSED, TRUST_OUTBOUND, TRUST_PEERS = range(6)
TRUST_NAMES = {
    TRUST_PUBLISHED: "published",
    TRUST_OPEN: "open",
    TRUST_CLOSED: "closed",
    TRUST_OUTBOUND: "outbound",
    TRUST_PEERS: "peers",
}
TRUST_LEVELS = {name: level for level, name in TRUST_NAMES.items()}


@dataclass
class Common:
    """executor.Common: shared by sessions, NICs and networks."""

    execution_environment: str = vic("ExecutionEnvironment", scope=INHERIT)
    id: str = vic("id")
    name: str = vic("name")
    notes: str = vic("notes", scope=HIDDEN)


@dataclass
class ExecutorCommon:
    """executor.ExecutorConfigCommon: like Common, but the name is hidden from the guest."""

    execution_environment: str = vic("ExecutionEnvironment", scope=INHERIT)
    id: str = vic("id")
    name: str = vic("name", scope=HIDDEN)
    notes: str = vic("notes", scope=HIDDEN)


@dataclass
class SysLogConfig:
    network: str = vic("Network", scope=INHERIT)
    raddr: str = vic("RAddr", scope=INHERIT)


@dataclass
class ExitLog:
    time: str = vic("Time", scope=INHERIT, default="0001-01-01 00:00:00 +0000 UTC")  # Go time.Time.String()
    exit_status: int = vic("ExitStatus", INT, INHERIT)
    message: str = vic("Message", scope=INHERIT)


@dataclass
class Diagnostics:
    debug_level: int = vic("debug", INT)
    resurrection_count: int = vic("resurrections", INT, RW)
    exit_logs: list[ExitLog] = vic("exitlogs", ListOf(Struct(ExitLog)), RW)
    syslog: SysLogConfig | None = vic("syslog", Ptr(SysLogConfig))


@dataclass
class Cmd:
    path: str = vic("Path")
    args: list[str] = vic("Args", TEXTS)
    env: list[str] = vic("Env", TEXTS)
    dir: str = vic("Dir")


@dataclass
class Detail:
    create_time: int = vic("createtime", INT, RW)
    start_time: int = vic("starttime", INT, RW)
    stop_time: int = vic("stoptime", INT, RW)


@dataclass
class SessionConfig:
    """One component the appliance runs (docker-personality, port-layer, vicadmin)."""

    common: Common = vic("common", Struct(Common))
    cmd: Cmd = vic("cmd", Struct(Cmd))
    attach: bool = vic("attach", BOOL)
    open_stdin: bool = vic("openstdin", BOOL)
    run_block: bool = vic("runblock", BOOL, RW)
    active: bool = vic("active", BOOL)
    tty: bool = vic("tty", BOOL)
    exit_status: int = vic("status", INT, RW)
    started: str = vic("started", TEXT, RW)  # written by the appliance: "true" or an error text
    restart: bool = vic("restart", BOOL)
    stop_signal: str = vic("stopSignal")
    diagnostics: Diagnostics = vic("diagnostics", Struct(Diagnostics))
    user: str = vic("User")
    group: str = vic("Group")
    detail: Detail = vic("detail", Struct(Detail), RW)


@dataclass
class AssignedNetwork:
    gateway: IPNet = vic("gateway", Struct(IPNet), RW)
    nameservers: list[bytes] = vic("dns", ListOf(BYTES), RW)


@dataclass
class ContainerNetwork:
    """A network containers (and the appliance's NICs) attach to: `common.id` is the port group's moref."""

    common: Common = vic("Common", Struct(Common), INHERIT)
    type: str = vic("type", TEXT, RW)  # external | bridge
    destinations: list[IPNet] = vic("destinations", ListOf(Struct(IPNet)))
    gateway: IPNet = vic("gateway", Struct(IPNet))
    default: bool = vic("default", BOOL)
    nameservers: list[bytes] = vic("dns", ListOf(BYTES))
    pools: list[IPRange] = vic("pools", ListOf(Struct(IPRange)))
    aliases: list[str] = vic("aliases", TEXTS, HIDDEN)
    trust_level: int = vic("TrustLevel", INT, INHERIT)
    assigned: AssignedNetwork = vic("assigned", Struct(AssignedNetwork), RW)


@dataclass
class NetworkEndpoint:
    """One appliance NIC role (public, client, management, bridge): `common.id` is the NIC's PCI slot."""

    common: Common = vic("Common", Struct(Common), INHERIT)
    static: bool = vic("static", BOOL)
    ip: IPNet | None = vic("ip", Ptr(IPNet))
    assigned: IPNet = vic("assigned", Struct(IPNet), RW)  # written by the appliance
    network: ContainerNetwork = vic("network", Struct(ContainerNetwork))
    ports: list[str] = vic("ports", TEXTS)
    internal: bool = vic("internal", BOOL)


@dataclass
class MountSpec:
    source: URL = vic("source", Struct(URL))
    path: str = vic("dest")
    mode: str = vic("mode")
    copy_mode: int = vic("copymode", INT)


@dataclass
class ExecutorConfig:
    common: ExecutorCommon = vic("common", Struct(ExecutorCommon))
    create_time: int = vic("createtime", INT, RW)
    diagnostics: Diagnostics = vic("diagnostics", Struct(Diagnostics))
    sessions: dict[str, SessionConfig] = vic("sessions", MapOf(Ptr(SessionConfig)))
    execs: dict[str, SessionConfig] = vic("execs", MapOf(Ptr(SessionConfig)), "read-only,non-persistent")
    mounts: dict[str, MountSpec] = vic("mounts", MapOf(Struct(MountSpec)))
    networks: dict[str, NetworkEndpoint] = vic("networks", MapOf(Ptr(NetworkEndpoint)))
    key: bytes = vic("key", BYTES)
    layer_id: str = vic("layerid")
    image_id: str = vic("imageid")
    annotations: dict[str, str] = vic("annotations", MapOf(TEXT), HIDDEN)
    repo_name: str = vic("repo")
    version: Build | None = vic("version", Ptr(Build))
    asymmetric_routing: bool = vic("asymrouting", BOOL)
    hostname: str = vic("hostname")
    domainname: str = vic("domainname")
