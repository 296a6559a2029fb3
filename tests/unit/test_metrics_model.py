"""The `top --once --json` shape: exactly the issue's fields, null for unavailable values."""

import json

from tui.core.metrics.model import ContainerMetrics, ContainerSample, VchHeader, VchSnapshot

CONTAINER_KEYS = [
    "name",
    "vm",
    "vcpus",
    "memory_mb",
    "power_state",
    "cpu_usage_mhz",
    "cpu_demand_mhz",
    "cpu_entitlement_mhz",
    "cpu_ready_pct",
    "cpu_costop_pct",
    "cpu_maxlimited_pct",
    "mem_consumed_mb",
    "mem_active_mb",
    "mem_entitlement_mb",
    "mem_balloon_mb",
    "mem_swapped_mb",
    "mem_swapin_kbps",
    "mem_latency_pct",
    "state",
    "reasons",
]
VCH_KEYS = ["name", "cpu_limit_mhz", "memory_limit_mb", "configured_cpu_mhz", "configured_memory_mb", "overcommitted"]


def _sample():
    return ContainerSample(
        "cpu-stress",
        "vm-42",
        2,
        2048,
        "poweredOn",
        ContainerMetrics(cpu_ready_pct=14.5, mem_balloon_mb=None),
        "crit",
        ("CPU ready 14% per vCPU",),
    )


def test_container_json_has_exactly_the_issue_fields_in_order():
    data = _sample().to_json_dict()
    assert list(data) == CONTAINER_KEYS
    assert data["cpu_ready_pct"] == 14.5
    assert data["mem_balloon_mb"] is None
    assert data["reasons"] == ["CPU ready 14% per vCPU"]
    assert json.loads(json.dumps(data))["mem_balloon_mb"] is None


def test_vch_json_has_exactly_the_issue_fields_and_usage_only_on_request():
    header = VchHeader("vch-limited", 500, None, 6882, 4096, True, cpu_usage_mhz=465.0, memory_usage_mb=480.0)
    assert list(header.to_json_dict()) == VCH_KEYS
    assert header.to_json_dict()["memory_limit_mb"] is None
    assert header.to_json_dict(include_usage=True)["cpu_usage_mhz"] == 465.0


def test_snapshot_round_trips_through_json():
    snap = VchSnapshot(VchHeader("v", 500, 500, 4588, 2048, True, 400.0, 300.0), (_sample(),))
    text = json.dumps(snap.to_json_dict(include_usage=True))
    assert VchSnapshot.from_json_dict(json.loads(text)) == snap
    plain = json.loads(json.dumps(snap.to_json_dict()))
    assert list(plain) == ["vch", "containers"]
    assert VchSnapshot.from_json_dict(plain).vch.cpu_usage_mhz is None
