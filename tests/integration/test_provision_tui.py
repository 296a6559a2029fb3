"""The provisioning and VCH screens against the simulator (Pilot): a create that succeeds, a create cancelled
through the confirmation modal (rolled back), and a delete through the VCH list's modal."""

from __future__ import annotations

import os
import re
import signal

import pytest
from textual.widgets import DataTable, Static

from tests.rig.provisioning import connect_to, fingerprint, make_spec
from tests.waits import until
from tui.core.vch import events as ev
from tui.core.vch.build import build_plan
from tui.core.vch.plan import RunOptions
from tui.core.vch.runner import run_plan
from tui.core.vch.validate_target import load_target_facts
from tui.ui.app import VchApp
from tui.ui.connection_bar import ConnectionInfo
from tui.ui.provision import ProvisionScreen
from tui.ui.provision.confirm import ConfirmModal
from tui.ui.provision.step_list import StepList
from tui.ui.vchs import DeleteModal, VchListScreen

pytestmark = pytest.mark.rig

SIZE = (140, 40)


@pytest.fixture
def app_session(prov_sim):
    """A session of its own: the app logs out of its session when it stops."""
    session = connect_to(prov_sim)
    yield session
    session.logout()


def make_app(session) -> VchApp:
    app = VchApp(theme="vch-dark")
    app.session = session
    app.connection = ConnectionInfo(session.target_label, "vcsim-user", session.trusted_by, session.about)
    return app


async def test_the_progress_screen_creates_a_vch(prov_sim, app_session, prov_session, isos, tmp_path):
    from tui.core.vch.teardown import delete_vch, plan_delete

    spec = make_spec("vch-tui-screen", isos, tmp_path, mode="no-tls")
    before = fingerprint(prov_session)
    app = make_app(app_session)
    async with app.run_test(size=SIZE) as pilot:
        screen = ProvisionScreen(session=app_session, spec=spec, options=RunOptions())
        await app.push_screen(screen)
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)  # no_tls: asked first
        await pilot.click("#yes")
        await until(pilot, lambda: screen.result is not None, "the run to finish", timeout=60)
        await pilot.pause()
        assert screen.result.ok, screen.result.error
        assert set(screen.query_one(StepList).states().values()) == {ev.DONE}
        assert screen.outcome.ok and screen.outcome.headline == "VCH vch-tui-screen created"
        assert re.search(
            r"export DOCKER_HOST=tcp://127\.[0-9.]+:2375", "\n".join(screen.outcome.exports)
        )  # the stand-in's address
        shown = str(screen.query_one("#outcome", Static).render())
        assert all(line in shown for line in screen.outcome.exports)
        log = list(screen.query_one("#provision-log").texts)
        assert "VCH vch-tui-screen created" in log
        await pilot.press("y")
        assert re.search(r"export DOCKER_HOST=tcp://127\.[0-9.]+:2375", app.clipboard)
    assert delete_vch(prov_session, plan_delete(prov_session, "vch-tui-screen")).ok
    assert fingerprint(prov_session) == before


async def run_until_the_address_step(app, pilot, session, spec) -> ProvisionScreen:
    """A no-TLS create started in the progress screen, waiting for the endpoint's address (the appliance
    stand-in boots slowly: the slow_boot fixture)."""
    screen = ProvisionScreen(session=session, spec=spec, options=RunOptions())
    await app.push_screen(screen)
    await pilot.pause()
    await pilot.click("#yes")  # the no-TLS question
    await until(
        pilot,
        lambda: screen.query_one(StepList).states().get("address") == ev.RUNNING,
        "the address step to run",
        timeout=60,
    )
    return screen


async def test_cancel_in_the_progress_screen_rolls_back(slow_boot, app_session, prov_session, isos, tmp_path):
    spec = make_spec("vch-tui-cancel", isos, tmp_path, mode="no-tls", static_ip=False)  # waits for an address
    before = fingerprint(prov_session)
    app = make_app(app_session)
    async with app.run_test(size=SIZE) as pilot:
        screen = await run_until_the_address_step(app, pilot, app_session, spec)
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmModal) and "Cancel creating" in app.screen.title_text
        await pilot.click("#yes")
        await until(pilot, lambda: screen.result is not None, "the run to finish", timeout=60)
        await pilot.pause()
        result = screen.result
        assert result.cancelled and result.failed_step == "address" and result.left == []
        states = screen.query_one(StepList).states()
        assert states["vm"] == ev.ROLLED_BACK and states["probe"] == ev.PENDING
        outcome = screen.outcome
        assert outcome.cancelled and outcome.headline in str(screen.query_one("#outcome", Static).render())
        await pilot.press("escape")
        assert app.screen is not screen  # finished: escape goes back without asking
    assert fingerprint(prov_session) == before


async def test_the_vch_list_deletes_through_its_modal(prov_sim, app_session, prov_session, isos, tmp_path):
    before = fingerprint(prov_session)
    spec = make_spec("vch-tui-list", isos, tmp_path)
    result = run_plan(build_plan(spec, load_target_facts(prov_session), RunOptions()), prov_session)
    assert result.ok, result.error
    app = make_app(app_session)
    async with app.run_test(size=SIZE) as pilot:
        screen = VchListScreen(session=app_session)
        await app.push_screen(screen)
        await until(pilot, lambda: bool(screen.vchs), "the VCH list", timeout=60)
        table = screen.query_one(DataTable)
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert "vch-tui-list" in names
        table.move_cursor(row=names.index("vch-tui-list"))
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DeleteModal), "the delete modal", timeout=60)
        assert "endpoint VM vch-tui-list" in str(app.screen.query_one(".dialog-body", Static).render())
        await pilot.click("#yes")
        await until(
            pilot,
            lambda: screen.busy is None and "vch-tui-list" not in [v.name for v in screen.vchs],
            "the delete to finish and the list to drop vch-tui-list",
            timeout=60,
        )
    assert fingerprint(prov_session) == before


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
async def test_sigterm_or_sighup_in_the_progress_screen_rolls_back_then_exits(
    slow_boot, app_session, prov_session, isos, tmp_path, sig
):
    spec = make_spec(f"vch-tui-{sig.name.lower()}", isos, tmp_path, mode="no-tls", static_ip=False)
    before = fingerprint(prov_session)
    app = make_app(app_session)
    async with app.run_test(size=SIZE) as pilot:
        screen = await run_until_the_address_step(app, pilot, app_session, spec)
        os.kill(os.getpid(), sig)  # without the screen's handler this would end the test process
        await until(pilot, lambda: screen.result is not None, "the rollback to finish", timeout=60)
        result = screen.result
        assert result.cancelled and result.left == []
        assert any(f"{sig.name}: cancelling" in line for line in screen.query_one("#provision-log").texts)
        await until(pilot, lambda: not app.is_running or app.return_code == 1, "the app to exit", timeout=10)
    assert app.return_code == 1
    assert fingerprint(prov_session) == before


async def test_a_timeout_shows_every_interface_and_component_in_the_progress_screen(
    slow_boot, app_session, prov_session, isos, tmp_path
):
    """The appliance never reports within the timeout: the outcome and the log list each interface
    ("waiting for IP") and each component ("waiting to launch"), not only "no IP"; everything is rolled back."""
    from dataclasses import replace

    spec = replace(make_spec("vch-tui-timeout", isos, tmp_path, mode="no-tls", static_ip=False), timeout="3s")
    before = fingerprint(prov_session)
    app = make_app(app_session)
    async with app.run_test(size=SIZE) as pilot:
        screen = ProvisionScreen(session=app_session, spec=spec, options=RunOptions())
        await app.push_screen(screen)
        await pilot.pause()
        await pilot.click("#yes")  # the no-TLS question
        await until(pilot, lambda: screen.result is not None, "the run to time out", timeout=60)
        await pilot.pause()
        assert screen.result.failed_step == "address" and screen.result.left == []
        shown = " ".join(str(screen.query_one("#outcome", Static).render()).split())
        log = list(screen.query_one("#provision-log").texts)
        for line in ("interface client: waiting for IP", "component port-layer: waiting to launch"):
            assert line in shown, shown
            assert any(line in text for text in log), log
        assert "reported no client address within 3s (timeout)" in shown
    assert fingerprint(prov_session) == before
