"""`vch-tui demo`: a create in the demo works end to end, as a user does it after the wizard (Cluster,
datastore1, the demo's bridge port group, encrypt-only TLS, the demo's placeholder ISOs as the wizard's
defaults): the progress screen reaches "created" after the vCenter-setting question, the `.env` it writes
reaches the appliance stand-in's built-in Docker API (the demo has no dockerd), and `m` opens the dashboard
on the new VCH, which the picker lists."""

from __future__ import annotations

import httpx
import pytest
from textual.widgets import Select

from tests.waits import until
from tui.cli.commands.demo import _demo_app
from tui.core.spec.model import Tls, VchSpec
from tui.core.tls.envfile import read_env_file
from tui.core.vch import events as ev
from tui.core.vch.plan import RunOptions
from tui.ui.monitor.screen import MonitorScreen
from tui.ui.provision import ProvisionScreen
from tui.ui.provision.step_list import StepList
from tui.vchsim.demo import DemoRig
from tui.vchsim.simulator import CLUSTER, DATASTORES, PORT_GROUPS

pytestmark = pytest.mark.rig

NAME = "demo-created"


@pytest.fixture
def rig(vchsim_binary, monkeypatch):  # noqa: F811
    with DemoRig.start(binary=vchsim_binary, steady=True) as rig:
        monkeypatch.chdir(rig.workdir)  # as `vch-tui demo` runs the TUI: the wizard's default ISOs are here
        yield rig


def _spec(folder) -> VchSpec:
    """What the wizard's defaults give with these choices (no ISO paths: ./appliance.iso, ./bootstrap.iso)."""
    return VchSpec(
        name=NAME,
        compute_resource=CLUSTER,
        image_store=DATASTORES[0],
        bridge_network=PORT_GROUPS["bridge"],
        tls=Tls(no_tlsverify=True, tls_cert_path=str(folder / NAME)),
    )


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_a_demo_create_reaches_created_serves_docker_and_shows_on_the_dashboard(rig, tmp_path, size):
    app = _demo_app(rig.connect_options(), None, start_dir=tmp_path)
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: app.session is not None, "the demo app to connect", timeout=30)
        screen = ProvisionScreen(session=app.session, spec=_spec(tmp_path), options=RunOptions())
        await app.push_screen(screen)
        await until(pilot, lambda: app.screen is not screen, "the vCenter-setting question", timeout=30)
        await pilot.click("#yes")  # "Set it and create": the demo's vCenter lacks PersistNetworkBacking
        await until(pilot, lambda: screen.result is not None, "the create to finish", timeout=120)
        await pilot.pause()
        assert screen.result.ok, screen.result.error
        assert set(screen.query_one(StepList).states().values()) == {ev.DONE}
        assert screen.outcome.headline == f"VCH {NAME} created"

        env = read_env_file(tmp_path / NAME / f"{NAME}.env")
        assert env["DOCKER_HOST"].endswith(":2376") and env["DOCKER_TLS"] == "1"
        host = env["DOCKER_HOST"].removeprefix("tcp://")
        with httpx.Client(verify=False, timeout=10) as client:  # DOCKER_TLS without verify: encrypt only
            assert client.get(f"https://{host}/_ping").text == "OK"
            assert client.get(f"https://{host}/info").json()["Name"] == NAME
        appliance = rig.simulator.appliance(NAME)
        assert appliance is not None and appliance["docker_api"]["backend"] == "builtin", appliance

        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, MonitorScreen), "the dashboard", timeout=10)
        monitor = app.screen
        await until(pilot, lambda: monitor.polls > 0, "a first poll", timeout=30)
        picker = monitor.query_one("#mon-vch", Select)
        assert NAME in [value for _, value in picker._options]
        assert monitor.selected_vch == NAME and picker.value == NAME
