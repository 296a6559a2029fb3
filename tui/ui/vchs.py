"""The VCHs on the target: a list (NAME, PATH, ID, VERSION, POWER, DOCKER HOST, UPGRADE STATUS), an inspect view, and delete
with a confirmation modal that names everything it will remove. All vSphere work runs in thread workers;
the handlers here own the widgets. `backend` lets tests hand in stand-in data functions.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Checkbox, DataTable, Footer, Header, Static

from tui.core.present.env import export_lines
from tui.core.present.inspect import inspection_sections, rows_text
from tui.core.present.listing import COLUMNS, incomplete, vch_row
from tui.core.present.outcome import DeleteOutcome
from tui.core.vsphere.faults import error_text
from tui.ui.connection_bar import ConnectionBar
from tui.ui.destinations import destination, screen_class
from tui.ui.provision.confirm import ConfirmModal


def _default(name: str) -> Callable:
    def call(*args, **kwargs):
        if name == "list_vchs":
            module = importlib.import_module("tui.core.vch.site")
        elif name == "inspect_vch":
            module = importlib.import_module("tui.core.vch.inspection")
        else:
            module = importlib.import_module("tui.core.vch.teardown")
        return getattr(module, name)(*args, **kwargs)

    return call


@dataclass
class VchBackend:
    """The blocking calls the VCH screens make (each runs in a worker)."""

    list: Callable[..., list] = _default("list_vchs")
    inspect: Callable[..., Any] = _default("inspect_vch")
    plan_delete: Callable[..., Any] = _default("plan_delete")
    delete: Callable[..., Any] = _default("delete_vch")


# --- the delete confirmation ----------------------------------------------------------------------


class DeleteModal(ConfirmModal):
    """Names everything delete removes; with running container VMs, Delete stays off until the force box is
    ticked. Dismisses with True (delete, forcing as ticked) or False."""

    def __init__(self, plan) -> None:
        lines = ["This removes from vSphere:"] + [f"  • {line}" for line in plan.describe()]
        if plan.kept():
            lines += ["", "Left alone:"] + [f"  • {line}" for line in plan.kept()]
        super().__init__(
            f"Delete VCH {plan.name}?",
            "\n".join(lines),
            yes="Delete",
            no="Back",
            severity="error",
            dialog_id="delete-dialog",
        )
        self.plan = plan
        self.force = False

    def needs_force(self) -> bool:
        return bool(self.plan.powered_on) or not getattr(self.plan, "version_ok", True)

    def compose_extra(self) -> ComposeResult:
        if not self.needs_force():
            return
        what = []
        if self.plan.powered_on:
            what.append(f"power off and delete the {len(self.plan.powered_on)} running container VM(s)")
        if not getattr(self.plan, "version_ok", True):
            what.append(f"delete although it runs VIC {self.plan.version or '(unknown)'}")
        stores = self.plan.forced_removals() if hasattr(self.plan, "forced_removals") else []
        if stores:
            what.append(f"also remove {len(stores)} volume store(s)")
        text = "; ".join(what)
        yield Checkbox(text[:1].upper() + text[1:], id="force")

    def on_mount(self) -> None:
        super().on_mount()
        from textual.widgets import Button

        self.query_one("#yes", Button).disabled = self.needs_force()

    @on(Checkbox.Changed, "#force")
    def _force(self, event: Checkbox.Changed) -> None:
        from textual.widgets import Button

        self.force = event.value
        self.query_one("#yes", Button).disabled = not event.value


# --- inspect --------------------------------------------------------------------------------------


class VchInspectScreen(Screen[None]):
    HELP_TITLE = "Inspect a VCH"
    CSS_PATH = "provision/vchs.tcss"
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", id="inspect.back", tooltip="Back to the VCH list"),
        Binding(
            "r",
            "reload",
            "Refresh",
            id="inspect.refresh",
            tooltip="Read the VCH again (and ask its Docker API, when the VCH has an address)",
        ),
        Binding(
            "y", "copy_env", "Copy docker env", id="inspect.copy", tooltip="Copy the docker environment as export lines"
        ),
    ]

    class Loaded(Message):
        def __init__(self, result: Any = None, error: str | None = None) -> None:
            super().__init__()
            self.result, self.error = result, error

    def __init__(self, session, name: str, backend: VchBackend | None = None, *, ref: str | None = None) -> None:
        """`name` is shown; `ref` (the endpoint VM id, when names repeat) is what is looked up."""
        super().__init__()
        self.session, self.vch_name, self.backend = session, name, backend or VchBackend()
        self.ref = ref or name
        self.result: Any = None
        self.refreshed = False

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="inspect-body", classes="focus-bar"):
            yield Static(Content(f"VCH {self.vch_name}"), classes="title")
            yield Static(Content("Reading the VCH…"), id="inspect-status", classes="muted")
            yield Vertical(id="inspect-sections")
        yield ConnectionBar()
        yield Footer()

    def on_mount(self) -> None:
        self._reload()

    def action_reload(self) -> None:
        self.refreshed = True  # say so when it is read again: the sections may look just the same
        self._reload()

    def _reload(self) -> None:
        self.query_one("#inspect-status", Static).update(Content("Reading the VCH…"))
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="inspect", description="inspect the VCH")
    def _load(self) -> None:
        try:
            self.post_message(self.Loaded(self.backend.inspect(self.session, self.ref)))
        except Exception as err:  # noqa: BLE001 - shown on the screen, never a crash
            self.post_message(self.Loaded(error=error_text(err)))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        status = self.query_one("#inspect-status", Static)
        if message.error:
            status.update(Content(message.error))
            status.set_classes("-error")
            return
        self.result = message.result
        status.update(Content(self._keys_hint(message.result)))
        status.set_classes("muted")
        box = self.query_one("#inspect-sections", Vertical)
        box.remove_children()
        widgets = []
        for section in inspection_sections(message.result):
            widgets.append(Static(Content(section.title), classes="section"))
            widgets.append(Static(Content(rows_text(section.rows) or "  (none)"), classes="inspect-rows"))
        box.mount_all(widgets)
        self.refresh_bindings()
        if self.refreshed:
            self.refreshed = False
            probed = "; Docker API asked" if message.result.docker_env else ""
            self.notify(f"VCH {self.vch_name} read again{probed}", markup=False, timeout=3)

    @staticmethod
    def _keys_hint(result) -> str:
        """Only what the keys do for this VCH: no address, nothing to probe and no environment to copy."""
        if not result.docker_env:
            return "r reads the VCH again (it has no Docker API address to ask)"
        return "r reads the VCH again and asks its Docker API · y copies the docker environment"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "copy_env":
            return bool(self.result is not None and self.result.docker_env)
        return True

    def action_copy_env(self) -> None:
        if self.result is None or not self.result.docker_env:
            return
        self.app.copy_to_clipboard("\n".join(export_lines(self.result.docker_env)))
        self.notify("Docker environment copied to the clipboard", markup=False)


# --- the list -------------------------------------------------------------------------------------


class VchListScreen(Screen[None]):
    HELP_TITLE = "VCHs"
    CSS_PATH = "provision/vchs.tcss"
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", id="vchs.back", tooltip="Back to the home screen"),
        Binding(
            "enter,i",
            "inspect",
            "Inspect",
            id="vchs.inspect",
            tooltip="Spec, endpoint, docker environment and Docker API health of the selected VCH",
        ),
        Binding(
            "d,delete",
            "delete",
            "Delete",
            id="vchs.delete",
            tooltip="Delete the selected VCH (asks first, naming everything it removes)",
        ),
        Binding("r", "reload", "Refresh", id="vchs.refresh", tooltip="Read the VCH list again"),
        Binding("c", "app.open_destination('create')", "Create", id="vchs.create", tooltip="Create a VCH"),
        Binding("m", "monitor", "Monitor", id="vchs.monitor", tooltip="Contention dashboard for the selected VCH"),
    ]

    class Listed(Message):
        def __init__(self, vchs: list | None = None, error: str | None = None) -> None:
            super().__init__()
            self.vchs, self.error = vchs, error

    class DeletePlanned(Message):
        def __init__(self, plan: Any = None, error: str | None = None) -> None:
            super().__init__()
            self.plan, self.error = plan, error

    class DeleteProgress(Message):
        def __init__(self, text: str, level: str = "info") -> None:
            super().__init__()
            self.text, self.level = text, level

    class Deleted(Message):
        def __init__(self, name: str, result: Any = None, error: str | None = None) -> None:
            super().__init__()
            self.name, self.result, self.error = name, result, error

    def __init__(self, session=None, *, backend: VchBackend | None = None) -> None:
        super().__init__()
        self.session = session
        self.backend = backend or VchBackend()
        self.vchs: list = []
        self.refreshed = False
        self.busy: str | None = None  # "delete" while a delete runs

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="vchs-body"):
            yield Static(Content("VCHs on this target"), classes="title")
            yield DataTable(id="vch-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="vchs-status", classes="muted")
        yield ConnectionBar()
        yield Footer()

    def on_mount(self) -> None:
        self._reload()

    # -- listing ------------------------------------------------------------------------------------

    def action_reload(self) -> None:
        self.refreshed = True  # say so when it is read again: the list may look just the same
        self._reload()

    def _reload(self) -> None:
        self._status("Reading the VCHs…")
        self._list()

    @work(thread=True, exclusive=True, exit_on_error=False, group="vchs", description="list the VCHs")
    def _list(self) -> None:
        try:
            self.post_message(self.Listed(self.backend.list(self.session)))
        except Exception as err:  # noqa: BLE001
            self.post_message(self.Listed(error=error_text(err)))

    @on(Listed)
    def _listed(self, message: Listed) -> None:
        if message.error:
            self._status(message.error, "error")
            return
        self.show(message.vchs or [])
        if self.refreshed:
            self.refreshed = False
            self.notify(f"VCH list read again: {len(self.vchs)} VCH(s)", markup=False, timeout=3)

    def show(self, vchs: list) -> None:
        self.vchs = list(vchs)
        rows = [vch_row(v) for v in self.vchs]
        table = self.query_one(DataTable)
        table.clear(columns=True)
        # fixed widths from the data: auto-sized columns added in the same refresh can render too narrow
        for index, column in enumerate(COLUMNS):
            table.add_column(column, key=column, width=max([len(column)] + [len(r[index]) for r in rows]))
        for v, row in zip(self.vchs, rows, strict=True):
            table.add_row(*(Text(cell) for cell in row), key=v.id)
        left = incomplete(self.vchs)
        text = f"{len(self.vchs)} VCH(s)" if self.vchs else "No VCHs on this target: c creates one"
        if left:
            text += f" · * being created or left by an interrupted create ({', '.join(left)}): d deletes it"
        self._status(text)
        self.refresh_bindings()

    def selected(self):
        table = self.query_one(DataTable)
        if not self.vchs or table.cursor_row < 0 or table.cursor_row >= len(self.vchs):
            return None
        return self.vchs[table.cursor_row]

    def _status(self, text: str, kind: str = "muted") -> None:
        status = self.query_one("#vchs-status", Static)
        status.update(Content(text))
        status.set_classes(kind if kind == "muted" else f"-{kind}")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("inspect", "delete", "monitor"):
            return self.selected() is not None and self.busy is None
        return True

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_inspect()

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()

    # -- inspect and monitor ----------------------------------------------------------------------------

    def action_inspect(self) -> None:
        from tui.core.vch.teardown import JOURNAL_PREFIX

        vch = self.selected()
        if vch is None:
            return
        if vch.id.startswith(JOURNAL_PREFIX):
            self.notify(
                f"{vch.name} is what an interrupted create left (no endpoint VM to inspect): d deletes it",
                severity="warning",
                markup=False,
            )
            return
        self.app.push_screen(VchInspectScreen(self.session, vch.name, self.backend, ref=vch.id))

    def action_monitor(self) -> None:
        vch = self.selected()
        if vch is None:
            return
        monitor = screen_class(destination("monitor"))
        if monitor is None:
            self.notify("The dashboard is not part of this build", severity="warning", markup=False)
            return
        self.app.push_screen(monitor(session=self.session, vch=vch.name))

    # -- delete -------------------------------------------------------------------------------------

    def action_delete(self) -> None:
        vch = self.selected()
        if vch is None or self.busy:
            return
        self.busy = "delete"
        self.refresh_bindings()
        self._status(f"Looking at what VCH {vch.name} owns…")
        self._plan_delete(vch.id)

    @work(thread=True, exit_on_error=False, group="vchs-delete", description="plan the delete")
    def _plan_delete(self, vch_id: str) -> None:
        try:
            self.post_message(self.DeletePlanned(self.backend.plan_delete(self.session, vch_id)))
        except Exception as err:  # noqa: BLE001
            self.post_message(self.DeletePlanned(error=error_text(err)))

    @on(DeletePlanned)
    def _delete_planned(self, message: DeletePlanned) -> None:
        if message.error:
            self.busy = None
            self._status(message.error, "error")
            self.refresh_bindings()
            return
        plan = message.plan
        modal = DeleteModal(plan)

        def decided(yes: bool | None) -> None:
            if not yes:
                self.busy = None
                self._status("Delete cancelled: nothing was changed")
                self.refresh_bindings()
                return
            self._status(f"Deleting VCH {plan.name}…", "busy")
            self._delete(plan, modal.force)

        self.app.push_screen(modal, callback=decided)

    @work(thread=True, exit_on_error=False, group="vchs-delete", description="delete the VCH")
    def _delete(self, plan, force: bool) -> None:
        from tui.core.vch.events import LogLine

        def report(event) -> None:
            if isinstance(event, LogLine):
                self.post_message(self.DeleteProgress(event.text, event.level))

        try:
            result = self.backend.delete(self.session, plan, force=force, on_event=report)
        except Exception as err:  # noqa: BLE001
            self.post_message(self.Deleted(plan.name, error=error_text(err)))
            return
        self.post_message(self.Deleted(plan.name, result))

    @on(DeleteProgress)
    def _delete_progress(self, message: DeleteProgress) -> None:
        self._status(message.text, "error" if message.level == "error" else "busy")

    @on(Deleted)
    def _deleted(self, message: Deleted) -> None:
        self.busy = None
        if message.error:
            self.notify(f"VCH {message.name} not deleted: {message.error}", severity="error", timeout=15, markup=False)
        else:
            outcome = DeleteOutcome.of(message.result)
            if outcome.ok:
                self.notify(outcome.headline, markup=False)
            else:
                self.notify(f"{outcome.headline}\n{outcome.remedy}", severity="error", timeout=20, markup=False)
        self.action_reload()
