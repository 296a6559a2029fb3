"""The collector under trouble: a faulting QueryPerf chunk, and the simulator going away and coming back."""

from __future__ import annotations

import socket

import pytest

from tests.rig import vch_shape
from tests.rig.simulator_fixtures import SIM_PASSWORD, SIM_USERNAME
from tui.core.monitor.collector import Collector
from tui.core.monitor.session import MonitorSession
from tui.core.vsphere.connection import ConnectOptions, connect
from tui.vchsim import simulator as rig

pytestmark = pytest.mark.rig

VMS = 300  # two QueryPerf chunks: 256 + 44


def _start(binary, cert_dir, listen="127.0.0.1:0", vms=VMS):
    return rig.Simulator(
        username=SIM_USERNAME,
        password=SIM_PASSWORD,
        binary=binary,
        cert_dir=cert_dir,
        listen=listen,
        vms=vms,
        scenario={"interval": 20, "vms": {"scale-*": {"cpu.ready.summation": [900]}}},
    ).start()


def _vch_over_scale_pool(sim):
    opts = ConnectOptions.resolve(
        target=f"{sim.host}:{sim.port}", user=sim.username, password=sim.password, thumbprint=sim.sha256, env={}
    )
    session = connect(opts)
    vch_shape.create_vch(
        session.content,
        "scale-vch",
        cpu_limit_mhz=1000,
        memory_limit_mb=1000,
        pool=vch_shape.find_pool(session.content, rig.SCALE_POOL),
    )
    return session


def test_a_faulting_chunk_leaves_the_others(vchsim_binary, tmp_path):  # noqa: F811
    sim = _start(vchsim_binary, tmp_path / "cert")
    session = _vch_over_scale_pool(sim)
    collector = Collector(session, concurrency=1)
    try:
        assert collector.refresh().live
        sim.arm_fault("QueryPerf", "InvalidArgument", count=1)
        refresh = collector.refresh()
        assert refresh.live
        rows = refresh.samples()
        assert len(rows) == VMS
        blank = [r for r in rows if all(getattr(r.metrics, f) is None for f in ("cpu_ready_pct", "cpu_usage_mhz"))]
        assert len(blank) == 256  # exactly the first chunk
        assert {r.state for r in blank} == {"unknown"}  # missing data is not health
        assert "unknown" not in {r.state for r in rows if r not in blank}
        assert all(r.metrics.cpu_ready_pct == 900 / 200 for r in rows if r not in blank)
        assert len(refresh.problems) == 1 and "InvalidArgument" in refresh.problems[0]
        assert "256 containers without values" in refresh.problems[0]
        again = collector.refresh()
        assert not again.problems and all(r.metrics.cpu_ready_pct is not None for r in again.samples())
        assert "unknown" not in {r.state for r in again.samples()}
    finally:
        collector.close()
        session.logout()
        sim.stop()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_simulator_restart_reconnects_and_keeps_history(vchsim_binary, tmp_path):  # noqa: F811
    listen = f"127.0.0.1:{_free_port()}"
    cert = tmp_path / "cert"  # the same certificate after the restart, so the fingerprint pin still holds
    sim = _start(vchsim_binary, cert, listen=listen, vms=3)
    session = _vch_over_scale_pool(sim)
    ticks = [0.0]
    collector = Collector(session, backoff_s=(1, 2), monotonic=lambda: ticks[0])
    model = MonitorSession()
    try:
        first = collector.refresh()
        assert first.live and len(first.samples()) == 3
        model.apply(first.t, first.snapshots)
        vms = [c.vm for c in first.samples()]
        sim.stop()

        down = collector.refresh()
        assert down.status == "reconnecting" and down.attempt == 1 and down.retry_in_s == 1
        assert down.problems and down.problems[0].startswith("connection lost")
        waiting = collector.refresh()  # before the backoff is over: no new attempt
        assert waiting.status == "reconnecting" and waiting.attempt == 1
        ticks[0] += 1
        still_down = collector.refresh()
        assert still_down.status == "reconnecting" and still_down.attempt == 2 and still_down.retry_in_s == 2
        for r in (down, waiting, still_down):
            assert not r.live and r.snapshots == ()  # nothing applied: history untouched
        assert all(len(model.history.series(vm, "cpu_ready_pct")) == 1 for vm in vms)

        sim = _start(vchsim_binary, cert, listen=listen, vms=3)
        _vch_over_scale_pool(sim).logout()
        ticks[0] += 2
        back = collector.refresh()
        assert back.live, back.problems
        assert sorted(c.vm for c in back.samples()) == sorted(vms)  # the same VMs again
        model.apply(back.t, back.snapshots)
        assert all(len(model.history.series(vm, "cpu_ready_pct")) == 2 for vm in vms)  # history kept
        assert collector.watcher is not None and collector.watcher.alive
    finally:
        collector.close()
        sim.stop()
