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
