"""ok / warn / crit / unknown with reasons in words; exact edges; the [thresholds] table; worst-first order.

Unless a test is about missing data, every counter a rule reads is given (0 = healthy) and the test sets
the ones it is about."""

import pytest

from tui.core.errors import InvalidInput
from tui.core.metrics.model import ContainerMetrics, ContainerSample
from tui.core.metrics.thresholds import (
    RULE_METRICS,
    STATE_RANK,
    Thresholds,
    assess,
    evaluate,
    format_number,
    severity_score,
    worst_first_key,
)

HEALTHY = {name: 0.0 for name in RULE_METRICS}


def full(**values) -> ContainerMetrics:
    return ContainerMetrics(**{**HEALTHY, **values})


def state_of(**values):
    return evaluate(full(**values))[0]


@pytest.mark.parametrize(
    "metric, value, state",
    [
        ("cpu_ready_pct", 5.0, "ok"),
        ("cpu_ready_pct", 5.0001, "warn"),
        ("cpu_ready_pct", 9.9999, "warn"),
        ("cpu_ready_pct", 10.0, "crit"),
        ("cpu_ready_pct", 38.0, "crit"),
        ("cpu_costop_pct", 3.0, "ok"),
        ("cpu_costop_pct", 3.0001, "warn"),
        ("cpu_costop_pct", 50.0, "warn"),
        ("cpu_maxlimited_pct", 0.0, "ok"),
        ("cpu_maxlimited_pct", 0.01, "warn"),
        ("cpu_maxlimited_pct", 90.0, "warn"),
        ("mem_balloon_mb", 0.0, "ok"),
        ("mem_balloon_mb", 0.01, "warn"),
        ("mem_balloon_mb", 4096.0, "warn"),
        ("mem_swapped_mb", 0.0, "ok"),
        ("mem_swapped_mb", 0.01, "crit"),
        ("mem_swapin_kbps", 0.0, "ok"),
        ("mem_swapin_kbps", 1.0, "crit"),
        ("mem_latency_pct", 1.0, "ok"),
        ("mem_latency_pct", 1.0001, "warn"),
        ("mem_latency_pct", 9.99, "warn"),
        ("mem_latency_pct", 10.0, "crit"),
    ],
)
def test_default_edges(metric, value, state):
    assert state_of(**{metric: value}) == state


@pytest.mark.parametrize(
    "metric",
    [
        "cpu_usage_mhz",
        "cpu_demand_mhz",
        "cpu_entitlement_mhz",
        "mem_consumed_mb",
        "mem_active_mb",
        "mem_entitlement_mb",
    ],
)
def test_plain_usage_never_alerts(metric):
    assert state_of(**{metric: 1e9}) == "ok"


@pytest.mark.parametrize(
    "metric, value, words",
    [
        ("cpu_ready_pct", 14.0, "CPU ready 14% per vCPU"),
        ("cpu_ready_pct", 14.4, "CPU ready 14% per vCPU"),
        ("cpu_ready_pct", 5.5, "CPU ready 5.5% per vCPU"),
        ("cpu_maxlimited_pct", 35.0, "throttled by CPU limit 35% of the time"),
        ("mem_balloon_mb", 212.0, "ballooning 212 MB"),
        ("mem_balloon_mb", 0.04, "ballooning 0.04 MB"),
        ("mem_latency_pct", 40.0, "memory latency 40%"),
        ("cpu_costop_pct", 4.0, "co-stop 4%"),
        ("mem_swapped_mb", 120.0, "swapped 120 MB"),
        ("mem_swapin_kbps", 300.0, "swapping in 300 KB/s"),
    ],
)
def test_reasons_in_words(metric, value, words):
    assert evaluate(full(**{metric: value}))[1] == (words,)


def test_worst_wins_and_crit_reasons_come_first():
    state, reasons = evaluate(full(mem_balloon_mb=212.0, mem_latency_pct=40.0, cpu_ready_pct=6.0))
    assert state == "crit"
    assert reasons == ("memory latency 40%", "CPU ready 6% per vCPU", "ballooning 212 MB")


def test_no_data_is_unknown_not_ok():
    assert evaluate(ContainerMetrics()) == ("unknown", ("no performance data",))


@pytest.mark.parametrize("metric", RULE_METRICS)
def test_one_missing_counter_makes_a_healthy_container_unknown(metric):
    assert evaluate(full(**{metric: None})) == ("unknown", (f"no data for {metric}",))


def test_crit_on_partial_data_is_crit_but_warn_is_unknown_keeping_its_reason():
    """Crit is the worst whatever the missing value; a warn could be crit once the missing counter is known."""
    assert evaluate(ContainerMetrics(cpu_ready_pct=12.0))[0] == "crit"
    state, reasons = evaluate(full(cpu_ready_pct=6.0, mem_latency_pct=None))
    assert state == "unknown" and reasons == ("CPU ready 6% per vCPU", "no data for mem_latency_pct")


def test_format_number():
    assert [format_number(v) for v in (14.5, 10.0, 9.96, 4.25, 1.0, 0.5, 0.04, 0.001, 0.0)] == [
        "14",
        "10",
        "10",
        "4.2",
        "1",
        "0.5",
        "0.04",
        "0.001",
        "0",
    ]


def test_thresholds_from_config_table():
    t = Thresholds.from_dict({"cpu_ready_warn_above_pct": 2, "cpu_ready_crit_at_pct": 4.5})
    assert (t.cpu_ready_warn_above_pct, t.cpu_ready_crit_at_pct, t.mem_latency_crit_at_pct) == (2.0, 4.5, 10.0)
    assert evaluate(full(cpu_ready_pct=3.0), t)[0] == "warn"
    assert evaluate(full(cpu_ready_pct=4.5), t)[0] == "crit"
    assert Thresholds.from_dict(None) == Thresholds() == Thresholds.from_dict({})
    assert Thresholds.from_dict(t.to_dict()) == t


@pytest.mark.parametrize(
    "table, field, words",
    [
        ({"cpu_ready_warn": 5}, "thresholds.cpu_ready_warn", "unknown threshold 'cpu_ready_warn'"),
        ({"mem_balloon_warn_above_mb": "0"}, "thresholds.mem_balloon_warn_above_mb", "must be a number"),
        ({"mem_balloon_warn_above_mb": True}, "thresholds.mem_balloon_warn_above_mb", "must be a number"),
        ({"mem_balloon_warn_above_mb": float("nan")}, "thresholds.mem_balloon_warn_above_mb", "must be a number"),
        ({"cpu_costop_warn_above_pct": -1}, "thresholds.cpu_costop_warn_above_pct", "0 or more"),
        ({"cpu_ready_warn_above_pct": 12}, "thresholds.cpu_ready_crit_at_pct", "below thresholds.cpu_ready_warn"),
        ({"mem_latency_crit_at_pct": 0.5}, "thresholds.mem_latency_crit_at_pct", "below"),
    ],
)
def test_bad_thresholds_name_the_key(table, field, words):
    with pytest.raises(InvalidInput) as err:
        Thresholds.from_dict(table)
    assert err.value.field == field
    assert words in str(err.value)


def test_unknown_key_hint_lists_the_known_keys():
    with pytest.raises(InvalidInput) as err:
        Thresholds.from_dict({"nope": 1})
    assert "cpu_ready_warn_above_pct" in err.value.hint


def test_thresholds_table_must_be_a_table():
    with pytest.raises(InvalidInput) as err:
        Thresholds.from_dict([5, 10])
    assert err.value.field == "thresholds"


def _c(name, **metrics):
    return assess(ContainerSample(name, f"vm-{name}", 1, 512, "poweredOn", full(**metrics)))


def test_assess_fills_state_and_reasons():
    sample = _c("a", mem_latency_pct=40.0)
    assert (sample.state, sample.reasons) == ("crit", ("memory latency 40%",))


def test_worst_first_order():
    rows = [
        _c("calm"),
        _c("warm", cpu_ready_pct=6.0),
        _c("hot", cpu_ready_pct=12.0),
        _c("hotter", cpu_ready_pct=12.0, cpu_maxlimited_pct=30.0),
        _c("also-calm"),
        _c("warm2", cpu_ready_pct=8.0),
        _c("blind", cpu_ready_pct=None),
    ]
    assert [r.name for r in sorted(rows, key=worst_first_key)] == [
        "hotter",
        "hot",
        "warm2",
        "warm",
        "blind",
        "also-calm",
        "calm",
    ]


def test_the_worst_first_key_ranks_by_the_severity_score():
    rows = [
        _c("a", cpu_ready_pct=3.25, cpu_costop_pct=None, cpu_maxlimited_pct=7.5, mem_latency_pct=0.125),
        _c("b", cpu_ready_pct=None, mem_latency_pct=None),
        _c("c", cpu_costop_pct=1.5, mem_latency_pct=40.0),
    ]
    for r in rows:
        assert worst_first_key(r) == (-STATE_RANK[r.state], -severity_score(r.metrics), r.name, r.vm)
