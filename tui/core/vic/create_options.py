"""`vic_machine_create_options`: the create flags vic-machine records in the config, and reading them back.

vic-machine (create.go logArguments) writes every flag the user set, in the order its flags are defined (not
the order typed), as `--flag=value`: list flags once per value; a value that Go parses as an int, a duration
or a float is re-printed that way (`--timeout=3m0s`); bools as `=true`. It leaves out the login and the
passwords, and the certificate/key file paths.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from tui.core.spec.model import VchSpec
from tui.core.spec.vicmachine import to_vic_machine_args
from tui.core.vic.goduration import go_duration_string, parse_go_duration

# vic-machine create's flags in definition order (target, compute, ops, create, affinity, container, volume, dns,
# networks, container networks, memory, cpu, quota, containers, tls, registries, proxies, syslog, iso, util, debug)
FLAG_ORDER = (
    "target",
    "user",
    "password",
    "thumbprint",
    "name",
    "compute-resource",
    "ops-user",
    "ops-password",
    "ops-grant-perms",
    "image-store",
    "base-image-size",
    "affinity-vm-group",
    "container-name-convention",
    "volume-store",
    "dns-server",
    "bridge-network",
    "bridge-network-range",
    "bridge-network-width",
    "client-network",
    "client-network-gateway",
    "client-network-ip",
    "public-network",
    "public-network-gateway",
    "public-network-ip",
    "management-network",
    "management-network-gateway",
    "management-network-ip",
    "container-network",
    "container-network-gateway",
    "container-network-ip-range",
    "container-network-dns",
    "container-network-firewall",
    "memory",
    "memory-reservation",
    "memory-shares",
    "endpoint-memory",
    "cpu",
    "cpu-reservation",
    "cpu-shares",
    "endpoint-cpu",
    "storage-quota",
    "containers",
    "tls-server-key",
    "tls-server-cert",
    "tls-cname",
    "tls-cert-path",
    "no-tlsverify",
    "organization",
    "certificate-key-size",
    "tls-ca",
    "no-tls",
    "registry-ca",
    "insecure-registry",
    "whitelist-registry",
    "https-proxy",
    "http-proxy",
    "no-proxy",
    "syslog-address",
    "appliance-iso",
    "bootstrap-iso",
    "force",
    "timeout",
    "asymmetric-routes",
    "debug",
)
LIST_FLAGS = frozenset(
    {
        "volume-store",
        "dns-server",
        "container-network",
        "container-network-gateway",
        "container-network-ip-range",
        "container-network-dns",
        "container-network-firewall",
        "organization",
        "tls-ca",
        "registry-ca",
        "insecure-registry",
        "whitelist-registry",
    }
)
BOOL_FLAGS = frozenset({"no-tlsverify", "no-tls", "force", "asymmetric-routes", "ops-grant-perms"})
NOT_RECORDED = frozenset(
    {"user", "password", "ops-password", "tls-server-cert", "tls-cert-path", "tls-server-key", "registry-ca", "tls-ca"}
)
_GO_INT = re.compile(
    r"[+-]?(0[xX]_?[0-9a-fA-F](_?[0-9a-fA-F])*|0[oO]_?[0-7](_?[0-7])*|0[bB]_?[01](_?[01])*"
    r"|0(_?[0-7])*|[1-9](_?[0-9])*)"
)
_GO_FLOAT = re.compile(r"[+-]?((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|inf|infinity|nan)", re.IGNORECASE)


@dataclass(frozen=True)
class Extras:
    """vic-machine create inputs the VchSpec does not carry, that the config records."""

    ops_user: str | None = None
    # flags the user typed although they equal vic-machine's default (e.g. --public-network "VM Network"):
    # vic-machine records every flag typed, vch-tui's equivalent command leaves defaults out
    explicit: frozenset[str] = frozenset()


def _go_int(text: str) -> int | None:
    if not _GO_INT.fullmatch(text):
        return None
    body = text.lstrip("+-").replace("_", "")
    sign = -1 if text.startswith("-") else 1
    if len(body) > 1 and body[0] == "0" and body[1].isdigit():
        value = int(body, 8)
    else:
        value = int(body, 0)
    value *= sign
    return value if -(1 << 63) <= value < (1 << 63) else None


def _go_float(text: str) -> float | None:
    if not _GO_FLOAT.fullmatch(text):
        return None
    try:
        return float(text)
    except ValueError:
        return None


def go_flag_value(value: str) -> str:
    """How logArguments prints a scalar flag's value: as a Go int, else a duration, else a float, else as is."""
    number = _go_int(value)
    if number:
        return str(number)
    ns = parse_go_duration(value)
    if ns:
        return go_duration_string(ns)
    real = _go_float(value)
    if real:
        if math.isnan(real):
            return "NaN"
        if math.isinf(real):
            return "+Inf" if real > 0 else "-Inf"
        return f"{real:f}"
    return value


def record(flags: Mapping[str, Sequence[str] | str | bool]) -> list[str]:
    """The recorded options for the given flag values (name without dashes → value, or values of a list flag)."""
    unknown = set(flags) - set(FLAG_ORDER)
    if unknown:
        raise ValueError(f"not vic-machine create flags: {sorted(unknown)}")
    out: list[str] = []
    for name in FLAG_ORDER:
        value = flags.get(name)
        if value is None or value is False or value == "" or value == () or value == [] or name in NOT_RECORDED:
            continue
        if name in LIST_FLAGS:
            if value is True:
                raise ValueError(f"--{name} takes values, not true")
            values = [value] if isinstance(value, str) else list(value)
            out += [f"--{name}={item}" for item in values]
        elif value is True:
            out.append(f"--{name}=true")
        else:
            out.append(f"--{name}={go_flag_value(str(value))}")
    return out


def spec_flags(spec: VchSpec) -> dict[str, list[str] | str | bool]:
    """The flags `vic-machine create` gets for `spec` (those vch-tui's equivalent command has)."""
    words = to_vic_machine_args(spec)
    flags: dict[str, list[str] | str | bool] = {}
    i = 0
    while i < len(words):
        name = words[i][2:]
        if name in BOOL_FLAGS:
            flags[name] = True
            i += 1
            continue
        value = words[i + 1]
        i += 2
        if name in LIST_FLAGS:
            flags.setdefault(name, [])
            flags[name].append(value)  # type: ignore[union-attr]
        else:
            flags[name] = value
    return flags


def create_options(spec: VchSpec, *, target: str, thumbprint: str | None, extras: Extras = Extras()) -> list[str]:
    """What vic-machine records for creating `spec`; `target` as it prints it (`https://host[:port][/dc]`)."""
    flags = spec_flags(spec)
    for name in extras.explicit - set(flags):
        value = spec.get(name.replace("-", "_"))
        flags[name] = list(value) if isinstance(value, tuple) else value if isinstance(value, bool) else str(value)
    flags["target"] = target
    if thumbprint:
        flags["thumbprint"] = thumbprint
    if extras.ops_user:
        flags["ops-user"] = extras.ops_user
    return record(flags)


def parse_options(options: Iterable[str]) -> dict[str, list[str]]:
    """Recorded options → flag name → its values in order (`--no-tls=true` gives ["true"])."""
    out: dict[str, list[str]] = {}
    for option in options:
        name, sep, value = option.lstrip("-").partition("=")
        out.setdefault(name, []).append(value if sep else "true")
    return out
