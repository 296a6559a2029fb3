"""SVG snapshots of the Monitor dashboard and its drill-down at a fixed size.

Deterministic: the shipped seed-story recording at its last refresh, paused, times in UTC (injected
`local_time`), no wall clock, no animations. Update after an intended change with
`pytest tests/ui/test_monitor_snapshots.py --snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

import time

import pytest

from tests.waits import until
from tui.ui.app import VchApp
from tui.ui.monitor import MonitorScreen
from tui.vchsim import story

SIZE = (120, 36)


def _app(theme: str = "vch-dark") -> VchApp:
    app = VchApp(theme=theme)
    return app


def _open(app: VchApp, *keys: str):
    async def run_before(pilot) -> None:
        screen = MonitorScreen(replay=story.PATH, replay_position=-1, replay_paused=True, local_time=time.gmtime)
        app.push_screen(screen)
        await until(pilot, lambda: screen.replay_total and not screen._replay_busy, "the recording to load")
        if keys:
            await pilot.press(*keys)
            await pilot.pause()

    return run_before


@pytest.mark.parametrize("theme", ["vch-dark", "vch-light"])
def test_dashboard(snap_compare, theme):
    app = _app(theme)
    assert snap_compare(app, terminal_size=SIZE, run_before=_open(app))


def test_dashboard_80x24(snap_compare):
    """The default terminal: every container, its why and what to do, the VCH header folded."""
    app = _app()
    assert snap_compare(app, terminal_size=(80, 24), run_before=_open(app))


def test_dashboard_sorted_by_a_direct_key(snap_compare):
    app = _app()
    assert snap_compare(app, terminal_size=SIZE, run_before=_open(app, "M", "down"))


@pytest.mark.parametrize("size", [(80, 24), SIZE], ids=["80x24", "120x36"])
def test_drill_down(snap_compare, size):
    """Charts with a time axis: demand/entitlement/limit, memory, contention and latency with thresholds."""
    app = _app()
    assert snap_compare(app, terminal_size=size, run_before=_open(app, "enter"))
