"""VIC's VirtualContainerHostConfigSpec as VIC 1.5 writes it: the appliance part (`init`) plus the sections
the port layer, the Docker personality and vic-machine read. `unknown` keeps every key of a decoded config
that this schema does not describe, so a decode → encode round trip gives them back unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tui.core.secret import Secret
from tui.core.vic.executor import ContainerNetwork, ExecutorConfig
from tui.core.vic.schema import BOOL, BYTES, INHERIT, INT, SECRET, TEXT, TEXTS, ListOf, MapOf, Ptr, Struct, vic
from tui.core.vic.secretbox import Sealed
from tui.core.vic.values import URL, IPNet, Moref

CREATING_VCH = "CreatingVCH"  # init/common/id of an endpoint VM vic-machine is still creating


@dataclass
class Connection:
    target: str = vic("target")  # https://host[:port]
    username: str = vic("username")
    token: Secret | Sealed = vic("token", TEXT, SECRET)  # the operations user's password
    target_thumbprint: str = vic("target_thumbprint")  # SHA-1, upper-case colon hex
    keepalive: int = vic("keepalive", INT)  # time.Duration: nanoseconds


@dataclass
class MailAddress:
    name: str = vic("Name", scope=INHERIT)
    address: str = vic("Address", scope=INHERIT)


@dataclass
class Contacts:
    admin: list[MailAddress] = vic("Admin", ListOf(Struct(MailAddress)), INHERIT)
    infrastructure_admin: list[MailAddress] = vic("InfrastructureAdmin", ListOf(Struct(MailAddress)), INHERIT)


@dataclass
class RawCertificate:
    """PEM certificate and its private key (the key is a secret: a `Secret` holding the PEM text)."""

    key: Secret | Sealed | None = vic("Key", BYTES, SECRET)
    cert: bytes = vic("Cert", BYTES, INHERIT)


@dataclass
class Certificate:
    host_certificate: RawCertificate | None = vic("HostCertificate", Ptr(RawCertificate))  # None: no TLS
    certificate_authorities: bytes = vic("CertificateAuthorities", BYTES)  # PEM; empty: clients not verified
    registry_certificate_authorities: bytes = vic("RegistryCertificateAuthorities", BYTES)


@dataclass
class Storage:
    image_stores: list[URL] = vic("image_stores", ListOf(Struct(URL)))
    storage_quota: int = vic("storage_quota", INT)
    volume_locations: dict[str, URL] = vic("VolumeLocations", MapOf(Ptr(URL)))  # label → ds://… or nfs://…
    scratch_size: int = vic("scratch_size", INT)  # KB


@dataclass
class Network:
    bridge_network: str = vic("bridge_network")
    container_networks: dict[str, ContainerNetwork] = vic("container_networks", MapOf(Ptr(ContainerNetwork)))
    bridge_ip_range: IPNet | None = vic("bridge-ip-range", Ptr(IPNet))
    bridge_network_width: bytes | None = vic("bridge-net-width", BYTES)  # a net.IPMask


@dataclass
class Container:
    compute_resources: list[Moref] = vic("ComputeResources", ListOf(Struct(Moref)))  # the VCH's own pool
    bootstrap_image_path: str = vic("bootstrap_image_path")
    container_name_convention: str = vic("ContainerNameConvention", scope=INHERIT)
    use_vm_group: bool = vic("UseVMGroup", BOOL, INHERIT)
    vm_group_name: str = vic("VMGroupName", scope=INHERIT)
    container_count: int = vic("container_count", INT)


@dataclass
class Registry:
    whitelist: list[str] = vic("whitelist_registries", TEXTS)
    insecure: list[str] = vic("insecure_registries", TEXTS)


@dataclass
class VchConfig:
    init: ExecutorConfig = vic("init", Struct(ExecutorConfig))
    connect: Connection = vic("connect", Struct(Connection))
    contacts: Contacts = vic("contact", Struct(Contacts))
    cert: Certificate = vic("cert", Struct(Certificate))
    storage: Storage = vic("storage", Struct(Storage))
    network: Network = vic("network", Struct(Network))
    container: Container = vic("container", Struct(Container))
    registry: Registry = vic("registry", Struct(Registry))
    create_bridge_network: bool = vic("create_bridge_network", BOOL)
    grant_permissions: str = vic("grant_permissions")  # "ADD" when --ops-grant-perms
    vic_machine_create_options: list[str] = vic("vic_machine_create_options", TEXTS)
    # keys of a decoded config this schema does not describe (secret ones as Secret / Sealed)
    unknown: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        return self.init.common.name

    @property
    def id(self) -> str:
        return self.init.common.id
