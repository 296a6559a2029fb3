"""Step 8: every value, every problem and warning, the equivalent vic-machine command; copy, save, create."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, Static

from tui.core.present.risk import no_tls_risk
from tui.core.problems import Problem, errors_only
from tui.core.spec.model import FIELDS, FIREWALL_LEVELS, TlsMode, VchSpec
from tui.core.vch.validate_target import TargetFacts
from tui.ui.wizard.base import Step, problem_content, shown
from tui.ui.wizard.step_security import TLS_KEYS, tls_keys_shown

KEY_WIDTH = 26

# What vic-machine assumes for a key left out, in words (keys not listed: the default is the value itself).
_EFFECTIVE = {
    "compute_resource": lambda s: "the only cluster or host",
    "image_store": lambda s: "the only datastore",
    "bridge_network": lambda s: f"the VCH name: {s.effective_bridge_network()}",
    "client_network": lambda s: f"same as public: {s.effective_client_network()}",
    "management_network": lambda s: f"same as client: {s.effective_management_network()}",
    "tls_cert_path": lambda s: s.effective_tls_cert_path(),
    "tls_cname": lambda s: s.effective_tls_cname() or "none",
    "organization": lambda s: ", ".join(s.effective_organization()),
    "cpu": lambda s: "unlimited",
    "memory": lambda s: "unlimited",
    "cpu_reservation": lambda s: "none",
    "memory_reservation": lambda s: "none",
    "dns_server": lambda s: ", ".join(s.effective_dns_servers()) or "from DHCP",
    "public_network_ip": lambda s: "DHCP",
    "client_network_ip": lambda s: "DHCP" if not s.effective_role_ip("client") else "shared with public",
    "management_network_ip": lambda s: "DHCP" if not s.effective_role_ip("management") else "shared",
    "appliance_iso": lambda s: "appliance.iso in the current folder",
    "bootstrap_iso": lambda s: "bootstrap.iso in the current folder",
    "volume_store": lambda s: "none (no docker volumes)",
}


_MHZ = ("cpu", "cpu_reservation")
_MB = ("memory", "memory_reservation", "endpoint_memory")
_TLS_KEYS = frozenset(TLS_KEYS)


def human(key: str, value: object) -> str:
    """A value with its unit: 4000 → `4000 MHz`, 8192 → `8192 MB (8 GB)`, 4096 → `4096 bits`, 2 → `2 vCPUs`."""
    if isinstance(value, int) and not isinstance(value, bool):
        if key == "endpoint_cpu":  # vic-machine's --endpoint-cpu counts the endpoint VM's vCPUs, not MHz
            return f"{value} vCPU" + ("s" if value != 1 else "")
        if key in _MHZ:
            return f"{value} MHz" + (f" ({value / 1000:g} GHz)" if value >= 1000 else "")
        if key in _MB:
            return f"{value} MB" + (f" ({value / 1024:.3g} GB)" if value >= 1024 else "")
        if key == "certificate_key_size":
            return f"{value} bits"
    return shown(value)


def value_rows(spec: VchSpec) -> list[tuple[str, Content]]:
    rows: list[tuple[str, Content]] = []
    applies = tls_keys_shown(spec.tls_mode())
    for f in FIELDS:
        if f.key in _TLS_KEYS and f.key not in applies:
            continue  # a setting the chosen TLS mode does not use (the mode is its own row)
        value = spec.get(f.key)
        if value is None or value == ():
            effective = _EFFECTIVE.get(f.key)
            if effective is None:
                continue
            rows.append((f.key, Content.styled(f"(default) {effective(spec)}", "$text-muted")))
        elif value is False:
            continue
        else:
            rows.append((f.key, Content(human(f.key, value))))
    for index, cn in enumerate(spec.container_networks):
        parts = [f"{cn.port_group} as {cn.effective_alias()}", cn.gateway or "DHCP"]
        if cn.ip_range:
            parts.append("range " + shown(cn.ip_range))
        if cn.dns:
            parts.append("dns " + shown(cn.dns))
        level = cn.firewall.lower()
        rows.append(
            (
                f"container_network[{index}]",
                Content.assemble(
                    ", ".join(parts) + ", firewall ",
                    (cn.firewall, f"bold $fw-{level}" if level in FIREWALL_LEVELS else "bold"),
                ),
            )
        )
    mode = spec.tls_mode().value
    rows.append(("TLS mode", Content.styled(mode, f"bold $tls-{mode}")))
    return rows


class SummaryStep(Step):
    KEY = "summary"
    TITLE = "Summary"
    OWNS = ()

    def compose_fields(self) -> ComposeResult:
        yield Static(id="summary-status", classes="panel")
        yield Static(id="summary-values", classes="panel")
        yield Static(Content("Problems and warnings"), classes="section", id="summary-problems-title")
        yield Static(id="summary-problems", markup=False)
        yield Static(Content("The equivalent vic-machine command (no password)"), classes="section")
        yield Static(id="summary-command", classes="command", markup=False)
        with Horizontal(classes="step-buttons"):
            yield Button("Copy command", id="copy-command", compact=True)
            yield Button("Save answers file…", id="save-answers", compact=True)

    def show_summary(self, spec: VchSpec, problems: list[Problem], command: str, ready: bool, why: str) -> None:
        width = KEY_WIDTH
        self.query_one("#summary-values", Static).update(
            Content("\n").join(
                Content.assemble((key.ljust(width), "$text-muted"), value) for key, value in value_rows(spec)
            )
        )
        errors = errors_only(problems)
        status = self.query_one("#summary-status", Static)
        if ready:
            text = Content.styled("Ready to create. Review the values and the command below.", "bold $success")
        else:
            text = Content.styled(why, "bold $text-error")
        if spec.tls_mode() == TlsMode.NO_TLS:
            name = spec.name if isinstance(spec.name, str) and spec.name else "this VCH"
            text = Content("\n").join(
                [Content.styled("⚠ NO TLS: " + " ".join(no_tls_risk(name)), "bold $text-error"), text]
            )
        status.update(text)
        listing = self.query_one("#summary-problems", Static)
        listing.update(problem_content(problems, with_field=True) if problems else Content("None."))
        self.query_one("#summary-problems-title", Static).update(
            Content(f"Problems and warnings ({len(errors)} errors, {len(problems) - len(errors)} warnings)")
        )
        self.query_one("#summary-command", Static).update(Content(command))

    def on_show_spec(self, spec: VchSpec, facts: TargetFacts | None) -> None:
        self.screen.refresh_summary()  # type: ignore[attr-defined]
