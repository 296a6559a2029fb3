"""The VCH spec: what `vic-machine create` takes, with vic-machine's defaults.

The wizard fills it, the answers file (answers.py) loads and saves it, vicmachine.py turns it into the
equivalent `vic-machine create` command and back, validate_local.py checks it. Values are kept as the
user wrote them (strings for addresses, durations and share levels); the parsers in addresses.py,
storage_paths.py and units.py read them. `None` means "not given": vic-machine's default applies, and
the `effective_*` helpers say what that default resolves to.

`FIELDS` lists every top-level answers-file key with its attribute path, kind and vic-machine short flags;
`spec.get(key)` and `spec.with_values({key: value})` read and change a spec by answers-file key.
Container networks are the `[[container_network]]` tables (`ContainerNetwork`).
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field, fields, replace
from enum import Enum
from typing import Any

DEFAULT_NAME = "virtual-container-host"
DEFAULT_PUBLIC_NETWORK = "VM Network"
DEFAULT_BRIDGE_RANGE = "172.16.0.0/12"
DEFAULT_SHARES = "normal"
DEFAULT_ENDPOINT_CPU = 1
DEFAULT_ENDPOINT_MEMORY_MB = 2048
DEFAULT_KEY_SIZE = 2048
DEFAULT_TIMEOUT = "3m"
DEFAULT_FIREWALL = "published"
DEFAULT_DNS_WHEN_ALL_STATIC = ("8.8.8.8", "8.8.4.4")
FIREWALL_LEVELS = ("closed", "outbound", "published", "peers", "open")
SHARE_LEVELS = ("low", "normal", "high")
ROLES = ("public", "client", "management")


class TlsMode(str, Enum):
    """How the Docker API is secured (vic-machine's TLS modes). CUSTOM = a server certificate and key supplied by the user;
    whether clients are verified then depends on `tls_ca` / `no_tlsverify` (see `VchSpec.tls_verifies_clients`)."""

    NO_TLS = "no-tls"  # HTTP on 2375
    NO_TLSVERIFY = "no-tlsverify"  # HTTPS on 2376, generated self-signed server certificate, no client certificates
    TLSVERIFY = "tlsverify"  # HTTPS on 2376, generated CA + server + client certificates (or the given --tls-ca)
    CUSTOM = "custom"  # HTTPS on 2376 with --tls-server-cert/--tls-server-key

    def __str__(self) -> str:
        return self.value


def _none_if_empty(value: Any) -> Any:
    return None if value == "" else value


def _frozen_set(obj: Any, name: str, value: Any) -> None:
    object.__setattr__(obj, name, value)


def _normalise(obj: Any) -> None:
    """Canonical values so equal specs compare equal: lists → tuples, "" → None for optional text, int shares → str."""
    for f in fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, list):
            _frozen_set(obj, f.name, tuple(value))
        elif f.default is None and value == "":
            _frozen_set(obj, f.name, None)


@dataclass(frozen=True)
class RoleNetwork:
    """The public, client or management network of the VCH endpoint VM."""

    port_group: str | None = None
    ip: str | None = None  # static address with prefix length, e.g. 10.0.0.2/24; None = DHCP
    gateway: str | None = None  # public: 10.0.0.1; client/management: 10.1.0.0/16,10.2.0.0/16:10.0.0.1

    def __post_init__(self) -> None:
        _normalise(self)

    @property
    def static(self) -> bool:
        return self.ip is not None or self.gateway is not None


@dataclass(frozen=True)
class ContainerNetwork:
    """A `--container-network`: a port group containers attach to directly."""

    port_group: str
    alias: str | None = None  # the name containers see (`docker network ls`); default = port group
    gateway: str | None = None  # GW/prefix, e.g. 10.20.0.1/24; None = DHCP
    ip_range: tuple[str, ...] = ()
    dns: tuple[str, ...] = ()
    firewall: str = DEFAULT_FIREWALL

    def __post_init__(self) -> None:
        _normalise(self)
        if self.alias == "":
            _frozen_set(self, "alias", None)
        if self.firewall is None or self.firewall == "":
            _frozen_set(self, "firewall", DEFAULT_FIREWALL)

    def effective_alias(self) -> str:
        return self.alias or self.port_group


@dataclass(frozen=True)
class Tls:
    no_tls: bool = False
    no_tlsverify: bool = False
    tls_ca: tuple[str, ...] = ()
    tls_server_cert: str | None = None
    tls_server_key: str | None = None
    tls_cname: str | None = None
    tls_cert_path: str | None = None  # default ./<name>
    certificate_key_size: int = DEFAULT_KEY_SIZE
    organization: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _normalise(self)


@dataclass(frozen=True)
class Resources:
    """The VCH resource pool (limits in MHz / MB; None or 0 = unlimited) and the endpoint VM size."""

    cpu: int | None = None
    cpu_reservation: int | None = None
    cpu_shares: str = DEFAULT_SHARES  # low | normal | high | a number of shares
    memory: int | None = None
    memory_reservation: int | None = None
    memory_shares: str = DEFAULT_SHARES
    endpoint_cpu: int = DEFAULT_ENDPOINT_CPU
    endpoint_memory: int = DEFAULT_ENDPOINT_MEMORY_MB

    def __post_init__(self) -> None:
        _normalise(self)
        for name in ("cpu_shares", "memory_shares"):
            value = getattr(self, name)
            if isinstance(value, int) and not isinstance(value, bool):
                _frozen_set(self, name, str(value))
            elif value is None or value == "":
                _frozen_set(self, name, DEFAULT_SHARES)


@dataclass(frozen=True)
class VchSpec:
    name: str = DEFAULT_NAME
    compute_resource: str | None = None
    image_store: str | None = None
    volume_store: tuple[str, ...] = ()
    bridge_network: str | None = None  # default: the VCH name
    bridge_network_range: str = DEFAULT_BRIDGE_RANGE
    public: RoleNetwork = field(default_factory=lambda: RoleNetwork(port_group=DEFAULT_PUBLIC_NETWORK))
    client: RoleNetwork = field(default_factory=RoleNetwork)
    management: RoleNetwork = field(default_factory=RoleNetwork)
    dns_server: tuple[str, ...] = ()
    container_networks: tuple[ContainerNetwork, ...] = ()
    tls: Tls = field(default_factory=Tls)
    resources: Resources = field(default_factory=Resources)
    appliance_iso: str | None = None
    bootstrap_iso: str | None = None
    timeout: str = DEFAULT_TIMEOUT
    ops_user: str | None = None  # the user the appliance logs in as; None = the login (ops_user.py)
    # registries and proxies (vic-machine's --registry-ca, --insecure-registry, --whitelist-registry, --http(s)-proxy,
    # --no-proxy): the Docker personality pulls images through them; registry_ca is a list of PEM files
    registry_ca: tuple[str, ...] = ()
    insecure_registry: tuple[str, ...] = ()
    whitelist_registry: tuple[str, ...] = ()
    https_proxy: str | None = None  # http(s)://host:port
    http_proxy: str | None = None
    no_proxy: str | None = None  # * or host names / domains, comma-separated

    def __post_init__(self) -> None:
        _normalise(self)
        if self.public.port_group is None:
            _frozen_set(self, "public", replace(self.public, port_group=DEFAULT_PUBLIC_NETWORK))
        if not self.bridge_network_range:
            _frozen_set(self, "bridge_network_range", DEFAULT_BRIDGE_RANGE)
        if not self.timeout:
            _frozen_set(self, "timeout", DEFAULT_TIMEOUT)

    # --- defaults as vic-machine resolves them -------------------------------------------------

    def effective_bridge_network(self) -> str:
        return self.bridge_network or self.name

    def effective_public_network(self) -> str:
        return self.public.port_group or DEFAULT_PUBLIC_NETWORK

    def effective_client_network(self) -> str:
        return self.client.port_group or self.effective_public_network()

    def effective_management_network(self) -> str:
        return self.management.port_group or self.effective_client_network()

    def role(self, role: str) -> RoleNetwork:
        if role not in ROLES:
            raise KeyError(role)
        return getattr(self, role)

    def effective_port_group(self, role: str) -> str:
        return getattr(self, f"effective_{role}_network")()

    def effective_role_ip(self, role: str) -> str | None:
        """The role's static IP; roles sharing a port group share its one static IP (vic configureSharedPortGroups)."""
        own = self.role(role).ip
        if own:
            return own
        pg = self.effective_port_group(role)
        for other in ROLES:
            if other != role and self.effective_port_group(other) == pg and self.role(other).ip:
                return self.role(other).ip
        return None

    def effective_dns_servers(self) -> tuple[str, ...]:
        """vic-machine uses 8.8.8.8 and 8.8.4.4 when every role is static and no DNS server is given."""
        if self.dns_server:
            return self.dns_server
        if all(self.effective_role_ip(r) for r in ROLES):
            return DEFAULT_DNS_WHEN_ALL_STATIC
        return ()

    def effective_tls_cert_path(self) -> str:
        return self.tls.tls_cert_path or os.path.join(".", self.name)

    def effective_tls_cname(self) -> str | None:
        """--tls-cname, else vic-machine's fallback (common/certificate.go): the client IP, else the public or
        management IP when that role shares the client's port group; the mask is stripped."""
        if self.tls.tls_cname:
            return self.tls.tls_cname
        client_pg, public_pg, mgmt_pg = self.client.port_group, self.public.port_group, self.management.port_group
        cname = None
        if self.client.ip:
            cname = self.client.ip
        elif self.public.ip and (client_pg is None or public_pg == client_pg):
            cname = self.public.ip
        elif self.management.ip and (mgmt_pg == client_pg or (client_pg is None and mgmt_pg == public_pg)):
            cname = self.management.ip
        if cname and "/" in cname:
            try:
                cname = str(ipaddress.ip_interface(cname.strip()).ip)
            except ValueError:
                pass
        return cname

    def tls_mode(self) -> TlsMode:
        if self.tls.no_tls:
            return TlsMode.NO_TLS
        if self.tls.tls_server_cert or self.tls.tls_server_key:
            return TlsMode.CUSTOM
        if self.tls.no_tlsverify:
            return TlsMode.NO_TLSVERIFY
        return TlsMode.TLSVERIFY

    def tls_verifies_clients(self) -> bool:
        """True when the Docker API will demand client certificates (from --tls-ca or a generated CA)."""
        return not self.tls.no_tls and not self.tls.no_tlsverify

    def tls_generates_ca(self) -> bool:
        """vic-machine generates a CA and client certificates when verifying clients without --tls-ca."""
        return self.tls_verifies_clients() and not self.tls.tls_ca

    def effective_organization(self) -> tuple[str, ...]:
        """--organization, else the VCH name; a single entry gets a non-wildcard cname appended (as vic-machine)."""
        org = self.tls.organization or (self.name,)
        cname = self.effective_tls_cname()
        if len(org) == 1 and cname and not cname.startswith("*"):
            org = (*org, cname)
        return org

    def tls_settings_dict(self) -> dict[str, Any]:
        """Plain values for the TLS helper (tui/core/tls): it builds its own settings object from this."""
        return {
            "mode": self.tls_mode().value,
            "verify_clients": self.tls_verifies_clients(),
            "generate_ca": self.tls_generates_ca(),
            "cname": self.effective_tls_cname(),
            "cert_path": self.effective_tls_cert_path(),
            "ca_files": list(self.tls.tls_ca),
            "server_cert": self.tls.tls_server_cert,
            "server_key": self.tls.tls_server_key,
            "key_size": self.tls.certificate_key_size,
            "organization": list(self.effective_organization()),
            "vch_name": self.name,
        }

    # --- access by answers-file key -------------------------------------------------------------

    def get(self, key: str) -> Any:
        obj: Any = self
        for attr in field_by_key(key).path:
            obj = getattr(obj, attr)
        return obj

    def with_values(self, values: dict[str, Any]) -> "VchSpec":
        """A copy with the given answers-file keys set (e.g. {"public_network_ip": "10.0.0.2/24"})."""
        top: dict[str, Any] = {}
        nested: dict[str, dict[str, Any]] = {}
        for key, value in values.items():
            path = field_by_key(key).path  # one or two attribute names deep
            if len(path) == 1:
                top[path[0]] = value
            else:
                nested.setdefault(path[0], {})[path[1]] = value
        for attr, changes in nested.items():
            top[attr] = replace(getattr(self, attr), **changes)
        return replace(self, **top) if top else self


@dataclass(frozen=True)
class SpecField:
    """One top-level answers-file key; its vic-machine flag is `--` + key with `_` → `-`."""

    key: str
    path: tuple[str, ...]
    kind: str  # "text", "list", "bool", "int", "shares"
    short: tuple[str, ...] = ()

    @property
    def flag(self) -> str:
        return "--" + self.key.replace("_", "-")

    @property
    def default(self) -> Any:
        return _DEFAULT_SPEC.get(self.key)


def _role_fields(role: str, short: str) -> list[SpecField]:
    return [
        SpecField(f"{role}_network", (role, "port_group"), "text", (short,)),
        SpecField(f"{role}_network_ip", (role, "ip"), "text"),
        SpecField(f"{role}_network_gateway", (role, "gateway"), "text"),
    ]


# In the order the answers file and the vic-machine command list them.
FIELDS: tuple[SpecField, ...] = (
    SpecField("name", ("name",), "text", ("n",)),
    SpecField("compute_resource", ("compute_resource",), "text", ("r",)),
    SpecField("ops_user", ("ops_user",), "text"),
    SpecField("image_store", ("image_store",), "text", ("i",)),
    SpecField("volume_store", ("volume_store",), "list", ("vs",)),
    SpecField("bridge_network", ("bridge_network",), "text", ("b",)),
    SpecField("bridge_network_range", ("bridge_network_range",), "text", ("bnr",)),
    *_role_fields("public", "pn"),
    *_role_fields("client", "cln"),
    *_role_fields("management", "mn"),
    SpecField("dns_server", ("dns_server",), "list"),
    SpecField("cpu", ("resources", "cpu"), "int"),
    SpecField("cpu_reservation", ("resources", "cpu_reservation"), "int", ("cpur",)),
    SpecField("cpu_shares", ("resources", "cpu_shares"), "shares", ("cpus",)),
    SpecField("memory", ("resources", "memory"), "int", ("mem",)),
    SpecField("memory_reservation", ("resources", "memory_reservation"), "int", ("memr",)),
    SpecField("memory_shares", ("resources", "memory_shares"), "shares", ("mems",)),
    SpecField("endpoint_cpu", ("resources", "endpoint_cpu"), "int"),
    SpecField("endpoint_memory", ("resources", "endpoint_memory"), "int"),
    SpecField("no_tls", ("tls", "no_tls"), "bool", ("k",)),
    SpecField("no_tlsverify", ("tls", "no_tlsverify"), "bool", ("kv",)),
    SpecField("tls_cname", ("tls", "tls_cname"), "text"),
    SpecField("tls_cert_path", ("tls", "tls_cert_path"), "text"),
    SpecField("tls_ca", ("tls", "tls_ca"), "list", ("ca",)),
    SpecField("tls_server_cert", ("tls", "tls_server_cert"), "text"),
    SpecField("tls_server_key", ("tls", "tls_server_key"), "text"),
    SpecField("certificate_key_size", ("tls", "certificate_key_size"), "int", ("ksz",)),
    SpecField("organization", ("tls", "organization"), "list"),
    SpecField("registry_ca", ("registry_ca",), "list", ("rc",)),
    SpecField("insecure_registry", ("insecure_registry",), "list", ("dir",)),
    SpecField("whitelist_registry", ("whitelist_registry",), "list", ("wr",)),
    SpecField("https_proxy", ("https_proxy",), "text"),
    SpecField("http_proxy", ("http_proxy",), "text"),
    SpecField("no_proxy", ("no_proxy",), "text"),
    SpecField("appliance_iso", ("appliance_iso",), "text", ("ai",)),
    SpecField("bootstrap_iso", ("bootstrap_iso",), "text", ("bi",)),
    SpecField("timeout", ("timeout",), "text"),
)
_BY_KEY = {f.key: f for f in FIELDS}

# The keys of one [[container_network]] table, and the vic-machine flag each is written with.
CONTAINER_NETWORK_KEYS = ("port_group", "alias", "gateway", "ip_range", "dns", "firewall")
CONTAINER_NETWORK_TABLE = "container_network"


def field_by_key(key: str) -> SpecField:
    try:
        return _BY_KEY[key]
    except KeyError:
        raise KeyError(f"{key!r} is not an answers-file key") from None


def answer_keys() -> tuple[str, ...]:
    return tuple(_BY_KEY)


_DEFAULT_SPEC = VchSpec()
