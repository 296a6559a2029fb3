"""The dashboard as the on-call operator needs it: why at a glance at 80x24 and 120x36, sort always said,
direct sort keys, `q` leaves, and (fed with live refreshes) one history point per sample, pause showing
both moments, recording, and history that survives leaving and switching VCH."""

from __future__ import annotations

import gzip
import json

import pytest

from tests.ui.monitor_support import feed, live_screen, open_replay, row_names, short
from tui.ui.home import HomeScreen
from tui.ui.monitor import MonitorScreen
from tui.ui.monitor.replay_app import ReplayApp
from tui.ui.monitor.table import ContainerTable
from tui.vchsim import story

SIZES = [(80, 24), (120, 36)]


def _text(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


@pytest.mark.parametrize("size", SIZES)
async def test_every_container_and_why_visible_without_scrolling(make_app, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        screen = await open_replay(app, pilot)
        await pilot.pause()
        table = screen.query_one(ContainerTable)
        assert table.row_count == 4 and table.max_scroll_y == 0  # all four rows on screen
        assert table.size.height >= table.row_count + 1
        keys = [c.key for c in table.shown]
        assert keys[:4] == ["state", "name", "why", "cpu_ready_pct"]
        assert table.fixed_columns == 2  # State and Container stay when scrolling sideways
        cpu = next(c for c in screen.model.samples() if c.name.startswith("cpu-stress"))
        assert str(table.get_cell(cpu.vm, "why")).startswith("ready 38% · limit 35%")
        assert screen.query_one("#mon-alerts").size.height >= 3  # the log shrank, it did not vanish
        header = _text(screen, "#mon-header")
        if size == (80, 24):
            assert header.count("\n") == 1 and "over" in header  # one line per VCH
        else:
            assert "over-committed" in header and len(keys) > 4  # room for more columns


async def test_columns_follow_a_resize(make_app):
    app = make_app()
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await open_replay(app, pilot)
        await pilot.pause()
        wide = [c.key for c in screen.query_one(ContainerTable).shown]
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        narrow = [c.key for c in screen.query_one(ContainerTable).shown]
        assert len(narrow) < len(wide) and "cpu_ready_pct" in narrow and "cpu_usage_mhz" in wide
        assert screen.query_one(ContainerTable).row_count == 4


@pytest.mark.parametrize("size", SIZES)
async def test_what_to_do_for_the_highlighted_container(make_app, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        screen = await open_replay(app, pilot)
        table = screen.query_one(ContainerTable)
        assert short(row_names(screen))[0] == "cpu-stress"
        table.move_cursor(row=0)
        await pilot.pause()
        focus = " ".join(_text(screen, "#mon-focus").split())
        demand = sum(
            c.metrics.cpu_demand_mhz
            for s in screen.model.snapshots
            if s.vch.name == "vch-limited"
            for c in s.containers
        )
        assert f"demand {demand / 1000:.1f} GHz vs its CPU limit 500 MHz" in focus
        assert "raise the limit" in focus and "vic-machine configure --cpu" in focus
        table.move_cursor(row=1)
        await pilot.pause()
        assert "memory limit 500 MB" in " ".join(_text(screen, "#mon-focus").split())


async def test_sort_is_always_said_and_direct_keys_sort(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_replay(app, pilot)
        assert "worst first" in _text(screen, "#mon-status")
        await pilot.press("M")  # memory latency, biggest first
        assert screen.sort_key == "mem_latency_pct" and not screen.reverse
        assert short(row_names(screen))[0] == "mem-stress"
        assert "by MemLat% biggest first" in _text(screen, "#mon-status")
        await pilot.press("M")  # again: reversed
        assert screen.reverse and "smallest first" in _text(screen, "#mon-status")
        await pilot.press("N")
        assert screen.sort_key == "name" and "A-Z" in _text(screen, "#mon-status")
        await pilot.press("W")
        assert screen.sort_key == "state" and "worst first" in _text(screen, "#mon-status")


async def test_q_leaves_the_dashboard(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_replay(app, pilot)
        assert app.screen is screen
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_q_quits_a_replay_started_from_the_command_line():
    app = ReplayApp(story.PATH)
    app.animation_level = "none"
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(100):
            await pilot.pause(0.02)
            if isinstance(app.screen, MonitorScreen) and app.screen.replay_total:
                break
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0 and not app.is_running


# -- the live path, fed with the story's frames as Refreshed messages (no vCenter needed)


async def test_one_history_point_per_sample_and_pause_shows_both_moments(make_app):
    frames = story.frames()
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await live_screen(app, pilot)
        t0, snaps0 = frames[10]
        await feed(pilot, screen, t0, snaps0)
        vm = screen.model.samples()[0].vm
        for poll in (2, 4, 6):  # polls within the same 20 s sample: nothing new
            await feed(pilot, screen, t0 + poll, snaps0)
        assert len(screen.model.history.timestamps(vm)) == 1
        status = _text(screen, "#mon-status")
        assert "sample 09:03:20" in status and "next sample ≈ 09:03:40" in status
        await pilot.press("p")
        t1, snaps1 = frames[11]
        await feed(pilot, screen, t1, snaps1)
        status = _text(screen, "#mon-status")
        assert "paused at 09:03:20" in status and "latest 09:03:40" in status
        assert len(screen.model.history.timestamps(vm)) == 2


async def test_history_and_alerts_survive_leaving_and_switching_vch(make_app):
    frames = story.frames()
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await live_screen(app, pilot)
        for t, snaps in frames[:12]:
            await feed(pilot, screen, t, snaps)
        alerts = len(screen.model.alerts)
        vm = screen.model.samples()[0].vm
        assert alerts and len(screen.model.history.timestamps(vm)) == 12
        await pilot.press("q")
        screen = await live_screen(app, pilot)  # back on the dashboard: the same history and log
        assert len(screen.model.history.timestamps(vm)) == 12 and len(screen.model.alerts) == alerts
        assert len(screen.query_one("#mon-alerts").lines) >= alerts
        await feed(pilot, screen, *frames[12])
        screen.query_one("#mon-vch").value = "vch-unlimited"
        await pilot.pause()
        assert len(screen.model.history) == 0  # a new choice starts its own history...
        screen.query_one("#mon-vch").value = "\0all"
        await pilot.pause()
        assert len(screen.model.history.timestamps(vm)) == 13  # ...and switching back finds the old one


async def test_record_says_where_the_file_went(make_app, tmp_path):
    frames = story.frames()
    app = make_app(start_dir=tmp_path)
    notes = []
    async with app.run_test(size=(80, 24), message_hook=lambda m: notes.append(m)) as pilot:
        screen = await live_screen(app, pilot)
        await feed(pilot, screen, *frames[0])
        await pilot.press("r")
        path = screen.recorder.path
        assert path.parent == tmp_path and path.name.endswith(".jsonl.gz")
        assert "rec " + path.name in _text(screen, "#mon-status")
        await feed(pilot, screen, *frames[1])
        await feed(pilot, screen, frames[1][0] + 2, frames[1][1])  # the same sample: not recorded again
        await pilot.press("r")
        assert screen.recorder is None
    said = [str(m.notification.message) for m in notes if type(m).__name__ == "Notify"]
    assert any(str(path) in m and "vch-tui top --replay" in m for m in said)
    with gzip.open(path, "rt") as f:
        lines = [json.loads(line) for line in f]
    assert len(lines) == 3  # header + the two samples


async def test_a_disk_filling_up_while_recording_stops_it_with_a_toast_not_a_crash(make_app, tmp_path):
    from tui.core.metrics.record import Recorder

    frames = story.frames()
    app = make_app(start_dir=tmp_path)
    notes = []
    async with app.run_test(size=(80, 24), message_hook=lambda m: notes.append(m)) as pilot:
        screen = await live_screen(app, pilot)
        await feed(pilot, screen, *frames[0])
        recorder = Recorder(tmp_path / "rec.jsonl")
        recorder._raw.close()
        recorder._raw = recorder._file = open("/dev/full", "wb")  # the disk is full from now on: real ENOSPC
        screen.recorder = recorder
        await feed(pilot, screen, *frames[1])
        assert screen.recorder is None and app.is_running
    said = [str(m.notification.message) for m in notes if type(m).__name__ == "Notify"]
    assert any("No space left on device" in m and "rec.jsonl" in m for m in said), said
