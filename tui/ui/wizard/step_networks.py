"""Step 5: the bridge network and range, the public, client and management networks (DHCP or static), and the
proxies the Docker personality pulls images through."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Checkbox, Input, Select, Static

from tui.core.spec.model import DEFAULT_BRIDGE_RANGE, ROLES, VchSpec
from tui.core.vch.creation_notes import network_notes
from tui.core.vch.validate_target import TargetFacts, distributed_networks, usable_networks
from tui.ui.wizard.base import (
    FieldProblems,
    Step,
    field_row,
    fill_select,
    optional_text,
    select_value,
    shown,
    text_input,
    text_list,
)

_DEFAULT_OF = {"public": "(default: VM Network)", "client": "(same as public)", "management": "(same as client)"}
_GATEWAY_HINT = {"public": "e.g. 10.0.0.1", "client": "10.1.0.0/16:10.0.1.1", "management": "10.2.0.0/16:10.0.2.1"}


# (answers-file key, label, placeholder, note) of the proxy rows
_PROXY_ROWS = (
    ("http_proxy", "HTTP proxy", "(none) http://proxy:3128", "for image pulls"),
    ("https_proxy", "HTTPS proxy", "(none) http(s)://proxy:3128", None),
    ("no_proxy", "No proxy for", "* or localhost,.example.com", "hosts"),
)
_PROXY_KEYS = tuple(row[0] for row in _PROXY_ROWS)


class NetworksStep(Step):
    KEY = "networks"
    TITLE = "Networks"
    OWNS = (
        "bridge_network",
        "bridge_network_range",
        "dns_server",
        *_PROXY_KEYS,
        *(f"{role}_network{suffix}" for role in ROLES for suffix in ("", "_ip", "_gateway")),
    )

    def compose_fields(self) -> ComposeResult:
        yield field_row(
            "Bridge network",
            Select([], id="bridge_network", compact=True, prompt="(default: the VCH name)"),
            note="a port group of its own",
        )
        yield FieldProblems("bridge_network")
        yield Static(id="bridge-creates", classes="panel")
        yield field_row(
            "Bridge IP range",
            text_input(None, id="bridge_network_range", placeholder=DEFAULT_BRIDGE_RANGE),
            note="/16 or larger",
        )
        yield FieldProblems("bridge_network_range")
        for role in ROLES:
            yield field_row(
                f"{role.capitalize()} network",
                Select([], id=f"{role}_network", compact=True, prompt=_DEFAULT_OF[role]),
                Checkbox("static address", id=f"{role}-static", compact=True),
            )
            yield FieldProblems(f"{role}_network")
            yield field_row(
                "  address, gateway",
                text_input(None, id=f"{role}_network_ip", placeholder="IP/prefix, e.g. 10.0.0.2/24"),
                text_input(None, id=f"{role}_network_gateway", placeholder=f"gateway, {_GATEWAY_HINT[role]}"),
                id=f"{role}-static-row",
            )
            yield FieldProblems(f"{role}_network_ip", f"{role}_network_gateway")
        yield field_row(
            "DNS servers", text_input(None, id="dns_server", placeholder="DHCP's (comma-separated)"), note="at most 3"
        )
        yield FieldProblems("dns_server")
        for key, label, placeholder, note in _PROXY_ROWS:
            yield field_row(label, text_input(None, id=key, placeholder=placeholder), note=note)
            yield FieldProblems(key)

    def show(self, spec: VchSpec, facts: TargetFacts | None) -> None:
        every = [(n, n) for n in usable_networks(facts.inventory)] if facts else []
        # vCenter: a distributed port group; standalone ESXi: any of the host's (create makes a missing one)
        bridges = (
            distributed_networks(facts.inventory)
            if facts and facts.vcenter
            else usable_networks(facts.inventory)
            if facts
            else []
        )
        fill_select(self.query_one("#bridge_network", Select), [(n, n) for n in bridges], spec.bridge_network, facts)
        self.query_one("#bridge_network_range", Input).value = spec.bridge_network_range
        for role in ROLES:
            net = spec.role(role)
            fill_select(self.query_one(f"#{role}_network", Select), every, net.port_group, facts)
            self.query_one(f"#{role}-static", Checkbox).value = net.static
            self.query_one(f"#{role}_network_ip", Input).value = net.ip or ""
            self.query_one(f"#{role}_network_gateway", Input).value = net.gateway or ""
            self.query_one(f"#{role}-static-row").display = net.static
        self.query_one("#dns_server", Input).value = shown(spec.dns_server)
        for key in _PROXY_KEYS:
            self.query_one(f"#{key}", Input).value = spec.get(key) or ""

    def on_show_spec(self, spec: VchSpec, facts: TargetFacts | None) -> None:
        notes = network_notes(spec, facts)
        panel = self.query_one("#bridge-creates", Static)
        panel.display = bool(notes)
        panel.update(Content("\n".join(notes)))

    def apply(self, spec: VchSpec) -> VchSpec:
        values: dict[str, object] = {
            "bridge_network": select_value(self.query_one("#bridge_network", Select)),
            "bridge_network_range": self.query_one("#bridge_network_range", Input).value.strip(),
            "dns_server": text_list(self.query_one("#dns_server", Input).value),
        }
        for key in _PROXY_KEYS:
            values[key] = optional_text(self.query_one(f"#{key}", Input).value)
        for role in ROLES:
            static = self.query_one(f"#{role}-static", Checkbox).value
            self.query_one(f"#{role}-static-row").display = static
            values[f"{role}_network"] = select_value(self.query_one(f"#{role}_network", Select))
            for part in ("ip", "gateway"):
                text = self.query_one(f"#{role}_network_{part}", Input).value
                values[f"{role}_network_{part}"] = optional_text(text) if static else None
        return spec.with_values(values)
