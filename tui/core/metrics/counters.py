"""The vSphere performance counters the dashboard collects, and raw sample -> display value.

Raw values are integers as QueryPerf returns them (`None` = not available). Display values:
- CPU time counters (ready, co-stop, max-limited; `summation` ms per interval) become percent of the
  interval PER vCPU: ms / (interval_s * 1000) * 100 / vcpus. The instance "" series is the sum over the
  VM's vCPUs, so an undivided value can exceed 100 % (esxtop's group row); per vCPU it is a share of
  time, which is what the thresholds (ready 5/10 %, co-stop 3 %, max-limited > 0) are stated against
  and what "throttled by CPU limit 35 % of the time" means. Co-stop and max-limited get the same
  treatment as ready: same unit and the same aggregate instance.
- KB -> MB (/ 1024); KBps stays KB/s; MHz stays MHz; `percent` counters are fixed point (/ 100).
- A raw -1 (a real vCenter's "no sample") -> None. An empty series (the simulator drops zeros) is
  already 0 when it gets here (perfxml does that).
Display values are rounded to 2 decimals so JSON output is stable (no 14.499999999).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Kind = Literal["cpu_time", "mhz", "kb", "kbps", "percent"]

REALTIME_INTERVAL_S = 20


@dataclass(frozen=True)
class Counter:
    name: str  # "group.name.rollup", the key looked up in PerformanceManager.perfCounter
    field: str  # the ContainerMetrics / JSON field it feeds
    kind: Kind
    raw_unit: str
    display_unit: str
    label: str  # column / chart title


COUNTERS: tuple[Counter, ...] = (
    Counter("cpu.usagemhz.average", "cpu_usage_mhz", "mhz", "MHz", "MHz", "CPU usage"),
    Counter("cpu.demand.average", "cpu_demand_mhz", "mhz", "MHz", "MHz", "CPU demand"),
    Counter("cpu.entitlement.latest", "cpu_entitlement_mhz", "mhz", "MHz", "MHz", "CPU entitlement"),
    Counter("cpu.ready.summation", "cpu_ready_pct", "cpu_time", "ms", "% per vCPU", "CPU ready"),
    Counter("cpu.costop.summation", "cpu_costop_pct", "cpu_time", "ms", "% per vCPU", "Co-stop"),
    Counter("cpu.maxlimited.summation", "cpu_maxlimited_pct", "cpu_time", "ms", "% per vCPU", "Limit throttling"),
    Counter("mem.consumed.average", "mem_consumed_mb", "kb", "KB", "MB", "Memory consumed"),
    Counter("mem.active.average", "mem_active_mb", "kb", "KB", "MB", "Memory active"),
    Counter("mem.entitlement.average", "mem_entitlement_mb", "kb", "KB", "MB", "Memory entitlement"),
    Counter("mem.vmmemctl.average", "mem_balloon_mb", "kb", "KB", "MB", "Balloon"),
    Counter("mem.swapped.average", "mem_swapped_mb", "kb", "KB", "MB", "Swapped"),
    Counter("mem.swapinRate.average", "mem_swapin_kbps", "kbps", "KBps", "KB/s", "Swap-in rate"),
    Counter("mem.latency.average", "mem_latency_pct", "percent", "percent", "%", "Memory latency"),
)

COUNTER_NAMES: tuple[str, ...] = tuple(c.name for c in COUNTERS)
METRIC_FIELDS: tuple[str, ...] = tuple(c.field for c in COUNTERS)
BY_NAME: dict[str, Counter] = {c.name: c for c in COUNTERS}
BY_FIELD: dict[str, Counter] = {c.field: c for c in COUNTERS}


def cpu_time_pct(ms: float, interval_s: float, vcpus: int) -> float:
    """Share of the interval (percent) per vCPU that `ms` of summed vCPU time represents."""
    return ms / (interval_s * 1000.0) * 100.0 / max(vcpus, 1)


def to_display(
    counter: Counter, raw: int | float | None, *, interval_s: float = REALTIME_INTERVAL_S, vcpus: int = 1
) -> float | None:
    """Convert one raw sample; None or a negative raw value (vCenter's -1) -> None."""
    if raw is None or raw < 0:
        return None
    if counter.kind == "cpu_time":
        value = cpu_time_pct(raw, interval_s, vcpus)
    elif counter.kind == "kb":
        value = raw / 1024.0
    elif counter.kind == "percent":
        value = raw / 100.0
    else:  # mhz, kbps
        value = float(raw)
    return round(value, 2)


def display_values(
    raw_by_name: Mapping[str, int | None], *, interval_s: float = REALTIME_INTERVAL_S, vcpus: int = 1
) -> dict[str, float | None]:
    """{counter name: raw} -> {metric field: display value}; a counter missing from the input is None."""
    return {c.field: to_display(c, raw_by_name.get(c.name), interval_s=interval_s, vcpus=vcpus) for c in COUNTERS}


def counter_ids(perf_counters) -> dict[str, int]:
    """Map "group.name.rollup" -> counter key from PerformanceManager.perfCounter (read once per session).

    Keys are only unique per system, so they are never hard-coded. When a name occurs twice (vcsim's
    model has duplicates) the first key wins. Counters this system lacks are simply absent: their
    metrics are shown as not available.
    """
    ids: dict[str, int] = {}
    for info in perf_counters:
        name = f"{info.groupInfo.key}.{info.nameInfo.key}.{info.rollupType}"
        ids.setdefault(name, int(info.key))
    return ids
