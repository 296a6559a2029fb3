"""IP values in vic-machine's syntax: static addresses, gateways with routing destinations, IP ranges.

Each parser raises ValueError with a message meant for the user (the caller adds the field name).
Like vic-machine, `:` separates parts of a value, so these are IPv4 forms: an IPv6 address anywhere is
refused with a message saying so (VIC's networks are IPv4 only), never passed on to be compared with IPv4.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPInterface = ipaddress.IPv4Interface | ipaddress.IPv6Interface


def _ipv4(value, text: str, example: str):
    if value.version != 4:
        raise ValueError(f"{text!r} is an IPv6 address: VIC's networks are IPv4 only (e.g. {example})")
    return value


def _is_ipv6(text: str) -> bool:
    try:
        ipaddress.IPv6Address(text.strip("[]"))
    except ValueError:
        return False
    return True


def parse_ip(text: str) -> IPAddress:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not an IP address (e.g. 10.0.0.1)") from None
    return _ipv4(address, text, "10.0.0.1")


def parse_cidr_address(text: str, example: str = "10.0.0.2/24") -> IPInterface:
    """An address with its prefix length, as `--public-network-ip` and `--container-network-gateway` take it."""
    raw = text.strip()
    if "/" not in raw:
        raise ValueError(f"{text!r} has no network mask: write the address with its prefix length, e.g. {example}")
    try:
        interface = ipaddress.ip_interface(raw)
    except ValueError:
        raise ValueError(f"{text!r} is not an address with a prefix length (e.g. {example})") from None
    return _ipv4(interface, text, example)


def parse_cidr_network(text: str, example: str = "172.16.0.0/12") -> IPNetwork:
    """A network in CIDR form; host bits may be set (Go's net.ParseCIDR masks them off as well)."""
    raw = text.strip()
    if "/" not in raw:
        raise ValueError(f"{text!r} is not in CIDR form, e.g. {example}")
    try:
        network = ipaddress.ip_network(raw, strict=False)
    except ValueError:
        raise ValueError(f"{text!r} is not in CIDR form, e.g. {example}") from None
    return _ipv4(network, text, example)


@dataclass(frozen=True)
class RoutedGateway:
    gateway: IPAddress
    destinations: tuple[IPNetwork, ...] = ()


def parse_routed_gateway(text: str) -> RoutedGateway:
    """vic-machine's gateway syntax: `10.0.0.1`, or `10.1.0.0/16,10.2.0.0/16:10.0.0.1` with routing destinations."""
    stripped = text.strip()
    if _is_ipv6(stripped):
        raise ValueError(f"{text!r} is an IPv6 address: VIC's networks are IPv4 only (e.g. 10.0.0.1)")
    parts = stripped.split(":")
    if len(parts) > 2:
        raise ValueError(
            f"{text!r} has more than one ':'; write DEST1,DEST2:GATEWAY, e.g. 10.1.0.0/16:10.0.0.1 "
            "(IPv4 only: VIC has no IPv6 networks)"
        )
    gateway_text = parts[-1]
    if "/" in gateway_text:
        raise ValueError(
            f"the gateway {gateway_text!r} must be a plain address without a mask "
            "(the mask comes from the network's static IP)"
        )
    try:
        gateway = _ipv4(ipaddress.ip_address(gateway_text.strip()), gateway_text, "10.0.0.1")
    except ValueError as exc:
        if "IPv6" in str(exc):
            raise
        raise ValueError(f"the gateway {gateway_text!r} is not an IP address") from None
    destinations = []
    if len(parts) == 2:
        for item in parts[0].split(","):
            destinations.append(parse_cidr_network(item, example="10.1.0.0/16"))
    return RoutedGateway(gateway, tuple(destinations))


def is_routable(gateway: IPInterface) -> bool:
    """In its subnet and neither the subnet's all-zeros nor all-ones address (vic's ip.IsRoutableIP)."""
    net = gateway.network
    if net.prefixlen >= net.max_prefixlen - 1:
        return True  # /31 and /32 have no network or broadcast address to avoid
    return gateway.ip not in (net.network_address, net.broadcast_address)


@dataclass(frozen=True)
class IpRange:
    first: IPAddress
    last: IPAddress

    def __str__(self) -> str:
        return f"{self.first}-{self.last}"

    # parse_ip_range makes IPv4 ranges only, but the type is IPv4 | IPv6, and ipaddress raises TypeError
    # ordering one against the other: compare the versions, then the addresses as integers (a range's
    # two ends share a version).
    def overlaps(self, other: "IpRange") -> bool:
        return (
            self.first.version == other.first.version
            and int(self.first) <= int(other.last)
            and int(other.first) <= int(self.last)
        )

    def within(self, network: IPNetwork) -> bool:
        return self.first in network and self.last in network

    def contains(self, address: IPAddress) -> bool:
        return address.version == self.first.version and int(self.first) <= int(address) <= int(self.last)

    @classmethod
    def of_network(cls, network: IPNetwork) -> "IpRange":
        return cls(network.network_address, network.broadcast_address)


def parse_ip_range(text: str) -> IpRange:
    """`10.0.0.0/24`, `10.0.0.10-10.0.0.20`, or the short form `10.0.0.10-20` (vic's ip.ParseRange)."""
    raw = text.strip()
    bad = ValueError(
        f"{text!r} is not an IP range: write a CIDR (10.0.0.0/24), FIRST-LAST "
        "(10.0.0.10-10.0.0.20) or FIRST-LASTOCTET (10.0.0.10-20)"
    )
    if ":" in raw:  # no IPv4 form has one
        raise ValueError(
            f"{text!r} is an IPv6 range: VIC's container networks are IPv4 only (e.g. 10.0.0.10-10.0.0.20)"
        )
    if "/" in raw:
        try:
            return IpRange.of_network(ipaddress.ip_network(raw, strict=False))
        except ValueError:
            raise bad from None
    pieces = raw.split("-")
    if len(pieces) != 2:
        raise bad
    try:
        first = ipaddress.ip_address(pieces[0].strip())
    except ValueError:
        raise bad from None
    last_text = pieces[1].strip()
    try:
        last = ipaddress.ip_address(last_text)
    except ValueError:
        if not (last_text.isascii() and last_text.isdigit()) or first.version != 4:
            raise bad from None
        octets = str(first).split(".")
        end = int(last_text)
        if end <= int(octets[3]) or end > 255:
            raise ValueError(f"{text!r}: the last octet {end} must be above {octets[3]} and at most 255") from None
        last = ipaddress.ip_address(".".join([*octets[:3], str(end)]))
    if first.version != last.version or int(first) > int(last):
        raise ValueError(f"{text!r}: the first address must not come after the last")
    return IpRange(first, last)
