"""A modal that shows a message and offers only Close: errors and refusals the user cannot override."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class MessageModal(ModalScreen[None]):
    """`body` is plain text (server messages may hold [brackets]); `severity` is "error" or "warning"."""

    BINDINGS = [Binding("escape", "close", "Close", id="modal.close", tooltip="Close this message")]

    def __init__(self, title: str, body: str, *, severity: str = "error") -> None:
        super().__init__(classes=f"-{severity}")
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.title_text), classes="dialog-title")
            yield Static(Content(self.body), classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Close", id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
