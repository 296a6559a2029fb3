"""The monitor's collector end to end against the simulator playing the seed story (steady values).

Expected values are computed from the scenario (tui/vchsim/scenario.py) with the formulas, never
typed in: a CPU-over-limit container is flagged for ready time and throttling, a memory-over-limit one
for ballooning and latency, their unlimited twins are not.
"""

from __future__ import annotations

import pytest

from tests.rig import vch_shape
from tests.waits import wait_until
from tui.core.metrics.model import METRIC_FIELDS, ContainerMetrics
from tui.core.metrics.thresholds import Thresholds, evaluate, format_number
from tui.core.monitor.collector import Collector
from tui.core.monitor.session import MonitorSession
from tui.vchsim import scenario

pytestmark = pytest.mark.rig


@pytest.fixture(scope="module")
def story(vchsim_binary, tmp_path_factory):  # noqa: F811
    sim, opts, shapes, session = vch_shape.story_rig(vchsim_binary, tmp_path_factory.mktemp("story-cert"))
    yield sim, session, shapes
    session.logout()
    sim.stop()


@pytest.fixture
def collector(story):
    sim, session, _ = story
    c = Collector(session, max_wait_s=2)
    yield c
    c.close()
    sim.clear_faults()


def _by_story_name(refresh):
    rows = {}
    for snapshot in refresh.snapshots:
        for c in snapshot.containers:
            story = next(s for s in scenario.CONTAINERS if c.name == vch_shape.container_vm_name(s.name))
            rows[story.name] = (snapshot.vch.name, c)
    return rows


def test_seed_story_values_states_and_reasons(story, collector):
    _, _, shapes = story
    refresh = collector.refresh()
    assert refresh.live and not refresh.problems, refresh.problems
    rows = _by_story_name(refresh)
    assert set(rows) == {c.name for c in scenario.CONTAINERS}
    for container in scenario.CONTAINERS:
        vch, row = rows[container.name]
        assert vch == container.vch.name
        assert row.vm == shapes[vch].moid(container.name)
        assert (row.vcpus, row.memory_mb, row.power_state) == (container.vcpus, container.memory_mb, "poweredOn")
        expected = scenario.plateau_display(container)
        got = row.to_json_dict()
        assert {f: got[f] for f in METRIC_FIELDS} == expected, container.name
        state, reasons = evaluate(ContainerMetrics(**expected), Thresholds())
        assert (row.state, row.reasons) == (state, reasons), container.name

    cpu, mem = rows["cpu-stress"][1], rows["mem-stress"][1]
    ready = scenario.plateau_display(scenario.by_name("cpu-stress"))
    assert cpu.state == "crit"
    assert f"CPU ready {format_number(ready['cpu_ready_pct'])}% per vCPU" in cpu.reasons
    assert f"throttled by CPU limit {format_number(ready['cpu_maxlimited_pct'])}% of the time" in cpu.reasons
    memory = scenario.plateau_display(scenario.by_name("mem-stress"))
    assert mem.state == "crit"
    assert f"ballooning {format_number(memory['mem_balloon_mb'])} MB" in mem.reasons
    assert f"memory latency {format_number(memory['mem_latency_pct'])}%" in mem.reasons
    for twin in ("twin-cpu-stress", "twin-mem-stress"):
        assert (rows[twin][1].state, rows[twin][1].reasons) == ("ok", ()), twin
    # worst first within each VCH
    limited = next(s for s in refresh.snapshots if s.vch.name == scenario.LIMITED.name)
    assert [c.state for c in limited.containers] == ["crit", "crit"]


def test_header_limits_overcommit_and_usage(story, collector):
    _, session, shapes = story
    mhz = vch_shape.host_mhz(session.content)
    refresh = collector.refresh()
    headers = {s.vch.name: s for s in refresh.snapshots}
    for vch in (scenario.LIMITED, scenario.UNLIMITED):
        snapshot = headers[vch.name]
        header = snapshot.vch
        vms = shapes[vch.name].containers.values()
        assert header.cpu_limit_mhz == vch.cpu_limit_mhz and header.memory_limit_mb == vch.memory_limit_mb
        assert header.configured_cpu_mhz == sum(vm.config.hardware.numCPU * mhz[vm.runtime.host._moId] for vm in vms)
        assert header.configured_memory_mb == sum(vm.config.hardware.memoryMB for vm in vms)
        assert header.cpu_usage_mhz == sum(c.metrics.cpu_usage_mhz for c in snapshot.containers)
        assert header.memory_usage_mb == sum(c.metrics.mem_consumed_mb for c in snapshot.containers)
    assert headers[scenario.LIMITED.name].vch.overcommitted is True
    assert headers[scenario.UNLIMITED.name].vch.overcommitted is False
    assert refresh.vch_names == (scenario.LIMITED.name, scenario.UNLIMITED.name)


def test_one_vch_only(story, collector):
    collector.vch = scenario.UNLIMITED.name
    refresh = collector.refresh()
    assert [s.vch.name for s in refresh.snapshots] == [scenario.UNLIMITED.name]
    collector.vch = "no-such-vch"
    refresh = collector.refresh()
    assert refresh.snapshots == () and "not on the target" in refresh.problems[0]


def _until(collector, predicate, what: str, timeout: float = 15.0):
    """The first refresh for which `predicate` holds."""
    seen = []

    def holds() -> bool:
        seen.append(collector.refresh())
        return predicate(seen[-1])

    wait_until(
        holds,
        lambda: f"{what} (last rows: {[c.name for c in seen[-1].samples()] if seen else None})",
        timeout=timeout,
        step=0.2,
    )
    return seen[-1]


def test_rows_follow_containers_added_powered_off_and_deleted(story, collector):
    _, session, shapes = story
    limited = shapes[scenario.LIMITED.name]
    collector.refresh()
    updates_before = collector.watcher.updates + collector.watcher.reloads
    late = vch_shape.add_container(session.content, limited, vch_shape.ContainerSpec("late", 1, 256))
    try:
        refresh = _until(collector, lambda r: late._moId in {c.vm for c in r.samples()}, "the new container's row")
        row = next(c for c in refresh.samples() if c.vm == late._moId)
        assert row.name == vch_shape.container_vm_name("late") and row.metrics.cpu_ready_pct is not None
        from pyVim.task import WaitForTask

        WaitForTask(late.PowerOffVM_Task())
        refresh = _until(
            collector,
            lambda r: any(c.vm == late._moId and c.power_state == "poweredOff" for c in r.samples()),
            "the container's row powered off",
        )
        row = next(c for c in refresh.samples() if c.vm == late._moId)
        assert row.power_state == "poweredOff" and row.metrics.cpu_ready_pct is None  # not queried
        assert row.state == "unknown" and row.to_json_dict()["state"] == "unknown"
    finally:
        vch_shape.delete_container(limited, "late")
    refresh = _until(collector, lambda r: late._moId not in {c.vm for c in r.samples()}, "the row to go")
    assert late._moId not in {c.vm for c in refresh.samples()}
    assert len(refresh.samples()) == len(scenario.CONTAINERS)
    # the changes came from the watch (updates or a reload after a broken wait), not a re-walk per refresh
    assert collector.watcher.updates + collector.watcher.reloads > updates_before


def test_expired_session_logs_in_again(story, collector):
    sim, _, _ = story
    assert collector.refresh().live
    sim.terminate_sessions()
    refresh = collector.refresh()
    assert refresh.live, refresh.problems
    assert any("logged in again" in p for p in refresh.problems)
    assert len(refresh.samples()) == len(scenario.CONTAINERS)
    assert all(c.metrics.cpu_usage_mhz is not None for c in refresh.samples())
    assert collector.refresh().live  # and the watch is back too
    assert collector.watcher.error is None


def test_close_ends_the_watch(story):
    _, session, _ = story
    c = Collector(session, max_wait_s=1)
    c.refresh()
    watcher = c.watcher
    assert watcher.alive
    c.close()
    wait_until(lambda: not watcher.alive, "the watcher thread to end", timeout=10)


def test_history_and_alerts_from_live_refreshes(story, collector):
    model = MonitorSession(history_len=3)
    for _ in range(5):
        refresh = collector.refresh()
        model.apply(refresh.t, refresh.snapshots)
    vm = next(c.vm for c in model.samples() if c.name.startswith("cpu-stress-"))
    assert len(model.history.series(vm, "cpu_ready_pct")) == 3  # bounded
    first = [a for a in model.alerts.entries if a.first]
    assert {a.name.rsplit("-", 1)[0] for a in first} == {"cpu-stress", "mem-stress"}
