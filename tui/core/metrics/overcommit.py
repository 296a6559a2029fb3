"""Over-commit of a VCH: what its containers are configured for against the pool's limits.

VIC creates containers of any size in a limited VCH without a word (the seed story: a 500 MHz / 500 MB
VCH holding a 2-vCPU, 2 GB container). Configured CPU is vCPUs x the MHz of the host the container
runs on; every container counts, powered on or not (a stopped one may be started at any time).
A limit of -1 or None is unlimited and never over-committed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ConfiguredContainer:
    vcpus: int
    memory_mb: int
    host_mhz: int  # the CPU speed of the host the container VM runs on


@dataclass(frozen=True)
class Overcommit:
    configured_cpu_mhz: int
    configured_memory_mb: int
    cpu_limit_mhz: int | None  # None = unlimited
    memory_limit_mb: int | None

    @property
    def cpu_overcommitted(self) -> bool:
        return self.cpu_limit_mhz is not None and self.configured_cpu_mhz > self.cpu_limit_mhz

    @property
    def memory_overcommitted(self) -> bool:
        return self.memory_limit_mb is not None and self.configured_memory_mb > self.memory_limit_mb

    @property
    def overcommitted(self) -> bool:
        return self.cpu_overcommitted or self.memory_overcommitted

    def warning(self) -> str | None:
        """One line for the VCH header, or None when within the limits."""
        parts, effects = [], []
        if self.cpu_overcommitted:
            parts.append(
                f"CPU {self.configured_cpu_mhz} MHz configured vs limit {self.cpu_limit_mhz} MHz"
                f"{_ratio(self.configured_cpu_mhz, self.cpu_limit_mhz)}"
            )
            effects.append("CPU ready time and throttling")
        if self.memory_overcommitted:
            parts.append(
                f"memory {self.configured_memory_mb} MB configured vs limit {self.memory_limit_mb} MB"
                f"{_ratio(self.configured_memory_mb, self.memory_limit_mb)}"
            )
            effects.append("ballooning and memory latency")
        if not parts:
            return None
        return "over-committed: " + "; ".join(parts) + " - expect " + ", ".join(effects)


def _ratio(configured: int, limit: int | None) -> str:
    if not limit:
        return ""
    return f" ({configured / limit:.1f}x)"


def normalize_limit(limit: int | None) -> int | None:
    """vSphere's -1 (unlimited) -> None."""
    return None if limit is None or limit < 0 else int(limit)


def compute(
    containers: Iterable[ConfiguredContainer], cpu_limit_mhz: int | None, memory_limit_mb: int | None
) -> Overcommit:
    cpu = mem = 0
    for c in containers:
        cpu += c.vcpus * c.host_mhz
        mem += c.memory_mb
    return Overcommit(cpu, mem, normalize_limit(cpu_limit_mhz), normalize_limit(memory_limit_mb))
