"""Container state (ok / warn / crit / unknown) from its metrics, with the reasons in words; the worst-first order.

Missing data is not health: `ok` needs every counter a rule reads. With one missing (a failed perf query, a
counter the system lacks, a powered-off VM) the state is `unknown`, unless what is there is already crit
(the worst there is, whatever the missing value). A `warn` seen on partial data is `unknown` too, since
the missing counter could make it crit; its reasons are kept. The alert log neither clears nor raises on
`unknown`.

Defaults (the usual VMware guidance for these counters): CPU ready per vCPU warn above 5 %, crit at 10 %
or more; co-stop warn above 3 %; CPU-limit throttling warn above 0; balloon warn above 0; swapped or
swap-in crit above 0; memory latency warn above 1 %, crit at 10 % or more. "above" is strict (5.0 is
ok, 5.0001 warns), "at" includes the edge (10.0 is crit). Keys say which: `*_above_*` / `*_at_*`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from tui.core.errors import InvalidInput
from tui.core.metrics.model import ContainerMetrics, ContainerSample, State

STATE_RANK: dict[str, int] = {"ok": 0, "unknown": 1, "warn": 2, "crit": 3}
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Thresholds:
    cpu_ready_warn_above_pct: float = 5.0
    cpu_ready_crit_at_pct: float = 10.0
    cpu_costop_warn_above_pct: float = 3.0
    cpu_maxlimited_warn_above_pct: float = 0.0
    mem_balloon_warn_above_mb: float = 0.0
    mem_swapped_crit_above_mb: float = 0.0
    mem_swapin_crit_above_kbps: float = 0.0
    mem_latency_warn_above_pct: float = 1.0
    mem_latency_crit_at_pct: float = 10.0

    @classmethod
    def from_dict(cls, table: Mapping[str, Any] | None, *, section: str = "thresholds") -> "Thresholds":
        """Read the config file's [thresholds] table; missing keys keep their defaults."""
        if table is None:
            return cls()
        if not isinstance(table, Mapping):
            raise InvalidInput(
                f"[{section}] must be a table of numbers",
                field=section,
                hint="e.g. [thresholds] with cpu_ready_warn_above_pct = 5",
            )
        known = [f.name for f in fields(cls)]
        values: dict[str, float] = {}
        for key, value in table.items():
            where = f"{section}.{key}"
            if key not in known:
                raise InvalidInput(
                    f"unknown threshold {key!r} in [{section}]", field=where, hint="known keys: " + ", ".join(known)
                )
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise InvalidInput(f"threshold {where} must be a number, got {value!r}", field=where)
            if value < 0:
                raise InvalidInput(f"threshold {where} must be 0 or more, got {value}", field=where)
            values[key] = float(value)
        result = cls(**values)
        for warn, crit in (
            ("cpu_ready_warn_above_pct", "cpu_ready_crit_at_pct"),
            ("mem_latency_warn_above_pct", "mem_latency_crit_at_pct"),
        ):
            if getattr(result, crit) < getattr(result, warn):
                raise InvalidInput(
                    f"threshold {section}.{crit} ({getattr(result, crit):g}) is below {section}.{warn} "
                    f"({getattr(result, warn):g})",
                    field=f"{section}.{crit}",
                    hint=f"set {crit} to at least {warn}",
                )
        return result

    def to_dict(self) -> dict[str, float]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def format_number(value: float) -> str:
    """14.4 -> "14", 4.25 -> "4.2", 0.04 -> "0.04": short, but never "0" for a value above 0."""
    magnitude = abs(value)
    text = f"{value:.0f}" if magnitude >= 10 else f"{value:.1f}" if magnitude >= 1 else f"{value:.2f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("0", "-0") and value != 0:
        text = f"{value:.2g}"
    return text


@dataclass(frozen=True)
class Condition:
    """One edge of a rule: `metric op threshold` means `level` (op ">" for "above", ">=" for "at")."""

    metric: str  # ContainerMetrics field
    level: State  # "warn" or "crit"
    op: str
    threshold: str  # Thresholds field name


@dataclass(frozen=True)
class Rule:
    metric: str
    warn_above: str | None  # Thresholds field names
    crit_at: str | None
    crit_above: str | None
    words: Callable[[str], str]

    def conditions(self) -> tuple[Condition, ...]:
        """The crit edge first, then the warn edge (warn applies only where crit does not)."""
        out = []
        if self.crit_at is not None:
            out.append(Condition(self.metric, "crit", ">=", self.crit_at))
        if self.crit_above is not None:
            out.append(Condition(self.metric, "crit", ">", self.crit_above))
        if self.warn_above is not None:
            out.append(Condition(self.metric, "warn", ">", self.warn_above))
        return tuple(out)


# The dashboard's rules; the exporter's alerting rules and Grafana thresholds are generated from them too.
RULES: tuple[Rule, ...] = (
    Rule(
        "cpu_ready_pct", "cpu_ready_warn_above_pct", "cpu_ready_crit_at_pct", None, lambda v: f"CPU ready {v}% per vCPU"
    ),
    Rule("cpu_costop_pct", "cpu_costop_warn_above_pct", None, None, lambda v: f"co-stop {v}%"),
    Rule(
        "cpu_maxlimited_pct",
        "cpu_maxlimited_warn_above_pct",
        None,
        None,
        lambda v: f"throttled by CPU limit {v}% of the time",
    ),
    Rule("mem_balloon_mb", "mem_balloon_warn_above_mb", None, None, lambda v: f"ballooning {v} MB"),
    Rule("mem_swapped_mb", None, None, "mem_swapped_crit_above_mb", lambda v: f"swapped {v} MB"),
    Rule("mem_swapin_kbps", None, None, "mem_swapin_crit_above_kbps", lambda v: f"swapping in {v} KB/s"),
    Rule(
        "mem_latency_pct",
        "mem_latency_warn_above_pct",
        "mem_latency_crit_at_pct",
        None,
        lambda v: f"memory latency {v}%",
    ),
)


def _level(rule: Rule, value: float, t: Thresholds) -> State:
    for c in rule.conditions():  # the same edges the exporter's alerting rules are written from
        edge = getattr(t, c.threshold)
        if value >= edge if c.op == ">=" else value > edge:
            return c.level
    return "ok"


_RULE_BY_METRIC = {rule.metric: rule for rule in RULES}
RULE_METRICS: tuple[str, ...] = tuple(_RULE_BY_METRIC)


def metric_level(metric: str, value: float, thresholds: Thresholds = Thresholds()) -> State:
    """The level of one value on its own (cell colours, the why line): ok for a metric no rule reads."""
    rule = _RULE_BY_METRIC.get(metric)
    return _level(rule, value, thresholds) if rule else "ok"


def evaluate(metrics: ContainerMetrics, thresholds: Thresholds = Thresholds()) -> tuple[State, tuple[str, ...]]:
    """The worst level over all rules, and one reason per breached rule (crit ones first); `unknown` (with
    "no data" as the last reason) when a rule's metric is not available and nothing is crit."""
    crit: list[str] = []
    warn: list[str] = []
    missing: list[str] = []
    for rule in RULES:
        value = getattr(metrics, rule.metric)
        if value is None:
            missing.append(rule.metric)
            continue
        level = _level(rule, value, thresholds)
        if level != "ok":
            (crit if level == "crit" else warn).append(rule.words(format_number(value)))
    if crit:
        return "crit", tuple(crit + warn)
    if missing:
        what = "no performance data" if len(missing) == len(RULES) else "no data for " + ", ".join(missing)
        return "unknown", (*warn, what)
    return ("warn" if warn else "ok"), tuple(warn)


def assess(sample: ContainerSample, thresholds: Thresholds = Thresholds()) -> ContainerSample:
    """The sample with its state and reasons filled in."""
    state, reasons = evaluate(sample.metrics, thresholds)
    return replace(sample, state=state, reasons=reasons)


_STALL_METRICS = ("cpu_ready_pct", "cpu_costop_pct", "cpu_maxlimited_pct", "mem_latency_pct")


def severity_score(metrics: ContainerMetrics) -> float:
    """Tie-breaker within a state: the summed share of time the container was stalled (percent).

    Ready, co-stop, limit throttling and memory latency all measure "could not run", in the same unit,
    so their sum ranks two crit containers sensibly without weighting MB against percent.
    """
    return sum(getattr(metrics, name) or 0.0 for name in _STALL_METRICS)


def worst_first_key(sample: ContainerSample) -> tuple[int, float, str, str]:
    """sorted(samples, key=worst_first_key): crit, warn, unknown, then ok; then by severity, then name."""
    m = sample.metrics  # severity_score spelt out: this key runs once per container per refresh (10,000+)
    score = (m.cpu_ready_pct or 0.0) + (m.cpu_costop_pct or 0.0) + (m.cpu_maxlimited_pct or 0.0)
    return (-STATE_RANK[sample.state], -(score + (m.mem_latency_pct or 0.0)), sample.name, sample.vm)
