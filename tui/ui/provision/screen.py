"""Provision a VCH with live progress: the plan's steps with their state and elapsed time, a byte progress
bar while the ISOs upload, a live log, and Cancel (with confirmation) that rolls back what the run made.

The blocking work (inventory read, plan, run) happens in one thread worker; it only posts messages, and the
handlers here update the widgets. On success the screen shows the endpoint address, the docker environment
(`y` copies it), where the certificates are, and `m` opens the dashboard for this VCH.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Callable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, ProgressBar, Static

from tui.core.cancel import CancelToken
from tui.core.present.inspect import rows_text
from tui.core.present.outcome import NOTHING_LEFT, RunOutcome, refused_headline
from tui.core.present.plan import plan_lines
from tui.core.present.progress import log_text
from tui.core.present.risk import NO_TLS_TITLE, no_tls_risk
from tui.core.spec.model import VchSpec
from tui.core.vch import events as ev
from tui.core.vch.plan import PlannedStep, RunOptions
from tui.core.vch.prerequisites import (
    CONSENT_TITLE,
    PERSIST_NETWORK_BACKING,
    consent_text,
    read_prerequisites,
    set_persist_backing,
)
from tui.core.vsphere.faults import error_text
from tui.ui.connection_bar import ConnectionBar
from tui.ui.destinations import destination, screen_class
from tui.ui.provision.confirm import ConfirmModal
from tui.ui.provision.step_list import StepList
from tui.ui.wrapped_log import WrappedLog


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e5 else f"{n:,} bytes"


def outcome_text(outcome: RunOutcome) -> str:
    """What the outcome panel says, as plain lines (the words come from tui.core.present)."""
    if outcome.ok:
        lines = [
            f"✓ {outcome.headline}",
            "",
            rows_text(outcome.facts, indent=""),
            "",
            "Docker environment (y copies it):",
        ] + [f"  {line}" for line in outcome.exports]
        lines += ["", "m opens the dashboard for this VCH · escape goes back"]
        return "\n".join(lines)
    mark = "⊘" if outcome.cancelled else "✗"
    lines = [f"{mark} {outcome.headline}", "", outcome.error or ""]
    if outcome.removed:
        lines += ["", "Rolled back:"] + [f"  {item}" for item in outcome.removed]
    if outcome.left:
        lines += ["", "LEFT BEHIND (a cleanup call failed):"] + [f"  {item}" for item in outcome.left]
        lines += ["", f"Delete it from the VCH list, or run: {outcome.remedy}"]
    elif outcome.clean:
        lines += ["", NOTHING_LEFT.capitalize() + "."]
    lines += ["", "r runs the same create again · escape goes back" if not outcome.left else "escape goes back"]
    return "\n".join(lines)


class ProvisionScreen(Screen[None]):
    """`ProvisionScreen(session=, spec=)` plans and runs at once. `autostart=False` leaves it idle so a test
    can drive it with `show_plan()` and `apply()`; `clock` is the time source for elapsed times."""

    HELP_TITLE = "Create a VCH: progress"
    CSS_PATH = "provision.tcss"
    # below 110 columns the log stacks under the steps (provision.tcss), and the body scrolls
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS = [
        # escape cancels while a run goes on, goes back once it has ended: two bindings, so the footer says which
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="provision.cancel",
            tooltip="Cancel and roll back what this run made (asks first)",
        ),
        Binding("escape", "back", "Back", id="provision.back", tooltip="Back to the wizard"),
        Binding(
            "r",
            "retry",
            "Retry",
            id="provision.retry",
            tooltip="Run the same create again (offered when nothing of this run is left)",
        ),
        Binding(
            "y",
            "copy_env",
            "Copy docker env",
            id="provision.copy",
            tooltip="Copy the export lines of the docker environment to the clipboard",
        ),
        Binding(
            "m",
            "open_monitor",
            "Dashboard",
            id="provision.monitor",
            tooltip="Open the contention dashboard for the new VCH",
        ),
    ]

    class Planned(Message):
        def __init__(self, steps: list[PlannedStep], warnings: list[str]) -> None:
            super().__init__()
            self.steps, self.warnings = steps, warnings

    class Refused(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class ConsentNeeded(Message):
        """The plan needs vCenter's PersistNetworkBacking set: ask before anything is changed or created."""

        def __init__(self, plan) -> None:
            super().__init__()
            self.plan = plan

    class Progress(Message):
        def __init__(self, event: ev.Event) -> None:
            super().__init__()
            self.event = event

    def __init__(
        self,
        session=None,
        spec: VchSpec | None = None,
        *,
        options: RunOptions | None = None,
        clock: Callable[[], float] = time.monotonic,
        autostart: bool = True,
    ) -> None:
        super().__init__()
        if spec is None:
            raise ValueError("ProvisionScreen needs the spec to create")
        self.session, self.spec, self.options, self.clock = session, spec, options, clock
        self.autostart = autostart
        self.token = CancelToken()
        self.result: ev.RunResult | None = None
        self.outcome: RunOutcome | None = None  # what the outcome panel shows, as data
        self.refused: str | None = None
        self.running = False

    # -- layout -------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with ScrollableContainer(id="provision-body", classes="focus-bar"):
            with Vertical(id="provision-left"):
                yield Static(Content(f"Creating VCH {self.spec.name}"), id="provision-title", classes="title")
                yield Static(
                    Content("Reading the inventory and planning the steps…"), id="provision-planning", classes="muted"
                )
                yield StepList(id="provision-steps")
                with Vertical(id="upload"):
                    yield Label("", id="upload-label")
                    yield ProgressBar(id="upload-bar", show_eta=False, total=None)
                yield Static(id="outcome")
            with Vertical(id="provision-right"):
                yield Label("Log", classes="section")
                yield WrappedLog(id="provision-log")
        yield ConnectionBar()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#upload").display = False
        self.query_one("#outcome").display = False
        self.query_one("#provision-planning").display = False
        self.set_interval(1.0, self._tick)
        if self.autostart:
            self.start()

    def _tick(self) -> None:
        self.query_one(StepList).tick(self.clock())

    # -- start ------------------------------------------------------------------------------------

    def start(self) -> None:
        if self.spec.tls.no_tls:
            self.app.push_screen(
                ConfirmModal(
                    NO_TLS_TITLE,
                    " ".join(no_tls_risk(self.spec.name)),
                    yes="Create without TLS",
                    no="Back",
                    severity="error",
                ),
                callback=self._no_tls_decided,
            )
            return
        self._begin()

    def _no_tls_decided(self, accepted: bool | None) -> None:
        if accepted:
            self._begin()
        else:
            self.app.pop_screen()

    def _begin(self) -> None:
        self.running = True
        self.query_one("#provision-planning").display = True  # until the plan's steps arrive (seconds)
        self._catch_signals()
        self._log(f"reading the inventory and planning VCH {self.spec.name}")
        self._plan_and_run()
        self.refresh_bindings()

    @work(thread=True, exit_on_error=False, group="provision", description="provision the VCH")
    def _plan_and_run(self) -> None:
        from tui.core.vch.build import build_plan
        from tui.core.vch.validate_target import load_target_facts

        try:
            plan = build_plan(self.spec, load_target_facts(self.session), self.options)
        except Exception as err:  # noqa: BLE001 - pyvmomi and socket surprises too: shown, never a crash
            self.post_message(self.Refused(error_text(err, "planning")))
            return
        try:
            prerequisites = read_prerequisites(self.session, plan.targets.compute.hosts)
        except Exception as err:  # noqa: BLE001 - shown, never a crash
            self.post_message(self.Refused(error_text(err, "checking the vCenter prerequisites")))
            return
        plan.warnings.extend(prerequisites.problems())
        self.post_message(self.Planned(plan.describe(), [str(w) for w in plan.warnings]))
        if prerequisites.persist_backing_missing:
            self.post_message(self.ConsentNeeded(plan))
            return
        self._run(plan)

    def _run(self, plan) -> None:
        from tui.core.vch.runner import run_plan

        def forward(event) -> None:
            self.post_message(self.Progress(event))

        run_plan(plan, self.session, on_event=forward, cancel=self.token, clock=self.clock)

    @work(thread=True, exit_on_error=False, group="provision", description="set the vCenter setting, provision")
    def _set_setting_and_run(self, plan) -> None:
        try:
            set_persist_backing(self.session)
        except Exception as err:  # noqa: BLE001 - shown, never a crash
            self.post_message(self.Refused(error_text(err, f"setting {PERSIST_NETWORK_BACKING}")))
            return
        self.post_message(self.Progress(ev.LogLine(f"set {PERSIST_NETWORK_BACKING} = true on vCenter", self.clock())))
        self._run(plan)

    # -- what the worker reports (also the entry points for scripted tests) ----------------------------------

    def show_plan(self, steps: list[PlannedStep], warnings: list[str] | None = None) -> None:
        self.query_one("#provision-planning").display = False
        self.query_one(StepList).set_steps([(s.key, s.title) for s in steps])
        for line in plan_lines(steps, warnings or []):
            self._log(line)

    def apply(self, event: ev.Event) -> None:
        if isinstance(event, ev.StepChanged):
            self.query_one(StepList).apply(event, self.clock, cancelled=self.token.cancelled)
            if event.key == "upload":
                self.query_one("#upload").display = event.state == ev.RUNNING
        elif isinstance(event, ev.BytesSent):
            self.query_one("#upload-label", Label).update(
                Content(f"{event.label}: {_size(event.done)} of {_size(event.total)}")
            )
            self.query_one("#upload-bar", ProgressBar).update(total=max(event.total, 1), progress=event.done)
        elif isinstance(event, ev.LogLine):
            self._log(log_text(event))
        elif isinstance(event, ev.Finished):
            self._finish(event.result)

    # -- SIGTERM / SIGHUP while running: roll back like the CLI (a second one stops the rollback) -------

    SIGNALS = (signal.SIGTERM, signal.SIGHUP)

    def _catch_signals(self) -> None:
        self.exit_after_run = False
        try:
            loop = asyncio.get_running_loop()
            for sig in self.SIGNALS:
                loop.add_signal_handler(sig, self._signalled, sig)
        except (RuntimeError, NotImplementedError, ValueError):  # no loop of ours, or not the main thread
            return
        self._signals_caught = True

    def _release_signals(self) -> None:
        if not getattr(self, "_signals_caught", False):
            return
        self._signals_caught = False
        loop = asyncio.get_running_loop()
        for sig in self.SIGNALS:
            loop.remove_signal_handler(sig)

    def _signalled(self, sig: int) -> None:
        name = signal.Signals(sig).name
        if not self.running:
            return
        if self.token.cancelled:
            self._signalled_again(f"{name} again")
            self.app.exit(return_code=1)
            return
        self._cancel_then_exit(name, again="a second signal")

    def _signalled_again(self, what: str) -> None:
        self.token.abandon()
        self._log(
            f"{what}: stopping the rollback; `vch-tui ls` shows what is left and "
            f"`vch-tui delete {self.spec.name}` removes it"
        )

    def _cancel_then_exit(self, what: str, *, again: str) -> None:
        self.token.cancel()
        self.exit_after_run = True
        self._log(
            f"{what}: cancelling: the current call finishes, then everything this run created is rolled "
            f"back, and vch-tui exits ({again} stops the rollback)"
        )

    def asked_before_quitting(self) -> bool:
        """The app's ctrl+q / ctrl+c while creating: like the CLI's Ctrl-C, cancel, roll back, then exit (the
        first press); a second press stops the rollback and quits. True while vch-tui should not quit yet."""
        if not self.running:
            return False
        if self.token.cancelled:
            self._signalled_again("quit again")
            return False
        self._cancel_then_exit("quit", again="quitting again")
        self.notify(
            "Cancelling: what this run created is rolled back, then vch-tui exits (quit again to stop the rollback)",
            severity="warning",
            markup=False,
        )
        return True

    def refuse(self, text: str) -> None:
        self.running = False
        self.query_one("#provision-planning").display = False
        self._release_signals()
        self.refused = text
        self._log("not created: " + text.replace("\n", "\n  "))
        self._show_outcome(
            f"✗ {refused_headline(self.spec.name)}\n\n{text}\n\nr tries again · escape goes back", ok=False
        )

    @on(Planned)
    def _planned(self, message: Planned) -> None:
        self.show_plan(message.steps, message.warnings)

    @on(ConsentNeeded)
    def _consent_needed(self, message: ConsentNeeded) -> None:
        plan = message.plan

        def decided(accepted: bool | None) -> None:
            if accepted:
                self._set_setting_and_run(plan)
            else:
                self.refuse(f"{PERSIST_NETWORK_BACKING} was not changed, and nothing was created")

        self.app.push_screen(
            ConfirmModal(
                CONSENT_TITLE,
                consent_text(),
                yes="Set it and create",
                no="Back",
                severity="warning",
                dialog_id="vcenter-consent",
            ),
            callback=decided,
        )

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        self.refuse(message.text)

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        self.apply(message.event)

    # -- the end -----------------------------------------------------------------------------------

    def _finish(self, result: ev.RunResult) -> None:
        self.running = False
        self._release_signals()
        self.result = result
        self.outcome = RunOutcome.of(result)
        self.query_one("#upload").display = False
        kind = "ok" if result.ok else ("cancelled" if result.cancelled else "error")
        self._show_outcome(outcome_text(self.outcome), ok=result.ok, kind=kind)
        ended = "created" if result.ok else ("not created: cancelled" if result.cancelled else "not created")
        self.query_one("#provision-title", Static).update(Content(f"VCH {result.name} {ended}"))
        if getattr(self, "exit_after_run", False):  # a signal or a quit asked vch-tui to end once rolled back
            self.app.exit(result=result, return_code=0 if result.ok else 1)

    def _show_outcome(self, text: str, *, ok: bool, kind: str | None = None) -> None:
        outcome = self.query_one("#outcome", Static)
        outcome.update(Content(text))
        outcome.set_classes(f"-{kind or ('ok' if ok else 'error')}")
        outcome.display = True
        self.call_after_refresh(outcome.scroll_visible, top=True, animate=False)
        self.refresh_bindings()

    def _log(self, text: str) -> None:
        self.query_one("#provision-log", WrappedLog).write_line(text)

    # -- keys --------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        succeeded = self.result is not None and self.result.ok
        if action in ("copy_env", "open_monitor"):
            return succeeded
        if action == "cancel":
            return (None if self.token.cancelled else True) if self.running else False
        if action == "back":
            return not self.running
        if action == "retry":
            return self.retry_possible
        return True

    @property
    def retry_possible(self) -> bool:
        """After a refusal or a failure that left nothing behind (the same create cannot clash with itself)."""
        if self.running:
            return False
        if self.refused is not None:
            return True
        return self.outcome is not None and not self.outcome.ok and not self.outcome.left

    def action_back(self) -> None:
        if not self.running:
            self.app.pop_screen()

    def action_retry(self) -> None:
        if not self.retry_possible:
            return
        again = ProvisionScreen(self.session, self.spec, options=self.options, clock=self.clock)
        self.app.switch_screen(again)

    def action_cancel(self) -> None:
        if not self.running:
            return
        if self.token.cancelled:
            self.notify("Already cancelling: the rollback is running", markup=False)
            return

        def decided(yes: bool | None) -> None:
            if yes and self.running:
                self.token.cancel()
                self._log("cancel requested: the current call finishes, then this run's objects are rolled back")
                self.refresh_bindings()

        self.app.push_screen(
            ConfirmModal(
                f"Cancel creating {self.spec.name}?",
                "The call in progress finishes, then everything this run created so far is removed again.",
                yes="Cancel and roll back",
                no="Keep going",
            ),
            callback=decided,
        )

    def action_copy_env(self) -> None:
        if self.outcome is None or not self.outcome.ok:
            return
        self.app.copy_to_clipboard("\n".join(self.outcome.exports))
        self.notify("Docker environment copied to the clipboard", markup=False)

    def action_open_monitor(self) -> None:
        if self.result is None or not self.result.ok:
            return
        monitor = screen_class(destination("monitor"))
        if monitor is None:
            self.notify("The dashboard is not part of this build", severity="warning", markup=False)
            return
        self.app.push_screen(monitor(session=self.session, vch=self.result.name))
