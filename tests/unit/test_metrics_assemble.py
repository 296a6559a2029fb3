"""Raw values of one VM + its inventory -> the row the dashboard and `top --json` show."""

from dataclasses import asdict

from tui.core.metrics.assemble import container_sample
from tui.core.metrics.thresholds import Thresholds

IDS = {
    "cpu.ready.summation": 12,
    "cpu.maxlimited.summation": 400,
    "mem.vmmemctl.average": 90,
    "mem.latency.average": 422,
}


def row(raw, **kw):
    args = dict(
        name="cpu-stress", vm="vm-61", vcpus=2, memory_mb=2048, power_state="poweredOn", raw=raw, counter_ids=IDS
    )
    args.update(kw)
    return container_sample(**args)


def test_values_are_converted_and_assessed():
    sample = row({12: 5600, 400: 14000, 90: 0, 422: None, 6: 999})
    m = sample.metrics
    assert (m.cpu_ready_pct, m.cpu_maxlimited_pct, m.mem_balloon_mb, m.mem_latency_pct) == (14.0, 35.0, 0.0, None)
    assert m.cpu_usage_mhz is None  # not in this system's counter map
    assert sample.state == "crit"
    assert sample.reasons == ("CPU ready 14% per vCPU", "throttled by CPU limit 35% of the time")


def test_failed_chunk_means_nothing_is_available_and_the_state_is_unknown():
    sample = row(None)
    assert set(asdict(sample.metrics).values()) == {None}
    assert sample.to_json_dict()["cpu_ready_pct"] is None
    assert (sample.state, sample.reasons) == ("unknown", ("no performance data",))
    assert sample.to_json_dict()["state"] == "unknown"


ALL_RULE_IDS = {
    "cpu.ready.summation": 12,
    "cpu.costop.summation": 13,
    "cpu.maxlimited.summation": 400,
    "mem.vmmemctl.average": 90,
    "mem.swapped.average": 91,
    "mem.swapinRate.average": 92,
    "mem.latency.average": 422,
}


def test_every_counter_present_and_healthy_is_ok_and_one_absent_is_unknown():
    healthy = {cid: 0 for cid in ALL_RULE_IDS.values()}
    assert row(healthy, counter_ids=ALL_RULE_IDS).state == "ok"
    absent = {k: v for k, v in healthy.items() if k != 422}  # the system reports no memory latency
    assert row(absent, counter_ids=ALL_RULE_IDS).state == "unknown"
    system_lacks = {k: v for k, v in ALL_RULE_IDS.items() if k != "cpu.costop.summation"}
    assert row(healthy, counter_ids=system_lacks).state == "unknown"
    assert row({**healthy, 422: -1}, counter_ids=ALL_RULE_IDS).state == "unknown"  # vCenter's "no sample"


def test_custom_thresholds_and_interval():
    sample = row(
        {cid: 0 for cid in ALL_RULE_IDS.values()} | {12: 5600},
        counter_ids=ALL_RULE_IDS,
        thresholds=Thresholds(cpu_ready_warn_above_pct=0.1, cpu_ready_crit_at_pct=50),
        interval_s=300,
    )
    assert sample.metrics.cpu_ready_pct == 0.93
    assert sample.state == "warn"
