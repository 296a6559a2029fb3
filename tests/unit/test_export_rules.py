"""Alerting rules and dashboard thresholds come from the dashboard's own rule edges, in base units."""

import json
import re

import pytest

from tui.core.export import names, rules, yaml_text
from tui.core.export.dashboard import dashboard
from tui.core.metrics.thresholds import RULES, Thresholds, metric_level


def _edges(doc: dict) -> dict[str, str]:
    return {r["alert"]: r["expr"] for r in doc["groups"][0]["rules"]}


def test_one_alert_per_rule_edge_plus_overcommit_and_exporter_down():
    doc = rules.alert_rules()
    edges = [c for rule in RULES for c in rule.conditions()]
    alerts = _edges(doc)
    assert len(alerts) == len(edges) + 2 == len(set(alerts))
    assert alerts["VchContainerCpuReadyCritical"] == "vch_container_cpu_ready_ratio >= 0.1"
    assert alerts["VchContainerCpuReadyWarning"] == (
        "vch_container_cpu_ready_ratio > 0.05 unless vch_container_cpu_ready_ratio >= 0.1"
    )
    assert alerts["VchContainerMemorySwappedCritical"] == "vch_container_memory_swapped_bytes > 0"
    assert alerts["VchOvercommitted"] == "vch_overcommitted == 1"
    severities = {r["alert"]: r["labels"]["severity"] for r in doc["groups"][0]["rules"]}
    assert {a for a, s in severities.items() if s == "critical"} >= {"VchContainerMemoryLatencyCritical"}


def test_configured_thresholds_are_converted_to_base_units():
    t = Thresholds(
        cpu_ready_warn_above_pct=7.5,
        cpu_ready_crit_at_pct=12,
        mem_balloon_warn_above_mb=64,
        mem_swapin_crit_above_kbps=10,
    )
    alerts = _edges(rules.alert_rules(t))
    assert alerts["VchContainerCpuReadyWarning"] == (
        "vch_container_cpu_ready_ratio > 0.075 unless vch_container_cpu_ready_ratio >= 0.12"
    )
    assert alerts["VchContainerMemoryBalloonWarning"] == f"vch_container_memory_balloon_bytes > {64 * 2**20}"
    assert alerts["VchContainerMemorySwapinCritical"] == "vch_container_memory_swapin_bytes_per_second > 10240"


_EXPR = re.compile(r"^(\w+) (>=|>) ([0-9.e+-]+)(?: unless (\w+) (>=|>) ([0-9.e+-]+))?$")


def _holds(op: str, value: float, edge: float) -> bool:
    return value >= edge if op == ">=" else value > edge


@pytest.mark.parametrize("display", [0.0, 0.5, 1.0, 1.01, 3.0, 3.5, 5.0, 5.01, 9.99, 10.0, 40.0, 236.0])
def test_the_alerts_agree_with_the_dashboard_for_every_metric_at_the_edges(display):
    """Evaluate each generated expression on one value and compare with the dashboard's state for it."""
    alerts = rules.alert_rules()["groups"][0]["rules"]
    for field, metric in names.BY_FIELD.items():
        state = metric_level(field, display)  # this one value's level, as the dashboard colours it
        fired = set()
        for alert in alerts:
            m = _EXPR.match(alert["expr"])
            if not m or m.group(1) != metric.name:
                continue
            base = metric.value(display)
            if _holds(m.group(2), base, float(m.group(3))) and not (
                m.group(4) and _holds(m.group(5), base, float(m.group(6)))
            ):
                fired.add(alert["labels"]["severity"])
        want = {"crit": {"critical"}, "warn": {"warning"}, "ok": set()}[state]
        assert fired == want, (field, display, fired)


def test_dashboard_threshold_lines_are_the_rule_edges_in_base_units():
    panels = {p["title"]: p for p in dashboard(Thresholds(cpu_ready_warn_above_pct=6))["panels"]}
    steps = panels["CPU ready per vCPU"]["fieldConfig"]["defaults"]["thresholds"]["steps"]
    assert [s["value"] for s in steps] == [None, 0.06, 0.1]
    exprs = [t["expr"] for p in panels.values() for t in p["targets"]]
    known = {m.name for m in names.CONTAINER_METRICS} | {"vch_cpu_limit_hertz", names.CONTAINER_STATE}
    for expr in exprs:
        assert re.match(r"^(\w+)\{", expr).group(1) in known, expr
    json.dumps(dashboard())  # serialisable


def test_yaml_writer_quotes_what_yaml_would_misread():
    text = yaml_text.dump({"a": "yes", "b": "x: y", "c": "plain words", "d": 0.05, "e": [], "f": "1m", "g": True})
    assert text.splitlines() == ['a: "yes"', 'b: "x: y"', "c: plain words", "d: 0.05", "e: []", 'f: "1m"', "g: true"]
    assert yaml_text.number(1048576.0) == "1048576" and yaml_text.number(0.1) == "0.1"
