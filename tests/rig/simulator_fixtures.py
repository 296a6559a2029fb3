"""pytest fixtures for the vSphere simulator rig (import them into tests/conftest.py).

The rig never skips: if Go or govmomi is missing, the fixtures fail with the apt-get command to run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tui.core.secret import Secret
from tui.vchsim.simulator import DEFAULT_USERNAME, Simulator, SimulatorError, SimulatorUnavailable, build

SIM_USERNAME = DEFAULT_USERNAME
SIM_PASSWORD_TEXT = "s3cret-Pa55!"  # grep for this in redaction tests
SIM_PASSWORD = Secret(SIM_PASSWORD_TEXT)


@pytest.fixture(scope="session")
def vchsim_binary() -> Path:
    try:
        return build()
    except (SimulatorUnavailable, SimulatorError) as exc:
        pytest.fail(f"vSphere simulator rig unavailable: {exc}", pytrace=False)


def dockerd_or_fail() -> str:
    from tests.rig.dockerd import DockerdUnavailable, dockerd_binary

    try:
        return dockerd_binary()
    except DockerdUnavailable as exc:
        pytest.fail(f"dockerd rig: {exc}", pytrace=False)


def _start(binary: Path, **kwargs) -> Simulator:
    sim = Simulator(username=SIM_USERNAME, password=SIM_PASSWORD, binary=binary, **kwargs)
    try:
        return sim.start()
    except SimulatorError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def simulator(vchsim_binary, tmp_path_factory) -> Iterator[Simulator]:
    """HTTPS simulator shared by the session. Tests that arm faults, scenarios or delays must undo them."""
    sim = _start(vchsim_binary, mode="https", cert_dir=tmp_path_factory.mktemp("vchsim-cert"))
    yield sim
    sim.stop()


@pytest.fixture(scope="session")
def plain_simulator(vchsim_binary) -> Iterator[Simulator]:
    """Plain-http simulator shared by the session."""
    sim = _start(vchsim_binary, mode="http")
    yield sim
    sim.stop()


@pytest.fixture
def fresh_simulator(vchsim_binary, tmp_path_factory) -> Iterator[Callable[..., Simulator]]:
    """Factory for a private simulator (heavy inventory changes, -vms, scenarios): fresh_simulator(vms=10)."""
    started: list[Simulator] = []

    def make(**kwargs) -> Simulator:
        if kwargs.get("mode", "https") == "https":
            kwargs.setdefault("cert_dir", tmp_path_factory.mktemp("vchsim-cert"))
        sim = _start(vchsim_binary, **kwargs)
        started.append(sim)
        return sim

    yield make
    for sim in started:
        sim.stop()


def pyvmomi_session(sim: Simulator):
    """A plain pyVmomi ServiceInstance logged in to `sim` (trusting its certificate)."""
    from pyVim.connect import SmartConnect

    return SmartConnect(
        host=sim.host, port=sim.port, user=sim.username, pwd=sim.password.reveal(), sslContext=sim.ssl_context()
    )


@pytest.fixture
def simulator_si(simulator):
    """A pyVmomi session on the shared simulator, logged out after the test."""
    from pyVim.connect import Disconnect

    si = pyvmomi_session(simulator)
    yield si
    Disconnect(si)


@pytest.fixture
def replayed_vchs(simulator) -> Iterator[Callable[..., object]]:
    """replayed_vchs("G1", edit=..., sim=...) -> tests.rig.vic_replay.ReplayedVch, powered on (on `simulator`
    unless sim= names another); each one is powered off and destroyed, with its pool, when the test ends."""
    from pyVim.connect import Disconnect

    from tests.rig.vic_replay import replay

    sessions: dict[int, object] = {}
    made = []

    def make(spec: str, *, sim: Simulator | None = None, **kwargs):
        sim = sim or simulator
        if id(sim) not in sessions:
            sessions[id(sim)] = pyvmomi_session(sim)
        vch = replay(sessions[id(sim)], sim, spec, **kwargs)
        made.append(vch)
        return vch

    yield make
    for vch in made:
        if vch.sim.running:
            vch.destroy()
    for si in sessions.values():
        try:
            Disconnect(si)
        except Exception:  # noqa: BLE001 - the simulator may be gone already
            pass
