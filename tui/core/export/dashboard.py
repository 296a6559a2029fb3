"""A Grafana dashboard (JSON model) of the seed story's panels, with the dashboard's thresholds.

Panels: CPU demand vs entitlement vs usage against the VCH's limit; CPU ready per vCPU (and co-stop,
limit throttling) with the warn / crit lines; balloon and swapped memory with memory latency; the
containers that are not ok now. Threshold lines come from metrics/thresholds.py through rules.py's
conversion (Grafana draws an edge, it cannot say "above" vs "at": the alerting rules do). Import it
in Grafana (Dashboards > New > Import) and pick the Prometheus data source.
"""

from __future__ import annotations

import json

from tui.core.export import names
from tui.core.metrics.thresholds import Thresholds

UID = "vch-tui-contention"
TITLE = "vch-tui: VCH container contention"
DS = {"type": "prometheus", "uid": "${DS_PROMETHEUS}"}
SELECT = 'vcenter=~"$vcenter", vch=~"$vch", container=~"$container"'
COLOURS = {"warn": "#e0b400", "crit": "#e02f44"}


def _target(expr: str, legend: str, ref: str, **extra) -> dict:
    return {"datasource": DS, "expr": expr, "legendFormat": legend, "refId": ref, **extra}


def _thresholds(thresholds: Thresholds, warn_field: str, crit_field: str | None, metric: str) -> dict:
    m = names.BY_FIELD[metric]
    steps = [
        {"color": "green", "value": None},
        {"color": COLOURS["warn"], "value": m.value(getattr(thresholds, warn_field))},
    ]
    if crit_field:
        steps.append({"color": COLOURS["crit"], "value": m.value(getattr(thresholds, crit_field))})
    return {"mode": "absolute", "steps": steps}


def _timeseries(
    pid: int,
    title: str,
    unit: str,
    targets: list[dict],
    grid: dict,
    *,
    description: str = "",
    thresholds: dict | None = None,
    overrides: list | None = None,
) -> dict:
    custom = {"drawStyle": "line", "lineWidth": 2, "fillOpacity": 0, "showPoints": "never", "spanNulls": False}
    if thresholds is not None:
        custom["thresholdsStyle"] = {"mode": "dashed"}
    defaults: dict = {"unit": unit, "custom": custom}
    if thresholds is not None:
        defaults["thresholds"] = thresholds
    return {
        "id": pid,
        "type": "timeseries",
        "title": title,
        "description": description,
        "datasource": DS,
        "gridPos": grid,
        "targets": targets,
        "fieldConfig": {"defaults": defaults, "overrides": overrides or []},
        "options": {
            "legend": {"displayMode": "table", "placement": "bottom", "calcs": ["lastNotNull", "max"]},
            "tooltip": {"mode": "multi", "sort": "desc"},
        },
    }


def _metric(field: str) -> str:
    return names.BY_FIELD[field].name


def _variable(name: str, label: str, query: str) -> dict:
    return {
        "name": name,
        "label": label,
        "type": "query",
        "datasource": DS,
        "query": {"query": query, "refId": name},
        "definition": query,
        "refresh": 2,
        "includeAll": True,
        "multi": True,
        "allValue": ".*",
        "current": {"selected": True, "text": ["All"], "value": ["$__all"]},
        "sort": 1,
    }


def dashboard(thresholds: Thresholds = Thresholds()) -> dict:
    t = thresholds
    cpu = _timeseries(
        1,
        "CPU: demand vs entitlement vs limit",
        "hertz",
        [
            _target(f"{_metric('cpu_demand_mhz')}{{{SELECT}}}", "{{container}} demand", "A"),
            _target(f"{_metric('cpu_entitlement_mhz')}{{{SELECT}}}", "{{container}} entitlement", "B"),
            _target(f"{_metric('cpu_usage_mhz')}{{{SELECT}}}", "{{container}} usage", "C"),
            _target(f'{names.PREFIX}_cpu_limit_hertz{{vcenter=~"$vcenter", vch=~"$vch"}}', "{{vch}} limit", "D"),
        ],
        {"h": 9, "w": 12, "x": 0, "y": 0},
        description="Demand far above entitlement means the container wants CPU it is not given; a VCH "
        "limit below the demand is why (the seed story's cpu-stress).",
        overrides=[
            {
                "matcher": {"id": "byRegexp", "options": ".* limit"},
                "properties": [
                    {"id": "custom.lineStyle", "value": {"fill": "dash", "dash": [10, 10]}},
                    {"id": "color", "value": {"mode": "fixed", "fixedColor": "red"}},
                ],
            }
        ],
    )
    ready = _timeseries(
        2,
        "CPU ready per vCPU",
        "percentunit",
        [
            _target(f"{_metric('cpu_ready_pct')}{{{SELECT}}}", "{{container}} ready", "A"),
            _target(f"{_metric('cpu_maxlimited_pct')}{{{SELECT}}}", "{{container}} limit throttling", "B"),
            _target(f"{_metric('cpu_costop_pct')}{{{SELECT}}}", "{{container}} co-stop", "C"),
        ],
        {"h": 9, "w": 12, "x": 12, "y": 0},
        description="Share of time a vCPU was ready but not scheduled; throttling is the part spent waiting on "
        "the VCH's CPU limit. Lines: the dashboard's warn / crit edges for ready.",
        thresholds=_thresholds(t, "cpu_ready_warn_above_pct", "cpu_ready_crit_at_pct", "cpu_ready_pct"),
    )
    memory = _timeseries(
        3,
        "Memory: balloon, swapped and latency",
        "bytes",
        [
            _target(f"{_metric('mem_balloon_mb')}{{{SELECT}}}", "{{container}} balloon", "A"),
            _target(f"{_metric('mem_swapped_mb')}{{{SELECT}}}", "{{container}} swapped", "B"),
            _target(f"{_metric('mem_latency_pct')}{{{SELECT}}}", "{{container}} latency", "C"),
        ],
        {"h": 9, "w": 12, "x": 0, "y": 9},
        description="Ballooning and swapping reclaim memory from a container its limit cannot hold; latency "
        "(right axis) is the time it then waits for memory. Lines: the latency warn / crit edges.",
        thresholds=_thresholds(t, "mem_latency_warn_above_pct", "mem_latency_crit_at_pct", "mem_latency_pct"),
        overrides=[
            {
                "matcher": {"id": "byRegexp", "options": ".* latency"},
                "properties": [
                    {"id": "unit", "value": "percentunit"},
                    {"id": "custom.axisPlacement", "value": "right"},
                ],
            }
        ],
    )
    states = {
        "id": 4,
        "type": "table",
        "title": "Containers not ok",
        "datasource": DS,
        "description": "The dashboard's state of each container (warn / crit), as vch_container_state.",
        "gridPos": {"h": 9, "w": 12, "x": 12, "y": 9},
        "targets": [
            _target(f'{names.CONTAINER_STATE}{{{SELECT}, state!="ok"}} == 1', "", "A", instant=True, format="table")
        ],
        "transformations": [
            {
                "id": "organize",
                "options": {
                    "excludeByName": {"Time": True, "Value": True, "__name__": True, "instance": True, "job": True},
                    "indexByName": {"state": 0, "container": 1, "vch": 2, "vcenter": 3, "vm": 4},
                },
            }
        ],
        "fieldConfig": {
            "defaults": {},
            "overrides": [
                {
                    "matcher": {"id": "byName", "options": "state"},
                    "properties": [
                        {
                            "id": "mappings",
                            "value": [
                                {
                                    "type": "value",
                                    "options": {
                                        "warn": {"color": COLOURS["warn"], "index": 0},
                                        "crit": {"color": COLOURS["crit"], "index": 1},
                                    },
                                }
                            ],
                        },
                        {"id": "custom.cellOptions", "value": {"type": "color-background"}},
                    ],
                }
            ],
        },
        "options": {"showHeader": True},
    }
    return {
        "__inputs": [
            {
                "name": "DS_PROMETHEUS",
                "label": "Prometheus",
                "type": "datasource",
                "pluginId": "prometheus",
                "pluginName": "Prometheus",
            }
        ],
        "uid": UID,
        "title": TITLE,
        "tags": ["vch-tui", "vsphere", "vic"],
        "timezone": "browser",
        "schemaVersion": 39,
        "version": 1,
        "editable": True,
        "refresh": "30s",
        "time": {"from": "now-1h", "to": "now"},
        "templating": {
            "list": [
                _variable("vcenter", "vCenter", f"label_values({names.EXPORTER_UP}, vcenter)"),
                _variable("vch", "VCH", f'label_values({names.VCH_OVERCOMMITTED}{{vcenter=~"$vcenter"}}, vch)'),
                _variable(
                    "container",
                    "Container",
                    f'label_values({names.CONTAINER_STATE}{{vcenter=~"$vcenter", vch=~"$vch"}}, container)',
                ),
            ]
        },
        "panels": [cpu, ready, memory, states],
    }


def dashboard_json(thresholds: Thresholds = Thresholds()) -> str:
    return json.dumps(dashboard(thresholds), indent=2, ensure_ascii=False) + "\n"
