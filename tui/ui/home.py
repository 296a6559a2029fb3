"""The first screen: the three jobs as a menu, and the connection status."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from tui.ui.connection_bar import ConnectionBar
from tui.ui.destinations import DESTINATIONS


class HomeScreen(Screen[None]):
    HELP_TITLE = "Home"
    BINDINGS = [
        Binding(
            "c",
            "app.open_destination('create')",
            "Create",
            id="home.create",
            tooltip="Create a VCH: wizard, review, provision",
        ),
        Binding("v", "app.open_destination('vchs')", "VCHs", id="home.vchs", tooltip="List the VCHs on the target"),
        Binding(
            "m",
            "app.open_destination('monitor')",
            "Monitor",
            id="home.monitor",
            tooltip="Watch CPU and memory contention per container",
        ),
        Binding(
            "o", "app.connect", "Connect", id="home.connect", tooltip="Connect to a vCenter or ESXi (or switch target)"
        ),
        Binding("q", "app.quit", "Quit", id="home.quit", tooltip="Quit vch-tui"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Center(), Vertical(id="home-menu"):
            yield Static(Content("What do you want to do?"), classes="title")
            options: list[Option | None] = []
            for dest in DESTINATIONS:
                if options:
                    options.append(None)  # a separator line
                options.append(Option(Text.assemble((dest.title, "bold"), "\n", dest.summary), id=dest.key))
            yield OptionList(*options, id="jobs")
            yield Static(
                Content("enter opens a job · ? shows every key · ctrl+p finds any command"), classes="muted hint"
            )
        yield ConnectionBar()
        yield Footer()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.app.open_destination(event.option.id)  # type: ignore[attr-defined]
