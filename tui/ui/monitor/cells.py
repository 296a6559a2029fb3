"""Table cells as Rich Text, coloured from the theme's $state-* variables (never a colour of our own).

A metric cell is coloured by its own level: the value alone run through the thresholds, so "Ready%"
turns crit while "CoStp%" on the same row stays plain. The state cell always spells the state out.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from rich.style import Style
from rich.text import Text

from tui.core.metrics.model import ContainerMetrics, ContainerSample
from tui.core.metrics.thresholds import Thresholds
from tui.core.metrics.thresholds import metric_level as thresholds_level
from tui.core.monitor.columns import SPARK_WIDTH, Column, format_value
from tui.core.monitor.spark import sparkline
from tui.core.monitor.why import short_reasons

SPARK_FLOORS = {"cpu_ready_pct": "cpu_ready_crit_at_pct", "mem_latency_pct": "mem_latency_crit_at_pct"}
STATE_SYMBOL = {"ok": "ok", "warn": "▲ warn", "crit": "■ crit", "unknown": "unknown"}


class Palette:
    """The $state-* colours of the current theme, as Rich styles."""

    def __init__(self, variables: Mapping[str, str]) -> None:
        self.styles = {
            state: Style(color=variables.get(f"state-{state}"), bold=state != "ok") for state in ("ok", "warn", "crit")
        }
        self.muted = Style(dim=True)
        self.styles["unknown"] = self.muted  # no data: neither healthy nor alarming

    def state(self, state: str) -> Style:
        return self.styles.get(state, Style())


@lru_cache(maxsize=8192)
def metric_level(field: str, value: float, thresholds: Thresholds) -> str:
    return thresholds_level(field, value, thresholds)


def state_cell(sample: ContainerSample, palette: Palette) -> Text:
    return Text(STATE_SYMBOL.get(sample.state, sample.state), style=palette.state(sample.state))


def name_cell(sample: ContainerSample, palette: Palette) -> Text:
    return Text(
        sample.name,
        style=palette.state(sample.state) if sample.state != "ok" else "",
        no_wrap=True,
        overflow="ellipsis",
    )


def why_cell(sample: ContainerSample, palette: Palette, thresholds: Thresholds) -> Text:
    """`ready 38% · limit 35%` in the state's colour: the why next to the name."""
    return Text(
        short_reasons(sample, thresholds),
        style=palette.state(sample.state) if sample.state != "ok" else "",
        no_wrap=True,
        overflow="ellipsis",
    )


def value_cell(column: Column, sample: ContainerSample, palette: Palette, thresholds: Thresholds) -> Text:
    value = column.value(sample)
    text = format_value(column.key, value)
    if column.key == "reasons":
        return Text(
            text, style=palette.state(sample.state) if sample.state != "ok" else "", no_wrap=True, overflow="ellipsis"
        )
    style: str | Style = ""
    if isinstance(value, float) and hasattr(ContainerMetrics, column.key):
        level = metric_level(column.key, value, thresholds)
        if level != "ok":
            style = palette.state(level)
    elif value is None:
        style = palette.muted
    return Text(text, style=style, justify="right" if column.numeric else "left", no_wrap=True)


def spark_cell(values: list[float | None], field: str, thresholds: Thresholds, palette: Palette) -> Text:
    floor_name = SPARK_FLOORS.get(field)
    floor = getattr(thresholds, floor_name) if floor_name else 0.0
    return Text(sparkline(values, SPARK_WIDTH, floor), style=palette.muted, no_wrap=True)
