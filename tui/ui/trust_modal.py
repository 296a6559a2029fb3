"""Ask whether to trust a server certificate that no CA vouches for and whose fingerprint is unknown."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static


def split_fingerprint(fingerprint: str, per_line: int = 16) -> str:
    """Colon hex in lines of `per_line` bytes, so a SHA-256 fits a narrow dialog."""
    octets = fingerprint.split(":")
    return "\n".join(":".join(octets[i : i + per_line]) for i in range(0, len(octets), per_line))


class TrustModal(ModalScreen[bool]):
    """Dismisses with True when the user accepts (the caller saves the fingerprint), False otherwise."""

    BINDINGS = [Binding("escape", "reject", "Reject", id="trust.reject", tooltip="Do not trust this certificate")]

    def __init__(self, host: str, port: int, sha256: str, sha1: str, *, saved_in: str | None = None) -> None:
        super().__init__()
        self.host, self.port, self.sha256, self.sha1 = host, port, sha256, sha1
        self.saved_in = saved_in

    def compose(self) -> ComposeResult:
        target = f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"
        with Vertical(classes="dialog", id="trust-dialog"):
            yield Static(Content("Unknown server certificate"), classes="dialog-title")
            yield Static(
                Content(
                    f"{target} presented a certificate that no trusted CA has signed, "
                    "and its fingerprint is not in your known hosts. "
                    "Compare the fingerprint with the one your vSphere admin gives you before you accept it."
                ),
                classes="dialog-body",
            )
            with Grid(id="fingerprints"):
                yield Label("SHA-256", classes="fp-name")
                yield Static(Content(split_fingerprint(self.sha256)), id="sha256", classes="fp-value")
                yield Label("SHA-1", classes="fp-name")
                yield Static(Content(self.sha1), id="sha1", classes="fp-value")
            where = f" in {self.saved_in}" if self.saved_in else ""
            yield Static(
                Content(f"Accept saves the SHA-256 fingerprint{where}; later connections check it."), classes="muted"
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Reject", id="reject", variant="default")
                yield Button("Accept and remember", id="accept", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#reject", Button).focus()  # the safe choice is the default

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "accept")

    def action_reject(self) -> None:
        self.dismiss(False)
