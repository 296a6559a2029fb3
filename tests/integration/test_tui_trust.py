"""The TUI against the real HTTPS simulator: an unknown certificate is shown, accepted, saved, and used."""

from __future__ import annotations

import pytest

from tests.waits import until
from tui.core.vsphere.connection import ConnectOptions
from tui.core.vsphere.trust import known_hosts_files, lookup
from tui.ui.app import VchApp
from tui.ui.home import HomeScreen
from tui.ui.trust_modal import TrustModal

pytestmark = pytest.mark.rig


async def _wait_for(app, pilot, kind) -> None:
    await until(
        pilot,
        lambda: isinstance(app.screen, kind),
        lambda: f"the {kind.__name__} (the screen is {type(app.screen).__name__})",
    )


async def test_accepting_the_modal_saves_the_fingerprint_and_connects(simulator):
    opts = ConnectOptions.resolve(
        target=f"{simulator.host}:{simulator.port}", user=simulator.username, password=simulator.password, env={}
    )
    app = VchApp(connect_options=opts)
    async with app.run_test(size=(100, 32)) as pilot:
        await _wait_for(app, pilot, TrustModal)
        modal = app.screen
        assert (modal.sha256, modal.sha1) == (simulator.sha256, simulator.sha1)
        shown = str(modal.query_one("#sha256").render()).replace("\n", ":")
        assert shown == simulator.sha256
        await pilot.press("tab")  # from the default (Reject) to Accept: keyboard only
        assert app.focused is not None and app.focused.id == "accept"
        await pilot.press("enter")
        await _wait_for(app, pilot, HomeScreen)
        await until(pilot, lambda: app.session is not None, "the session")
        assert app.session.trusted_by == "fingerprint"
    assert lookup(simulator.host, simulator.port, known_hosts_files({})) == [simulator.sha256]


async def test_rejecting_the_modal_saves_nothing(simulator):
    opts = ConnectOptions.resolve(
        target=f"{simulator.host}:{simulator.port}", user=simulator.username, password=simulator.password, env={}
    )
    app = VchApp(connect_options=opts)
    async with app.run_test(size=(100, 32)) as pilot:
        await _wait_for(app, pilot, TrustModal)
        await pilot.press("escape")
        await pilot.pause(0.2)
        assert app.session is None
    assert lookup(simulator.host, simulator.port, known_hosts_files({})) == []
