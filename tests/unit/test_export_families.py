"""Refresh -> metric families: base units, unavailable values left out, nothing served while reconnecting."""

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from tui.core.export.families import StateCollector, families
from tui.core.export.poller import ExportState
from tui.core.metrics.model import ContainerMetrics, ContainerSample, VchHeader, VchSnapshot
from tui.core.monitor.collector import Refresh


def _state(up: bool = True) -> ExportState:
    busy = ContainerSample(
        "web-0123456789ab",
        "vm-1",
        2,
        1024,
        "poweredOn",
        ContainerMetrics(cpu_ready_pct=12.5, mem_balloon_mb=1.5, cpu_usage_mhz=410.0, mem_swapin_kbps=3.0),
        "crit",
        ("CPU ready 12% per vCPU",),
    )
    off = ContainerSample("old-0123456789ab", "vm-2", 1, 512, "poweredOff")
    header = VchHeader("vch-a", 500, None, 4000, 1536, True, cpu_usage_mhz=410.0)
    refresh = Refresh(t=1000.0, snapshots=(VchSnapshot(header, (busy, off)),), vch_names=("vch-a",))
    return ExportState(
        vcenter="vc:443",
        interval_s=20,
        refresh=refresh,
        up=up,
        last_success=1000.0,
        refreshes=3,
        errors=1,
        duration_s=0.25,
        perf_s=0.2,
        soap_calls=42,
        perf_calls=3,
    )


def _samples(state: ExportState) -> dict:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(StateCollector(lambda: state))
    text = generate_latest(registry).decode()
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def _one(samples: dict, name: str, **labels) -> float | None:
    hits = [v for (n, ls), v in samples.items() if n == name and all((k, v2) in ls for k, v2 in labels.items())]
    assert len(hits) <= 1, (name, labels, hits)
    return hits[0] if hits else None


def test_container_values_in_base_units_with_their_labels():
    s = _samples(_state())
    labels = {"vcenter": "vc:443", "vch": "vch-a", "container": "web-0123456789ab", "vm": "vm-1"}
    assert _one(s, "vch_container_cpu_ready_ratio", **labels) == 0.125
    assert _one(s, "vch_container_memory_balloon_bytes", **labels) == 1.5 * 2**20
    assert _one(s, "vch_container_cpu_usage_hertz", **labels) == 410e6
    assert _one(s, "vch_container_memory_swapin_bytes_per_second", **labels) == 3072
    assert _one(s, "vch_container_memory_latency_ratio", **labels) is None  # not available: left out
    assert _one(s, "vch_container_state", container="web-0123456789ab", state="crit") == 1
    assert _one(s, "vch_container_state", container="web-0123456789ab", state="ok") == 0
    assert _one(s, "vch_container_state", container="old-0123456789ab", state="ok") == 1
    assert _one(s, "vch_container_powered_on", container="old-0123456789ab") == 0
    assert _one(s, "vch_container_memory_configured_bytes", container="old-0123456789ab") == 512 * 2**20


def test_vch_limits_are_absent_when_unlimited():
    s = _samples(_state())
    assert _one(s, "vch_cpu_limit_hertz", vch="vch-a") == 500e6
    assert _one(s, "vch_memory_limit_bytes", vch="vch-a") is None
    assert _one(s, "vch_cpu_overcommit_ratio", vch="vch-a") == 8.0
    assert _one(s, "vch_memory_overcommit_ratio", vch="vch-a") is None
    assert _one(s, "vch_overcommitted", vch="vch-a") == 1
    assert _one(s, "vch_containers", vch="vch-a", state="crit") == 1
    assert _one(s, "vch_containers", vch="vch-a", state="ok") == 1


def test_exporter_health():
    s = _samples(_state())
    assert _one(s, "vch_tui_up") == 1
    assert _one(s, "vch_tui_last_success_timestamp_seconds") == 1000.0
    assert _one(s, "vch_tui_refreshes_total") == 3 and _one(s, "vch_tui_refresh_errors_total") == 1
    assert _one(s, "vch_tui_soap_calls_total") == 42 and _one(s, "vch_tui_queryperf_calls_total") == 3
    assert _one(s, "vch_tui_refresh_duration_seconds") == 0.25


def test_nothing_about_containers_is_served_while_reconnecting():
    s = _samples(_state(up=False))
    assert _one(s, "vch_tui_up") == 0
    assert not [k for k in s if k[0].startswith("vch_container") or k[0] == "vch_overcommitted"]
    assert _one(s, "vch_tui_last_success_timestamp_seconds") == 1000.0


def test_every_family_is_named_in_base_units():
    for family in families(_state()):
        if family.type == "gauge" and family.unit:
            assert family.name.endswith("_" + family.unit)
