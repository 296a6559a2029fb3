"""Go's net.IP / net.IPMask byte forms, which VIC's config stores as raw bytes (base64 on the wire).

The byte length is part of the value: Go's ParseIP gives 16 bytes for an IPv4 address (the v4-in-v6 form),
the network of ParseCIDR 4 bytes, IPv4zero 16 bytes. `parse_ip`, `parse_cidr` and `IPV4_ZERO` give exactly
those, so a config built here encodes like vic-machine's; `ip_text` reads any of them back.
"""

from __future__ import annotations

import ipaddress

_V4_IN_V6 = bytes(10) + b"\xff\xff"
IPV4_ZERO = _V4_IN_V6 + bytes(4)  # net.IPv4zero


def ip16(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bytes:
    """16-byte form, as net.ParseIP and net.IPv4 return it."""
    if address.version == 4:
        return _V4_IN_V6 + address.packed
    return address.packed


def ip4(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bytes:
    """4-byte form for IPv4 (Go's To4), 16 bytes for IPv6."""
    return address.packed


def parse_ip(text: str) -> bytes:
    """net.ParseIP: 16 bytes. Raises ValueError."""
    return ip16(ipaddress.ip_address(text.strip()))


def parse_cidr(text: str) -> tuple[bytes, bytes, bytes]:
    """net.ParseCIDR: (the address, 16 bytes for IPv4; the network address, 4 bytes for IPv4; the mask)."""
    interface = ipaddress.ip_interface(text.strip())
    return ip16(interface.ip), ip4(interface.network.network_address), prefix_mask(interface.network)


def prefix_mask(network: ipaddress.IPv4Network | ipaddress.IPv6Network) -> bytes:
    """net.CIDRMask(prefixlen, bits): 4 bytes for IPv4, 16 for IPv6."""
    return network.netmask.packed


def cidr_mask(prefixlen: int, bits: int = 32) -> bytes:
    """net.CIDRMask."""
    value = ((1 << bits) - 1) ^ ((1 << (bits - prefixlen)) - 1)
    return value.to_bytes(bits // 8, "big")


def address(raw: bytes) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """The address in a Go net.IP (4 or 16 bytes; a v4-in-v6 value reads as IPv4). Raises ValueError."""
    if len(raw) == 4:
        return ipaddress.IPv4Address(raw)
    if len(raw) == 16:
        if raw[:12] == _V4_IN_V6:
            return ipaddress.IPv4Address(raw[12:])
        return ipaddress.IPv6Address(raw)
    raise ValueError(f"{len(raw)} bytes is not an IP address (4 or 16 bytes)")


def ip_text(raw: bytes) -> str:
    return str(address(raw))


def mask_prefixlen(mask: bytes) -> int:
    """The prefix length of a contiguous mask (net.IPMask.Size). Raises ValueError for a non-contiguous one."""
    bits = len(mask) * 8
    value = int.from_bytes(mask, "big")
    ones = bin(value).count("1")
    if value != ((1 << bits) - 1) ^ ((1 << (bits - ones)) - 1):
        raise ValueError(f"mask {mask.hex()} is not contiguous")
    return ones


def is_unspecified(raw: bytes) -> bool:
    return not raw or not any(raw[12:] if raw[:12] == _V4_IN_V6 else raw)
