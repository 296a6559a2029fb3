"""The create-a-VCH wizard: eight steps over one pure VchSpec, validated on every change.

The screen owns the spec, the target facts (inventory + capacity, read in a thread worker) and the
problems; the steps (tui/ui/wizard/step_*.py) only turn widgets into spec values and back. Next is
disabled while the current step has an error; the summary's Create hands the spec to the provisioning
screen (tui.ui.provision.ProvisionScreen) when this build has it.
"""

from __future__ import annotations

import importlib
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    ContentSwitcher,
    DataTable,
    Footer,
    Header,
    Input,
    RadioSet,
    Select,
    Static,
)
from textual.worker import get_current_worker

from tui.core.errors import InvalidInput
from tui.core.present.command import vic_machine_command
from tui.core.problems import Problem, ProblemsError, errors_only
from tui.core.spec.answers import load_answers, save_answers
from tui.core.spec.model import VchSpec, answer_keys
from tui.core.spec.ops_user import OpsCredentials, resolve_ops_credentials
from tui.core.spec.validate_local import validate_local
from tui.core.vch.plan import RunOptions
from tui.core.vch.plan import check as plan_check  # everything `vch-tui create` checks before it plans
from tui.core.vch.validate_target import TargetFacts, load_target_facts, validate_against
from tui.core.vsphere.faults import error_text
from tui.core.vsphere.session import FrontEndSession
from tui.ui.connect import ConnectScreen
from tui.ui.connection_bar import ConnectionBar
from tui.ui.help import key_help
from tui.ui.message_modal import MessageModal
from tui.ui.wizard.base import Step
from tui.ui.wizard.dialogs import PathPrompt, StepHelp, confirm_create, confirm_leave
from tui.ui.wizard.step_compute import ComputeStep
from tui.ui.wizard.step_container_networks import ContainerNetworksStep
from tui.ui.wizard.step_general import ConnectStep, GeneralStep
from tui.ui.wizard.step_networks import NetworksStep
from tui.ui.wizard.step_security import SecurityStep
from tui.ui.wizard.step_storage import StorageStep
from tui.ui.wizard.step_summary import SummaryStep
from tui.ui.wizard.texts import STEP_HELP
from tui.ui.wizard.tls_files import certificate_file_problems

STEPS: tuple[type[Step], ...] = (
    ConnectStep,
    GeneralStep,
    ComputeStep,
    StorageStep,
    NetworksStep,
    ContainerNetworksStep,
    SecurityStep,
    SummaryStep,
)
_EDITS = (Input.Changed, Select.Changed, Checkbox.Changed, RadioSet.Changed)
# Filling a step from the spec must not feed back: its change messages (and table cursor moves) are blocked.
_FILL_BLOCKS = (*_EDITS, DataTable.RowHighlighted)
PROVISION_MODULE = "tui.ui.provision"


class StepLabel(Static):
    """One line of the step list; a click jumps to a step already reached."""

    def __init__(self, index: int, title: str) -> None:
        super().__init__(id=f"steplabel-{index}", classes="step-label", markup=False)
        self.index, self.title = index, title

    def on_click(self) -> None:
        self.screen.jump(self.index)  # type: ignore[attr-defined]


class WizardScreen(Screen[None]):
    """`WizardScreen(session=None, spec=None)`: a VchSpec pre-fills every step (e.g. a loaded answers file)."""

    CSS_PATH = "wizard.tcss"
    # Below 100 columns the step list folds into one line over the form ("2/8 General  ✓1 ▸2 ✗3 …").
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    BINDINGS = [
        Binding("ctrl+n", "next", "Next", id="wizard.next", tooltip="Next step (also Enter on the Next button)"),
        Binding("ctrl+b", "back", "Back", id="wizard.back", tooltip="Previous step"),
        Binding(
            "escape",
            "back_or_leave",
            "Back",
            show=False,
            id="wizard.escape",
            tooltip="Previous step; on the first step, leave the wizard",
        ),
        Binding("question_mark,f1", "help", "Help", id="wizard.help", tooltip="What this step is for, and its keys"),
        Binding(
            "ctrl+o", "load_answers", "Load", id="wizard.load", tooltip="Fill every step from an answers file (TOML)"
        ),
        Binding(
            "ctrl+s", "save_answers", "Save", id="wizard.save", tooltip="Save the answers so far as an answers file"
        ),
        Binding("ctrl+r", "reload", "Reload", id="wizard.reload", tooltip="Read the vSphere inventory again"),
    ]

    class FactsLoaded(Message):
        def __init__(self, facts: TargetFacts) -> None:
            super().__init__()
            self.facts = facts

    class FactsFailed(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class FullyChecked(Message):
        def __init__(self, spec: VchSpec, problems: list[Problem]) -> None:
            super().__init__()
            self.spec, self.problems = spec, problems

    def __init__(
        self,
        session: FrontEndSession | None = None,
        spec: VchSpec | None = None,
        *,
        facts_loader: Callable[[Any], TargetFacts] | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.spec = spec if spec is not None else VchSpec()
        self._initial_spec = self.spec
        self._saved_spec: VchSpec | None = None
        self._facts_loader = facts_loader or load_target_facts
        self.facts: TargetFacts | None = None
        self.problems: list[Problem] = []
        self.index = 0
        self.reached = 0
        self._advanced_once = False
        self._asking_to_create = False  # Create pressed, its question not up yet
        self._reloading = False  # ctrl+r asked: say when the inventory is read again
        self._full: tuple[VchSpec, list[Problem]] | None = None  # the last full check and the spec it was for
        self._nav_shown: object = None
        self._focus_create_when_ready = False  # the summary waits for the check to enable Create, then focuses it
        self._provisioning = False
        self._ops: OpsCredentials | None = None  # the ops user's credentials for the run (never in the spec)
        self._steps: list[Step] = [cls() for cls in STEPS]
        # No problem is shown before the user touched its field, or pressed Next on its step; a spec handed in
        # (e.g. a loaded answers file) shows every problem at once.
        self._touched: set[str] = set()
        self._revealed: set[int] = set(range(len(STEPS))) if spec is not None else {len(STEPS) - 1}

    @property
    def HELP_TITLE(self) -> str:  # noqa: N802 (the app's help reads this name)
        return f"Create a VCH: {self.step.TITLE}"

    @property
    def step(self) -> Step:
        return self._steps[self.index]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="wizard-body"):
            with Vertical(id="wizard-steps"):
                yield Static(Content("Create a VCH"), classes="title")
                for index, step in enumerate(self._steps):
                    yield StepLabel(index, step.TITLE)
            with Vertical(id="wizard-main"):
                yield Static(id="step-title", classes="title")
                yield Static(id="step-strip", classes="title")
                with ContentSwitcher(id="wizard-pages", initial=self._steps[0].id):
                    yield from self._steps
                with Horizontal(id="wizard-nav"):
                    yield Static(id="step-status")
                    back = Button("Back", id="back", compact=True)
                    back.can_focus = False  # keyboard: ctrl+b / escape; Tab goes from the last field to Next
                    yield back
                    yield Button("Next", id="next", variant="primary", compact=True)
        yield ConnectionBar()
        yield Footer()

    def on_mount(self) -> None:
        self._fill_all()
        self._show_connection()
        self.go(0)
        if self.session is None:
            self._ask_connect(auto_connect=True)
        else:
            self._load()

    # -- connection and inventory -----------------------------------------------------------------------

    def _ask_connect(self, *, auto_connect: bool) -> None:
        def done(connected: bool | None) -> None:
            if connected:
                self.session = getattr(self.app, "session", None)
                self._show_connection()
                self._load()

        options = getattr(self.app, "connect_options", None)
        self.app.push_screen(ConnectScreen(options, auto_connect=auto_connect), callback=done)

    def _show_connection(self) -> None:
        step = self._steps[0]
        assert isinstance(step, ConnectStep)
        if self.session is None:
            step.set_connection("Not connected. Connect to the vCenter or ESXi the VCH goes on.", False)
            step.set_inventory("The inventory is read once connected.", "idle")
            return
        label, about, user = self.session.target_label, self.session.about, self.session.user
        step.set_connection(
            f"Connected to {label}" + (f" as {user}" if user else "") + (f"\n{about}" if about else ""), True
        )

    def _load(self) -> None:
        if self.session is None:
            return
        step = self._steps[0]
        assert isinstance(step, ConnectStep)
        step.set_inventory("Reading the inventory (clusters, hosts, pools, datastores, networks)…", "busy")
        self._read_facts(self.session)

    @work(thread=True, exclusive=True, exit_on_error=False, group="inventory", description="read the vSphere inventory")
    def _read_facts(self, session: FrontEndSession) -> None:
        worker = get_current_worker()
        message: Message
        try:
            message = self.FactsLoaded(self._facts_loader(session))
        except Exception as err:  # noqa: BLE001 - pyvmomi faults and socket errors: shown, never a crash
            message = self.FactsFailed(error_text(err, "reading the inventory"))
        if not worker.is_cancelled:
            self.post_message(message)

    @on(FactsLoaded)
    def _facts_loaded(self, message: FactsLoaded) -> None:
        self.facts = message.facts
        self._full = None
        inv = message.facts.inventory
        step = self._steps[0]
        assert isinstance(step, ConnectStep)
        summary = (
            f"Datacenter {inv.datacenter}: {len(inv.compute)} compute resources, "
            f"{len(inv.datastores)} datastores, {len(inv.networks)} networks, "
            f"{len(inv.vm_names)} VMs."
        )
        step.set_inventory(summary, "ok")
        if self._reloading:
            self._reloading = False
            self.notify(f"Inventory read again. {summary}", markup=False, timeout=4)
        self._fill_all()
        self.revalidate()
        if not self._advanced_once and self.index == 0:
            self._advanced_once = True
            self.go(1)

    @on(FactsFailed)
    def _facts_failed(self, message: FactsFailed) -> None:
        step = self._steps[0]
        assert isinstance(step, ConnectStep)
        step.set_inventory(message.text + "\nPress ctrl+r to try again.", "error")
        self.revalidate()

    # -- the spec ---------------------------------------------------------------------------------------

    def _fill(self, step: Step) -> None:
        with self.prevent(*_FILL_BLOCKS):
            step.show(self.spec, self.facts)

    def _fill_all(self) -> None:
        for step in self._steps:
            self._fill(step)

    def edit(self, change: Callable[[VchSpec], VchSpec], *, refill: bool = False) -> None:
        """Change the spec (steps call this for list edits); `refill` shows the result in the current step."""
        self.spec = change(self.spec)
        self._revealed.add(self.index)  # a list edit (add, remove) touches the whole step
        if refill:
            self._fill(self.step)
        self.revalidate()

    def refill(self, step: Step) -> None:
        self._fill(step)
        self.revalidate()

    def _step_of(self, widget: Widget) -> Step | None:
        for node in widget.ancestors_with_self:
            if isinstance(node, Step):
                return node
        return None

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(RadioSet.Changed)
    def _edited(self, event: Message) -> None:
        control = getattr(event, "control", None)  # every message this handles has one (Input, Select, …)
        step = self._step_of(control) if isinstance(control, Widget) else None
        if step is None or isinstance(step, (ConnectStep, SummaryStep)):
            return
        before, self.spec = self.spec, step.apply(self.spec)
        self._touched |= {key for key in answer_keys() if before.get(key) != self.spec.get(key)}
        if control_id := getattr(event.control, "id", None):  # type: ignore[attr-defined]
            self._touched.add(control_id)
        if isinstance(step, GeneralStep):  # the compute resource decides which datastores are offered
            self._fill(self._steps[STEPS.index(StorageStep)])
        self.revalidate()

    @on(Input.Submitted)
    def _enter_moves_on(self, event: Input.Submitted) -> None:
        if self._step_of(event.input) is None:
            return
        event.stop()
        self.focus_next()

    def all_problems(self) -> list[Problem]:
        local = [p for step in self._steps for p in step.local_problems(self.spec)]
        return self.problems + local

    def step_problems(self, index: int) -> list[Problem]:
        step = self._steps[index]
        return [p for p in self.all_problems() if step.owns(p.field)]

    def visible_problems(self, index: int) -> list[Problem]:
        """The problems drawn on step `index`: all once revealed, else only those of fields the user touched."""
        problems = self.step_problems(index)
        if index in self._revealed:
            return problems
        return [
            p
            for p in problems
            if any(p.field == key or p.field.startswith((key + "[", key + ".")) for key in self._touched)
        ]

    @property
    def checked(self) -> bool:
        """True once the full check (files included) has answered for the spec as it is now."""
        return self._full is not None and self._full[0] == self.spec

    def revalidate(self) -> None:
        """Show the problems of the spec as it is now. The pure checks run here; the full check of
        `vch-tui create` (it also reads the ISOs, the certificate folder and custom certificate files) runs in a
        thread worker and replaces them when it answers for this same spec."""
        if self.checked:
            problems = self._full[1]  # type: ignore[index]
        else:
            problems = validate_local(self.spec)
            if self.facts is not None:
                problems += validate_against(self.spec, self.facts)
                self._check_fully(self.spec, self.facts)
        self.problems = problems
        for index, step in enumerate(self._steps):
            step.show_problems(self.visible_problems(index))
        self.step.on_show_spec(self.spec, self.facts)
        self._show_nav()

    @work(thread=True, exclusive=True, exit_on_error=False, group="check", description="check the spec fully")
    def _check_fully(self, spec: VchSpec, facts: TargetFacts) -> None:
        worker = get_current_worker()
        try:
            problems = plan_check(spec, facts)
            problems += certificate_file_problems(spec, problems)
        except Exception as err:  # a checker bug must not take the wizard down; it blocks Create instead
            problems = [
                *validate_local(spec),
                Problem("summary", f"the full check failed: {type(err).__name__}: {err}"),
            ]
        if not worker.is_cancelled:
            self.post_message(self.FullyChecked(spec, problems))

    @on(FullyChecked)
    def _fully_checked(self, message: FullyChecked) -> None:
        if message.spec == self.spec:
            self._full = (message.spec, message.problems)
            self.revalidate()

    # -- navigation -------------------------------------------------------------------------------------

    def blocker(self, index: int) -> str | None:
        """Why Next is disabled on step `index` (None when it is not)."""
        if index == 0:
            if self.session is None:
                return "Connect first."
            if self.facts is None:
                return "Waiting for the inventory…"
            return None
        errors = errors_only(self.step_problems(index))
        if errors:
            return f"{len(errors)} problem{'s' if len(errors) != 1 else ''} to fix on this step."
        return None

    def ready_to_create(self) -> tuple[bool, str]:
        if self.session is None or self.facts is None:
            return False, "Not connected to the target, or its inventory is not read yet."
        if not self.checked:
            return False, "Checking…"
        errors = errors_only(self.all_problems())
        if errors:
            steps = sorted({s.TITLE for s in self._steps for p in errors if s.owns(p.field)})
            where = f" (on: {', '.join(steps)})" if steps else ""
            return False, f"{len(errors)} problem{'s' if len(errors) != 1 else ''} to fix before creating{where}."
        return True, ""

    def _show_nav(self) -> None:
        last = self.index == len(self._steps) - 1
        if last:
            ready, why = self.ready_to_create()
            nav = ("Create", "success", not ready, "" if ready else why)
        else:
            blocker = self.blocker(self.index)
            problems = self.visible_problems(self.index)
            warnings = len(problems) - len(errors_only(problems))
            if blocker is not None and self.index > 0 and not errors_only(problems):
                blocker = None  # nothing drawn yet: Next shows the problems and goes to the first one
            status = blocker or (
                f"{warnings} warning{'s' if warnings != 1 else ''}: Next still works." if warnings else ""
            )
            nav = ("Next", "primary", blocker is not None and self.index == 0, status)
        labels = []
        for index, step in enumerate(self._steps):
            bad = index > 0 and index <= self.reached and bool(errors_only(self.visible_problems(index)))
            done = not bad and (
                (0 < index < self.reached and index in self._revealed) or (index == 0 and self.facts is not None)
            )
            mark = "▸" if index == self.index else ("✗" if bad else ("✓" if done else " "))
            labels.append((f"{mark} {index + 1} {step.TITLE}", index == self.index, bad, index > self.reached))
        state = (self.index, nav, labels)
        if state == self._nav_shown:
            return  # nothing changed: skip the repaint and the bindings refresh (this runs on every keystroke)
        self._nav_shown = state
        label_text, variant, disabled, status = nav
        next_button = self.query_one("#next", Button)
        next_button.label, next_button.variant, next_button.disabled = label_text, variant, disabled
        if last and not disabled and self._focus_create_when_ready:
            self._focus_create_when_ready = False
            focused = self.focused
            if focused is None or (self.step not in focused.ancestors and focused.id not in ("next", "back")):
                next_button.focus(scroll_visible=False)
        self.query_one("#back", Button).disabled = self.index == 0
        self.query_one("#step-status", Static).update(Content(status))
        self.query_one("#step-status").set_class(bool(status) and disabled, "-blocked")
        self.query_one("#step-strip", Static).update(self._strip(labels))
        for index, (text, current, bad, ahead) in enumerate(labels):
            label = self.query_one(f"#steplabel-{index}", StepLabel)
            label.update(Content(text))
            label.set_class(current, "-current")
            label.set_class(bad, "-errors")
            label.set_class(ahead, "-ahead")
        self.refresh_bindings()

    def _strip(self, labels: list[tuple[str, bool, bool, bool]]) -> Content:
        """The folded step list: `2/8 General` and one mark per step (✓ done, ✗ problems, ▸ here)."""
        parts: list[Content | tuple[str, str] | str] = [
            (f"{self.index + 1}/{len(self._steps)} {self.step.TITLE}", "bold"),
            "  ",
        ]
        for index, (text, current, bad, ahead) in enumerate(labels):
            mark = text.split(" ", 1)[0].strip()
            style = "bold $text-error" if bad else ("$text-disabled" if ahead else "$text-muted")
            if current:
                style = "bold reverse"
            parts.append((f"{mark}{index + 1}" if mark else f" {index + 1}", style))
            parts.append(" ")
        return Content.assemble(*parts)

    def go(self, index: int) -> None:
        index = max(0, min(index, len(self._steps) - 1))
        self._focus_create_when_ready = False
        self.index = index
        self.reached = max(self.reached, index)
        step = self.step
        self.query_one("#wizard-pages", ContentSwitcher).current = step.id
        self.query_one("#step-title", Static).update(Content(f"Step {index + 1} of {len(self._steps)}: {step.TITLE}"))
        self._fill(step)
        self.revalidate()
        self.call_after_refresh(self._focus_first, step)

    def _focus_first(self, step: Step) -> None:
        if isinstance(step, SummaryStep):  # read from the top; Enter creates
            step.scroll_home(animate=False)
            create = self.query_one("#next", Button)
            # A disabled button takes no focus: while the background check has not enabled Create yet, it
            # gets the focus when it is enabled (_show_nav), unless the user has moved it by then.
            self._focus_create_when_ready = create.disabled
            create.focus(scroll_visible=False)
            return
        for widget in self.focus_chain:
            if step in widget.ancestors and not isinstance(widget, (Step, DataTable)):
                widget.focus()
                return
        self.query_one("#next", Button).focus()

    def jump(self, index: int) -> None:
        if index <= self.reached:
            self.go(index)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next":  # the last step's Create is the button only: a repeated ctrl+n must not create
            if self.index == len(self._steps) - 1:
                return False  # not offered at all there (the footer and help list only keys that work)
            return True if self.index > 0 or self.blocker(0) is None else None
        if action == "back":
            return True if self.index > 0 else None
        return True

    def action_next(self) -> None:
        if self.index >= len(self._steps) - 1:
            return
        if self.blocker(self.index) is None:
            self._revealed.add(self.index)
            self.go(self.index + 1)
            return
        if self.index == 0:
            return
        # blocked: draw every problem of this step and put the cursor on the first one
        self._revealed.add(self.index)
        self.revalidate()
        errors = errors_only(self.step_problems(self.index))
        widget = self.step.first_field(errors)
        if widget is not None:
            widget.focus()
        else:
            for slot in self.step.query("FieldProblems"):
                if slot.display:
                    self.step.scroll_to_widget(slot, animate=False)
                    break

    def action_back(self) -> None:
        if self.index > 0:
            self.go(self.index - 1)

    def action_back_or_leave(self) -> None:
        if self.index > 0:
            self.go(self.index - 1)
        elif not self.unsaved:
            self.dismiss(None)
        else:

            def leave_if_asked(leave: bool | None) -> None:
                if leave:
                    self.dismiss(None)

            self.app.push_screen(confirm_leave(), callback=leave_if_asked)

    @property
    def unsaved(self) -> bool:
        """True when the answers differ from the ones the wizard opened with and from the last saved ones."""
        return self.spec not in (self._initial_spec, self._saved_spec)

    def asked_before_quitting(self) -> bool:
        """The app's ctrl+q: with unsaved answers, ask (Leave quits); True when it asked."""
        if not self.unsaved:
            return False

        def quit_if_asked(leave: bool | None) -> None:
            if leave:
                self.app.exit()

        self.app.push_screen(confirm_leave(), callback=quit_if_asked)
        return True

    @on(Button.Pressed, "#next")
    def _next_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if self.index == len(self._steps) - 1:
            self.create()
        else:
            self.action_next()

    @on(Button.Pressed, "#back")
    def _back_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_back()

    @on(Button.Pressed, "#connect-button")
    def _connect_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self._ask_connect(auto_connect=False)

    @on(Button.Pressed, "#reload-button")
    def _reload_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_reload()

    def action_reload(self) -> None:
        if self.session is not None and self.index != 0:  # the inventory line is on the Connect step only
            self.notify("Reading the vSphere inventory again…", markup=False, timeout=3)
        self._reloading = True
        self._load()

    def action_help(self) -> None:
        step = self.step
        self.app.push_screen(StepHelp(self.HELP_TITLE, STEP_HELP.get(step.KEY, ""), key_help(self.app, self)))

    # -- summary: command, copy, save, load, create -----------------------------------------------------------

    def command(self, *, multiline: bool = True) -> str:
        return vic_machine_command(self.spec, self.session, multiline=multiline)

    def refresh_summary(self) -> None:
        summary = self._steps[-1]
        assert isinstance(summary, SummaryStep)
        ready, why = self.ready_to_create()
        summary.show_summary(self.spec, self.all_problems(), self.command(), ready, why)

    @on(Button.Pressed, "#copy-command")
    def _copy(self, event: Button.Pressed) -> None:
        event.stop()
        self.app.copy_to_clipboard(self.command(multiline=False))
        # OSC 52 gets no answer: through tmux or a terminal that ignores it, nothing tells whether it worked
        self.notify(
            "The vic-machine command was sent to the clipboard (no password in it). Terminals and tmux "
            "may ignore this without telling: if paste gives nothing, Save answers (ctrl+s) writes a file "
            "to create from.",
            title="Copied",
            timeout=10,
        )

    @on(Button.Pressed, "#save-answers")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save_answers()

    def action_save_answers(self) -> None:
        name = self.spec.name.strip() if isinstance(self.spec.name, str) and self.spec.name.strip() else "vch"
        prompt = PathPrompt("Save the answers file", "Save", f"{name}.toml", must_exist=False)
        self.app.push_screen(prompt, callback=self._save_to)

    def _in_start_dir(self, path: Path) -> Path:
        """A relative path is the folder vch-tui (or the demo) was started from, not the demo's temporary one."""
        start = Path(getattr(self.app, "start_dir", None) or Path.cwd())
        return path if path.is_absolute() else (start / path).absolute()

    def headless_command(self, path: Path) -> str:
        """`vch-tui create` for a saved answers file, with the target, user and pinned thumbprint of this session."""
        words = ["vch-tui", "create", "--answers", str(path)]
        if self.session is not None:
            words += ["-t", self.session.target_label]
            if self.session.user:
                words += ["-u", self.session.user]
            if self.session.pinned_sha1:
                words += ["--thumbprint", self.session.pinned_sha1]
        return shlex.join(words)

    def _save_to(self, path: Path | None) -> None:
        if path is None:
            return
        path = self._in_start_dir(path)
        try:
            save_answers(self.spec, path)
        except OSError as err:
            self.app.push_screen(MessageModal("Answers file not saved", f"{path}: {err.strerror or err}"))
            return
        self._saved_spec = self.spec
        errors = errors_only(self.all_problems())
        note = f" It still has {len(errors)} problem(s) to fix." if errors else ""
        self.notify(
            f"Saved {path}.{note}\nCreate headless:\n{self.headless_command(path)}",
            title="Answers saved",
            markup=False,
            timeout=15,
        )

    def action_load_answers(self) -> None:
        self.app.push_screen(PathPrompt("Load an answers file", "Load", "", must_exist=True), callback=self._load_from)

    def _load_from(self, path: Path | None) -> None:
        if path is None:
            return
        path = self._in_start_dir(path)
        try:
            spec = load_answers(path)
        except ProblemsError as err:
            self.app.push_screen(MessageModal("Answers file not loaded", str(err)))
            return
        self.load_spec(spec)
        self.notify(f"Every step is filled from {path}.", title="Answers loaded", markup=False)

    def load_spec(self, spec: VchSpec) -> None:
        self.spec = spec
        self._saved_spec = spec
        self._revealed = set(range(len(self._steps)))
        self._steps[STEPS.index(ContainerNetworksStep)].current = None  # type: ignore[attr-defined]
        self._fill_all()
        self.revalidate()

    def create(self) -> None:
        """Ask, then hand the spec to the provisioning screen (the Create button; no key creates by itself)."""
        ready, why = self.ready_to_create()
        if not ready:
            self.notify(why, severity="warning", markup=False)
            return
        try:
            self._ops = resolve_ops_credentials(self.spec.ops_user, self.query_one(GeneralStep).ops_password())
        except InvalidInput as err:
            self.notify(f"{err.field}: {err}", severity="error", markup=False)
            return
        if self._asking_to_create:
            return  # a second press while the question is being prepared
        # the question reads the ISOs and can take a moment: say so on the button at once (it keeps the
        # focus: a disabled button would lose it)
        self._asking_to_create = True
        self.query_one("#next", Button).label = "Checking…"
        self.call_after_refresh(self._ask_to_create)

    def _ask_to_create(self) -> None:
        target = self.session.target_label if self.session is not None else "the target"
        try:
            question = confirm_create(self.spec, target)
        finally:
            self._asking_to_create = False
            self._nav_shown = None  # the button gets its label back
            self._show_nav()
        self.app.push_screen(question, callback=self._create_decided)

    def _create_decided(self, create: bool | None) -> None:
        if not create:
            return
        try:
            module = importlib.import_module(PROVISION_MODULE)
        except ModuleNotFoundError as exc:
            if not (exc.name and PROVISION_MODULE.startswith(exc.name)):
                raise
            self.app.push_screen(
                MessageModal(
                    "Provisioning is not available in this build",
                    "The spec is complete, but this build cannot provision a VCH yet. Save the answers file (ctrl+s) "
                    "and run vch-tui create --answers FILE once provisioning is available, or run the vic-machine "
                    "command shown on the summary.",
                    severity="warning",
                )
            )
            return
        self._provisioning = True
        self.app.push_screen(
            module.ProvisionScreen(session=self.session, spec=self.spec, options=RunOptions(ops=self._ops))
        )

    def on_screen_resume(self) -> None:
        if self._provisioning:  # back from provisioning: the target has changed (or was rolled back), read it again
            self._provisioning = False
            self._load()
