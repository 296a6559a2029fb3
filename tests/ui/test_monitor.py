"""The Monitor screen driven with Pilot, on the shipped seed-story recording (no vCenter needed)."""

from __future__ import annotations

import time

from textual.widgets import Input, RichLog, Select

from tests.ui.monitor_support import open_replay, row_names, settle, short
from tests.waits import until
from tui.core.metrics import counters
from tui.core.monitor.columns import format_value
from tui.ui.help import HelpScreen
from tui.ui.monitor import MonitorScreen
from tui.ui.monitor.charts import FIELDS, MetricPlot
from tui.ui.monitor.detail import ContainerDetailScreen
from tui.ui.monitor.table import ContainerTable
from tui.vchsim import story

SIZE = (120, 36)
FRAMES = len(story.frames())


async def test_the_story_at_its_end_worst_first(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_replay(app, pilot)
        assert screen.replay_position == FRAMES - 1
        assert short(row_names(screen)) == ["cpu-stress", "mem-stress", "twin-cpu-stress", "twin-mem-stress"]
        states = [s.state for s in screen.model.samples()]
        assert sorted(states) == ["crit", "crit", "ok", "ok"]
        header = str(screen.query_one("#mon-header").render())
        assert "over-committed" in header and "vch-unlimited" in header
        status = str(screen.query_one("#mon-status").render())
        assert f"refresh {FRAMES} of {FRAMES}" in status and "2 crit" in status


async def test_sort_by_any_column_and_reverse(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_replay(app, pilot)
        await pilot.press("s")  # state -> name
        assert screen.sort_key == "name"
        assert short(row_names(screen)) == ["cpu-stress", "mem-stress", "twin-cpu-stress", "twin-mem-stress"]
        await pilot.press("I")  # invert, as in htop
        assert short(row_names(screen)) == ["twin-mem-stress", "twin-cpu-stress", "mem-stress", "cpu-stress"]
        screen.sort_by("cpu_usage_mhz")
        await pilot.pause()
        usage = {c.name: c.metrics.cpu_usage_mhz for c in screen.model.samples()}
        assert row_names(screen) == sorted(usage, key=lambda n: -usage[n])
        screen.sort_by("mem_latency_pct")
        await pilot.pause()
        assert short(row_names(screen))[0] == "mem-stress"


async def test_filter_by_name(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_replay(app, pilot)
        await pilot.press("slash")
        assert screen.query_one("#mon-filter", Input).has_focus
        await pilot.press(*"twin")
        assert short(row_names(screen)) == ["twin-cpu-stress", "twin-mem-stress"]
        await pilot.press("enter")  # keeps the filter, back to the table
        assert screen.query_one(ContainerTable).has_focus and screen.name_filter == "twin"
        await pilot.press("escape")  # clears it
        assert screen.name_filter == "" and len(row_names(screen)) == 4
        assert isinstance(app.screen, MonitorScreen)


async def test_step_and_seek(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_replay(app, pilot)
        vm = screen.model.samples()[0].vm
        for keys, position in (
            ("less_than_sign", 0),
            ("right_square_bracket", 1),
            ("right_curly_bracket", 11),
            ("left_square_bracket", 10),
            ("greater_than_sign", FRAMES - 1),
        ):
            await pilot.press(keys)
            await settle(pilot, screen, position)
            assert screen.replay_paused
            # history and alerts are rebuilt from the frames up to this moment
            assert len(screen.model.history.timestamps(vm)) == position + 1
            assert screen.model.t == story.START + position * 20
            table = screen.query_one(ContainerTable)
            for sample in screen.model.samples():  # the cells show this moment's values
                assert str(table.get_cell(sample.vm, "cpu_ready_pct")) == format_value(
                    "cpu_ready_pct", sample.metrics.cpu_ready_pct
                )
                assert str(table.get_cell(sample.vm, "state")).endswith(sample.state)


async def test_play_and_pause(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_replay(app, pilot, replay_position=0, replay_paused=False)
        for _ in range(3):
            await pilot.press("plus")  # faster: 2x, 4x, 8x
        assert screen.replay_speed == 8
        await until(pilot, lambda: screen.replay_position >= 2, "the replay to play two moments")
        await pilot.press("space")
        await settle(pilot, screen)
        stopped = screen.replay_position
        await pilot.pause(0.4)
        assert screen.replay_paused and screen.replay_position == stopped
        assert "‖ paused" in str(screen.query_one("#mon-status").render())


async def test_pick_one_vch(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_replay(app, pilot)
        picker = screen.query_one("#mon-vch", Select)
        picker.value = "vch-unlimited"
        await pilot.pause()
        await settle(pilot, screen)
        assert short(row_names(screen)) == ["twin-cpu-stress", "twin-mem-stress"]
        assert "vch-limited" not in str(screen.query_one("#mon-header").render())


async def test_drill_down_charts_every_metric(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_replay(app, pilot)
        first = screen.model.samples()[0]
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, ContainerDetailScreen) and detail.vm == first.vm
        charts = list(detail.query(MetricPlot))
        assert [c.spec.key for c in charts] == ["cpu", "memory", "cpu_contention", "mem_latency"]
        assert set(FIELDS) <= set(counters.METRIC_FIELDS) and len(FIELDS) >= 11
        cpu = charts[0]
        assert "VCH limit 500" in cpu.legend and f"demand {first.metrics.cpu_demand_mhz:g}" in cpu.legend
        assert "ready crit 10" in charts[2].legend and "crit 10" in charts[3].legend
        assert all(c.missing == 0 for c in charts)
        assert "09:00:00" in str(cpu.render())  # a time axis
        assert "crit" in str(detail.query_one("#detail-title").render())
        await pilot.press("escape")
        assert app.screen is screen


async def test_alert_log_has_timed_state_changes(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_replay(app, pilot)
        lines = [str(line.text) for line in screen.query_one("#mon-alerts", RichLog).lines]
        changes = [a for a in screen.model.alerts.entries if a.old is not None]
        # long entries wrap (read in full at any width): the log holds every entry's words, in order
        shown = " ".join(" ".join(lines).split())
        assert changes and shown == " ".join(" ".join(a.line(time.gmtime) for a in screen.model.alerts.entries).split())
        first = changes[0]
        assert lines[0].startswith(time.strftime("%H:%M:%S", time.gmtime(first.t)))
        assert f"{first.old} → {first.new}" in lines[0]


async def test_help_and_palette(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_replay(app, pilot)
        titles = [c.title for c in screen.palette_commands()]
        assert "Monitor: sort by Ready%" in titles and "Replay: step forward" in titles
        assert "Monitor: VCH vch-limited" in titles
        await pilot.press("question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen) and help_screen.screen_title == "Monitor"
        actions = {row.action for row in help_screen.rows}
        assert {"Details", "Sort", "Filter", "Pause", "Step back", "Start"} <= actions
        assert not {"Step", "End", "+10"} & actions  # at the last refresh: nothing to step forward to


def test_missing_samples_are_gaps_not_zeros():
    from tui.ui.monitor.charts import segments

    assert segments([0, 20, 40, 60, 80], [1.0, None, 3.0, 4.0, None]) == [([0], [1.0]), ([40, 60], [3.0, 4.0])]
    assert segments([0, 20], [None, None]) == []


async def test_drill_down_counts_and_gaps_missing_samples(make_app):
    from dataclasses import replace

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_replay(app, pilot)
        vm = screen.model.samples()[0].vm
        t, snapshots = story.frames()[-1]
        holes = tuple(
            replace(
                s,
                containers=tuple(
                    replace(c, metrics=replace(c.metrics, cpu_ready_pct=None)) if c.vm == vm else c
                    for c in s.containers
                ),
            )
            for s in snapshots
        )
        screen._apply(t + 20, holes)  # one refresh where vCenter had no ready sample (-1)
        await pilot.press("enter")
        await pilot.pause()
        contention = app.screen.query_one("#chart-cpu_contention", MetricPlot)
        assert contention.missing == 1 and "1 missing" in str(contention.render())
