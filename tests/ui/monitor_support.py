"""Monitor-screen test helpers: the live path without vCenter (the screen polls nothing; a test posts the
refreshes a collector would)."""

from __future__ import annotations

import time

from tui.core.monitor.collector import Refresh
from tui.ui.monitor import MonitorScreen
from tui.ui.monitor.messages import Refreshed


async def live_screen(app, pilot, vch=None) -> MonitorScreen:
    screen = MonitorScreen(session=object(), vch=vch, local_time=time.gmtime)
    screen._start_poll = lambda: None  # polls nothing: the test posts the refreshes a collector would
    app.push_screen(screen)
    await pilot.pause()
    return screen


async def feed(pilot, screen, t, snapshots) -> None:
    screen.post_message(
        Refreshed(
            Refresh(t=t, snapshots=tuple(snapshots), vch_names=("vch-limited", "vch-unlimited")), screen._generation
        )
    )
    await pilot.pause()
