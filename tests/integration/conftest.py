"""Fixtures of the integration tests: the real servers the suite starts itself.

- `vchsim_binary`, `simulator` (shared, read-mostly), `fresh_simulator`, `plain_simulator`:
  tests/rig/simulator_fixtures.py.
- `prov_sim` / `prov_session`: a private simulator for the session (these tests create and delete VCHs; the
  shared `simulator` stays clean), and one logged-in session on it; `clean_faults` clears injected faults.
- `dockerd_factory`: dockerds with given TLS settings (tests/rig/dockerd.py).
- `plain_dockerd`: a real dockerd (tests/rig/dockerd.py) serving plain HTTP on a free 127.0.0.1 port: the
  Docker API of no-TLS VCHs.
- `isos`: appliance and bootstrap ISO 9660 stand-ins with random content after the header (uploads are checked
  byte-exact).
Textual apps run without animations or blinking cursors (tests/quiet_textual.py).
Helpers (make_spec, fingerprint, cli_target, ...) are in tests/rig/provisioning.py.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.quiet_textual import quiet_textual  # noqa: F401  (autouse fixture)
from tests.rig.dockerd import DockerdHandle, dockerd_factory, start_or_fail  # noqa: F401  (fixture)
from tests.rig.provisioning import Isos, connect_to
from tests.rig.simulator_fixtures import (  # noqa: F401  (fixtures)
    SIM_PASSWORD,
    SIM_USERNAME,
    fresh_simulator,
    plain_simulator,
    replayed_vchs,
    simulator,
    simulator_si,
    vchsim_binary,
)
from tui.vchsim.iso_image import write_iso
from tui.vchsim.simulator import Simulator


def _set_vcenter_prerequisite(sim: Simulator) -> None:
    """The provisioning rig's vCenter has PersistNetworkBacking set, as after a first create (whichever test runs
    first); asking for it is tested on fresh simulators (test_prerequisites.py)."""
    from tests.rig.provisioning import connect_to
    from tui.core.vch.prerequisites import set_persist_backing

    session = connect_to(sim)
    try:
        set_persist_backing(session)
    finally:
        session.logout()


@pytest.fixture(scope="session")
def prov_sim(vchsim_binary, tmp_path_factory) -> Iterator[Simulator]:  # noqa: F811 (the fixture)
    sim = Simulator(
        username=SIM_USERNAME,
        password=SIM_PASSWORD,
        binary=vchsim_binary,
        cert_dir=tmp_path_factory.mktemp("prov-sim-cert"),
    )
    sim.start()
    _set_vcenter_prerequisite(sim)
    yield sim
    sim.stop()


@pytest.fixture(scope="session")
def prov_session(prov_sim):
    session = connect_to(prov_sim)
    yield session
    session.logout()


@pytest.fixture
def clean_faults(prov_sim):
    prov_sim.clear_faults()
    yield prov_sim
    prov_sim.clear_faults()
    prov_sim.set_delay(0)


@pytest.fixture
def slow_boot(prov_sim):
    """The appliance stand-in takes a minute to boot (a real appliance's boot and DHCP): a run waits at the
    address step, where a cancel or a signal can reach it. Back to an instant boot afterwards."""
    prov_sim.set_boot_delay(60_000)
    yield prov_sim
    prov_sim.set_boot_delay(0)


@pytest.fixture(scope="session")
def isos(tmp_path_factory) -> Isos:
    folder = tmp_path_factory.mktemp("isos")
    appliance, bootstrap = folder / "appliance-1.5.8.iso", folder / "bootstrap-1.5.8.iso"
    write_iso(appliance, os.urandom(3 * 1024 * 1024 + 17))  # several upload chunks, not a round size
    write_iso(bootstrap, os.urandom(300 * 1024))
    return Isos(appliance, bootstrap)


@pytest.fixture(scope="session")
def plain_dockerd(tmp_path_factory) -> Iterator[DockerdHandle]:
    """The Docker API of every no-TLS VCH in these tests (they point the VCH's docker port at it)."""
    handle = start_or_fail(None, tmp_path_factory.mktemp("plain-dockerd"))
    yield handle
    handle.stop()
