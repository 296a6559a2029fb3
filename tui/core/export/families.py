"""One state of the exporter -> Prometheus metric families. Pure: reads the stored refresh, calls nothing.

Per container (labels vcenter, vch, container, vm): every metric the dashboard shows in base units
(names.py; a value that is not available is left out), its configured vCPUs and memory, whether it
is powered on, and its state as a gauge per state (1 for the one it is in). Per VCH: limits (left out
when unlimited), configured totals, over-commit ratios, usage and container counts by state. The
exporter's own health: up, last success, refreshes, errors, durations, SOAP calls.

Container and VCH series come from the last live refresh only: while the collector is reconnecting
they are not served (they go stale in Prometheus) and `vch_tui_up` is 0.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, InfoMetricFamily, Metric

from tui import __version__
from tui.core.export import names
from tui.core.export.names import CONTAINER_LABELS, EXPORTER_LABELS, MIB, PREFIX, VCH_LABELS
from tui.core.export.poller import ExportState
from tui.core.metrics.model import VchSnapshot
from tui.core.metrics.thresholds import STATE_RANK

STATES = tuple(STATE_RANK)  # ok, unknown (no data), warn, crit


def _gauge(name: str, doc: str, labels: tuple[str, ...], unit: str = "") -> GaugeMetricFamily:
    return GaugeMetricFamily(name, doc, labels=list(labels), unit=unit)


def container_families(vcenter: str, snapshots: tuple[VchSnapshot, ...]) -> list[Metric]:
    values = {m.field: _gauge(m.name, m.help, CONTAINER_LABELS, m.unit.unit) for m in names.CONTAINER_METRICS}
    vcpus = _gauge(f"{PREFIX}_container_vcpus", "vCPUs the container VM is configured with", CONTAINER_LABELS)
    memory = _gauge(
        f"{PREFIX}_container_memory_configured_bytes",
        "memory the container VM is configured with",
        CONTAINER_LABELS,
        "bytes",
    )
    powered = _gauge(f"{PREFIX}_container_powered_on", "1 when the container VM is powered on", CONTAINER_LABELS)
    state = _gauge(
        names.CONTAINER_STATE,
        "the dashboard's state of the container: 1 for the state it is in (ok, warn, crit; unknown without data)",
        CONTAINER_LABELS + ("state",),
    )
    for snapshot in snapshots:
        for c in snapshot.containers:
            labels = [vcenter, snapshot.vch.name, c.name, c.vm]
            for metric in names.CONTAINER_METRICS:
                display = getattr(c.metrics, metric.field)
                if display is not None:
                    values[metric.field].add_metric(labels, metric.value(display))
            vcpus.add_metric(labels, c.vcpus)
            memory.add_metric(labels, c.memory_mb * MIB)
            powered.add_metric(labels, 1 if c.power_state == "poweredOn" else 0)
            for name in STATES:
                state.add_metric(labels + [name], 1 if c.state == name else 0)
    return [*values.values(), vcpus, memory, powered, state]


def vch_families(vcenter: str, snapshots: tuple[VchSnapshot, ...]) -> list[Metric]:
    def g(stem: str, doc: str, unit: str = "", extra: tuple[str, ...] = ()) -> GaugeMetricFamily:
        return _gauge(f"{PREFIX}_{stem}" + (f"_{unit}" if unit else ""), doc, VCH_LABELS + extra, unit)

    cpu_limit = g("cpu_limit", "the VCH resource pool's CPU limit (absent when unlimited)", "hertz")
    mem_limit = g("memory_limit", "the VCH resource pool's memory limit (absent when unlimited)", "bytes")
    cpu_conf = g("cpu_configured", "vCPUs x host MHz summed over the VCH's containers", "hertz")
    mem_conf = g("memory_configured", "configured memory summed over the VCH's containers", "bytes")
    cpu_ratio = g("cpu_overcommit", "configured CPU / CPU limit (absent when unlimited)", "ratio")
    mem_ratio = g("memory_overcommit", "configured memory / memory limit (absent when unlimited)", "ratio")
    over = _gauge(names.VCH_OVERCOMMITTED, "1 when the containers are configured for more than a limit", VCH_LABELS)
    cpu_used = g("cpu_usage", "CPU usage summed over the VCH's containers", "hertz")
    mem_used = g("memory_usage", "memory consumed summed over the VCH's containers", "bytes")
    count = _gauge(f"{PREFIX}_containers", "containers of the VCH in each state", VCH_LABELS + ("state",))
    for snapshot in snapshots:
        v = snapshot.vch
        labels = [vcenter, v.name]
        if v.cpu_limit_mhz is not None:
            cpu_limit.add_metric(labels, v.cpu_limit_mhz * 1e6)
            if v.cpu_limit_mhz > 0:
                cpu_ratio.add_metric(labels, v.configured_cpu_mhz / v.cpu_limit_mhz)
        if v.memory_limit_mb is not None:
            mem_limit.add_metric(labels, v.memory_limit_mb * MIB)
            if v.memory_limit_mb > 0:
                mem_ratio.add_metric(labels, v.configured_memory_mb / v.memory_limit_mb)
        cpu_conf.add_metric(labels, v.configured_cpu_mhz * 1e6)
        mem_conf.add_metric(labels, v.configured_memory_mb * MIB)
        over.add_metric(labels, 1 if v.overcommitted else 0)
        if v.cpu_usage_mhz is not None:
            cpu_used.add_metric(labels, v.cpu_usage_mhz * 1e6)
        if v.memory_usage_mb is not None:
            mem_used.add_metric(labels, v.memory_usage_mb * MIB)
        for name in STATES:
            count.add_metric(labels + [name], sum(1 for c in snapshot.containers if c.state == name))
    return [cpu_limit, mem_limit, cpu_conf, mem_conf, cpu_ratio, mem_ratio, over, cpu_used, mem_used, count]


def exporter_families(state: ExportState) -> list[Metric]:
    labels = [state.vcenter]
    t = f"{PREFIX}_tui"

    def gauge(stem: str, doc: str, value: float | None, unit: str = "") -> GaugeMetricFamily:
        family = _gauge(f"{t}_{stem}" + (f"_{unit}" if unit else ""), doc, EXPORTER_LABELS, unit)
        if value is not None:
            family.add_metric(labels, value)
        return family

    def counter(stem: str, doc: str, value: float) -> CounterMetricFamily:
        family = CounterMetricFamily(f"{t}_{stem}", doc, labels=list(EXPORTER_LABELS))
        family.add_metric(labels, value)
        return family

    info = InfoMetricFamily(f"{t}_build", "vch-tui version", labels=[])
    info.add_metric([], {"version": __version__})
    return [
        info,
        gauge("up", "1 when the last refresh reached vSphere, 0 while reconnecting", 1 if state.up else 0),
        gauge(
            "last_success_timestamp",
            "Unix time of the last refresh that reached vSphere",
            state.last_success,
            "seconds",
        ),
        gauge("refresh_interval", "seconds between refreshes", state.interval_s, "seconds"),
        gauge("refresh_duration", "how long the last refresh took", state.duration_s, "seconds"),
        gauge("queryperf_duration", "of which in QueryPerf (requests and parsing)", state.perf_s, "seconds"),
        counter("refreshes", "refreshes done", state.refreshes),
        counter("refresh_errors", "refreshes that could not reach vSphere", state.errors),
        counter(
            "soap_calls",
            "SOAP requests sent to vSphere (all of them: inventory watch, QueryPerf, login)",
            state.soap_calls,
        ),
        counter("queryperf_calls", "QueryPerf requests sent to vSphere", state.perf_calls),
    ]


def families(state: ExportState) -> Iterator[Metric]:
    snapshots = state.refresh.snapshots if state.up and state.refresh is not None else ()
    yield from container_families(state.vcenter, snapshots)
    yield from vch_families(state.vcenter, snapshots)
    yield from exporter_families(state)


class StateCollector:
    """A prometheus_client collector over a function returning the current state (no I/O in collect)."""

    def __init__(self, current) -> None:
        self.current = current

    def collect(self) -> Iterator[Metric]:
        return families(self.current())
