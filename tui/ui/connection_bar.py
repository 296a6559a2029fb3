"""The one-line connection status every shell screen shows: target, user, how the certificate is trusted."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Label

TRUSTED_BY = {
    "ca": "trusted by CA",
    "fingerprint": "trusted by fingerprint",
    "plain-http": "plain HTTP, not encrypted",
}


@dataclass(frozen=True)
class ConnectionInfo:
    target: str  # host:port
    user: str
    trusted_by: str  # "ca", "fingerprint" or "plain-http"
    about: str  # e.g. "VMware vCenter Server 6.5.0 build-5973321"

    @property
    def trust_text(self) -> str:
        return TRUSTED_BY.get(self.trusted_by, self.trusted_by)


class ConnectionBar(Horizontal):
    """Follows `app.connection` (a ConnectionInfo, or None when not connected)."""

    def compose(self) -> ComposeResult:
        yield Label(id="conn-state")
        yield Label(id="conn-target")
        yield Label(id="conn-user")
        yield Label(id="conn-trust")
        yield Label(id="conn-about")

    def on_mount(self) -> None:
        self.watch(self.app, "connection", self._show)

    def _show(self, info: ConnectionInfo | None) -> None:
        state = self.query_one("#conn-state", Label)
        parts = {
            "#conn-target": info.target if info else "",
            "#conn-user": info.user if info else "",
            "#conn-trust": info.trust_text if info else "",
            "#conn-about": info.about if info else self._connect_hint(),
        }
        state.update(Content("● connected" if info else "○ not connected"))
        self.set_class(info is not None, "-connected")
        self.set_class(info is None, "-disconnected")
        self.set_class(info is not None and info.trusted_by == "plain-http", "-plain-http")
        for selector, text in parts.items():
            label = self.query_one(selector, Label)
            label.update(Content(text))  # server text may hold [brackets]: no markup
            label.display = bool(text)

    def _connect_hint(self) -> str:
        """Only a key that works on this screen: `o` where the screen binds it, else the palette."""
        screen = self.screen
        if getattr(screen, "replaying", False):
            return "a replay: no vCenter needed"
        if any(b.action == "app.connect" for b in getattr(screen, "BINDINGS", ()) if hasattr(b, "action")):
            return "press o to connect"
        return "ctrl+p, Connect… to connect"
