"""The drill-down's four charts, like the vCenter performance charts the seed's story is read from.

CPU (MHz): demand, entitlement and the VCH's CPU limit. Memory (MB): consumed, active, balloon and
swapped. CPU contention (% per vCPU): ready, co-stop and limit throttling with their thresholds.
Memory latency (%) with its thresholds. Every y axis starts at 0 and reaches at least the highest
threshold, the x axis is the sample time, and a missing sample is a gap in the line (never a zero).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from textual.color import Color
from textual_plotext import PlotextPlot

from tui.core.metrics.thresholds import Thresholds


@dataclass(frozen=True)
class Line:
    field: str  # a ContainerMetrics field
    label: str
    color: str  # a theme variable


@dataclass(frozen=True)
class ChartSpec:
    key: str
    title: str
    unit: str
    lines: tuple[Line, ...]
    # (label, Thresholds field, theme variable) drawn as horizontal lines
    thresholds: tuple[tuple[str, str, str], ...] = ()
    limit: str | None = None  # "cpu" / "memory": the VCH's limit as a line


CHARTS: tuple[ChartSpec, ...] = (
    ChartSpec(
        "cpu",
        "CPU",
        "MHz",
        (
            Line("cpu_demand_mhz", "demand", "primary"),
            Line("cpu_entitlement_mhz", "entitlement", "secondary"),
            Line("cpu_usage_mhz", "usage", "accent"),
        ),
        limit="cpu",
    ),
    ChartSpec(
        "memory",
        "Memory",
        "MB",
        (
            Line("mem_consumed_mb", "consumed", "primary"),
            Line("mem_active_mb", "active", "accent"),
            Line("mem_balloon_mb", "balloon", "state-warn"),
            Line("mem_swapped_mb", "swapped", "state-crit"),
        ),
        limit="memory",
    ),
    ChartSpec(
        "cpu_contention",
        "CPU contention",
        "% per vCPU",
        (
            Line("cpu_ready_pct", "ready", "primary"),
            Line("cpu_costop_pct", "co-stop", "accent"),
            Line("cpu_maxlimited_pct", "limit", "secondary"),
        ),
        thresholds=(
            ("ready warn", "cpu_ready_warn_above_pct", "state-warn"),
            ("ready crit", "cpu_ready_crit_at_pct", "state-crit"),
        ),
    ),
    ChartSpec(
        "mem_latency",
        "Memory latency",
        "%",
        (Line("mem_latency_pct", "latency", "primary"),),
        thresholds=(
            ("warn", "mem_latency_warn_above_pct", "state-warn"),
            ("crit", "mem_latency_crit_at_pct", "state-crit"),
        ),
    ),
)
FIELDS: tuple[str, ...] = tuple(line.field for chart in CHARTS for line in chart.lines)


def segments(times: Sequence[float], values: Sequence[float | None]) -> list[tuple[list[float], list[float]]]:
    """The runs of present samples: a None ends a run, so the line has a gap there."""
    runs: list[tuple[list[float], list[float]]] = []
    current: tuple[list[float], list[float]] | None = None
    for t, v in zip(times, values, strict=True):
        if v is None:
            current = None
            continue
        if current is None:
            current = ([], [])
            runs.append(current)
        current[0].append(t)
        current[1].append(v)
    return runs


def _rgb(variables: dict[str, str], name: str) -> tuple[int, int, int]:
    return Color.parse(variables.get(name) or "white").rgb


class MetricPlot(PlotextPlot):
    """One chart; `show` redraws it from the history."""

    def __init__(self, spec: ChartSpec, **kwargs) -> None:
        super().__init__(classes="metric-plot", **kwargs)
        self.spec = spec
        self.missing = 0  # samples without a value, over every line of the chart

    def show(
        self,
        times: Sequence[float],
        series: Callable[[str], list[float | None]],
        *,
        thresholds: Thresholds,
        limit: float | None,
        local_time=time.localtime,
    ) -> None:
        spec, plt = self.spec, self.plt
        variables = self.app.theme_variables
        plt.clear_data()
        plt.clear_figure()
        top = 0.0
        self.missing = 0
        legend = []
        for line in spec.lines:
            values = series(line.field)
            self.missing += sum(1 for v in values if v is None)
            color = _rgb(variables, line.color)
            runs = segments(times, values)
            for n, (xs, ys) in enumerate(runs):
                if len(xs) == 1:  # a lone sample between gaps: a point, not a line
                    plt.scatter(xs, ys, color=color, marker="braille", label=line.label if n == 0 else None)
                else:
                    plt.plot(xs, ys, color=color, marker="braille", label=line.label if n == 0 else None)
                top = max([top] + ys)
            last = next((v for v in reversed(values) if v is not None), None)
            legend.append(f"{line.label} {'—' if last is None else f'{last:g}'}")
        for label, field, color_name in spec.thresholds:
            value = getattr(thresholds, field)
            plt.hline(value, _rgb(variables, color_name))
            top = max(top, value)
            legend.append(f"{label} {value:g}")
        if limit is not None:
            plt.hline(limit, _rgb(variables, "state-crit"))
            top = max(top, limit)
            legend.append(f"VCH limit {limit:g}")
        plt.ylim(0, top * 1.1 if top > 0 else 1)
        if times:
            left, right = times[0], times[-1] if times[-1] > times[0] else times[0] + 20
            plt.xlim(left, right)
            ticks = [left + (right - left) * i / 3 for i in range(4)]
            plt.xticks(ticks, [time.strftime("%H:%M:%S", local_time(t)) for t in ticks])
        gap_words = f" · {self.missing} missing" if self.missing else ""
        plt.title(f"{spec.title} ({spec.unit}){gap_words}")
        self.legend = " · ".join(legend)
        self.border_subtitle = self.legend
        self.refresh()
