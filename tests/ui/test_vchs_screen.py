"""The VCH list, inspect and delete screens driven with Pilot on stand-in data (the real runs against the
simulator are in tests/integration/test_provision_tui.py)."""

from __future__ import annotations

import re

from provision_support import StandInBackend
from textual.widgets import Button, Checkbox, DataTable, Static

from tui.ui.app import VchApp
from tui.ui.vchs import DeleteModal, VchInspectScreen, VchListScreen

SIZE = (120, 34)


def _rows(screen) -> list[list[str]]:
    table = screen.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def _open(app, pilot, backend) -> VchListScreen:
    screen = VchListScreen(session=None, backend=backend)
    await app.push_screen(screen)
    await app.workers.wait_for_complete()
    await pilot.pause()
    return screen


async def test_the_list_has_vic_machines_columns_and_marks_leftovers(make_app):
    app = make_app()
    backend = StandInBackend()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot, backend)
        table = screen.query_one(DataTable)
        assert [str(c.label) for c in table.columns.values()] == [
            "NAME",
            "PATH",
            "ID",
            "VERSION",
            "POWER",
            "DOCKER HOST",
            "UPGRADE STATUS",
        ]
        assert _rows(screen) == [
            [
                "vch-alpha",
                "/Datacenter/host/Cluster/Resources/vch-alpha",
                "vm-41",
                "v1.5.8-0-2c978fe",
                "poweredOn",
                "10.0.0.42:2376",
                "Up to date",
            ],
            ["vch-broken *", "/Datacenter/host/Cluster/Resources/vch-broken", "vm-57", "-", "poweredOff", "-", "-"],
        ]
        status = str(screen.query_one("#vchs-status", Static).render())
        assert "interrupted create (vch-broken)" in status and "d deletes it" in status


async def test_enter_inspects_the_selected_vch(make_app):
    app = make_app()
    backend = StandInBackend()
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot, backend)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, VchInspectScreen)
        assert ("inspect", "vm-41") in backend.calls
        text = re.sub(r" {2,}", "  ", "\n".join(str(s.render()) for s in app.screen.query(Static)))
        for expected in (
            "docker API  answers (Docker 20.10.24, API 1.41)",
            "limit 4000 MHz, reservation 0 MHz, shares high",
            "expires  2027-11-29",
            "web-1a2b3c4d5e6f  poweredOn",
            "DOCKER_HOST  10.0.0.42:2376",
            "mode  tlsverify",
            "VCH version  v1.5.8-0-2c978fe",
            "upgrade status  Up to date",
            "admin portal  https://10.0.0.42:2378",
            "connect  docker -H 10.0.0.42:2376 --tlsverify info",
        ):
            assert expected in text, expected
        await pilot.press("y")
        assert "export DOCKER_HOST=10.0.0.42:2376" in app.clipboard
        await pilot.press("escape")
        assert isinstance(app.screen, VchListScreen)


async def test_delete_with_running_containers_needs_the_force_box(make_app):
    app = make_app()
    backend = StandInBackend(running=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot, backend)
        await pilot.press("d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, DeleteModal)
        body = str(modal.query_one(".dialog-body", Static).render())
        assert "container VM web-1a2b3c4d5e6f (poweredOn)" in body and "resource pool" in body
        assert "VM stray-vm: not created by VIC, left alone" in body
        assert modal.query_one("#yes", Button).disabled
        modal.query_one("#force", Checkbox).value = True
        await pilot.pause()
        assert not modal.query_one("#yes", Button).disabled
        await pilot.click("#yes")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is screen
        assert ("delete", "vch-alpha", True) in backend.calls
        assert [r[0] for r in _rows(screen)] == ["vch-broken *"]  # listed again after the delete


async def test_delete_back_changes_nothing(make_app):
    app = make_app()
    backend = StandInBackend(running=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot, backend)
        await pilot.press("down", "d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, DeleteModal) and not app.screen.query("#force")
        assert not app.screen.query_one("#yes", Button).disabled  # nothing running: no force needed
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and not [c for c in backend.calls if c[0] == "delete"]
        assert "nothing was changed" in str(screen.query_one("#vchs-status", Static).render())


# --- snapshots --------------------------------------------------------------------------------------


def _app(script) -> tuple[VchApp, object]:
    app = VchApp(theme="vch-dark")
    backend = StandInBackend()

    async def run_before(pilot) -> None:
        await app.push_screen(VchListScreen(session=None, backend=backend))
        await app.workers.wait_for_complete()
        await pilot.pause()
        await script(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()

    return app, run_before


def test_snapshot_list(snap_compare):
    async def nothing(pilot):
        pass

    app, run_before = _app(nothing)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_snapshot_delete_modal(snap_compare):
    async def press_delete(pilot):
        await pilot.press("d")

    app, run_before = _app(press_delete)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_snapshot_inspect(snap_compare):
    async def inspect(pilot):
        await pilot.press("enter")

    app, run_before = _app(inspect)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
