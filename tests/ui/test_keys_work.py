"""Every key a screen advertises does something: for each screen (in the states that change its keys), each key
shown in the footer or listed by its help (`?`) is pressed in a fresh app, and the press must change what the
user sees or has: the screen stack, the picture on screen, a notification, the clipboard, the focus, or quitting.
A hint that lies (a key listed but bound to nothing here, or to an action that does nothing) fails this test."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

import pytest
from provision_support import SPEC, STEPS, FakeClock, StandInBackend, failed_result, run_until, success_result
from ui_support import StandInSession
from wizard_support import FILLED, fixed_facts

from tests.waits import until
from tui.core.vch import events as ev
from tui.ui.app import VchApp
from tui.ui.help import HelpScreen, key_help
from tui.ui.message_modal import MessageModal
from tui.ui.not_available import NotAvailableScreen
from tui.ui.provision import ProvisionScreen
from tui.ui.provision.confirm import ConfirmModal
from tui.ui.vchs import VchInspectScreen, VchListScreen

SIZE = (120, 36)

pytestmark = pytest.mark.usefixtures("in_folder_with_isos")

Setup = Callable[[VchApp, object], Awaitable[None]]


# --- the screens, each brought to one state ----------------------------------------------------------


async def home(app, pilot) -> None:
    await pilot.pause()


async def help_on_home(app, pilot) -> None:
    await pilot.press("question_mark")
    await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help screen")


async def connect(app, pilot) -> None:
    from tui.ui.connect import ConnectScreen

    await app.push_screen(ConnectScreen(None, auto_connect=False))
    await pilot.pause()


async def not_available(app, pilot) -> None:
    await app.push_screen(NotAvailableScreen("Monitor contention"))
    await pilot.pause()


async def message(app, pilot) -> None:
    await app.push_screen(MessageModal("Saved", "answers saved to vch-demo.toml"))
    await pilot.pause()


async def confirm(app, pilot) -> None:
    await app.push_screen(ConfirmModal("Cancel creating vch-demo?", "Everything is rolled back.", yes="Cancel"))
    await pilot.pause()


def wizard(spec=None, last_step: bool = False) -> Setup:
    async def setup(app, pilot) -> None:
        from tui.ui.wizard import WizardScreen

        screen = WizardScreen(session=StandInSession(), spec=spec, facts_loader=lambda _session: fixed_facts())
        await app.push_screen(screen)
        await until(pilot, lambda: screen.facts is not None and screen.checked, "the wizard to load and check")
        if last_step:
            screen.go(len(screen._steps) - 1)
            await pilot.pause()

    return setup


def provision(script: Callable[[ProvisionScreen, FakeClock], None], running: bool) -> Setup:
    async def setup(app, pilot) -> None:
        clock = FakeClock()
        screen = ProvisionScreen(session=StandInSession(), spec=SPEC, clock=clock, autostart=False)
        await app.push_screen(screen)
        screen.show_plan(STEPS)
        screen.running = running
        script(screen, clock)
        await pilot.pause()

    return setup


def _uploading(screen, clock) -> None:
    for event in run_until(clock, "upload", final_state=ev.RUNNING):
        screen.apply(event)


def _created(screen, clock) -> None:
    for event in run_until(clock, "finish"):
        screen.apply(event)
    screen.apply(ev.Finished(success_result(), clock.now))


def _failed(screen, clock) -> None:
    for event in run_until(clock, "power", final_state=ev.FAILED):
        screen.apply(event)
    screen.apply(ev.Finished(failed_result(), clock.now))


async def vch_list(app, pilot) -> None:
    await app.push_screen(VchListScreen(session=StandInSession(), backend=StandInBackend()))
    await app.workers.wait_for_complete()
    await pilot.pause()


def inspect(name: str, ref: str) -> Setup:
    async def setup(app, pilot) -> None:
        screen = VchInspectScreen(None, name, backend=StandInBackend(), ref=ref)
        await app.push_screen(screen)
        await until(pilot, lambda: screen.result is not None, "the inspection")
        await pilot.pause()

    return setup


async def delete_modal(app, pilot) -> None:
    await vch_list(app, pilot)
    await pilot.press("d")
    await until(pilot, lambda: isinstance(app.screen, ConfirmModal), "the delete question")


async def replay(app, pilot) -> None:
    from tui.ui.monitor import MonitorScreen
    from tui.vchsim import story

    screen = MonitorScreen(replay=story.PATH, local_time=time.gmtime, replay_position=-1, replay_paused=True)
    app.push_screen(screen)
    await until(
        pilot,
        lambda: screen.replay_total and not screen._replay_busy and screen._replay_pending is None,
        "the replay to load",
    )
    await pilot.pause()


async def replay_details(app, pilot) -> None:
    from tui.ui.monitor.detail import ContainerDetailScreen

    await replay(app, pilot)
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, ContainerDetailScreen), "the drill-down")
    await pilot.pause()


SCREENS: dict[str, Setup] = {
    "home": home,
    "help": help_on_home,
    "connect": connect,
    "not-available": not_available,
    "message": message,
    "confirm": confirm,
    "wizard-new": wizard(),
    "wizard-filled-summary": wizard(FILLED, last_step=True),
    "provision-running": provision(_uploading, running=True),
    "provision-created": provision(_created, running=False),
    "provision-failed": provision(_failed, running=False),
    "vch-list": vch_list,
    "inspect": inspect("vch-alpha", "vm-41"),
    "inspect-no-address": inspect("vch-broken", "vm-57"),
    "delete-modal": delete_modal,
    "replay": replay,
    "replay-details": replay_details,
}


# --- what is advertised, and whether a press does something -------------------------------------------


def advertised(app: VchApp) -> list[str]:
    """The keys the footer shows enabled and the keys help lists, as Textual names them."""
    screen = app.screen
    keys = [key for key, active in screen.active_bindings.items() if active.binding.show and active.enabled]
    if app.ENABLE_COMMAND_PALETTE and not isinstance(screen, HelpScreen):
        keys.append(app.COMMAND_PALETTE_BINDING)
    for row in key_help(app, screen):
        keys += [key for key in row.bound if key not in keys]
    return list(dict.fromkeys(keys))


def _state(app: VchApp, quits: list) -> tuple:
    return (
        tuple(id(screen) for screen in app.screen_stack),
        app.export_screenshot(),
        len(app._notifications),
        app.clipboard,
        id(app.focused) if app.focused is not None else None,
        len(quits),
    )


async def dead_keys(setup: Setup) -> tuple[list[str], list[str]]:
    """Open the screen, press each advertised key in turn and return (advertised, the ones that changed
    nothing). After each press the app goes back to the screen (closing what the key opened, or opening the
    screen again when the key left it); each press is judged against the state just before it."""
    app = VchApp(theme="vch-dark")
    quits: list = []
    app.exit = lambda *args, **kwargs: quits.append(args)  # type: ignore[method-assign]  # seen, not done
    async with app.run_test(size=SIZE) as pilot:
        await setup(app, pilot)
        screen, keys = app.screen, advertised(app)
        dead = []
        for key in keys:
            before = _state(app, quits)
            await pilot.press(key)
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            if _state(app, quits) == before:
                dead.append(key)
            for _ in range(4):  # close what the key opened the way a user would, so its callbacks run
                if app.screen is screen or screen not in app.screen_stack:
                    break
                await pilot.press("escape")
                await pilot.pause()
            if screen not in app.screen_stack:
                while len(app.screen_stack) > 1:
                    app.pop_screen()
                    await pilot.pause()
                await setup(app, pilot)
                screen = app.screen
        return keys, dead


@pytest.mark.parametrize("name", list(SCREENS))
async def test_every_advertised_key_does_something(name):
    keys, dead = await dead_keys(SCREENS[name])
    assert keys, f"{name}: no keys advertised at all"
    assert not dead, f"{name}: advertised keys that do nothing: {dead} (of {keys})"


async def test_help_leaves_out_keys_that_do_not_work_here():
    """Disabled actions are not listed: before a create has ended, neither `y` nor `m`."""
    app = VchApp(theme="vch-dark")
    async with app.run_test(size=SIZE) as pilot:
        await provision(_uploading, running=True)(app, pilot)
        listed = {key for row in key_help(app, app.screen) for key in row.bound}
        assert "escape" in listed and not {"y", "m"} & listed
        assert "ctrl+c" in listed  # quit: here it cancels and rolls back first


async def test_ctrl_c_quits_like_ctrl_q_and_asks_where_it_does():
    app = VchApp(theme="vch-dark")
    quits: list = []
    app.exit = lambda *args, **kwargs: quits.append(args)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert len(quits) == 1  # on Home: quits at once
        await wizard(FILLED)(app, pilot)
        app.screen.edit(lambda spec: spec.with_values({"name": "vch-other"}))  # unsaved answers
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal) and len(quits) == 1  # asked first


async def test_quitting_while_creating_cancels_and_rolls_back_first():
    app = VchApp(theme="vch-dark")
    quits: list = []
    app.exit = lambda *args, **kwargs: quits.append(kwargs)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await provision(_uploading, running=True)(app, pilot)
        screen = app.screen
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert screen.token.cancelled and not quits  # the rollback runs first
        assert any("quit: cancelling" in line for line in screen.query_one("#provision-log").texts)
        screen.apply(ev.Finished(failed_result(), 0.0))
        await pilot.pause()
        assert quits == [{"result": screen.result, "return_code": 1}]
