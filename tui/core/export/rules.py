"""Prometheus alerting rules that say what the dashboard says, written from the same thresholds.

For every edge of every rule in metrics/thresholds.py (`RULES[*].conditions()`), one alert on the
exported metric in base units: crit edges as `severity: critical`, warn edges as `severity: warning`
and only where the crit edge does not hold (the dashboard shows one state per container). No `for:`:
like the dashboard, one realtime sample (a 20 s average) over the edge is enough; add one if your
alerting should wait. Plus: a VCH over-committed, and the exporter unable to reach vCenter.
"""

from __future__ import annotations

from tui.core.export import names, yaml_text
from tui.core.metrics import counters
from tui.core.metrics.thresholds import RULES, Condition, Thresholds, format_number

GROUP = "vch-tui"
SEVERITY = {"crit": "critical", "warn": "warning"}
_LEVEL_WORD = {"crit": "Critical", "warn": "Warning"}


def alert_name(condition: Condition) -> str:
    stem = names.BY_FIELD[condition.metric].name.removeprefix(f"{names.PREFIX}_container_")
    stem = stem.removesuffix("_" + names.BY_FIELD[condition.metric].unit.unit)
    return "VchContainer" + "".join(part.capitalize() for part in stem.split("_")) + _LEVEL_WORD[condition.level]


def _edge(condition: Condition, thresholds: Thresholds) -> str:
    metric = names.BY_FIELD[condition.metric]
    return f"{metric.name} {condition.op} {yaml_text.number(metric.value(getattr(thresholds, condition.threshold)))}"


def _words(condition: Condition, thresholds: Thresholds) -> str:
    counter = counters.BY_FIELD[condition.metric]
    edge = "at or above" if condition.op == ">=" else "above"
    value = format_number(getattr(thresholds, condition.threshold))
    return (
        f"the vch-tui dashboard marks a container {condition.level} when {counter.label} is {edge} "
        f"{value} {counter.display_unit} ({condition.threshold})"
    )


def container_rule(condition: Condition, crit_edges: tuple[Condition, ...], thresholds: Thresholds) -> dict:
    metric = names.BY_FIELD[condition.metric]
    counter = counters.BY_FIELD[condition.metric]
    expr = _edge(condition, thresholds)
    for crit in crit_edges if condition.level == "warn" else ():
        expr += f" unless {_edge(crit, thresholds)}"
    per_vcpu = " per vCPU" if counter.kind == "cpu_time" else ""
    shown = f"{{{{ $value | {metric.unit.humanize} }}}}{metric.unit.suffix}"
    return {
        "alert": alert_name(condition),
        "expr": expr,
        "labels": {"severity": SEVERITY[condition.level]},
        "annotations": {
            "summary": f"{counter.label}{per_vcpu} {shown} on container {{{{ $labels.container }}}} "
            f"(VCH {{{{ $labels.vch }}}}, vCenter {{{{ $labels.vcenter }}}})",
            "description": _words(condition, thresholds),
        },
    }


def alert_rules(thresholds: Thresholds = Thresholds()) -> dict:
    rules = []
    for rule in RULES:
        edges = rule.conditions()
        crit = tuple(c for c in edges if c.level == "crit")
        rules += [container_rule(c, crit, thresholds) for c in edges]
    rules.append(
        {
            "alert": "VchOvercommitted",
            "expr": f"{names.VCH_OVERCOMMITTED} == 1",
            "labels": {"severity": "warning"},
            "annotations": {
                "summary": "VCH {{ $labels.vch }} (vCenter {{ $labels.vcenter }}) is over-committed",
                "description": "its containers are configured for more CPU or memory than the VCH's limits: expect "
                "CPU ready time and throttling, ballooning and memory latency",
            },
        }
    )
    rules.append(
        {
            "alert": "VchTuiCannotReachVcenter",
            "expr": f"{names.EXPORTER_UP} == 0",
            "for": "1m",
            "labels": {"severity": "critical"},
            "annotations": {
                "summary": "vch-tui export cannot reach vCenter {{ $labels.vcenter }}",
                "description": "the exporter is reconnecting with backoff; container metrics are not served meanwhile",
            },
        }
    )
    return {"groups": [{"name": GROUP, "rules": rules}]}


HEADER = """vch-tui alerting rules for Prometheus, generated from the dashboard's thresholds
(tui/core/metrics/thresholds.py) by scripts/contrib.py: do not edit. For your own [thresholds]:
vch-tui export --print-rules > vch-tui.rules.yml"""


def rules_yaml(thresholds: Thresholds = Thresholds(), *, header: str = HEADER) -> str:
    return yaml_text.dump(alert_rules(thresholds), header=header)
