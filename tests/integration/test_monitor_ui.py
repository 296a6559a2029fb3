"""The Monitor screen live against the simulator: poll -> render -> timer, pause, interval, reconnecting."""

from __future__ import annotations

import pytest

from tests.rig import vch_shape
from tests.waits import until
from tui.core.settings.config import Config
from tui.core.vsphere.connection import connect
from tui.ui.app import VchApp
from tui.ui.connection_bar import ConnectionInfo
from tui.ui.monitor import MonitorScreen
from tui.ui.monitor.table import ContainerTable
from tui.vchsim import scenario

pytestmark = pytest.mark.rig

SIZE = (120, 36)


@pytest.fixture
def live(vchsim_binary, tmp_path):  # noqa: F811
    sim, opts, shapes, builder = vch_shape.story_rig(vchsim_binary, tmp_path / "cert")
    builder.logout()
    session = connect(opts)
    yield sim, session
    session.logout()
    sim.stop()


def _app(session, **config) -> VchApp:
    app = VchApp(config=Config(refresh_interval=0.5, **config))
    app.session = session
    app.connection = ConnectionInfo(session.target_label, "vcsim-user", session.trusted_by, session.about)
    return app


async def test_live_dashboard_polls_pauses_and_changes_interval(live):
    sim, session = live
    app = _app(session, thresholds={"cpu_ready_crit_at_pct": 50})
    async with app.run_test(size=SIZE) as pilot:
        app.open_destination("monitor")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MonitorScreen)
        await until(pilot, lambda: screen.model.refreshes >= 2, "two refreshes")
        table = screen.query_one(ContainerTable)
        assert table.row_count == len(scenario.CONTAINERS)
        cpu = next(c for c in screen.model.samples() if c.name.startswith("cpu-stress-"))
        assert cpu.state == "warn"  # the config file's threshold (crit at 50 %) was applied
        assert screen._collector.thresholds.cpu_ready_crit_at_pct == 50
        status = str(screen.query_one("#mon-status").render())
        assert "● live" in status and "every 0.5 s" in status

        await pilot.press("p")
        paused_at = screen.polls
        frozen = str(screen.query_one(ContainerTable).get_row_at(0))
        assert "paused" in str(screen.query_one("#mon-status").render())
        await until(pilot, lambda: screen.polls >= paused_at + 2, "two polls while paused")  # still collecting
        assert str(screen.query_one(ContainerTable).get_row_at(0)) == frozen  # but the table stays as it was
        await pilot.press("p")

        await pilot.press("plus")
        assert screen.interval == 1.0
        await pilot.press("minus", "minus")
        assert screen.interval == 0.5  # the shortest step is 0.5 s
        assert "every 0.5 s" in str(screen.query_one("#mon-status").render())

        await pilot.press("escape")
        assert not isinstance(app.screen, MonitorScreen)


async def test_reconnecting_is_shown_and_rows_stay(live):
    sim, session = live
    app = _app(session)
    async with app.run_test(size=SIZE) as pilot:
        screen = MonitorScreen(session=session)
        app.push_screen(screen)
        await until(pilot, lambda: screen.model.refreshes >= 1, "a first refresh")
        refreshes = screen.model.refreshes
        sim.stop()
        await until(
            pilot,
            lambda: screen.last_refresh is not None and not screen.last_refresh.live,
            "a refresh that is not live",
        )
        status = screen.query_one("#mon-status")
        assert "reconnecting" in str(status.render()) and status.has_class("-reconnecting")
        assert screen.query_one(ContainerTable).row_count == len(scenario.CONTAINERS)  # last data kept
        assert screen.model.refreshes == refreshes
