"""The seed story's scenario: the simulator's format, and the story it tells through our formulas."""

import fnmatch

from tui.core.metrics import counters
from tui.core.metrics.model import ContainerMetrics
from tui.core.metrics.overcommit import ConfiguredContainer, compute
from tui.core.metrics.thresholds import evaluate
from tui.vchsim import scenario


def test_format_the_simulator_accepts():
    for steady, length in ((False, 30), (True, 1)):
        story = scenario.seed_story(steady=steady)
        assert set(story) == {"interval", "vms"} and story["interval"] == 20
        for glob, series in story["vms"].items():
            assert set(series) == set(counters.COUNTER_NAMES), glob
            for values in series.values():
                assert len(values) == length
                assert all(isinstance(v, int) and v >= 0 for v in values)


def test_globs_match_only_their_own_container_vms():
    vm_names = {c.name: f"{c.name}-0123456789ab" for c in scenario.CONTAINERS}
    for c in scenario.CONTAINERS:
        assert [n for n in vm_names.values() if fnmatch.fnmatchcase(n, c.vm_glob)] == [vm_names[c.name]]


def _states(container):
    out = []
    for i in range(30):
        raw = {name: scenario.series(container, name)[i] for name in counters.COUNTER_NAMES}
        metrics = ContainerMetrics(**counters.display_values(raw, vcpus=container.vcpus))
        out.append(evaluate(metrics))
    return out


def test_plateau_values_after_the_formulas():
    cpu = scenario.plateau_display(scenario.by_name("cpu-stress"))
    assert (cpu["cpu_ready_pct"], cpu["cpu_maxlimited_pct"], cpu["cpu_costop_pct"]) == (38.0, 35.0, 4.0)
    mem = scenario.plateau_display(scenario.by_name("mem-stress"))
    assert (mem["mem_balloon_mb"], mem["mem_swapped_mb"], mem["mem_swapin_kbps"], mem["mem_latency_pct"]) == (
        236.0,
        120.0,
        300.0,
        40.0,
    )


def test_the_story_limited_containers_suffer_and_their_twins_do_not():
    cpu = _states(scenario.by_name("cpu-stress"))
    mem = _states(scenario.by_name("mem-stress"))
    assert cpu[0] == ("ok", ()) and mem[0] == ("ok", ())  # calm before the stress starts
    assert all(state == "crit" for state, _ in cpu[9:])
    assert all(any(r.startswith("throttled by CPU limit") for r in reasons) for _, reasons in cpu[9:])
    assert any("CPU ready 14% per vCPU" in reasons or "CPU ready 17% per vCPU" in reasons for _, reasons in cpu)
    assert all(state == "crit" for state, _ in mem[9:])
    assert all(
        any(r.startswith("ballooning") for r in reasons) and any(r.startswith("memory latency") for r in reasons)
        for _, reasons in mem[9:]
    )
    assert all(not any(r.startswith(("CPU", "throttled")) for r in reasons) for _, reasons in mem)
    for twin in ("twin-cpu-stress", "twin-mem-stress"):
        assert all(s == ("ok", ()) for s in _states(scenario.by_name(twin))), twin


def test_ready_includes_limit_throttling_at_every_sample():
    c = scenario.by_name("cpu-stress")
    for ready, limited in zip(
        scenario.series(c, "cpu.ready.summation"), scenario.series(c, "cpu.maxlimited.summation"), strict=True
    ):
        assert ready >= limited  # esxtop: %RDY includes %MLMTD


def test_limited_vch_is_overcommitted_and_unlimited_is_not():
    for vch, expected in ((scenario.LIMITED, True), (scenario.UNLIMITED, False)):
        members = [ConfiguredContainer(c.vcpus, c.memory_mb, 2294) for c in scenario.CONTAINERS if c.vch is vch]
        assert compute(members, vch.cpu_limit_mhz, vch.memory_limit_mb).overcommitted is expected


def test_raw_at_is_the_simulators_formula():
    values = [1, 2, 3]
    assert [scenario.raw_at(values, t) for t in (0, 19.9, 20, 40, 60, 1_700_000_000)] == [1, 1, 2, 3, 1, 2]
