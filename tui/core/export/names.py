"""Metric names of the exporter and the conversion of the dashboard's display values to base units.

Prometheus wants base units: ratios 0-1 (the dashboard's percentages / 100), bytes (MB x 2^20; KB/s x
2^10), hertz (MHz x 10^6). The display values carry the dashboard's precision (2 decimals), so the
exported value is exactly what the TUI shows, in other units.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.metrics import counters
from tui.core.metrics.model import METRIC_FIELDS

PREFIX = "vch"
CONTAINER_LABELS = ("vcenter", "vch", "container", "vm")
VCH_LABELS = ("vcenter", "vch")
EXPORTER_LABELS = ("vcenter",)

MIB = 1024 * 1024


@dataclass(frozen=True)
class BaseUnit:
    unit: str  # the OpenMetrics unit, also the name's suffix
    scale: float  # base value = display value * scale (or / divisor)
    divisor: float = 1.0
    humanize: str = "humanize"  # the Prometheus template function that prints it for people
    suffix: str = ""  # appended after humanize

    def convert(self, display: float) -> float:
        # dividing by 100 (not multiplying by 0.01) keeps 35 % -> 0.35 exact
        return display / self.divisor if self.divisor != 1.0 else display * self.scale


RATIO = BaseUnit("ratio", 1.0, divisor=100.0, humanize="humanizePercentage")
BYTES = BaseUnit("bytes", MIB, humanize="humanize1024", suffix="B")
BYTES_PER_SECOND = BaseUnit("bytes_per_second", 1024.0, humanize="humanize1024", suffix="B/s")
HERTZ = BaseUnit("hertz", 1e6, suffix="Hz")

_BY_KIND = {"cpu_time": RATIO, "percent": RATIO, "kb": BYTES, "kbps": BYTES_PER_SECOND, "mhz": HERTZ}

# the dashboard's field -> the exporter's name (without prefix and unit)
_STEMS = {
    "cpu_usage_mhz": "cpu_usage",
    "cpu_demand_mhz": "cpu_demand",
    "cpu_entitlement_mhz": "cpu_entitlement",
    "cpu_ready_pct": "cpu_ready",
    "cpu_costop_pct": "cpu_costop",
    "cpu_maxlimited_pct": "cpu_maxlimited",
    "mem_consumed_mb": "memory_consumed",
    "mem_active_mb": "memory_active",
    "mem_entitlement_mb": "memory_entitlement",
    "mem_balloon_mb": "memory_balloon",
    "mem_swapped_mb": "memory_swapped",
    "mem_swapin_kbps": "memory_swapin",
    "mem_latency_pct": "memory_latency",
}


@dataclass(frozen=True)
class ContainerMetric:
    field: str  # ContainerMetrics field
    name: str  # the full metric name, e.g. vch_container_cpu_ready_ratio
    unit: BaseUnit
    help: str

    def value(self, display: float) -> float:
        return self.unit.convert(display)


def _container_metric(field: str) -> ContainerMetric:
    counter = counters.BY_FIELD[field]
    unit = _BY_KIND[counter.kind]
    how = {
        "cpu_time": f"ms per {counters.REALTIME_INTERVAL_S} s interval / interval / vCPUs",
        "percent": "fixed-point percent / 10000",
    }.get(counter.kind, f"{counter.raw_unit} in {unit.unit}")
    per_vcpu = " per vCPU" if counter.kind == "cpu_time" else ""
    return ContainerMetric(
        field,
        f"{PREFIX}_container_{_STEMS[field]}_{unit.unit}",
        unit,
        f"{counter.label}{per_vcpu} ({counter.name}: {how})",
    )


CONTAINER_METRICS: tuple[ContainerMetric, ...] = tuple(_container_metric(f) for f in METRIC_FIELDS)
BY_FIELD: dict[str, ContainerMetric] = {m.field: m for m in CONTAINER_METRICS}

CONTAINER_STATE = f"{PREFIX}_container_state"
VCH_OVERCOMMITTED = f"{PREFIX}_overcommitted"
EXPORTER_UP = f"{PREFIX}_tui_up"
