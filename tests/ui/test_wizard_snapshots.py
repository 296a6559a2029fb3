"""SVG snapshots of every wizard step at 120x40, plus its problems, its help and a firewall level explained.

The inventory is a fixed stand-in shaped like the simulator's (tests/integration/test_wizard_walk.py walks the real one):
free space, ports and fingerprints would otherwise change from run to run. No clock, no blinking cursor, no
toasts. Update after an intended change with `pytest tests/ui/test_wizard_snapshots.py --snapshot-update`, then
look at the SVGs.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from ui_support import StandInSession
from wizard_support import FILLED, esxi_facts, fixed_facts

from tests.waits import until
from tui.core.spec.model import ContainerNetwork, Resources, VchSpec
from tui.ui.app import VchApp
from tui.ui.connection_bar import ConnectionInfo
from tui.ui.wizard import WizardScreen

SIZE = (120, 40)

pytestmark = pytest.mark.usefixtures("in_folder_with_isos")


VCENTER = ("vcenter.lab:443", "administrator@vsphere.local", "VMware vCenter Server 6.5.0 build-5973321")
ESXI = ("esx.lab:443", "root", "VMware ESXi 6.0.0 build-3620759")


def wizard_app(spec: VchSpec | None, step: int, *, after=None, facts_of=fixed_facts, target=VCENTER):
    app = VchApp(theme="vch-dark")

    async def open_wizard(pilot) -> None:
        label, user, about = target
        session = StandInSession(target_label=label, about=about)
        app.set_session(session, ConnectionInfo(label, user, "fingerprint", session.about))
        facts = facts_of()
        screen = WizardScreen(session=session, spec=spec, facts_loader=lambda _session: facts)
        await app.push_screen(screen)
        await until(pilot, lambda: screen.facts is not None, "the inventory to load")
        screen.go(step)
        # the full check (ISOs, certificate folder) answers from a thread worker
        await until(pilot, lambda: screen.checked, "the wizard's full check")
        if after is not None:
            await after(pilot, screen)
        await pilot.pause()

    return app, open_wizard


STEP_NAMES = ["connect", "general", "compute", "storage", "networks", "container_networks", "security", "summary"]


@pytest.mark.parametrize("step", range(len(STEP_NAMES)), ids=STEP_NAMES)
def test_each_step_filled(snap_compare, step):
    app, run_before = wizard_app(FILLED, step)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("step", [1, 4, 6, 7], ids=["general", "networks", "security", "summary"])
def test_a_new_spec_shows_what_to_fix(snap_compare, step):
    async def press_next(pilot, screen) -> None:  # problems are drawn once Next is pressed (or a field touched)
        if step < 7:
            await pilot.press("ctrl+n")
            await pilot.pause()

    app, run_before = wizard_app(None, step, after=press_next)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_compute_over_the_cluster_and_nothing_fits(snap_compare):
    spec = replace(FILLED, resources=Resources(cpu=99999, memory=2048))
    app, run_before = wizard_app(spec, 2)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


ESXI_SPEC = VchSpec(name="vch-esx", compute_resource="esx.lab", image_store="datastore1").with_values(
    {"public_network": "VM Network"}
)


@pytest.mark.parametrize(
    "step,size", [(2, SIZE), (4, SIZE), (4, (80, 24))], ids=["compute", "networks", "networks-80x24"]
)
def test_standalone_esxi_says_what_create_makes(snap_compare, step, size):
    """No VM folder; the bridge (defaulting to the VCH name) is missing, so create makes a vSwitch for it."""
    app, run_before = wizard_app(ESXI_SPEC, step, facts_of=esxi_facts, target=ESXI)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_container_network_problems_and_the_peers_level(snap_compare):
    spec = replace(
        FILLED,
        container_networks=(
            ContainerNetwork("Container Net", firewall="open"),
            ContainerNetwork("containers", alias="backend", gateway="10.20.0.1/24", firewall="peers"),
        ),
    )
    app, run_before = wizard_app(spec, 5)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_security_own_certificate(snap_compare):
    async def custom(pilot, screen) -> None:
        screen.query_one("#tls-custom").value = True
        await pilot.pause()

    app, run_before = wizard_app(FILLED, 6, after=custom)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_step_help(snap_compare):
    app, run_before = wizard_app(FILLED, 5)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before, press=["f1"])


@pytest.mark.parametrize("step", [1, 4, 7], ids=["general", "networks", "summary"])
def test_at_80x24_the_step_list_folds_into_one_line(snap_compare, step):
    app, run_before = wizard_app(FILLED, step)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_at_80x24_next_draws_the_problems_of_a_new_spec(snap_compare):
    async def press_next(pilot, screen) -> None:
        await pilot.press("ctrl+n")
        await pilot.pause()

    app, run_before = wizard_app(None, 1, after=press_next)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
