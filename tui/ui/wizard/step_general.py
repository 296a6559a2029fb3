"""Steps 1 and 2: the connection (and the inventory read from it), then the name and compute resource."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, Input, Select, Static

from tui.core.secret import Secret
from tui.core.spec.model import DEFAULT_TIMEOUT, VchSpec
from tui.core.spec.ops_user import OPS_PASSWORD_ENV, ops_password_from_env
from tui.core.vch.validate_target import TargetFacts, capacity_of
from tui.core.vsphere.inventory_snapshot import ComputeResource
from tui.ui.wizard.base import FieldProblems, Step, field_row, fill_select, optional_text, select_value, text_input


class ConnectStep(Step):
    KEY = "connect"
    TITLE = "Connect"

    def compose_fields(self) -> ComposeResult:
        yield Static(id="connect-target", classes="panel")
        yield Static(id="connect-inventory", classes="panel")
        with Horizontal(classes="step-buttons"):
            yield Button("Connect…", id="connect-button", compact=True)
            yield Button("Reload inventory", id="reload-button", compact=True)

    def set_connection(self, text: str, connected: bool) -> None:
        self.query_one("#connect-target", Static).update(Content(text))
        self.query_one("#connect-button", Button).display = not connected
        self.query_one("#reload-button", Button).display = connected

    def set_inventory(self, text: str, kind: str) -> None:
        status = self.query_one("#connect-inventory", Static)
        status.update(Content(text))
        status.set_classes(f"panel -{kind}")


def compute_label(compute: ComputeResource, facts: TargetFacts) -> str:
    cap = capacity_of(compute, facts.capacity)
    hosts = f"{cap.hosts} host" + ("s" if cap.hosts != 1 else "")
    drs = "" if compute.kind == "host" else (", DRS on" if compute.drs else ", DRS off")
    return f"{compute.path}  ({compute.kind}, {hosts}{drs}, {cap.cpu_mhz} MHz, {cap.memory_mb / 1024:.1f} GB)"


class GeneralStep(Step):
    KEY = "general"
    TITLE = "General"
    OWNS = ("name", "compute_resource", "timeout", "appliance_iso", "bootstrap_iso", "ops_user", "ops_password")

    def compose_fields(self) -> ComposeResult:
        yield field_row("Name", text_input(None, id="name", placeholder="e.g. vch-1"), note="≤ 31 characters")
        yield FieldProblems("name")
        yield field_row(
            "Compute resource",
            Select([], id="compute_resource", compact=True, prompt="(choose a cluster, host or resource pool)"),
        )
        yield FieldProblems("compute_resource")
        yield Static(Content("Advanced"), classes="section")
        yield field_row(
            "Timeout",
            text_input(None, id="timeout", placeholder=DEFAULT_TIMEOUT),
            note="for the Docker API after power-on",
        )
        yield FieldProblems("timeout")
        yield field_row("Appliance ISO", text_input(None, id="appliance_iso", placeholder="./appliance.iso"))
        yield FieldProblems("appliance_iso")
        yield field_row("Bootstrap ISO", text_input(None, id="bootstrap_iso", placeholder="./bootstrap.iso"))
        yield FieldProblems("bootstrap_iso")
        yield field_row(
            "Ops user", text_input(None, id="ops_user", placeholder="(the login)"), note="the user the VCH runs as"
        )
        yield FieldProblems("ops_user")
        yield field_row(
            "Ops password", text_input(None, id="ops_password", password=True), note=f"or {OPS_PASSWORD_ENV}"
        )
        yield FieldProblems("ops_password")

    def on_mount(self) -> None:
        from_env = ops_password_from_env()
        if from_env:
            self.query_one("#ops_password", Input).value = from_env.reveal()

    def ops_password(self) -> Secret | None:
        """The password as typed (only ever held by the Input and RunOptions.ops; never in the spec)."""
        value = self.query_one("#ops_password", Input).value
        return Secret(value) if value else None

    def show(self, spec: VchSpec, facts: TargetFacts | None) -> None:
        self.query_one("#name", Input).value = spec.name
        options = []
        if facts is not None:
            options = [(compute_label(c, facts), c.path) for c in sorted(facts.inventory.compute, key=lambda c: c.path)]
        fill_select(self.query_one("#compute_resource", Select), options, spec.compute_resource, facts)
        self.query_one("#timeout", Input).value = spec.timeout if spec.timeout != DEFAULT_TIMEOUT else ""
        self.query_one("#appliance_iso", Input).value = spec.appliance_iso or ""
        self.query_one("#bootstrap_iso", Input).value = spec.bootstrap_iso or ""
        self.query_one("#ops_user", Input).value = spec.ops_user or ""

    def apply(self, spec: VchSpec) -> VchSpec:
        text = {
            key: self.query_one(f"#{key}", Input).value
            for key in ("name", "timeout", "appliance_iso", "bootstrap_iso", "ops_user")
        }
        return spec.with_values(
            {
                "name": text["name"],
                "compute_resource": select_value(self.query_one("#compute_resource", Select)),
                "timeout": text["timeout"].strip() or DEFAULT_TIMEOUT,
                "appliance_iso": optional_text(text["appliance_iso"]),
                "bootstrap_iso": optional_text(text["bootstrap_iso"]),
                "ops_user": optional_text(text["ops_user"]),
            }
        )
