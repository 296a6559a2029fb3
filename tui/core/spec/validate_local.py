"""Checks of a VCH spec that need no vSphere: every rule vic-machine enforces, plus the ones it never had.

`validate_local(spec)` returns every problem at once (errors and warnings), each naming the answers-file
key. Quoted phrases are vic-machine's own messages, so users who know VIC recognise them. Checks against
vSphere (`validate_target(spec, inventory)`) return the same `Problem`s and are appended to this list.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import TypeGuard

from tui.core.problems import Problem, warning
from tui.core.spec.addresses import (
    IpRange,
    is_routable,
    parse_cidr_address,
    parse_cidr_network,
    parse_ip,
    parse_ip_range,
    parse_routed_gateway,
)
from tui.core.spec.model import (
    DEFAULT_ENDPOINT_MEMORY_MB,
    DEFAULT_KEY_SIZE,
    FIREWALL_LEVELS,
    ROLES,
    SHARE_LEVELS,
    VchSpec,
)
from tui.core.spec.ops_user import ops_user_problems
from tui.core.spec.storage_paths import VOLUME_STORE_FORMS, parse_datastore_path, parse_volume_store
from tui.core.spec.units import DURATION_EXAMPLES, parse_duration
from tui.core.spec.validate_registries import check_proxies, check_registries

NAME_MAX_CHARS = 31
MAX_DNS_SERVERS = 3
MIN_BRIDGE_PREFIX = 16  # the port layer carves /16 bridge networks out of the range
MIN_ENDPOINT_MEMORY_MB = 512
MIN_KEY_SIZE = 2048
DEFAULT_CONTAINER_MEMORY_MB = 2048
MAX_ENDPOINT_CPU = 768  # vSphere 8 (hardware version 20) VM maximum
MAX_ENDPOINT_MEMORY_MB = 24 * 1024 * 1024  # 24 TB, the vSphere 8 VM maximum
MAX_ALLOCATION = 2**63 - 1  # ResourceAllocationInfo limit/reservation are xsd:long
MAX_SHARES = 2**31 - 1  # SharesInfo.shares is xsd:int
MAX_TIMEOUT_SECONDS = 24 * 3600
MAX_KEY_SIZE = 16384
MAX_X509_FIELD = 64  # ub-common-name / ub-organization-name (RFC 5280)
_NAME_UNSUPPORTED = re.compile(r"""[%&*$#@!\\/:?"<>;'|]""")

Check = Callable[[VchSpec], Iterator[Problem]]


def check_ops_user(spec: VchSpec) -> Iterator[Problem]:
    yield from ops_user_problems(spec.ops_user)


def validate_local(spec: VchSpec) -> list[Problem]:
    problems: list[Problem] = []
    for check in CHECKS:
        problems.extend(check(spec))
    return problems


# --- name and storage -----------------------------------------------------------------------------


def _invisible(ch: str) -> bool:
    """Control, format (bidi overrides, zero-width), unassigned or private characters, and every space and line
    separator other than the ASCII space."""
    category = unicodedata.category(ch)
    return category.startswith("C") or category in ("Zl", "Zp") or (category == "Zs" and ch != " ")


def check_name(spec: VchSpec) -> Iterator[Problem]:
    name = spec.name
    if not isinstance(name, str) or not name.strip():
        yield Problem("name", "is empty", 'give the VCH a name, e.g. name = "vch-1"')
        return
    if name != name.strip():
        yield Problem(
            "name",
            f"{name!r} has whitespace at its start or end",
            "remove it: vSphere and the datastore folder would not keep the name as written",
        )
    if name.strip(" .") == "" or name.strip() in (".", ".."):
        yield Problem(
            "name",
            f"{name!r} is not a usable name: the datastore folder would be the datastore's own folder or its parent",
            'give the VCH a name with letters or digits, e.g. "vch-1"',
        )
    invisible = sorted({ch for ch in name if _invisible(ch)})
    if invisible:
        yield Problem(
            "name",
            f"{name!r} contains control or invisible characters: " + " ".join(f"U+{ord(ch):04X}" for ch in invisible),
            "type the name again with letters, digits, space and - _ ( ) only",
        )
    elif unicodedata.normalize("NFKC", name) != name:
        yield Problem(
            "name",
            f"{name!r} is not in Unicode normal form (vSphere would store {unicodedata.normalize('NFKC', name)!r})",
            f"write it as {unicodedata.normalize('NFKC', name)!r}",
        )
    bad = sorted(set(_NAME_UNSUPPORTED.findall(name)))
    if bad:
        yield Problem(
            "name",
            f"{name!r} contains unsupported characters: {' '.join(bad)}",
            'allowed are letters, digits, space and - _ ( ) (vic-machine: "--name contains unsupported characters")',
        )
    if len(name) > NAME_MAX_CHARS:
        yield Problem(
            "name",
            f"is {len(name)} characters long; VIC permits at most {NAME_MAX_CHARS}",
            f'use a shorter name (vic-machine: "Display name exceeds the permitted {NAME_MAX_CHARS} characters limit")',
        )


def check_storage(spec: VchSpec) -> Iterator[Problem]:
    if spec.image_store is not None:
        try:
            parse_datastore_path(spec.image_store)
        except ValueError as exc:
            yield Problem("image_store", str(exc), 'write datastore/folder, e.g. image_store = "datastore1/vch-images"')
    labels: dict[str, int] = {}
    for index, text in enumerate(spec.volume_store):
        field = f"volume_store[{index}]"
        try:
            store = parse_volume_store(text)
        except ValueError as exc:
            yield Problem(field, str(exc), f"write {VOLUME_STORE_FORMS}; the label `default` enables anonymous volumes")
            continue
        if store.label in labels:
            yield Problem(
                field,
                f"the label {store.label!r} is already used by volume_store[{labels[store.label]}]",
                "give each volume store its own label (docker volume create --opt VolumeStore=LABEL)",
            )
        labels.setdefault(store.label, index)


PATH_KEYS = ("appliance_iso", "bootstrap_iso", "tls_cert_path", "tls_server_cert", "tls_server_key")


def _path_problem(key: str, path: object) -> Problem | None:
    if not isinstance(path, str):
        return None
    if "\0" in path or any(_invisible(ch) for ch in path):
        return Problem(key, f"{path!r} contains a NUL or another control character", "write the path again")
    if path.startswith("~"):
        return Problem(
            key,
            f"{path!r} starts with ~, which vch-tui does not expand (the shell would)",
            f"write the full path, e.g. {os.path.join(os.path.expanduser('~'), path[1:].lstrip('/'))}",
        )
    return None


def check_paths(spec: VchSpec) -> Iterator[Problem]:
    for key in PATH_KEYS:
        problem = _path_problem(key, spec.get(key))
        if problem:
            yield problem
    for key in ("tls_ca", "registry_ca"):
        for index, path in enumerate(spec.get(key)):
            problem = _path_problem(f"{key}[{index}]", path)
            if problem:
                yield problem


def check_isos(spec: VchSpec) -> Iterator[Problem]:
    """Given ISOs exist and can be read (tui.core.vch.plan checks they are ISO 9660 images, defaults too)."""
    for key in ("appliance_iso", "bootstrap_iso"):
        path = getattr(spec, key)
        if path is None or _path_problem(key, path) is not None:
            continue  # check_paths reports it
        if not os.path.isfile(path):
            what = "is not a regular file" if os.path.exists(path) else "does not exist"
            yield Problem(
                key,
                f"the file {path} {what}",
                "give the path of the ISO shipped with VIC, or leave it out to use the default",
            )
        elif not os.access(path, os.R_OK):
            yield Problem(key, f"the file {path} cannot be read", "check its permissions")


# --- networks -------------------------------------------------------------------------------------


def check_bridge(spec: VchSpec) -> Iterator[Problem]:
    try:
        bridge_range = parse_cidr_network(spec.bridge_network_range)
    except ValueError as exc:
        yield Problem("bridge_network_range", str(exc), "vic-machine's default is 172.16.0.0/12")
    else:
        if bridge_range.prefixlen > MIN_BRIDGE_PREFIX:
            yield Problem(
                "bridge_network_range",
                f"{spec.bridge_network_range} is smaller than a /16",
                '"--bridge-network-range must be /16 or larger network": use a prefix of 16 or less, '
                "e.g. 172.16.0.0/12",
            )
    if spec.bridge_network is not None and not spec.bridge_network.strip():
        yield Problem(
            "bridge_network", "is blank", "name a distributed port group, or leave it out to use the VCH name"
        )
    bridge = spec.effective_bridge_network()
    for role in ROLES:
        if spec.effective_port_group(role) == bridge:
            yield Problem(
                "bridge_network",
                f"the bridge network must not be shared with another network role - {role} also uses {bridge!r}",
                f"give the bridge its own distributed port group, or move {role}_network to another one",
            )


def _parse_role(spec: VchSpec, role: str) -> Iterator[Problem]:
    net = spec.role(role)
    key = f"{role}_network"
    iface = gateway = None
    if net.ip is not None:
        try:
            iface = parse_cidr_address(net.ip)
        except ValueError as exc:
            yield Problem(
                f"{key}_ip",
                f"Failed to parse the provided {role} network IP address: {exc}",
                f'write the VCH\'s address with its prefix length, e.g. {key}_ip = "10.0.0.2/24"',
            )
        else:
            if not is_routable(iface):
                yield Problem(
                    f"{key}_ip",
                    f"{net.ip} is the network or broadcast address of {iface.network}",
                    "give the VCH a host address inside the subnet",
                )
    if net.gateway is not None:
        example = "10.0.0.1" if role == "public" else "10.1.0.0/16,10.2.0.0/16:10.0.0.1"
        try:
            gateway = parse_routed_gateway(net.gateway)
        except ValueError as exc:
            yield Problem(
                f"{key}_gateway", f"Invalid {role} network gateway: {exc}", f'e.g. {key}_gateway = "{example}"'
            )
        if net.ip is None:
            yield Problem(
                f"{key}_gateway",
                f"Gateway provided without static IP for {role} network",
                f"set {key}_ip (address/prefix) as well, or remove the gateway to use DHCP",
            )
    if iface is not None and gateway is not None:
        if gateway.gateway not in iface.network:
            yield Problem(
                f"{key}_gateway",
                f"{role} gateway with IP {gateway.gateway} is not reachable from {iface.network}",
                f"the gateway must be inside the subnet of {key}_ip",
            )
        elif gateway.gateway == iface.ip:
            yield Problem(
                f"{key}_gateway", f"the gateway {gateway.gateway} is the VCH's own address", "give the router's address"
            )
    if role == "public":
        if net.ip is not None and net.gateway is None:
            yield Problem(
                "public_network_gateway",
                "public network must have both static IP and gateway specified",
                'e.g. public_network_gateway = "10.0.0.1"',
            )
        if gateway is not None and gateway.destinations:
            yield Problem(
                "public_network_gateway",
                "public network has the default route and must not have any routing destinations specified for gateway",
                "write only the gateway address, e.g. 10.0.0.1",
            )
    elif gateway is not None and not gateway.destinations and not _shares_public(spec, role):
        yield Problem(
            f"{key}_gateway",
            f"{role} network gateway specified without at least one routing destination",
            f'list the networks to reach through it: {key}_gateway = "10.1.0.0/16,10.2.0.0/16:10.0.0.1"',
        )


def _shares_public(spec: VchSpec, role: str) -> bool:
    return spec.effective_port_group(role) == spec.effective_public_network()


def check_roles(spec: VchSpec) -> Iterator[Problem]:
    for role in ROLES:
        if role != "public" and spec.role(role).static and _shares_public(spec, role):
            continue  # check_shared_port_groups explains this one
        yield from _parse_role(spec, role)
    for role in ROLES:
        port_group = spec.role(role).port_group
        if port_group is not None and not port_group.strip():
            yield Problem(f"{role}_network", "is blank", "name a port group, or leave the key out for the default")


def check_shared_port_groups(spec: VchSpec) -> Iterator[Problem]:
    """Roles on one port group share one NIC and so one static IP (vic validate/network.go checkPortGroups)."""
    public_pg = spec.effective_public_network()
    for role in ("client", "management"):
        net = spec.role(role)
        if net.static and _shares_public(spec, role):
            key = f"{role}_network_ip" if net.ip is not None else f"{role}_network_gateway"
            yield Problem(
                key,
                f"Static IP on network sharing port group with public network - Configuration ONLY "
                f"allowed through public network options ({role} uses {public_pg!r} too)",
                f"set the address on public_network_ip/public_network_gateway (the {role} network gets it "
                f"automatically), or put {role}_network on its own port group",
            )
    client, mgmt = spec.client, spec.management
    if (
        client.ip
        and mgmt.ip
        and not _shares_public(spec, "client")
        and spec.effective_client_network() == spec.effective_management_network()
    ):
        yield Problem(
            "management_network_ip",
            f"Incorrect static IP configuration for networks on port group "
            f"{spec.effective_client_network()!r}: both client and management "
            "set a static IP",
            "All VCH networks on the same port group must have the same IP address: set it on client_network_ip only",
        )
    subnets: dict[str, tuple[str, str]] = {}
    for role in ROLES:
        ip = spec.role(role).ip
        if not ip:
            continue
        try:
            subnet = str(parse_cidr_address(ip).network)
        except ValueError:
            continue
        pg = spec.effective_port_group(role)
        if subnet in subnets and subnets[subnet][0] != pg:
            yield warning(
                f"{role}_network_ip",
                f"Unsupported static IP configuration: Same subnet {subnet} is "
                f"assigned to port groups {subnets[subnet][0]!r} and {pg!r}",
                "this can cause routing problems; give each port group its own subnet",
            )
        subnets.setdefault(subnet, (pg, role))


def check_dns(spec: VchSpec) -> Iterator[Problem]:
    for index, server in enumerate(spec.dns_server):
        try:
            parse_ip(server)
        except ValueError as exc:
            yield Problem(
                f"dns_server[{index}]", f"Invalid DNS server specified: {exc}", 'e.g. dns_server = ["10.0.0.53"]'
            )
    if len(spec.dns_server) > MAX_DNS_SERVERS:
        yield Problem(
            "dns_server",
            f'lists {len(spec.dns_server)} servers; "Maximum of {MAX_DNS_SERVERS} DNS servers '
            'allowed" (vic-machine ignores the rest)',
            f"keep at most {MAX_DNS_SERVERS}",
        )


def _check_one_container_network(spec: VchSpec, index: int, bridge_range) -> Iterator[Problem]:
    cn = spec.container_networks[index]
    base = f"container_network[{index}]"
    pg = cn.port_group if isinstance(cn.port_group, str) else ""
    if not pg.strip():
        yield Problem(f"{base}.port_group", "is empty", "name the vSphere distributed port group containers attach to")
        return
    if ":" in pg:
        yield Problem(
            f"{base}.port_group",
            f"{pg!r} contains ':'",
            "vic-machine separates the port group from its alias with ':'; rename the port group",
        )
    if " " in pg and cn.alias is None:
        yield Problem(
            f"{base}.alias",
            f"A network alias must be supplied when network name {pg!r} contains spaces.",
            'containers cannot see names with spaces: set alias, e.g. alias = "backend"',
        )
    if cn.alias is not None:
        if " " in cn.alias:
            yield Problem(
                f"{base}.alias", f"The network alias {cn.alias!r} cannot contain spaces.", "use letters, digits, - or _"
            )
        if ":" in cn.alias:
            yield Problem(f"{base}.alias", f"the alias {cn.alias!r} contains ':'", "use letters, digits, - or _")
    if cn.effective_alias() == "bridge":
        yield Problem(
            f"{base}.alias" if cn.alias else f"{base}.port_group",
            'Cannot use reserved name "bridge" for container network',
            "`bridge` is Docker's default network: pick another alias",
        )
    if pg == spec.effective_bridge_network():
        yield Problem(
            f"{base}.port_group",
            f"the bridge network must not be shared with another network role - "
            f"{pg!r} also mapped as container network",
            "use a different distributed port group for the container network",
        )
    yield from _check_container_addresses(cn, base, bridge_range)
    level = cn.firewall.lower() if isinstance(cn.firewall, str) else ""
    if level not in FIREWALL_LEVELS:
        yield Problem(
            f"{base}.firewall",
            f"Unrecognized container trust level {cn.firewall!r}.",
            "use one of: " + ", ".join(FIREWALL_LEVELS) + " (published is the default)",
        )
    if level == "peers" and not cn.ip_range:
        yield Problem(
            f"{base}.ip_range",
            "the peers firewall needs an ip_range: without one VIC accepts inbound "
            'traffic from anywhere (it "defaults to open")',
            'add ip_range (and gateway) for the addresses peers get, or choose firewall = "open"',
        )


def _check_container_addresses(cn, base: str, bridge_range) -> Iterator[Problem]:
    gateway = None
    if cn.gateway is not None:
        try:
            gateway = parse_cidr_address(cn.gateway, example="10.20.0.1/24")
        except ValueError as exc:
            yield Problem(
                f"{base}.gateway",
                str(exc),
                'VIC takes the container subnet from the gateway\'s mask, e.g. gateway = "10.20.0.1/24"',
            )
        else:
            if gateway.network.prefixlen == 0 or not is_routable(gateway):
                yield Problem(
                    f"{base}.gateway",
                    f"Gateway {cn.gateway} is not a routable address",
                    "use a host address inside the subnet, e.g. 10.20.0.1/24",
                )
                gateway = None
    ranges: list[tuple[int, IpRange]] = []
    for i, text in enumerate(cn.ip_range):
        try:
            ranges.append((i, parse_ip_range(text)))
        except ValueError as exc:
            yield Problem(f"{base}.ip_range", str(exc), 'e.g. ip_range = ["10.20.0.100-10.20.0.199"]')
    if cn.ip_range and cn.gateway is None:
        yield Problem(
            f"{base}.ip_range",
            f"IP range specified without gateway for container network {cn.effective_alias()!r}",
            "set gateway (address/prefix) for the network the range belongs to",
        )
    for n, (i, r) in enumerate(ranges):
        if gateway is not None and not r.within(gateway.network):
            yield Problem(
                f"{base}.ip_range",
                f"IP range {cn.ip_range[i]!r} is not in subnet {gateway.network}",
                "keep the range inside the gateway's subnet",
            )
        elif gateway is not None and r.contains(gateway.ip):
            yield warning(
                f"{base}.ip_range",
                f"IP range {cn.ip_range[i]!r} includes the gateway {gateway.ip}",
                "leave the gateway's address out of the range so no container gets it",
            )
        for j, other in ranges[n + 1 :]:
            if r.overlaps(other):
                yield Problem(
                    f"{base}.ip_range",
                    f"Overlapping ip ranges: {cn.ip_range[i]!r} {cn.ip_range[j]!r}",
                    "make the ranges disjoint",
                )
        if bridge_range is not None and r.overlaps(IpRange.of_network(bridge_range)):
            yield Problem(
                f"{base}.ip_range",
                f"IP range {cn.ip_range[i]!r} overlaps the bridge range {bridge_range}",
                "containers would not know which network to use: move the range or change bridge_network_range",
            )
    if gateway is not None and not cn.ip_range and bridge_range is not None and gateway.network.overlaps(bridge_range):
        yield Problem(
            f"{base}.gateway",
            f"the subnet {gateway.network} (all of it is the pool when no ip_range is "
            f"given) overlaps the bridge range {bridge_range}",
            "use a subnet outside bridge_network_range, or change bridge_network_range",
        )
    for server in cn.dns:
        try:
            parse_ip(server)
        except ValueError as exc:
            yield Problem(f"{base}.dns", str(exc), 'e.g. dns = ["10.20.0.2"]')
    if cn.dns and cn.gateway is None:
        yield warning(
            f"{base}.dns",
            'DNS servers are ignored on a DHCP container network ("Ignored if no static IP assigned")',
            "set gateway and ip_range, or remove dns",
        )


def check_container_networks(spec: VchSpec) -> Iterator[Problem]:
    try:
        bridge_range = parse_cidr_network(spec.bridge_network_range)
    except ValueError:
        bridge_range = None  # check_bridge reports it
    seen_pg: dict[str, int] = {}
    seen_alias: dict[str, int] = {}
    for index, cn in enumerate(spec.container_networks):
        yield from _check_one_container_network(spec, index, bridge_range)
        base = f"container_network[{index}]"
        if cn.port_group in seen_pg:
            yield Problem(
                f"{base}.port_group",
                f"the port group {cn.port_group!r} is already container_network[{seen_pg[cn.port_group]}]",
                "vic-machine keys gateway, ranges, DNS and firewall by port group: list each port group once",
            )
        if cn.effective_alias() in seen_alias:
            yield Problem(
                f"{base}.alias",
                f"the name {cn.effective_alias()!r} is already used by container_network"
                f"[{seen_alias[cn.effective_alias()]}]",
                "each container network needs its own alias",
            )
        seen_pg.setdefault(cn.port_group, index)
        seen_alias.setdefault(cn.effective_alias(), index)


# --- TLS ------------------------------------------------------------------------------------------


def check_tls(spec: VchSpec) -> Iterator[Problem]:
    tls = spec.tls
    if tls.no_tls:
        conflicts = {
            "no_tlsverify": tls.no_tlsverify,
            "tls_ca": bool(tls.tls_ca),
            "tls_server_cert": tls.tls_server_cert is not None,
            "tls_server_key": tls.tls_server_key is not None,
        }
        for key, given in conflicts.items():
            if given:
                yield Problem(
                    key,
                    "conflicts with no_tls: no_tls turns TLS off entirely, so this would be ignored",
                    f"remove {key}, or remove no_tls to keep TLS",
                )
        for key, given in {
            "tls_cname": tls.tls_cname is not None,
            "organization": bool(tls.organization),
            "certificate_key_size": tls.certificate_key_size != DEFAULT_KEY_SIZE,
        }.items():
            if given:
                yield warning(key, "is ignored with no_tls (no certificates are made)", f"remove {key}")
        return
    if (tls.tls_server_cert is None) != (tls.tls_server_key is None):
        missing = "tls_server_key" if tls.tls_server_key is None else "tls_server_cert"
        yield Problem(
            missing,
            "key and cert should be specified at the same time",
            "give both tls_server_cert and tls_server_key, or neither to have them generated",
        )
    if tls.no_tlsverify and tls.tls_ca:
        yield Problem(
            "tls_ca",
            "conflicts with no_tlsverify: the CA is only used to verify client certificates",
            "remove tls_ca, or remove no_tlsverify to verify clients",
        )
    for index, path in enumerate(tls.tls_ca):
        if not path.strip():
            yield Problem(f"tls_ca[{index}]", "is empty", "give the path of a CA certificate (PEM)")
    if spec.tls_generates_ca() and not spec.effective_tls_cname():
        yield Problem(
            "tls_cname",
            "provide Common Name for server certificate: client certificates are generated "
            "and the server certificate needs the address clients use",
            'set tls_cname to the VCH\'s FQDN or static IP (or "*.example.com" for DHCP addresses with '
            "DNS entries), set a static client_network_ip, or set no_tlsverify = true to turn off "
            "client certificates",
        )
    for index, org in enumerate(tls.organization):
        if not isinstance(org, str) or not org.strip() or len(org) > MAX_X509_FIELD:
            yield Problem(
                f"organization[{index}]",
                f"must be 1 to {MAX_X509_FIELD} characters (the certificate's O "
                f"field); got {len(org) if isinstance(org, str) else org!r}",
                "use a shorter organization name",
            )
    if not tls.organization and isinstance(spec.name, str) and len(spec.name) > MAX_X509_FIELD:
        yield Problem(
            "name",
            f"is too long for the certificate's O field (at most {MAX_X509_FIELD})",
            "use a shorter name or set organization",
        )
    cname = tls.tls_cname
    if isinstance(cname, str) and (
        len(cname) > MAX_X509_FIELD
        or not cname.isascii()
        or cname != cname.strip()
        or any(_invisible(ch) for ch in cname)
    ):
        yield Problem(
            "tls_cname",
            f"{cname!r} cannot be a certificate's CN and DNS name: at most "
            f"{MAX_X509_FIELD} ASCII characters, no spaces around it",
            "give the VCH's FQDN or IP address, e.g. vch-1.example.com",
        )
    size = tls.certificate_key_size
    if _is_int(size) and size > MAX_KEY_SIZE:
        yield Problem(
            "certificate_key_size",
            f"{size} bits is beyond what the TLS libraries accept (at most {MAX_KEY_SIZE})",
            "use 2048 or 4096",
        )
    elif not _is_int(size) or size < MIN_KEY_SIZE:
        yield Problem(
            "certificate_key_size",
            f"{size!r} bits is too weak; Go and OpenSSL 3 refuse RSA keys under {MIN_KEY_SIZE} bits",
            "use 2048 or 4096",
        )
    elif size > 8192:
        yield warning("certificate_key_size", f"{size} bits makes key generation very slow", "use 2048 or 4096")


# --- resources and timing -------------------------------------------------------------------------


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def check_resources(spec: VchSpec) -> Iterator[Problem]:
    res = spec.resources
    units = {"cpu": "MHz", "memory": "MB"}
    for kind, unit in units.items():
        limit = getattr(res, kind)
        reservation = getattr(res, f"{kind}_reservation")
        for key, value in ((kind, limit), (f"{kind}_reservation", reservation)):
            if value is not None and (not _is_int(value) or value < 0):
                yield Problem(
                    key,
                    f"must be a whole number of {unit}, 0 or more; got {value!r}",
                    "0 (or leaving it out) means unlimited" if key == kind else "0 means no reservation",
                )
        if _is_int(limit) and _is_int(reservation) and limit > 0 and reservation > limit:
            yield Problem(
                f"{kind}_reservation",
                f"{reservation} {unit} is above the {kind} limit of {limit} {unit}",
                f"lower {kind}_reservation or raise {kind}",
            )
        for key, value in ((kind, limit), (f"{kind}_reservation", reservation)):
            if _is_int(value) and value > MAX_ALLOCATION:
                yield Problem(
                    key,
                    f"{value} {unit} is beyond what vSphere can allocate (at most {MAX_ALLOCATION})",
                    "0 (or leaving it out) means unlimited" if key == kind else "lower it",
                )
        shares = getattr(res, f"{kind}_shares")
        text = shares.strip().lower() if isinstance(shares, str) else ""
        custom = text.isascii() and text.isdigit()
        if text not in SHARE_LEVELS and not (custom and 0 < int(text) <= MAX_SHARES):
            yield Problem(
                f"{kind}_shares",
                f"{shares!r} is not a share level vSphere accepts",
                f"use low, normal, high, or a whole number of shares from 1 to {MAX_SHARES} in ASCII "
                "digits (e.g. 4000)",
            )
    if not _is_int(res.endpoint_cpu) or not 1 <= res.endpoint_cpu <= MAX_ENDPOINT_CPU:
        yield Problem(
            "endpoint_cpu",
            f"must be a whole number of vCPUs from 1 to {MAX_ENDPOINT_CPU} (what a VM can "
            f"have); got {res.endpoint_cpu!r}",
            "vic-machine's default is 1",
        )
    mem = res.endpoint_memory
    if not _is_int(mem) or not MIN_ENDPOINT_MEMORY_MB <= mem <= MAX_ENDPOINT_MEMORY_MB:
        yield Problem(
            "endpoint_memory",
            f"must be from {MIN_ENDPOINT_MEMORY_MB} to {MAX_ENDPOINT_MEMORY_MB} MB (what a VM can have); got {mem!r}",
            f"vic-machine's default is {DEFAULT_ENDPOINT_MEMORY_MB} MB",
        )
    elif mem % 4:
        yield Problem(
            "endpoint_memory",
            f"{mem} MB is not a multiple of 4 MB, which vSphere requires for VM memory",
            f"e.g. {mem - mem % 4} or {mem - mem % 4 + 4}",
        )
    elif _is_int(res.memory) and res.memory > 0 and res.memory - mem < DEFAULT_CONTAINER_MEMORY_MB:
        yield warning(
            "memory",
            f"a {res.memory} MB limit leaves {max(res.memory - mem, 0)} MB after the {mem} MB "
            f"endpoint VM: not one default ({DEFAULT_CONTAINER_MEMORY_MB} MB) container fits",
            "VIC never checks this; containers would fail at power-on. Raise memory or use docker run -m",
        )


def check_timeout(spec: VchSpec) -> Iterator[Problem]:
    try:
        seconds = parse_duration(spec.timeout)
    except ValueError as exc:
        yield Problem("timeout", str(exc), f'e.g. timeout = "3m" ({DURATION_EXAMPLES})')
        return
    if seconds <= 0:
        yield Problem("timeout", f"{spec.timeout!r} is not a positive duration", "vic-machine's default is 3m")
    elif seconds > MAX_TIMEOUT_SECONDS:
        yield Problem(
            "timeout",
            f"{spec.timeout!r} is longer than {MAX_TIMEOUT_SECONDS // 3600} hours: the create "
            "would wait that long for an endpoint that does not answer",
            "vic-machine's default is 3m; a slow site may need 10m",
        )


CHECKS: tuple[Check, ...] = (
    check_name,
    check_ops_user,
    check_storage,
    check_paths,
    check_isos,
    check_bridge,
    check_roles,
    check_shared_port_groups,
    check_dns,
    check_container_networks,
    check_tls,
    check_registries,
    check_proxies,
    check_resources,
    check_timeout,
)
