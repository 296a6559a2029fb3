"""The wizard's modals: a file path prompt (load / save answers), leave-without-saving, and step help."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Static

from tui.ui.help import HelpScreen, KeyHelp


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


class ConfirmLeave(ModalScreen[bool]):
    BINDINGS = [Binding("escape", "stay", "Stay", id="leave.stay", tooltip="Back to the wizard")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content("Leave the wizard?"), classes="dialog-title")
            yield Static(Content("Your answers are not saved. Save them from the summary (ctrl+s) to create the "
                                 "same VCH later with vch-tui create --answers FILE."), classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Stay", id="stay", variant="primary")
                yield Button("Leave", id="leave", variant="error")

    def on_mount(self) -> None:
        self.query_one("#stay", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "leave")

    def action_stay(self) -> None:
        self.dismiss(False)


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
