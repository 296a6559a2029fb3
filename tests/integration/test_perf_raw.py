"""Raw QueryPerf (perfxml + perfquery) against the real simulator rig, checked against pyvmomi itself."""

from __future__ import annotations

import time

import pytest
from pyVim.connect import Disconnect, SmartConnect
from pyVmomi import vim

from tests.rig.simulator_fixtures import SIM_PASSWORD, SIM_USERNAME
from tui.core.metrics import counters, perfxml
from tui.core.metrics.perfquery import PerfQuery, post_soap
from tui.vchsim import scenario
from tui.vchsim import simulator as rig
from tui.vchsim.simulator import Simulator

pytestmark = pytest.mark.rig

VMS = 1000


@pytest.fixture(scope="module")
def sim(vchsim_binary, tmp_path_factory):  # noqa: F811
    s = Simulator(
        username=SIM_USERNAME,
        password=SIM_PASSWORD,
        binary=vchsim_binary,
        vms=VMS,
        cert_dir=tmp_path_factory.mktemp("perf-cert"),
    ).start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def session(sim):
    si = SmartConnect(
        host=sim.host, port=sim.port, user=sim.username, pwd=sim.password.reveal(), sslContext=sim.ssl_context()
    )
    content = si.RetrieveContent()
    view = content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], True)
    by_name = {vm.name: vm._moId for vm in view.view}
    view.Destroy()
    ids = counters.counter_ids(content.perfManager.perfCounter)
    yield si, content, by_name, [ids[name] for name in counters.COUNTER_NAMES]
    Disconnect(si)


@pytest.fixture
def clean(sim):
    sim.set_scenario(None)
    sim.clear_faults()
    yield sim
    sim.set_scenario(None)
    sim.clear_faults()


def _story_on_scale_vms(by_name):
    """The steady seed story, its four containers played by the first four scale VMs."""
    story = scenario.seed_story(steady=True)["vms"]
    cast = {}
    for i, container in enumerate(scenario.CONTAINERS):
        vm_name = rig.scale_vm_name(i)
        cast[by_name[vm_name]] = container
        story[vm_name] = story.pop(container.vm_glob)
    return {"interval": scenario.INTERVAL, "vms": story}, cast


def test_values_equal_the_scenario(clean, session):
    si, content, by_name, ids = session
    spec, cast = _story_on_scale_vms(by_name)
    clean.set_scenario(spec)
    result = PerfQuery(si._stub, content.perfManager._moId, ids).run(list(cast))
    assert not result.failed
    id_of = dict(zip(counters.COUNTER_NAMES, ids, strict=True))
    for moid, container in cast.items():
        got = result.values[moid]
        # zeros are dropped by the simulator and come back as 0 too
        assert {name: got[id_of[name]] for name in counters.COUNTER_NAMES} == container.plateau, container.name


def test_parser_agrees_with_pyvmomi_on_1000_vms(clean, session, capsys):
    si, content, by_name, ids = session
    # deterministic, distinct per counter (stock data is re-noised on every call), one zero series
    clean.set_scenario(
        {
            "interval": 20,
            "vms": {
                "scale-*": {
                    name: [0 if name == "mem.swapped.average" else 1000 + 7 * n]
                    for n, name in enumerate(counters.COUNTER_NAMES)
                }
            },
        }
    )
    moids = [by_name[rig.scale_vm_name(i)] for i in range(VMS)]
    pm = content.perfManager

    started = time.perf_counter()
    ours = PerfQuery(si._stub, pm._moId, ids).run(moids)
    ours_s = time.perf_counter() - started
    assert not ours.failed and len(ours.values) == VMS

    specs = [
        vim.PerformanceManager.QuerySpec(
            entity=vim.VirtualMachine(m, si._stub),
            maxSample=1,
            intervalId=20,
            metricId=[vim.PerformanceManager.MetricId(counterId=c, instance="") for c in ids],
        )
        for m in moids
    ]
    started = time.perf_counter()
    theirs = pm.QueryPerf(specs)
    pyvmomi_s = time.perf_counter() - started
    expected = {m.entity._moId: {s.id.counterId: (s.value[-1] if s.value else 0) for s in m.value} for m in theirs}
    assert ours.values == expected
    with capsys.disabled():
        print(
            f"\n  {VMS} VMs x {len(ids)} counters: raw chunked QueryPerf {ours_s:.3f} s, "
            f"pyvmomi QueryPerf {pyvmomi_s:.3f} s"
        )


def test_newest_sample_of_several(clean, session):
    si, content, by_name, ids = session
    series = list(range(1, 31))  # value = index + 1 of the 20 s slot
    vm_name = rig.scale_vm_name(5)
    clean.set_scenario({"interval": 20, "vms": {vm_name: {"cpu.ready.summation": series}}})
    body = perfxml.build_query_perf(
        [by_name[vm_name]], perfxml.metric_ids_xml([ids[3]]), perf_manager=content.perfManager._moId, max_sample=3
    )
    reply = post_soap(si._stub, body)
    now = time.time()
    got = perfxml.parse_query_perf(reply)[by_name[vm_name]][ids[3]]
    # the newest sample is stamped "now": its slot is this 20 s slot (or the previous one at a boundary)
    assert got in {scenario.raw_at(series, now), scenario.raw_at(series, now - 20)}
    assert reply.index(b"<timestamp>") < reply.index(b"</sampleInfo>")  # several samples were returned


def test_a_faulting_chunk_does_not_blank_the_others(clean, session):
    si, content, by_name, ids = session
    moids = [by_name[rig.scale_vm_name(i)] for i in range(600)]
    clean.arm_fault("QueryPerf", "InvalidArgument", count=1)
    result = PerfQuery(si._stub, content.perfManager._moId, ids).run(moids)
    assert set(result.failed) == set(moids[:256])
    assert {f.fault for f in result.failed.values()} == {"InvalidArgument"}
    assert set(result.values) == set(moids[256:])
    assert all(len(v) == len(ids) for v in result.values.values())


def test_expired_session_is_raised(clean, sim):
    si = SmartConnect(
        host=sim.host, port=sim.port, user=sim.username, pwd=sim.password.reveal(), sslContext=sim.ssl_context()
    )
    content = si.RetrieveContent()
    vm = content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], True).view[0]
    ids = counters.counter_ids(content.perfManager.perfCounter)
    query = PerfQuery(si._stub, content.perfManager._moId, [ids["cpu.ready.summation"]])
    assert vm._moId in query.run([vm._moId]).values
    clean.terminate_sessions()
    with pytest.raises(perfxml.PerfQueryFault) as err:
        query.run([vm._moId])
    assert err.value.session_expired


def test_the_simulator_accepts_the_seed_story(clean):
    for steady in (False, True):
        clean.set_scenario(scenario.seed_story(steady=steady))
        assert clean.status()["scenario_active"] is True
