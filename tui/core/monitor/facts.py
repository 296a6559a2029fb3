"""The inventory the monitor needs, as plain facts, and which VMs are a VCH's containers.

A VCH is found by its endpoint VM as vic-machine finds it: hidden
`init/common/name` set, `init/common/id` its own moref or `CreatingVCH`. Its containers are the other VMs in the
VCH's pool, the one its config names in `container/ComputeResources` (else the endpoint's pool): every VM there
draws on the pool's limits, so the monitor shows them all (`is_container` says which carry VIC's container id;
inspect and delete tell the others apart). Endpoint VMs of other VCHs are never containers.

Property values arrive from the watcher already plain (see `plain_value`): managed object references
become moid strings, allocations become their limit, extraConfig becomes the few VIC keys read here (VicKeys).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from tui.core.vic import read

VM_PATHS = (
    "name",
    "runtime.powerState",
    "config.hardware.numCPU",
    "config.hardware.memoryMB",
    "resourcePool",
    "runtime.host",
    "config.extraConfig",
)
POOL_PATHS = ("name", "config.cpuAllocation", "config.memoryAllocation")
HOST_PATHS = ("summary.hardware.cpuMhz",)


@dataclass(frozen=True, slots=True)
class VicKeys:
    """What the monitor reads of a VM's extraConfig: VIC's identity keys and the VCH's pool."""

    name: str | None = None  # hidden init/common/name
    id: str | None = None  # init/common/id
    pool: str | None = None  # container/ComputeResources|0 Value (a moid)
    container: bool = False  # carries VIC's container id

    def vch_name(self, moid: str) -> str | None:
        if not self.name or self.container:
            return None
        return self.name if self.id in (f"VirtualMachine:{moid}", moid, "CreatingVCH") else None


_WANTED = (
    read.NAME_KEY,
    read.ID_KEY,
    read.POOL_VALUE_KEY,
    read.CONTAINER_ID_KEY,
)


def vic_keys(options) -> VicKeys:
    extra = {}
    for option in options:
        key = getattr(option, "key", None)
        if key in _WANTED and option.value is not None:
            extra[key] = str(option.value)
    keys = VicKeys(
        read.vch_name(extra),
        read.vch_id(extra),
        (pool.value if (pool := read.vch_pool(extra)) else None),
        read.is_container_vm(extra),
    )
    return keys


def plain_value(path: str, value: Any) -> Any:
    """A pyvmomi property value -> what the facts hold (duck-typed: no pyvmomi import here)."""
    if value is None:
        return None
    if path == "config.extraConfig":
        return vic_keys(value)
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
    vch_pool: str | None = None  # on an endpoint: the pool its config names for its containers
    is_container: bool = False  # carries VIC's container id

    @classmethod
    def from_props(cls, moid: str, props: Mapping[str, Any]) -> "VmFacts":
        keys = props.get("config.extraConfig") or VicKeys()
        return cls(
            moid=moid,
            name=str(props.get("name") or moid),
            power_state=str(props.get("runtime.powerState") or "unknown"),
            vcpus=int(props.get("config.hardware.numCPU") or 0),
            memory_mb=int(props.get("config.hardware.memoryMB") or 0),
            pool=props.get("resourcePool"),
            host=props.get("runtime.host"),
            vch_name=keys.vch_name(moid),
            vch_pool=keys.pool,
            is_container=keys.container,
        )


@dataclass(frozen=True, slots=True)
class PoolFacts:
    moid: str
    name: str
    cpu_limit_mhz: int | None  # None = unlimited
    memory_limit_mb: int | None

    @classmethod
    def from_props(cls, moid: str, props: Mapping[str, Any]) -> "PoolFacts":
        return cls(
            moid,
            str(props.get("name") or moid),
            props.get("config.cpuAllocation"),
            props.get("config.memoryAllocation"),
        )


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
            name = endpoint.vch_name
            if not name or name in out:  # (every endpoint has a name: the filter above)
                continue
            pool = endpoint.vch_pool if endpoint.vch_pool in self.pools else endpoint.pool
            members = by_pool.get(pool, []) if pool else []
            out[name] = VchMembers(
                name,
                endpoint,
                self.pools.get(pool) if pool else None,
                tuple(sorted(members, key=lambda vm: (vm.name, vm.moid))),
            )
        return out

    def host_cpu_mhz(self, host: str | None) -> int:
        """The CPU speed of a host; an unknown host counts as the fastest known one (over-commit stays visible)."""
        if host is not None and host in self.host_mhz:
            return self.host_mhz[host]
        return max(self.host_mhz.values(), default=0)
