"""Rebuild vch-tui's VchSpec from a decoded VIC config (a VCH vic-machine made, or one vch-tui made).

The config is the truth for what it holds: networks and roles, static addresses, DNS, container networks with
their firewall trust, TLS mode, image and volume stores. The recorded create options fill in what it does not
hold (compute resource, --tls-cname, --timeout, ISO files) and settle what the config alone cannot tell: which
role a shared port group's static address was given on, whether DNS servers were typed or vic-machine's
default, the order networks and stores were listed in. Port group names come from `network_names` (moref →
name, from the inventory), else from the create options; limits from the VCH's pool (`resources`).
Certificate file paths are never recorded, so `tls_server_cert`, `tls_server_key` and `tls_ca` stay empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tui.core.spec.model import (
    DEFAULT_DNS_WHEN_ALL_STATIC,
    DEFAULT_FIREWALL,
    DEFAULT_KEY_SIZE,
    DEFAULT_PUBLIC_NETWORK,
    DEFAULT_TIMEOUT,
    ROLES,
    ContainerNetwork,
    Resources,
    RoleNetwork,
    Tls,
    VchSpec,
)
from tui.core.spec.units import format_duration
from tui.core.vic import goip
from tui.core.vic.create_options import Extras, parse_options
from tui.core.vic.executor import TRUST_NAMES, NetworkEndpoint
from tui.core.vic.goduration import parse_go_duration
from tui.core.vic.values import URL
from tui.core.vic.vch_config import VchConfig

BRIDGE = "bridge"
VOLUME_DEFAULT_FOLDER = "VIC"
HTTP_PROXY, HTTPS_PROXY, NO_PROXY = "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"


@dataclass(frozen=True)
class Allocation:
    """A vSphere resource allocation as the VCH pool has it (limit -1 = unlimited)."""

    limit: int = -1
    reservation: int = 0
    level: str = "normal"
    shares: int = 0

    @classmethod
    def from_dict(cls, data: Mapping) -> "Allocation":
        """From a ResourceAllocationInfo as plain data ({"limit", "reservation", "shares": {"level", "shares"}})."""
        shares = data.get("shares") or {}
        return cls(
            int(data.get("limit", -1) if data.get("limit") is not None else -1),
            int(data.get("reservation") or 0),
            str(shares.get("level") or "normal"),
            int(shares.get("shares") or 0),
        )

    def shares_text(self) -> str:
        return str(self.shares) if self.level == "custom" else self.level


def resources_from_pool(cpu: Allocation, memory: Allocation, *, endpoint_cpu: int, endpoint_memory: int) -> Resources:
    """The spec's limits from the VCH pool's allocations and the endpoint VM's size."""
    return Resources(
        cpu=cpu.limit if cpu.limit >= 0 else None,
        cpu_reservation=cpu.reservation or None,
        cpu_shares=cpu.shares_text(),
        memory=memory.limit if memory.limit >= 0 else None,
        memory_reservation=memory.reservation or None,
        memory_shares=memory.shares_text(),
        endpoint_cpu=endpoint_cpu,
        endpoint_memory=endpoint_memory,
    )


class _Reader:
    def __init__(self, cfg: VchConfig, network_names: Mapping[str, str] | None) -> None:
        self.cfg = cfg
        self.options = parse_options(cfg.vic_machine_create_options)
        self.names = dict(self._names_from_options())
        self.names.update(network_names or {})

    def option(self, name: str) -> str | None:
        values = self.options.get(name)
        return values[-1] if values else None

    def endpoint(self, role: str) -> NetworkEndpoint | None:
        return self.cfg.init.networks.get(role)

    def _names_from_options(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for role in (*ROLES, BRIDGE):
            endpoint, given = self.endpoint(role), self.option(f"{role}-network")
            if endpoint and given:
                names[endpoint.network.common.id] = given
        public = self.endpoint("public")
        if public and self.options and public.network.common.id not in names and "public-network" not in self.options:
            names[public.network.common.id] = DEFAULT_PUBLIC_NETWORK  # vic-machine's default, not recorded
        for text in self.options.get("container-network", []):
            pg, _, alias = text.partition(":")
            network = self.cfg.network.container_networks.get(alias or pg)
            if network:
                names[network.common.id] = pg
        return names

    def name_of(self, moref: str) -> str:
        return self.names.get(moref, moref)

    def port_group(self, role: str) -> str | None:
        endpoint = self.endpoint(role)
        return self.name_of(endpoint.network.common.id) if endpoint else None

    # --- roles ----------------------------------------------------------------------------------

    def static_owner(self) -> dict[str, str]:
        """Port group → the role its static configuration was given on (vic-machine copies it to the others)."""
        owners: dict[str, str] = {}
        for role in sorted(ROLES, key=lambda r: (f"{r}-network-ip" not in self.options, ROLES.index(r))):
            endpoint = self.endpoint(role)
            if endpoint and endpoint.static:
                owners.setdefault(endpoint.network.common.id, role)
        return owners

    def role(self, role: str, owners: dict[str, str]) -> RoleNetwork:
        endpoint = self.endpoint(role)
        if endpoint is None:
            return RoleNetwork()
        moref = endpoint.network.common.id
        port_group: str | None = self.name_of(moref)
        default_pg = {"client": self.endpoint("public"), "management": self.endpoint("client")}.get(role)
        if default_pg is not None and default_pg.network.common.id == moref and f"{role}-network" not in self.options:
            port_group = None
        if owners.get(moref) != role or endpoint.ip is None:
            return RoleNetwork(port_group=port_group)
        return RoleNetwork(port_group=port_group, ip=endpoint.ip.cidr(), gateway=_gateway_text(role, endpoint))

    def dns(self) -> tuple[str, ...]:
        public = self.endpoint("public")
        servers = tuple(goip.ip_text(raw) for raw in (public.network.nameservers if public else []))
        all_static = all((e := self.endpoint(r)) is not None and e.static for r in ROLES)
        if all_static and servers == DEFAULT_DNS_WHEN_ALL_STATIC and "dns-server" not in self.options:
            return ()
        return servers

    def bridge_network(self, name: str) -> str | None:
        endpoint = self.endpoint(BRIDGE)
        if endpoint is None:
            return None
        pg = self.name_of(endpoint.network.common.id)
        return None if pg == name and "bridge-network" not in self.options else pg

    # --- container networks ---------------------------------------------------------------------

    def container_networks(self) -> tuple[ContainerNetwork, ...]:
        typed = [text.partition(":") for text in self.options.get("container-network", [])]
        order = {(alias or pg): i for i, (pg, _, alias) in enumerate(typed)}
        out = []
        aliases = [a for a in self.cfg.network.container_networks if a != self.cfg.network.bridge_network]
        for alias in sorted(aliases, key=lambda a: (order.get(a, len(order)), a)):
            network = self.cfg.network.container_networks[alias]
            pg = self.name_of(network.common.id)
            out.append(
                ContainerNetwork(
                    port_group=pg,
                    alias=None if alias == pg else alias,
                    gateway=network.gateway.cidr() if network.gateway.ip else None,
                    ip_range=tuple(pool.text() for pool in network.pools),
                    dns=tuple(goip.ip_text(raw) for raw in network.nameservers),
                    firewall=TRUST_NAMES.get(network.trust_level, DEFAULT_FIREWALL),
                )
            )
        return tuple(out)

    # --- storage --------------------------------------------------------------------------------

    def vm_folder(self) -> str | None:
        path = self.cfg.container.bootstrap_image_path  # "[datastore1] g1/V1.5.8-…-bootstrap.iso"
        if "] " not in path:
            return None
        folder = path.split("] ", 1)[1].rpartition("/")[0]
        return folder or None

    def image_store(self) -> str | None:
        if not self.cfg.storage.image_stores:
            return None
        store = self.cfg.storage.image_stores[0]
        path = store.path.strip("/")
        if not path or path == self.vm_folder():
            return store.host
        return f"{store.host}/{path}"

    def volume_stores(self) -> tuple[str, ...]:
        typed = [text.rpartition(":")[2] for text in self.options.get("volume-store", [])]
        order = {label: i for i, label in enumerate(typed)}
        labels = sorted(self.cfg.storage.volume_locations, key=lambda a: (order.get(a, len(order)), a))
        return tuple(f"{_volume_target(self.cfg.storage.volume_locations[label])}:{label}" for label in labels)

    # --- TLS and the rest -----------------------------------------------------------------------

    def tls(self) -> Tls:
        host = self.cfg.cert.host_certificate
        key_size = self.option("certificate-key-size")
        return Tls(
            no_tls=host is None or not host.cert,
            no_tlsverify=host is not None and bool(host.cert) and not self.cfg.cert.certificate_authorities,
            tls_cname=self.option("tls-cname"),
            certificate_key_size=int(key_size) if key_size and key_size.isdigit() else DEFAULT_KEY_SIZE,
            organization=tuple(self.options.get("organization", ())),
        )

    def timeout(self) -> str:
        text = self.option("timeout")
        ns = parse_go_duration(text) if text else None
        return format_duration(ns / 1e9) if ns else DEFAULT_TIMEOUT


def _gateway_text(role: str, endpoint: NetworkEndpoint) -> str | None:
    gateway = endpoint.network.gateway
    if not gateway.ip:
        return None
    text = goip.ip_text(gateway.ip)
    if role == "public" or not endpoint.network.destinations:
        return text
    return ",".join(d.cidr() or "" for d in endpoint.network.destinations) + ":" + text


def _volume_target(url: URL) -> str:
    """A volume store as `--volume-store` takes it: `[ds] path` (rewritten by vic-machine) or `path` → ds/path."""
    if url.scheme != "ds":
        query = f"?{url.raw_query}" if url.raw_query else ""
        return f"{url.scheme}://{url.host}{url.path}{query}"
    path = url.path
    if path.startswith("[") and "] " in path:
        path = path.split("] ", 1)[1]
    elif path.startswith("[") and path.endswith("]"):
        path = ""
    path = path.strip("/")
    if path == VOLUME_DEFAULT_FOLDER:
        path = ""  # where vic-machine puts a store given as a bare datastore
    return f"{url.host}/{path}" if path else url.host


def spec_from_config(
    cfg: VchConfig, *, network_names: Mapping[str, str] | None = None, resources: Resources | None = None
) -> VchSpec:
    reader = _Reader(cfg, network_names)
    owners = reader.static_owner()
    bridge_range = cfg.network.bridge_ip_range.cidr() if cfg.network.bridge_ip_range else None
    return VchSpec(
        name=cfg.name,
        compute_resource=reader.option("compute-resource"),
        image_store=reader.image_store(),
        volume_store=reader.volume_stores(),
        bridge_network=reader.bridge_network(cfg.name),
        bridge_network_range=bridge_range or "",
        public=reader.role("public", owners),
        client=reader.role("client", owners),
        management=reader.role("management", owners),
        dns_server=reader.dns(),
        container_networks=reader.container_networks(),
        tls=reader.tls(),
        resources=resources or Resources(),
        appliance_iso=reader.option("appliance-iso"),
        bootstrap_iso=reader.option("bootstrap-iso"),
        timeout=reader.timeout(),
        # registry_ca: the config holds the certificates, not the files they came from
        insecure_registry=tuple(cfg.registry.insecure),
        whitelist_registry=tuple(reader.options.get("whitelist-registry") or cfg.registry.whitelist),
        http_proxy=_env(cfg, "docker-personality", HTTP_PROXY),
        https_proxy=_env(cfg, "docker-personality", HTTPS_PROXY),
        no_proxy=_env(cfg, "docker-personality", NO_PROXY),
    )


def _env(cfg: VchConfig, session: str, name: str) -> str | None:
    entry = cfg.init.sessions.get(session)
    for item in entry.cmd.env if entry else []:
        key, _, value = item.partition("=")
        if key == name:
            return value
    return None


def extras_from_config(cfg: VchConfig) -> Extras:
    """The create inputs outside the spec: the operations user."""
    options = parse_options(cfg.vic_machine_create_options)
    ops_user = options.get("ops-user")
    return Extras(
        ops_user=ops_user[-1] if ops_user else None,
    )
