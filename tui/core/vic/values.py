"""Small Go value types VIC's config embeds: net.IPNet, ip.Range, url.URL, a managed object reference, the build.

IP fields hold Go's raw bytes (see goip.py); the properties give ipaddress objects back.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from tui.core.vic import goip
from tui.core.vic.schema import BOOL, BYTES, INHERIT, INT, vic


@dataclass
class IPNet:
    """net.IPNet: an address and a mask, each as Go's raw bytes (empty = unset)."""

    ip: bytes = vic("IP", BYTES, INHERIT)
    mask: bytes = vic("Mask", BYTES, INHERIT)

    @property
    def address(self) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
        return goip.address(self.ip) if self.ip else None

    @property
    def prefixlen(self) -> int | None:
        return goip.mask_prefixlen(self.mask) if self.mask else None

    def cidr(self) -> str | None:
        """`10.0.0.5/24`; the address alone when there is no mask; None when unset."""
        if not self.ip:
            return None
        text = goip.ip_text(self.ip)
        return f"{text}/{self.prefixlen}" if self.mask else text

    @classmethod
    def interface(cls, text: str) -> "IPNet":
        """A static address as vic-machine stores `--public-network-ip 10.0.0.5/24`: 16-byte IP, 4-byte mask."""
        address, _network, mask = goip.parse_cidr(text)
        return cls(address, mask)

    @classmethod
    def network(cls, text: str) -> "IPNet":
        """A network as Go's ParseCIDR returns it (`172.16.0.0/12`): 4-byte IP, 4-byte mask."""
        _address, network, mask = goip.parse_cidr(text)
        return cls(network, mask)


@dataclass
class IPRange:
    """ip.Range (a container network pool)."""

    first: bytes = vic("first", BYTES)
    last: bytes = vic("last", BYTES)

    def text(self) -> str:
        """`FIRST-LAST`, or the CIDR form when the range was given as one (4-byte addresses, see ip.ParseRange)."""
        if len(self.first) == 4 and len(self.last) == 4:
            first, last = int.from_bytes(self.first, "big"), int.from_bytes(self.last, "big")
            for prefix in range(33):
                host = (1 << (32 - prefix)) - 1
                if first | host == last:
                    return f"{goip.ip_text(self.first)}/{prefix}"
        return f"{goip.ip_text(self.first)}-{goip.ip_text(self.last)}"

    @classmethod
    def parse(cls, text: str) -> "IPRange":
        """vic's ip.ParseRange: CIDR → 4-byte first (as written) and first|^mask; A-B or A-N → 16-byte addresses."""
        raw = text.strip()
        if "/" in raw:
            interface = ipaddress.ip_interface(raw)
            first = goip.ip4(interface.ip)
            last = bytes(f | (~m & 0xFF) for f, m in zip(first, goip.prefix_mask(interface.network), strict=True))
            return cls(first, last)
        left, _, right = raw.partition("-")
        first = goip.parse_ip(left)
        try:
            last = goip.parse_ip(right)
        except ValueError:
            last = first[:15] + bytes([int(right)])
        return cls(first, last)


@dataclass
class URL:
    """Go's url.URL as VIC stores it. `raw_fragment` and `omit_host` exist only when vic-machine was built with a
    Go that has them (1.15+ / 1.19+; official 1.5.x builds use Go 1.8): None = no key."""

    scheme: str = vic("Scheme", scope=INHERIT)
    opaque: str = vic("Opaque", scope=INHERIT)
    host: str = vic("Host", scope=INHERIT)
    path: str = vic("Path", scope=INHERIT)
    raw_path: str = vic("RawPath", scope=INHERIT)
    omit_host: bool | None = vic("OmitHost", BOOL, INHERIT, optional=True)
    force_query: bool = vic("ForceQuery", BOOL, INHERIT)
    raw_query: str = vic("RawQuery", scope=INHERIT)
    fragment: str = vic("Fragment", scope=INHERIT)
    raw_fragment: str | None = vic("RawFragment", scope=INHERIT, optional=True)


@dataclass(frozen=True)
class Moref:
    """A managed object reference, written `Type:value` (VIC's own string form)."""

    type: str = vic("Type", scope=INHERIT)
    value: str = vic("Value", scope=INHERIT)

    def __str__(self) -> str:
        return f"{self.type}:{self.value}"

    @classmethod
    def parse(cls, text: str) -> "Moref":
        kind, sep, value = text.partition(":")
        if not sep or not kind or not value:
            raise ValueError(f"{text!r} is not a managed object reference (Type:value, e.g. ResourcePool:resgroup-9)")
        return cls(kind, value)


@dataclass
class Build:
    """version.Build: what vic-machine recorded about itself (`init/version/*`)."""

    version: str = vic("Version", scope=INHERIT)
    git_commit: str = vic("GitCommit", scope=INHERIT)
    build_date: str = vic("BuildDate", scope=INHERIT)
    build_number: str = vic("BuildNumber", scope=INHERIT)
    state: str = vic("State", scope=INHERIT)
    plugin_version: int = vic("PluginVersion", INT, INHERIT)

    def short(self) -> str:
        """`v1.5.8-0-2c978fe`, as `vic-machine version` prints it."""
        return f"{self.version}-{self.build_number}-{self.git_commit}"
