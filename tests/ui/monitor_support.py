"""Monitor-screen test helpers: the shipped recording opened as a replay, the rows in their order, and the live
path without vCenter (the screen polls nothing; a test posts the refreshes a collector would)."""

from __future__ import annotations

import time

from tests.waits import until
from tui.core.monitor.collector import Refresh
from tui.ui.monitor import MonitorScreen
from tui.ui.monitor.messages import Refreshed
from tui.ui.monitor.table import ContainerTable
from tui.vchsim import story


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


async def open_replay(app, pilot, **kwargs) -> MonitorScreen:
    kwargs.setdefault("replay_position", -1)
    kwargs.setdefault("replay_paused", True)
    screen = MonitorScreen(replay=story.PATH, local_time=time.gmtime, **kwargs)
    app.push_screen(screen)
    await settle(pilot, screen)
    return screen


async def settle(pilot, screen: MonitorScreen, position: int | None = None) -> None:
    def settled() -> bool:
        loaded = screen.replay_total and not screen._replay_busy and screen._replay_pending is None
        return bool(loaded) and (position is None or screen.replay_position == position)

    await until(
        pilot, settled, lambda: f"the replay to settle (stuck at {screen.replay_position} of {screen.replay_total})"
    )


def row_names(screen: MonitorScreen) -> list[str]:
    table = screen.query_one(ContainerTable)
    return [str(table.get_row_at(i)[1]) for i in range(table.row_count)]


def short(names: list[str]) -> list[str]:
    return [n.rsplit("-", 1)[0] for n in names]
