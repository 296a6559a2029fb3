"""The dashboard's table with more containers than the screen holds: only the rows on screen are drawn,
and it keeps DataTable's keys and mouse (cursor, pages, ends, enter and clicks, a header click sorts),
the cursor staying on its container when the order changes."""

from __future__ import annotations

import dataclasses

from tests.ui.monitor_support import feed, live_screen
from tui.core.monitor.refresh import Refresh
from tui.ui.monitor.detail import ContainerDetailScreen
from tui.ui.monitor.messages import Refreshed, RowOrder
from tui.ui.monitor.table import ContainerTable
from tui.vchsim import story

MANY = 300


def _many(snapshots, count: int):
    """`count` containers over the story's VCHs: copies of its four under their own VM ids and names."""
    out = []
    for n, snap in enumerate(snapshots):
        rows = tuple(
            dataclasses.replace(c, vm=f"vm-many-{n}-{i}", name=f"{c.name}-{n}-{i:03d}")
            for i in range(count // len(snapshots))
            for c in (snap.containers[i % len(snap.containers)],)
        )
        out.append(dataclasses.replace(snap, containers=rows))
    return out


async def _open(app, pilot):
    screen = await live_screen(app, pilot)
    t, snapshots = story.frames()[-1]
    await feed(pilot, screen, t, _many(snapshots, MANY))
    return screen, screen.query_one(ContainerTable)


async def test_many_rows_page_end_and_the_cursor_follows_its_container(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen, table = await _open(app, pilot)
        assert table.row_count == MANY and table.max_scroll_y > 0
        await pilot.pause()
        drawn = table._lines  # the lines painted so far: the header and the rows on screen, not 300
        assert 0 < len(drawn) <= 36  # at most a screenful
        await pilot.press("pagedown")
        assert table.cursor_row > 10 and table.scroll_y > 0
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert table.cursor_row == MANY - 1 and table.scroll_y == table.max_scroll_y
        last = table.highlighted_vm()
        assert str(table.get_row_at(MANY - 1)[1]) == next(c.name for c in screen.model.samples() if c.vm == last)
        table.move_cursor(row=100)
        await pilot.pause()
        picked = table.highlighted_vm()
        await pilot.press("W")  # best first now: the highlighted container moved, the cursor with it
        await pilot.pause()
        assert screen.reverse and table.highlighted_vm() == picked
        assert table.cursor_row == table._row_of(picked) == MANY - 1 - 100
        assert table.scroll_y <= table.cursor_row < table.scroll_y + table.size.height - 1  # on screen
        await pilot.press("ctrl+home")
        assert table.cursor_row == 0 and table.scroll_y == 0
        await pilot.press("N")
        names = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert names == sorted(names, key=str.lower)


async def test_clicks_a_header_sorts_a_row_highlights_again_opens_it(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen, table = await _open(app, pilot)
        await pilot.pause()
        name_x = 12  # inside the Container column's title (State takes the first ten cells)
        await pilot.click(ContainerTable, offset=(name_x, 0))
        await pilot.pause()
        assert screen.sort_key == "name"
        await pilot.click(ContainerTable, offset=(name_x, 3))  # the third row
        await pilot.pause()
        assert table.cursor_row == 2 and not isinstance(app.screen, ContainerDetailScreen)
        picked = table.highlighted_vm()
        await pilot.click(ContainerTable, offset=(name_x, 3))
        await pilot.pause()
        assert isinstance(app.screen, ContainerDetailScreen) and app.screen.vm == picked


async def test_a_new_sample_redraws_what_is_on_screen(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen, table = await _open(app, pilot)
        vm = table.highlighted_vm()
        t, snapshots = story.frames()[0]  # the calm start: every container ok
        await feed(pilot, screen, t + 10_000, _many(snapshots, MANY))
        assert str(table.get_cell(vm, "state")).endswith("ok") and table.highlighted_vm() == vm
        await pilot.pause()
        assert table.cursor_row == table._row_of(vm)
        strip = table.render_line(1 + table.cursor_row - round(table.scroll_y))
        assert "ok" in strip.text  # the painted line shows the new state


async def test_the_order_made_by_the_poll_worker_is_used_only_for_the_sort_it_was_made_for(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen, table = await _open(app, pilot)
        t, snapshots = story.frames()[-1]
        snaps = tuple(_many(snapshots, MANY))
        worst_first = RowOrder.of(snaps, "state", False, "")
        backwards = dataclasses.replace(worst_first, rows=worst_first.rows[::-1])  # made for this sort: taken as is
        screen.post_message(Refreshed(Refresh(t=t + 20, snapshots=snaps), screen._generation, backwards))
        await pilot.pause()
        assert [table.get_row_at(i)[1].plain for i in (0, MANY - 1)] == [
            backwards.rows[0].name,
            backwards.rows[-1].name,
        ]
        by_name = RowOrder.of(snaps, "name", True, "")  # made for another sort: the screen sorts again
        screen.post_message(Refreshed(Refresh(t=t + 40, snapshots=snaps), screen._generation, by_name))
        await pilot.pause()
        assert [table.get_row_at(i)[1].plain for i in range(3)] == [r.name for r in worst_first.rows[:3]]


async def test_the_row_under_the_mouse_is_marked_until_a_key_is_used(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen, table = await _open(app, pilot)
        await pilot.pause()
        hover = table.get_component_rich_style("datatable--hover").bgcolor
        assert hover is not None

        def background(row: int):
            return list(table.render_line(1 + row))[-1].style.bgcolor  # the row's filler, past the columns

        assert background(4) != hover
        await pilot.hover(ContainerTable, offset=(12, 5))  # the fifth row
        await pilot.pause()
        assert background(4) == hover and background(3) != hover
        await pilot.press("down")
        await pilot.pause()
        assert background(4) != hover
