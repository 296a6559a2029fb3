"""The inventory the monitor needs, as plain facts, and which VMs are a VCH's containers.

A VCH is found by its endpoint VM, the one carrying VIC's `guestinfo.vice./init/common/name`; its
containers are the other VMs in the endpoint's resource pool (reference vic.md §3). Endpoint VMs of
other VCHs in the same pool are never containers.

Property values arrive from the watcher already plain (see `plain_value`): managed object references
become moid strings, allocations become their limit, extraConfig becomes the VCH name or None.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from tui.core.vch.listing import NAME_KEY

VM_PATHS = ("name", "runtime.powerState", "config.hardware.numCPU", "config.hardware.memoryMB", "resourcePool",
            "runtime.host", "config.extraConfig")
POOL_PATHS = ("name", "config.cpuAllocation", "config.memoryAllocation")
HOST_PATHS = ("summary.hardware.cpuMhz",)


def plain_value(path: str, value: Any) -> Any:
    """A pyvmomi property value -> what the facts hold (duck-typed: no pyvmomi import here)."""
    if value is None:
        return None
    if path == "config.extraConfig":
        for option in value:
            if getattr(option, "key", None) == NAME_KEY:
                return str(option.value) if option.value is not None else None
        return None
    if path in ("config.cpuAllocation", "config.memoryAllocation"):
        limit = getattr(value, "limit", None)
        return None if limit is None or limit < 0 else int(limit)
    moid = getattr(value, "_moId", None)
    if moid is not None:
        return moid
    return value


@dataclass(frozen=True, slots=True)
class VmFacts:
    moid: str
    name: str
    power_state: str
    vcpus: int
    memory_mb: int
    pool: str | None
    host: str | None
    vch_name: str | None  # set on a VCH endpoint VM

    @classmethod
    def from_props(cls, moid: str, props: Mapping[str, Any]) -> "VmFacts":
        return cls(moid=moid, name=str(props.get("name") or moid),
                   power_state=str(props.get("runtime.powerState") or "unknown"),
                   vcpus=int(props.get("config.hardware.numCPU") or 0),
                   memory_mb=int(props.get("config.hardware.memoryMB") or 0),
                   pool=props.get("resourcePool"), host=props.get("runtime.host"),
                   vch_name=props.get("config.extraConfig") or None)


@dataclass(frozen=True, slots=True)
class PoolFacts:
    moid: str
    name: str
    cpu_limit_mhz: int | None  # None = unlimited
    memory_limit_mb: int | None

    @classmethod
    def from_props(cls, moid: str, props: Mapping[str, Any]) -> "PoolFacts":
        return cls(moid, str(props.get("name") or moid), props.get("config.cpuAllocation"),
                   props.get("config.memoryAllocation"))


@dataclass(frozen=True)
class VchMembers:
    name: str
    endpoint: VmFacts
    pool: PoolFacts | None
    containers: tuple[VmFacts, ...]  # sorted by name


@dataclass(frozen=True)
class Inventory:
    vms: Mapping[str, VmFacts] = field(default_factory=dict)
    pools: Mapping[str, PoolFacts] = field(default_factory=dict)
    host_mhz: Mapping[str, int] = field(default_factory=dict)

    @cached_property
    def vchs(self) -> dict[str, VchMembers]:
        """VCH name -> its members, ordered by name. Two endpoints claiming one name: the first moid wins."""
        endpoints = sorted((vm for vm in self.vms.values() if vm.vch_name), key=lambda vm: (vm.vch_name, vm.moid))
        by_pool: dict[str | None, list[VmFacts]] = {}
        for vm in self.vms.values():
            if not vm.vch_name:
                by_pool.setdefault(vm.pool, []).append(vm)
        out: dict[str, VchMembers] = {}
        for endpoint in endpoints:
            if endpoint.vch_name in out:
                continue
            members = by_pool.get(endpoint.pool, []) if endpoint.pool else []
            out[endpoint.vch_name] = VchMembers(
                endpoint.vch_name, endpoint, self.pools.get(endpoint.pool) if endpoint.pool else None,
                tuple(sorted(members, key=lambda vm: (vm.name, vm.moid))))
        return out

    def host_cpu_mhz(self, host: str | None) -> int:
        """The CPU speed of a host; an unknown host counts as the fastest known one (over-commit stays visible)."""
        if host in self.host_mhz:
            return self.host_mhz[host]
        return max(self.host_mhz.values(), default=0)
