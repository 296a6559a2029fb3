"""The provisioning progress screen driven with scripted run events (no vSphere): step states and times,
the upload bar, the log, cancel with confirmation, the outcome, and SVG snapshots with a fake clock."""

from __future__ import annotations

import pytest
from provision_support import SPEC, STEPS, FakeClock, failed_result, run_until, success_result
from textual.widgets import ProgressBar, Static

from tui.core.vch import events as ev
from tui.ui.app import VchApp
from tui.ui.provision import ProvisionScreen
from tui.ui.provision.confirm import ConfirmModal
from tui.ui.provision.step_list import StepList
from tui.ui.wrapped_log import WrappedLog

SIZE = (120, 36)


def _screen(clock: FakeClock, spec=SPEC) -> ProvisionScreen:
    return ProvisionScreen(session=None, spec=spec, clock=clock, autostart=False)


def _static_text(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def _open(app: VchApp, pilot, clock: FakeClock) -> ProvisionScreen:
    screen = _screen(clock)
    await app.push_screen(screen)
    screen.show_plan(STEPS)
    await pilot.pause()
    return screen


async def test_steps_move_through_their_states_with_elapsed_times(make_app):
    clock = FakeClock()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot, clock)
        steps = screen.query_one(StepList)
        assert set(steps.states().values()) == {ev.PENDING} and list(steps.states()) == [s.key for s in STEPS]
        for event in run_until(clock, "vm"):
            screen.apply(event)
        await pilot.pause()
        states = steps.states()
        assert [states[k] for k in ("validate", "tls", "folder", "pool", "vm")] == [ev.DONE] * 5
        assert states["upload"] == ev.PENDING
        row = steps.row("pool")
        assert str(row.query_one(".step-time").render()) == "0.5s"
        assert str(row.query_one(".step-state").render()) == "done"
        screen.apply(ev.StepChanged("upload", ev.RUNNING, clock.now))
        clock.now += 12.0
        screen._tick()
        assert str(steps.row("upload").query_one(".step-time").render()) == "12s"


async def test_upload_shows_a_byte_progress_bar_only_while_uploading(make_app):
    clock = FakeClock()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot, clock)
        assert not screen.query_one("#upload").display
        screen.apply(ev.StepChanged("upload", ev.RUNNING, clock.now))
        screen.apply(ev.BytesSent("upload", "appliance.iso", 3_000_000, 8_000_000, clock.now))
        await pilot.pause()
        assert screen.query_one("#upload").display
        bar = screen.query_one("#upload-bar", ProgressBar)
        assert (bar.progress, bar.total) == (3_000_000, 8_000_000)
        assert "appliance.iso: 3.0 MB of 8.0 MB" in str(screen.query_one("#upload-label").render())
        screen.apply(ev.StepChanged("upload", ev.DONE, clock.now))
        await pilot.pause()
        assert not screen.query_one("#upload").display


async def test_log_lines_reach_the_log_pane(make_app):
    clock = FakeClock()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot, clock)
        screen.apply(ev.LogLine("endpoint address: 10.0.0.42", clock.now))
        screen.apply(ev.LogLine("Docker API not answering yet", clock.now, "warning"))
        await pilot.pause()
        lines = list(screen.query_one("#provision-log", WrappedLog).texts)
        assert "endpoint address: 10.0.0.42" in lines
        assert "warning: Docker API not answering yet" in lines
        assert " 1. Validate the spec and the target" in lines  # the plan is logged first


async def test_cancel_asks_first_and_only_yes_cancels(make_app):
    clock = FakeClock()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot, clock)
        screen.running = True
        for event in run_until(clock, "upload", final_state=ev.RUNNING):
            screen.apply(event)
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("escape")  # "Keep going"
        assert app.screen is screen and not screen.token.cancelled
        await pilot.press("escape")
        await pilot.click("#yes")
        await pilot.pause()
        assert app.screen is screen and screen.token.cancelled
        assert any("cancel requested" in line for line in screen.query_one("#provision-log", WrappedLog).texts)


async def test_success_shows_address_env_and_certificates_and_copies_the_env(make_app):
    clock = FakeClock()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot, clock)
        screen.running = True
        for event in run_until(clock, "finish"):
            screen.apply(event)
        assert not screen.check_action("copy_env", ())
        screen.apply(ev.Finished(success_result(), clock.now))
        await pilot.pause()
        outcome = screen.outcome
        assert outcome.ok and dict(outcome.facts)["address"] == "10.0.0.42"
        assert dict(outcome.facts)["certificates"] == "/home/me/vch-demo"
        text = _static_text(screen, "#outcome")
        assert outcome.headline in text and all(line in text for line in outcome.exports)
        assert screen.check_action("copy_env", ()) and screen.check_action("open_monitor", ())
        await pilot.press("y")
        assert app.clipboard.splitlines() == [
            "export DOCKER_TLS_VERIFY=1",
            "export DOCKER_CERT_PATH=/home/me/vch-demo",
            "export DOCKER_HOST=10.0.0.42:2376",
            "export COMPOSE_TLS_VERSION=TLSv1_2",
        ]
        await pilot.press("escape")  # finished: escape goes back without asking
        assert app.screen is not screen


async def test_failure_lists_what_was_rolled_back_and_what_is_left(make_app):
    clock = FakeClock()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot, clock)
        for event in run_until(clock, "power", final_state=ev.FAILED):
            screen.apply(event)
        clock.now += 20.0
        for key in ("power", "configure", "upload", "vm", "pool", "folder"):
            screen.apply(ev.StepChanged(key, ev.ROLLED_BACK if key != "folder" else ev.ROLLBACK_FAILED, clock.now))
        screen.apply(ev.StepChanged("validate", ev.DONE, clock.now))  # nothing to undo: the runner says done again
        screen.apply(ev.Finished(failed_result(left=["VM folder Datacenter/vm/vch-demo"]), clock.now))
        await pilot.pause()
        states = screen.query_one(StepList).states()
        assert states["vm"] == ev.ROLLED_BACK and states["folder"] == ev.ROLLBACK_FAILED
        assert states["validate"] == ev.DONE and states["address"] == ev.PENDING
        steps = screen.query_one(StepList)
        assert str(steps.row("validate").query_one(".step-time").render()) == "0.5s"  # its own time, not the rollback's
        assert str(steps.row("power").query_one(".step-state").render()) == "failed, rolled back"
        outcome = screen.outcome
        assert not outcome.ok and outcome.failed_step == "power" and "endpoint VM vch-demo" in outcome.removed
        assert outcome.left == ("VM folder Datacenter/vm/vch-demo",) and outcome.remedy == "vch-tui delete vch-demo"
        text = _static_text(screen, "#outcome")
        assert outcome.headline in text and outcome.remedy in text and outcome.left[0] in text
        assert not screen.check_action("copy_env", ())


async def test_no_tls_asks_before_starting_and_back_leaves_without_running(make_app):
    from dataclasses import replace

    clock = FakeClock()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        home = app.screen
        spec = replace(SPEC, tls=replace(SPEC.tls, no_tls=True, tls_cname=None))
        await app.push_screen(ProvisionScreen(session=None, spec=spec, clock=clock))
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal) and "without TLS" in app.screen.title_text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is home


LONG_WARNING = (
    "warning: the hosts esx-01, esx-02 and esx-03 of Cluster block outbound TCP 2377 in their firewall, so the "
    "endpoint VM cannot reach the container VMs' serial port over the network; open the rule "
    "'vSPC' on each host (or let create set it) and run again"
)
LONG_ERROR = (
    "powering on vch-demo failed: the host esx-02 has not enough memory for the endpoint VM's reservation "
    "(needs 2048 MB, 1536 MB free): lower the memory reservation on the Compute step, or free memory on the "
    "host, then press Retry"
)


def _fail_with_long_texts(screen, clock) -> None:
    from dataclasses import replace

    screen.apply(ev.LogLine(LONG_WARNING.removeprefix("warning: "), clock.now, "warning"))
    for event in run_until(clock, "power", final_state=ev.FAILED):
        screen.apply(event)
    for key in ("power", "configure", "upload", "vm", "pool", "folder"):
        screen.apply(ev.StepChanged(key, ev.ROLLED_BACK, clock.now))
    screen.apply(ev.Finished(replace(failed_result(), error=LONG_ERROR), clock.now))


def _words(text: str) -> list[str]:
    return text.split()


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
async def test_long_log_lines_and_the_failure_read_in_full(make_app, size):
    """The log wraps at its pane's width (nothing runs off to the right), below the steps on a narrow
    terminal, and the outcome that explains the failure is scrolled into view with every word on screen."""
    clock = FakeClock()
    app = make_app()
    async with app.run_test(size=size) as pilot:
        screen = await _open(app, pilot, clock)
        _fail_with_long_texts(screen, clock)
        await pilot.pause()
        await pilot.pause()
        log = screen.query_one(WrappedLog)
        left, right = screen.query_one("#provision-left"), screen.query_one("#provision-right")
        if size[0] < 110:  # stacked under the steps, as wide
            assert (right.region.x, right.region.width) == (left.region.x, left.region.width)
            assert right.region.y >= left.region.bottom
        else:
            assert right.region.x >= left.region.right  # beside the steps
        assert log.virtual_size.width <= log.scrollable_content_region.width  # wrapped: no sideways scrolling
        rendered = " ".join(strip.text for strip in log.lines)
        assert " ".join(_words(LONG_WARNING)) in " ".join(_words(rendered))
        outcome = screen.query_one("#outcome", Static)
        body = screen.query_one("#provision-body")
        assert outcome.region.right <= size[0] and outcome.region.y >= body.region.y
        assert outcome.region.y < body.region.bottom  # its headline is on screen
        assert LONG_ERROR in _static_text(screen, "#outcome")  # one line of text, wrapped by the panel
        await pilot.resize_terminal(size[0] + 40, size[1])
        await pilot.pause()
        assert log.virtual_size.width <= log.scrollable_content_region.width  # re-wrapped at the new width
        assert " ".join(_words(LONG_WARNING)) in " ".join(_words(" ".join(s.text for s in log.lines)))


# --- snapshots --------------------------------------------------------------------------------------


def _snapshot_app(script) -> tuple[VchApp, object]:
    app = VchApp(theme="vch-dark")
    clock = FakeClock()

    async def run_before(pilot) -> None:
        screen = _screen(clock)
        await app.push_screen(screen)
        screen.show_plan(STEPS)
        script(screen, clock)
        await pilot.pause()
        screen._tick()  # the rows are mounted now: show the running step's time
        await pilot.pause()

    return app, run_before


def test_snapshot_uploading(snap_compare):
    def script(screen, clock):
        screen.running = True  # as a started run is: escape cancels
        screen.refresh_bindings()
        for event in run_until(clock, "upload", final_state=ev.RUNNING):
            screen.apply(event)
        screen.apply(ev.LogLine("uploading appliance.iso to [datastore1] vch-demo/appliance.iso", clock.now))
        screen.apply(ev.BytesSent("upload", "appliance.iso", 41_943_040, 104_857_600, clock.now))
        clock.now += 3.0

    app, run_before = _snapshot_app(script)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_snapshot_created(snap_compare):
    def script(screen, clock):
        for event in run_until(clock, "finish"):
            screen.apply(event)
        screen.apply(ev.Finished(success_result(), clock.now))

    app, run_before = _snapshot_app(script)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
def test_snapshot_rolled_back(snap_compare, size):
    app, run_before = _snapshot_app(_fail_with_long_texts)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_snapshot_uploading_80x24(snap_compare):
    def script(screen, clock):
        screen.running = True  # as a started run is: escape cancels
        screen.refresh_bindings()
        for event in run_until(clock, "upload", final_state=ev.RUNNING):
            screen.apply(event)
        screen.apply(ev.LogLine(LONG_WARNING.removeprefix("warning: "), clock.now, "warning"))
        screen.apply(ev.BytesSent("upload", "appliance.iso", 41_943_040, 104_857_600, clock.now))

    app, run_before = _snapshot_app(script)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def _consent_app() -> tuple[VchApp, object]:
    from tui.core.vch.prerequisites import Prerequisites

    app = VchApp(theme="vch-dark")
    clock = FakeClock()
    warnings = [str(p) for p in Prerequisites(True, ("esx-01", "esx-03")).problems()]

    async def run_before(pilot) -> None:
        screen = _screen(clock)
        await app.push_screen(screen)
        screen.show_plan(STEPS, warnings)
        screen.post_message(ProvisionScreen.ConsentNeeded(None))
        await pilot.pause()
        await pilot.pause()

    return app, run_before


async def test_the_vcenter_question_back_refuses_and_names_the_setting():
    from tui.core.vch.prerequisites import CONSENT_TITLE, PERSIST_NETWORK_BACKING

    app, run_before = _consent_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await run_before(pilot)
        assert isinstance(app.screen, ConfirmModal) and app.screen.title_text == CONSENT_TITLE
        screen = app.screen_stack[-2]
        log = "\n".join(screen.query_one(WrappedLog).texts)
        assert "esx-01, esx-03 blocks outbound TCP 2377" in log and PERSIST_NETWORK_BACKING in log
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.refused and PERSIST_NETWORK_BACKING in screen.refused
        assert not screen.running


def test_snapshot_vcenter_question_80x24(snap_compare):
    app, run_before = _consent_app()
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def test_cancelled_is_not_failed(make_app):
    """The step running when the user cancelled says cancelled (the runner reports it failed), and so do the
    title and the outcome, in the warning colour rather than the error one."""
    from dataclasses import replace

    clock = FakeClock()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot, clock)
        screen.running = True
        for event in run_until(clock, "upload", final_state=ev.RUNNING):
            screen.apply(event)
        screen.token.cancel()
        screen.apply(ev.StepChanged("upload", ev.FAILED, clock.now, "cancelled by the user"))
        for key in ("upload", "vm", "pool", "folder"):
            screen.apply(ev.StepChanged(key, ev.ROLLED_BACK, clock.now))
        result = replace(failed_result(), failed_step="upload", error="cancelled by the user", cancelled=True)
        screen.apply(ev.Finished(result, clock.now))
        await pilot.pause()
        row = screen.query_one(StepList).row("upload")
        assert str(row.query_one(".step-state").render()) == "cancelled, rolled back" and row.has_class("-cancelled")
        assert "failed" not in _static_text(screen, "#provision-title")
        assert "cancelled" in _static_text(screen, "#provision-title")
        outcome = screen.query_one("#outcome")
        assert outcome.has_class("-cancelled") and not outcome.has_class("-error")
        assert _static_text(screen, "#outcome").startswith("⊘ VCH vch-demo NOT created: cancelled")


def _footer_keys(screen) -> dict[str, str]:
    """What the footer offers, key -> word (the help key's f1 alias left out)."""
    shown = screen.active_bindings.items()
    return {key: a.binding.description for key, a in shown if a.binding.show and a.enabled and key != "f1"}


async def test_the_footer_fits_the_state_and_retry_follows_a_clean_failure(make_app):
    clock = FakeClock()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot, clock)
        screen.running = True
        screen.refresh_bindings()
        for event in run_until(clock, "power", final_state=ev.FAILED):
            screen.apply(event)
        assert _footer_keys(screen) == {"escape": "Cancel", "question_mark": "Help"}
        screen.running = False
        screen.apply(ev.Finished(failed_result(left=["VM folder Datacenter/vm/vch-demo"]), clock.now))
        await pilot.pause()
        assert _footer_keys(screen) == {"escape": "Back", "question_mark": "Help"}  # something left: no retry
        screen.apply(ev.Finished(failed_result(), clock.now))  # a clean failure instead
        await pilot.pause()
        assert _footer_keys(screen) == {"escape": "Back", "r": "Retry", "question_mark": "Help"}
        assert "r runs the same create again" in _static_text(screen, "#outcome")
        await pilot.press("r")
        await pilot.pause()
        again = app.screen
        assert isinstance(again, ProvisionScreen) and again is not screen and again.spec == screen.spec
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert again.refused  # no session here: planning is refused, and said so
        assert _footer_keys(again)["r"] == "Retry"
