"""A yes/no modal for destructive or risky choices. The safe answer has the focus; escape means no."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmModal(ModalScreen[bool]):
    """Dismisses with True only when the user presses the `yes` button. `body` is plain text."""

    BINDINGS = [Binding("escape", "no", "Back", id="confirm.no", tooltip="Close without doing it")]

    def __init__(
        self,
        title: str,
        body: str,
        *,
        yes: str,
        no: str = "Back",
        severity: str = "warning",
        dialog_id: str | None = None,
    ) -> None:
        super().__init__(classes=f"-{severity}")
        self.title_text, self.body, self.yes_label, self.no_label = title, body, yes, no
        self.dialog_id = dialog_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id=self.dialog_id):
            yield Static(Content(self.title_text), classes="dialog-title")
            yield Static(Content(self.body), classes="dialog-body")
            yield from self.compose_extra()
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.no_label, id="no", variant="primary")
                yield Button(self.yes_label, id="yes", variant="error")

    def compose_extra(self) -> ComposeResult:
        """Subclasses add widgets between the text and the buttons."""
        yield from ()

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_no(self) -> None:
        self.dismiss(False)
