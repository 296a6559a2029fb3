"""Raw QueryPerf values + a container's inventory facts -> an assessed ContainerSample."""

from __future__ import annotations

from collections.abc import Mapping

from tui.core.metrics import counters
from tui.core.metrics.model import ContainerMetrics, ContainerSample
from tui.core.metrics.thresholds import Thresholds, evaluate


def container_sample(
    *,
    name: str,
    vm: str,
    vcpus: int,
    memory_mb: int,
    power_state: str,
    raw: Mapping[int, int | None] | None,
    counter_ids: Mapping[str, int],
    thresholds: Thresholds = Thresholds(),
    interval_s: float = counters.REALTIME_INTERVAL_S,
) -> ContainerSample:
    """`raw` is one VM's entry of parse_query_perf() (None when its chunk failed or it was not in the
    reply: every metric is then not available). `counter_ids` is counters.counter_ids() of this system."""
    by_name: dict[str, int | None] = {}
    if raw is not None:
        for counter_name, cid in counter_ids.items():
            if cid in raw:
                by_name[counter_name] = raw[cid]
    metrics = ContainerMetrics(**counters.display_values(by_name, interval_s=interval_s, vcpus=vcpus))
    state, reasons = evaluate(metrics, thresholds)
    return ContainerSample(name, vm, vcpus, memory_mb, power_state, metrics, state, reasons)
