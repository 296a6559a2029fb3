"""Raw QueryPerf sample -> display value: every formula and the -1 / empty-series rules."""

import pytest
from pyVmomi import vim

from tui.core.metrics import counters, model
from tui.core.metrics.counters import BY_NAME, to_display


def test_the_collected_counter_set():
    assert set(counters.COUNTER_NAMES) == {
        "cpu.usagemhz.average",
        "cpu.demand.average",
        "cpu.entitlement.latest",
        "cpu.ready.summation",
        "cpu.costop.summation",
        "cpu.maxlimited.summation",
        "mem.consumed.average",
        "mem.active.average",
        "mem.entitlement.average",
        "mem.vmmemctl.average",
        "mem.swapped.average",
        "mem.swapinRate.average",
        "mem.latency.average",
    }
    assert counters.METRIC_FIELDS == model.METRIC_FIELDS  # one counter per JSON metric, same order


@pytest.mark.parametrize("name", ["cpu.ready.summation", "cpu.costop.summation", "cpu.maxlimited.summation"])
@pytest.mark.parametrize(
    "ms, vcpus, interval, expected",
    [
        (2900, 1, 20, 14.5),  # ready ms / 200 at 20 s
        (2900, 2, 20, 7.25),  # ... per vCPU
        (2000, 1, 20, 10.0),  # 10 % per vCPU = 2 000 ms per 20 s realtime sample
        (14000, 2, 20, 35.0),
        (1000, 4, 20, 1.25),
        (30000, 1, 300, 10.0),  # another interval: ms / (interval_s * 1000) * 100
        (0, 2, 20, 0.0),
    ],
)
def test_cpu_time_is_percent_of_interval_per_vcpu(name, ms, vcpus, interval, expected):
    assert to_display(BY_NAME[name], ms, interval_s=interval, vcpus=vcpus) == expected


def test_cpu_time_of_a_vm_without_vcpu_count_is_not_divided_by_zero():
    assert to_display(BY_NAME["cpu.ready.summation"], 400, vcpus=0) == 2.0


@pytest.mark.parametrize(
    "name",
    [
        "mem.consumed.average",
        "mem.active.average",
        "mem.entitlement.average",
        "mem.vmmemctl.average",
        "mem.swapped.average",
    ],
)
@pytest.mark.parametrize("kb, mb", [(217088, 212.0), (1536, 1.5), (1, 0.0), (10485760, 10240.0)])
def test_memory_kb_becomes_mb(name, kb, mb):
    assert to_display(BY_NAME[name], kb) == mb


@pytest.mark.parametrize("raw, pct", [(4000, 40.0), (2067, 20.67), (1, 0.01), (0, 0.0)])
def test_percent_counters_are_fixed_point(raw, pct):
    assert to_display(BY_NAME["mem.latency.average"], raw) == pct


@pytest.mark.parametrize(
    "name, raw",
    [
        ("cpu.usagemhz.average", 410),
        ("cpu.demand.average", 4200),
        ("cpu.entitlement.latest", 500),
        ("mem.swapinRate.average", 300),
    ],
)
def test_mhz_and_kbps_pass_through(name, raw):
    assert to_display(BY_NAME[name], raw, vcpus=4) == float(raw)


@pytest.mark.parametrize("counter", counters.COUNTERS, ids=lambda c: c.name)
def test_missing_sample_is_none_and_zero_stays_zero(counter):
    assert to_display(counter, -1) is None  # real vCenter's "no sample"
    assert to_display(counter, None) is None
    assert to_display(counter, 0, vcpus=2) == 0.0  # the simulator's empty series arrives as 0


def test_display_values_maps_fields_and_marks_missing_counters_unavailable():
    values = counters.display_values({"cpu.ready.summation": 5600, "mem.vmmemctl.average": -1}, vcpus=2)
    assert values["cpu_ready_pct"] == 14.0
    assert values["mem_balloon_mb"] is None
    assert values["mem_latency_pct"] is None
    assert list(values) == list(model.METRIC_FIELDS)


def _info(key, group, name, rollup):
    return vim.PerformanceManager.CounterInfo(
        key=key,
        groupInfo=vim.ElementDescription(key=group, label=group, summary=group),
        nameInfo=vim.ElementDescription(key=name, label=name, summary=name),
        rollupType=rollup,
    )


def test_counter_ids_from_perf_counter_infos_first_duplicate_wins():
    infos = [
        _info(12, "cpu", "ready", "summation"),
        _info(6, "cpu", "usagemhz", "average"),
        _info(99, "cpu", "ready", "summation"),
    ]
    assert counters.counter_ids(infos) == {"cpu.ready.summation": 12, "cpu.usagemhz.average": 6}
