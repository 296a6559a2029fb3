"""Shown for a job whose screen is not part of this build yet; says so plainly."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tui.ui.connection_bar import ConnectionBar


class NotAvailableScreen(Screen[None]):
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back", id="nav.back", tooltip="Back to the previous screen")]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.feature = title
        self.HELP_TITLE = title

    def compose(self) -> ComposeResult:
        yield Header()
        with Center(), Vertical(id="not-available"):
            yield Static(Content(self.feature), classes="title")
            yield Static(Content("This feature is not available in this build yet."))
            yield Static(Content("Press escape to go back."), classes="muted")
        yield ConnectionBar()
        yield Footer()
