"""SVG snapshots of every wizard step at 120x40, plus its problems, its help and a firewall level explained.

The inventory is a fixed stand-in shaped like the simulator's (tests/ui/test_wizard_walk.py walks the real one):
free space, ports and fingerprints would otherwise change from run to run. No clock, no blinking cursor, no
toasts. Update after an intended change with `pytest tests/ui/test_wizard_snapshots.py --snapshot-update`, then
look at the SVGs.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.widgets import Input

from tui.ui.app import VchApp
from tui.core.vsphere.inventory_snapshot import ComputeResource, Datastore, Inventory, Network
from tui.core.spec.model import ContainerNetwork, Resources, VchSpec
from tui.core.vch.validate_target import Capacity, TargetFacts
from tui.ui.connection_bar import ConnectionInfo
from tui.ui.wizard import WizardScreen
from ui_support import StandInSession
from tui.vchsim.iso_image import write_iso

SIZE = (120, 40)
GB = 1024 ** 3
CLUSTER_HOSTS = frozenset({"host-1", "host-2", "host-3"})
ALL_HOSTS = CLUSTER_HOSTS | {"host-4"}
PORT_GROUPS = ("vch-bridge", "vch-public", "vch-client", "vch-management", "containers", "dmz", "Container Net")


def fixed_facts() -> TargetFacts:
    inv = Inventory(datacenter="Datacenter", datacenter_ref=None, vm_folder=None)
    inv.compute = [
        ComputeResource("Cluster", "cluster", None, None, True, 6882, 12286, CLUSTER_HOSTS),
        ComputeResource("esx-04", "host", None, None, False, 2294, 4095, frozenset({"host-4"})),
    ]
    inv.datastores = {
        name: Datastore(name, None, True, free * GB, 250 * GB, hosts)
        for name, free, hosts in (("datastore1", 228, CLUSTER_HOSTS), ("datastore2", 120, CLUSTER_HOSTS),
                                  ("esx-04-local", 40, frozenset({"host-4"})))
    }
    inv.networks = {name: Network(name, None, "dpg", ALL_HOSTS) for name in PORT_GROUPS}
    inv.networks["VM Network"] = Network("VM Network", None, "standard", frozenset())
    inv.pool_names = {"Cluster": set(), "esx-04": set()}
    capacity = {"Cluster": Capacity(6882, 12286, 6, 3), "esx-04": Capacity(2294, 4095, 2, 1)}
    return TargetFacts(inv, capacity, True)


FILLED = VchSpec(
    name="vch-demo", compute_resource="Cluster", image_store="datastore1/vch-demo",
    volume_store=("datastore2/volumes:default", "datastore1/fast:fast"), bridge_network="vch-bridge",
    container_networks=(ContainerNetwork("containers", alias="backend", gateway="10.20.0.1/24",
                                         ip_range=("10.20.0.100-10.20.0.199",), firewall="peers"),
                        ContainerNetwork("dmz", alias="dmz", firewall="published")),
    resources=Resources(cpu=4000, memory=8192, memory_reservation=2048),
).with_values({"public_network": "vch-public", "public_network_ip": "10.0.0.5/24", "public_network_gateway": "10.0.0.1",
               "client_network": "vch-client", "dns_server": ("10.0.0.53",), "tls_cname": "vch-demo.example.com",
               "appliance_iso": "appliance.iso", "bootstrap_iso": "bootstrap.iso"})


@pytest.fixture(autouse=True)
def in_folder_with_isos(tmp_path, monkeypatch):
    for name in ("appliance.iso", "bootstrap.iso"):
        write_iso(tmp_path / name)
    monkeypatch.chdir(tmp_path)


def wizard_app(spec: VchSpec | None, step: int, *, after=None):
    app = VchApp(theme="vch-dark")
    app.animation_level = "none"

    async def open_wizard(pilot) -> None:
        session = StandInSession(target_label="vcenter.lab:443", about="VMware vCenter Server 6.5.0 build-5973321")
        app.set_session(session, ConnectionInfo("vcenter.lab:443", "administrator@vsphere.local", "fingerprint",
                                                session.about))
        facts = fixed_facts()
        screen = WizardScreen(session=session, spec=spec, facts_loader=lambda _session: facts)
        await app.push_screen(screen)
        for _ in range(100):
            if screen.facts is not None:
                break
            await pilot.pause(0.02)
        screen.go(step)
        for _ in range(100):  # the full check (ISOs, certificate folder) answers from a thread worker
            if screen.checked:
                break
            await pilot.pause(0.02)
        for field in screen.query(Input):
            field.cursor_blink = False
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
    app, run_before = wizard_app(None, step)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_compute_over_the_cluster_and_nothing_fits(snap_compare):
    spec = replace(FILLED, resources=Resources(cpu=99999, memory=2048))
    app, run_before = wizard_app(spec, 2)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_container_network_problems_and_the_peers_level(snap_compare):
    spec = replace(FILLED, container_networks=(
        ContainerNetwork("Container Net", firewall="open"),
        ContainerNetwork("containers", alias="backend", gateway="10.20.0.1/24", firewall="peers")))
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
