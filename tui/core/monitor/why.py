"""Why a container is not ok, short enough for a table column, and what to do about it in the VCH's terms.

`short_reasons` gives the dashboard's "Why" column (`ready 38% · limit 35%`): one word and a number per
breached threshold, crit ones first. `advice` gives one line per
cause for the detail line: the VCH's limit, what its containers ask for, and the limit that would cover
it. VIC never warns about a VCH whose limits are smaller than what its containers demand; this does.
"""

from __future__ import annotations

from collections.abc import Sequence

from tui.core.metrics.model import ContainerMetrics, ContainerSample, VchSnapshot
from tui.core.metrics.thresholds import Thresholds, format_number, metric_level

# metric -> (short word, unit), most telling first within a level (crit ones are put first below): the
# VCH's CPU limit throttling says more about the cause than co-stop does
SHORT: dict[str, tuple[str, str]] = {
    "cpu_ready_pct": ("ready", "%"),
    "cpu_maxlimited_pct": ("limit", "%"),
    "cpu_costop_pct": ("co-stop", "%"),
    "mem_balloon_mb": ("balloon", " MB"),
    "mem_swapped_mb": ("swapped", " MB"),
    "mem_swapin_kbps": ("swap-in", " KB/s"),
    "mem_latency_pct": ("mem lat", "%"),
}
SEPARATOR = " · "
CPU_CAUSES = ("cpu_ready_pct", "cpu_costop_pct", "cpu_maxlimited_pct")
MEMORY_CAUSES = ("mem_balloon_mb", "mem_swapped_mb", "mem_swapin_kbps", "mem_latency_pct")


def breached(metrics: ContainerMetrics, thresholds: Thresholds = Thresholds()) -> list[tuple[str, str]]:
    """[(metric, level)] of every metric past its threshold, crit ones first."""
    out = []
    for field in SHORT:
        value = getattr(metrics, field)
        if value is None:
            continue
        level = metric_level(field, value, thresholds)
        if level != "ok":
            out.append((field, level))
    return sorted(out, key=lambda item: item[1] != "crit")


def short_reasons(sample: ContainerSample, thresholds: Thresholds = Thresholds()) -> str:
    """`ready 38% · limit 35%`, or "" when nothing is past a threshold."""
    parts = []
    for field, _level in breached(sample.metrics, thresholds):
        word, unit = SHORT[field]
        parts.append(f"{word} {format_number(getattr(sample.metrics, field))}{unit}")
    return SEPARATOR.join(parts)


def mhz_words(mhz: float) -> str:
    """4260 -> "4.3 GHz", 500 -> "500 MHz"."""
    return f"{mhz / 1000:.1f} GHz" if mhz >= 1000 else f"{mhz:.0f} MHz"


def _total(containers: Sequence[ContainerSample], field: str) -> float | None:
    values = [getattr(c.metrics, field) for c in containers]
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def advice(sample: ContainerSample, snapshot: VchSnapshot | None, thresholds: Thresholds = Thresholds()) -> list[str]:
    """What to do, one line per cause (CPU, memory), in the VCH's terms; [] when the container is ok."""
    causes = {field for field, _ in breached(sample.metrics, thresholds)}
    if not causes:
        return []
    vch = snapshot.vch if snapshot is not None else None
    containers = snapshot.containers if snapshot is not None else (sample,)
    lines = []
    if causes & set(CPU_CAUSES):
        lines.append(_cpu_advice(sample, vch, containers, causes))
    if causes & set(MEMORY_CAUSES):
        lines.append(_memory_advice(vch, containers))
    return lines


def _cpu_advice(sample, vch, containers, causes) -> str:
    demand = _total(containers, "cpu_demand_mhz")
    limit = vch.cpu_limit_mhz if vch is not None else None
    if limit is not None and (demand is None or demand > limit * 0.9 or "cpu_maxlimited_pct" in causes):
        need = demand if demand is not None else vch.configured_cpu_mhz
        what = "demand" if demand is not None else "are configured for"
        return (
            f"CPU: {vch.name}'s containers {what} {mhz_words(need)} vs its CPU limit {mhz_words(limit)}: "
            f"raise the limit to ≥ {mhz_words(need)} (vic-machine configure --cpu {int(round(need))})"
        )
    if causes == {"cpu_costop_pct"}:
        return f"CPU: co-stop: the container's {sample.vcpus} vCPUs wait for each other: give it fewer vCPUs"
    where = (
        f"{vch.name} has no CPU limit"
        if vch is not None and limit is None
        else f"{vch.name}'s containers stay within its CPU limit"
        if vch is not None
        else "no VCH limit applies"
    )
    return f"CPU: {where}, so the host is busy: fewer vCPUs per container, or a less busy host"


def _memory_advice(vch, containers) -> str:
    limit = vch.memory_limit_mb if vch is not None else None
    if vch is not None and limit is not None:
        used = vch.memory_usage_mb
        now = f", {used:.0f} MB in use" if used is not None else ""
        need = max(vch.configured_memory_mb, int(used or 0))
        return (
            f"memory: {vch.name}'s containers are configured for {need} MB vs its memory limit {limit} MB{now}: "
            f"raise the limit to ≥ {need} MB (vic-machine configure --memory {need})"
        )
    where = f"{vch.name} has no memory limit" if vch is not None else "no VCH limit applies"
    return f"memory: {where}, so the host is short of memory: fewer or smaller containers, or a bigger host"
