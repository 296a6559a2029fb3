"""One refresh of the dashboard as data: per-container values, the VCH header, and their JSON form.

`to_json_dict()` gives exactly the fields of `vch-tui top --once --json`; `from_json_dict()` reads them
back (replay). A value that is not available is None / null. An unlimited VCH pool limit is null too
(vSphere's -1 is not passed through: nobody should divide by it).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal

State = Literal["ok", "warn", "crit", "unknown"]  # unknown: a counter the state needs has no value


@dataclass(frozen=True)
class ContainerMetrics:
    """Display values of the collected counters (units in counters.py); None = not available."""

    cpu_usage_mhz: float | None = None
    cpu_demand_mhz: float | None = None
    cpu_entitlement_mhz: float | None = None
    cpu_ready_pct: float | None = None
    cpu_costop_pct: float | None = None
    cpu_maxlimited_pct: float | None = None
    mem_consumed_mb: float | None = None
    mem_active_mb: float | None = None
    mem_entitlement_mb: float | None = None
    mem_balloon_mb: float | None = None
    mem_swapped_mb: float | None = None
    mem_swapin_kbps: float | None = None
    mem_latency_pct: float | None = None


METRIC_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ContainerMetrics))


@dataclass(frozen=True)
class ContainerSample:
    """One container (a VM in the VCH's pool other than the endpoint VM) at one refresh."""

    name: str
    vm: str  # managed object id, e.g. "vm-42"
    vcpus: int
    memory_mb: int
    power_state: str  # vSphere's runtime.powerState: poweredOn / poweredOff / suspended
    metrics: ContainerMetrics = field(default_factory=ContainerMetrics)
    state: State = "ok"
    reasons: tuple[str, ...] = ()

    def to_json_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "vm": self.vm,
            "vcpus": self.vcpus,
            "memory_mb": self.memory_mb,
            "power_state": self.power_state,
        }
        metrics = self.metrics
        for name in METRIC_FIELDS:  # not dataclasses.asdict: this runs for every container on every refresh
            out[name] = getattr(metrics, name)
        out["state"] = self.state
        out["reasons"] = list(self.reasons)
        return out

    @classmethod
    def from_json_dict(cls, data: dict[str, Any]) -> "ContainerSample":
        return cls(
            name=data["name"],
            vm=data["vm"],
            vcpus=data["vcpus"],
            memory_mb=data["memory_mb"],
            power_state=data["power_state"],
            metrics=ContainerMetrics(**{name: data[name] for name in METRIC_FIELDS}),
            state=data["state"],
            reasons=tuple(data["reasons"]),
        )


@dataclass(frozen=True)
class VchHeader:
    """The VCH's pool: limits (None = unlimited), the containers' configured total, and current usage."""

    name: str
    cpu_limit_mhz: int | None
    memory_limit_mb: int | None
    configured_cpu_mhz: int
    configured_memory_mb: int
    overcommitted: bool
    # Usage is shown in the header but not part of the JSON contract of the issue.
    cpu_usage_mhz: float | None = None
    memory_usage_mb: float | None = None

    JSON_FIELDS = (
        "name",
        "cpu_limit_mhz",
        "memory_limit_mb",
        "configured_cpu_mhz",
        "configured_memory_mb",
        "overcommitted",
    )
    USAGE_FIELDS = ("cpu_usage_mhz", "memory_usage_mb")

    def to_json_dict(self, *, include_usage: bool = False) -> dict[str, Any]:
        names = self.JSON_FIELDS + self.USAGE_FIELDS if include_usage else self.JSON_FIELDS
        return {name: getattr(self, name) for name in names}

    @classmethod
    def from_json_dict(cls, data: dict[str, Any]) -> "VchHeader":
        usage = {name: data[name] for name in cls.USAGE_FIELDS if name in data}
        return cls(**{name: data[name] for name in cls.JSON_FIELDS}, **usage)


@dataclass(frozen=True)
class VchSnapshot:
    """One VCH at one refresh: the header and its containers."""

    vch: VchHeader
    containers: tuple[ContainerSample, ...] = ()

    def to_json_dict(self, *, include_usage: bool = False) -> dict[str, Any]:
        return {
            "vch": self.vch.to_json_dict(include_usage=include_usage),
            "containers": [c.to_json_dict() for c in self.containers],
        }

    @classmethod
    def from_json_dict(cls, data: dict[str, Any]) -> "VchSnapshot":
        return cls(
            VchHeader.from_json_dict(data["vch"]), tuple(ContainerSample.from_json_dict(c) for c in data["containers"])
        )
