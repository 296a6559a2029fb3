"""The dashboard's Why column and its what-to-do hints, on the seed story's moments."""

from __future__ import annotations

from tui.core.metrics.model import ContainerMetrics, ContainerSample
from tui.core.metrics.thresholds import Thresholds, assess
from tui.core.monitor.columns import COLUMNS, cells_width, dashboard_columns
from tui.core.monitor.why import advice, mhz_words, short_reasons
from tui.vchsim import story


def _at_end():
    _t, snapshots = story.frames()[-1]
    return {s.vch.name: s for s in snapshots}


def _find(snapshot, prefix):
    return next(c for c in snapshot.containers if c.name.startswith(prefix + "-"))


def test_short_reasons_crit_first_in_rule_order():
    limited = _at_end()["vch-limited"]
    assert short_reasons(_find(limited, "cpu-stress")) == "ready 38% · limit 35% · co-stop 4%"
    assert short_reasons(_find(limited, "mem-stress")).startswith("swapped 120 MB · swap-in 300 KB/s · mem lat 40%")
    assert short_reasons(_find(_at_end()["vch-unlimited"], "twin-cpu-stress")) == ""


def test_short_reasons_follow_the_thresholds():
    sample = assess(ContainerSample("c", "vm-1", 1, 512, "poweredOn", ContainerMetrics(cpu_ready_pct=6.0)))
    assert short_reasons(sample) == "ready 6%"
    assert short_reasons(sample, Thresholds(cpu_ready_warn_above_pct=7.0, cpu_ready_crit_at_pct=20.0)) == ""


def test_cpu_advice_in_the_vchs_terms():
    limited = _at_end()["vch-limited"]
    lines = advice(_find(limited, "cpu-stress"), limited)
    demand = sum(c.metrics.cpu_demand_mhz for c in limited.containers)
    assert len(lines) == 1
    assert f"demand {mhz_words(demand)} vs its CPU limit 500 MHz" in lines[0]
    assert f"vic-machine configure --cpu {int(demand)}" in lines[0]
    assert mhz_words(4260) == "4.3 GHz" and mhz_words(500) == "500 MHz"


def test_memory_advice_names_the_limit_and_what_would_cover_it():
    limited = _at_end()["vch-limited"]
    (line,) = advice(_find(limited, "mem-stress"), limited)
    assert "configured for 4096 MB vs its memory limit 500 MB" in line
    assert "--memory 4096" in line


def test_no_advice_when_ok_and_host_advice_without_a_limit():
    unlimited = _at_end()["vch-unlimited"]
    assert advice(_find(unlimited, "twin-cpu-stress"), unlimited) == []
    busy = assess(ContainerSample("c", "vm-1", 2, 512, "poweredOn", ContainerMetrics(cpu_ready_pct=12.0)))
    (line,) = advice(busy, unlimited)
    assert "has no CPU limit" in line and "host" in line


def test_columns_fit_the_width_dropping_low_value_first():
    narrow, why80 = dashboard_columns(77)
    assert [c.key for c in narrow] == ["state", "name", "why", "cpu_ready_pct"]
    assert sum(cells_width(c) for c in narrow) - 22 + why80 <= 77
    wide, _ = dashboard_columns(400)
    assert [c.key for c in wide] == [c.key for c in COLUMNS if c.drop >= 0]
    tiny, _ = dashboard_columns(30)
    assert [c.key for c in tiny] == ["state", "name", "why"]  # never fewer: the table scrolls sideways
