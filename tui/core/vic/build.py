"""Build the config vic-machine 1.5.8 writes for a spec, so the VIC appliance boots a VCH vch-tui creates.

vic-machine writes it twice: with CreateVM_Task (`write1_config`: id `CreatingVCH`, no sessions, the bridge
NIC's id still its port group, volume store paths as typed, `answer.msg.serial.file.open=Append`) and with the
second ReconfigVM_Task (`build_config`: the VM's moref, PCI slots, the three components, the bootstrap ISO
path, the image store folder, `[ds] path` volume stores). `encode(cfg, key=secretbox.new_key())` gives the
extraConfig; vic-machine uses a new key for each write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from tui.core.errors import VicConfigError
from tui.core.spec.model import ROLES, VchSpec
from tui.core.spec.storage_paths import parse_datastore_path, parse_volume_store
from tui.core.vic import goip
from tui.core.vic.create_options import Extras, create_options
from tui.core.vic.executor import (
    TRUST_LEVELS,
    TRUST_PUBLISHED,
    TRUST_UNSPECIFIED,
    Common,
    ContainerNetwork,
    ExecutorCommon,
    ExecutorConfig,
    NetworkEndpoint,
)
from tui.core.vic.placement import DEFAULT_BRIDGE_WIDTH, SCRATCH_SIZE_KB, Placement, default_pci_slots
from tui.core.vic.sessions import components
from tui.core.vic.to_spec import VOLUME_DEFAULT_FOLDER
from tui.core.vic.values import URL, IPNet, IPRange, Moref
from tui.core.vic.vch_config import (
    CREATING_VCH,
    Certificate,
    Connection,
    Container,
    Network,
    RawCertificate,
    Registry,
    Storage,
    VchConfig,
)

BRIDGE = "bridge"
SERIAL_APPEND_KEY = "answer.msg.serial.file.open"


@dataclass
class _RoleInput:
    """A role's network input after vic-machine's sharing rules (configureSharedPortGroups)."""

    port_group: str
    ip: str | None = None
    gateway: str | None = None
    roles: list[str] = field(default_factory=list)


def _moref(placement: Placement, port_group: str) -> str:
    try:
        return placement.networks[port_group]
    except KeyError:
        raise VicConfigError(
            f"no managed object reference for port group {port_group!r} in the placement",
            hint="pass every port group the spec names in Placement.networks",
        ) from None


def _role_inputs(spec: VchSpec) -> dict[str, _RoleInput]:
    inputs = {
        role: _RoleInput(spec.effective_port_group(role), spec.role(role).ip, spec.role(role).gateway) for role in ROLES
    }
    by_port_group = {i.port_group: i for r, i in inputs.items() if i.ip or i.gateway}
    for role, given in inputs.items():
        if not (given.ip or given.gateway) and given.port_group in by_port_group:
            source = by_port_group[given.port_group]
            inputs[role] = _RoleInput(given.port_group, source.ip, source.gateway)
    return inputs


def _endpoint(role: str, given: _RoleInput, moref: str, dns: list[bytes]) -> NetworkEndpoint:
    network = ContainerNetwork(common=Common(name=role, id=moref), default=role == "public", nameservers=list(dns))
    endpoint = NetworkEndpoint(common=Common(name="" if role == "management" else role), network=network)
    if given.ip:
        endpoint.ip = IPNet.interface(given.ip)
        endpoint.static = True
        if given.gateway:
            destinations, _, gateway = given.gateway.rpartition(":")
            network.gateway = IPNet(goip.parse_ip(gateway), endpoint.ip.mask)
            network.destinations = [IPNet.network(d) for d in destinations.split(",") if d.strip()]
    return endpoint


def _bridge_network(moref: str) -> ContainerNetwork:
    return ContainerNetwork(common=Common(name=BRIDGE, id=moref), type=BRIDGE)


def _networks(spec: VchSpec, placement: Placement, write: int) -> tuple[dict[str, NetworkEndpoint], Network]:
    dns = [goip.parse_ip(server) for server in spec.effective_dns_servers()]
    endpoints = {
        role: _endpoint(role, given, _moref(placement, given.port_group), dns)
        for role, given in _role_inputs(spec).items()
    }
    bridge_moref = _moref(placement, spec.effective_bridge_network())
    endpoints[BRIDGE] = NetworkEndpoint(
        common=Common(name=BRIDGE, id=bridge_moref),
        static=True,
        ip=IPNet(goip.IPV4_ZERO),
        network=_bridge_network(bridge_moref),
    )
    if write == 2:
        port_groups = {role: e.network.common.id for role, e in endpoints.items()}
        slots = dict(placement.pci_slots) if placement.pci_slots else default_pci_slots(port_groups)
        for role, endpoint in endpoints.items():
            if port_groups[role] not in slots:
                raise VicConfigError(f"no PCI slot for the {role} network's port group {port_groups[role]}")
            endpoint.common.id = str(slots[port_groups[role]])
    container_networks = {BRIDGE: _bridge_network(bridge_moref)}
    for cn in spec.container_networks:
        trust = TRUST_LEVELS[cn.firewall.lower()]
        alias = cn.effective_alias()
        container_networks[alias] = ContainerNetwork(
            common=Common(name=alias, id=_moref(placement, cn.port_group)),
            type="external",
            gateway=IPNet.interface(cn.gateway) if cn.gateway else IPNet(),
            nameservers=[goip.parse_ip(server) for server in cn.dns],
            pools=[IPRange.parse(item) for item in cn.ip_range],
            trust_level=TRUST_UNSPECIFIED if trust == TRUST_PUBLISHED else trust,
        )  # the default is not recorded
    network = Network(
        bridge_network=BRIDGE,
        container_networks=container_networks,
        bridge_ip_range=IPNet.network(spec.bridge_network_range),
        bridge_network_width=goip.cidr_mask(DEFAULT_BRIDGE_WIDTH),
    )
    return endpoints, network


def _url(placement: Placement, scheme: str, host: str, path: str, query: str = "") -> URL:
    url = URL(scheme=scheme, host=host, path=path, raw_query=query)
    if placement.go119_url_fields:
        url.raw_fragment, url.omit_host = "", False
    return url


def _image_store(spec: VchSpec, placement: Placement) -> tuple[str, str]:
    if spec.image_store:
        store = parse_datastore_path(spec.image_store)
        return store.datastore, store.path
    return placement.datastore, ""


def _storage(spec: VchSpec, placement: Placement, write: int) -> Storage:
    datastore, path = _image_store(spec, placement)
    if write == 2 and not path:
        path = placement.vm_folder or spec.name
    volumes: dict[str, URL] = {}
    for text in spec.volume_store:
        store = parse_volume_store(text)
        if store.nfs:
            parts = urlsplit(store.target)
            volumes[store.label] = _url(
                placement, parts.scheme, parts.netloc.rpartition("@")[2], parts.path, parts.query
            )
            continue
        assert store.datastore is not None
        folder = store.datastore.path
        if write == 2:
            folder = f"[{store.datastore.datastore}] {folder or VOLUME_DEFAULT_FOLDER}"
        volumes[store.label] = _url(placement, "ds", store.datastore.datastore, folder)
    return Storage(
        image_stores=[_url(placement, "ds", datastore, path)], volume_locations=volumes, scratch_size=SCRATCH_SIZE_KB
    )


def _certificate(spec: VchSpec, placement: Placement) -> Certificate:
    if spec.tls.no_tls:
        return Certificate()
    if not placement.server_cert or not placement.server_key:
        raise VicConfigError(
            "TLS needs the server certificate and key in the placement",
            hint="generate or load them first (tui.core.tls)",
        )
    cert = Certificate(host_certificate=RawCertificate(key=placement.server_key, cert=placement.server_cert))
    if spec.tls_verifies_clients():
        if not placement.client_ca:
            raise VicConfigError("verifying clients (tlsverify) needs the CA certificates in the placement")
        cert.certificate_authorities = placement.client_ca
    return cert


def _certificates(spec: VchSpec, placement: Placement) -> Certificate:
    """The TLS certificates, and the registry CAs (written whether or not the Docker API uses TLS)."""
    cert = _certificate(spec, placement)
    if spec.registry_ca and not placement.registry_ca:
        raise VicConfigError("registry_ca needs the registry CA certificates in the placement")
    cert.registry_certificate_authorities = placement.registry_ca or b""
    return cert


def build_config(spec: VchSpec, placement: Placement, *, extras: Extras = Extras(), write: int = 2) -> VchConfig:
    """The config of vic-machine's `write` (1: CreateVM_Task, 2: the final ReconfigVM_Task)."""
    if write not in (1, 2):
        raise ValueError("write is 1 or 2")
    if write == 2 and not placement.vm:
        raise VicConfigError("the second write records the endpoint VM's moref: set Placement.vm")
    endpoints, network = _networks(spec, placement, write)
    datastore, _ = _image_store(spec, placement)
    folder = placement.vm_folder or spec.name
    tls = not spec.tls.no_tls
    whitelist = list(spec.whitelist_registry)
    if whitelist:  # vic-machine's whitelist also permits the insecure registries
        whitelist += [r for r in spec.insecure_registry if r not in whitelist]
    cfg = VchConfig(
        init=ExecutorConfig(
            common=ExecutorCommon(id=CREATING_VCH if write == 1 else str(placement.vm), name=spec.name),
            sessions=components(placement, spec, datastore=datastore, tls=tls) if write == 2 else {},
            networks=endpoints,
            version=placement.build,
        ),
        connect=Connection(
            target=placement.target_url,
            username=placement.login_user,
            token=placement.login_password,
            target_thumbprint=placement.thumbprint or "",
        ),
        cert=_certificates(spec, placement),
        storage=_storage(spec, placement, write),
        network=network,
        container=Container(
            compute_resources=[Moref.parse(placement.vch_pool)],
            bootstrap_image_path=f"[{datastore}] {folder}/{placement.bootstrap_iso}" if write == 2 else "",
        ),
        registry=Registry(whitelist=whitelist, insecure=list(spec.insecure_registry)),
        create_bridge_network=placement.create_bridge_network,
        vic_machine_create_options=create_options(
            spec, target=placement.create_target(), thumbprint=placement.thumbprint, extras=extras
        ),
    )
    if write == 1:
        cfg.unknown[SERIAL_APPEND_KEY] = "Append"  # not part of VIC's struct: an extra option of the first write
    return cfg


def write1_config(spec: VchSpec, placement: Placement, *, extras: Extras = Extras()) -> VchConfig:
    return build_config(spec, placement, extras=extras, write=1)


def write2_config(spec: VchSpec, placement: Placement, *, extras: Extras = Extras()) -> VchConfig:
    return build_config(spec, placement, extras=extras, write=2)
