"""The wizard's modals: a file path prompt (load / save answers), the leave and create confirmations, step help."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Static

from tui.core.spec.model import TlsMode, VchSpec
from tui.core.vch.plan import iso_lines
from tui.ui.help import HelpScreen, KeyHelp
from tui.ui.provision.confirm import ConfirmModal


class PathPrompt(ModalScreen[Path | None]):
    """Asks for a file path; dismisses with the Path, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="path.cancel", tooltip="Close without a file")]

    def __init__(self, title: str, action: str, value: str, *, must_exist: bool) -> None:
        super().__init__()
        self.title_text, self.action_text, self.value, self.must_exist = title, action, value, must_exist

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="path-dialog"):
            yield Static(Content(self.title_text), classes="dialog-title")
            yield Input(self.value, id="path", compact=True, placeholder="path of the answers file (.toml)")
            yield Static(id="path-status", classes="muted")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button(self.action_text, id="ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()
        self._status(self.value)

    @on(Input.Changed, "#path")
    def _changed(self, event: Input.Changed) -> None:
        self._status(event.value)

    def _status(self, text: str) -> None:
        path = Path(text.strip()).expanduser() if text.strip() else None
        if path is None:
            note = "give a file name"
        elif path.is_dir():
            note = f"{path} is a folder: add a file name"
        elif self.must_exist and not path.is_file():
            note = f"{path} does not exist"
        elif not self.must_exist and path.exists():
            note = f"{path} exists and will be replaced"
        elif not self.must_exist and not path.parent.is_dir():
            note = f"the folder {path.parent} does not exist"
        else:
            note = ""
        self.query_one("#path-status", Static).update(Content(note))

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#ok")
    def _ok(self, event) -> None:
        event.stop()
        text = self.query_one("#path", Input).value.strip()
        if text:
            self.dismiss(Path(text).expanduser())

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


def confirm_leave() -> ConfirmModal:
    return ConfirmModal(
        "Leave the wizard?",
        "Your answers are not saved. Save them from any step (ctrl+s) to create "
        "the same VCH later with vch-tui create --answers FILE.",
        yes="Leave",
        no="Stay",
    )


def confirm_create(spec: VchSpec, target: str) -> ConfirmModal:
    res = spec.resources
    tls = spec.tls_mode()
    files = (
        "no certificates (plain HTTP)" if tls == TlsMode.NO_TLS else f"certificates in {spec.effective_tls_cert_path()}"
    )
    datastore = (spec.image_store or "the only datastore").removeprefix("ds://").split("/")[0]
    body = (
        f"On {target}, in {spec.compute_resource or 'the only compute resource'}: the VM folder and resource "
        f"pool {spec.name}, and the endpoint VM ({res.endpoint_cpu} vCPU, {res.endpoint_memory} MB) with its "
        f"ISOs on {datastore}; {files}. If a step fails, everything this run made is removed again.\n\n"
        + "\n".join(iso_lines(spec))
    )
    return ConfirmModal(f"Create VCH {spec.name}?", body, yes="Create", no="Back", severity="warning")


class StepHelp(HelpScreen):
    """The shell's key help with, above the keys, what the current step is for."""

    def __init__(self, title: str, text: str, rows: list[KeyHelp]) -> None:
        super().__init__(title, rows)
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="help-dialog"):
            yield Static(Content(self.screen_title), classes="dialog-title")
            yield Static(Content(self.text), classes="dialog-body")
            yield DataTable(id="help-keys", cursor_type="none", zebra_stripes=True, show_cursor=False)
            yield Static(Content("ctrl+p opens the command palette · escape closes this help"), classes="muted")
