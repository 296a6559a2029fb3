"""Step 6: container networks, added and removed, each with addresses and a firewall trust level explained."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.coordinate import Coordinate
from textual.widgets import Button, DataTable, Input, Label, RadioButton, RadioSet, Select, Static

from tui.core.problems import Problem, errors_only
from tui.core.spec.model import DEFAULT_FIREWALL, FIREWALL_LEVELS, ROLES, ContainerNetwork, VchSpec
from tui.core.vch.validate_target import TargetFacts, distributed_networks
from tui.ui.wizard.base import (
    ChoiceSet,
    FieldProblems,
    Step,
    belongs,
    cell,
    field_row,
    fill_select,
    optional_text,
    select_value,
    shown,
    text_input,
    text_list,
)
from tui.ui.wizard.texts import FIREWALL

_PARTS = ("port_group", "alias", "gateway", "ip_range", "dns")


def firewall_content(level: str) -> Content:
    label, passes, publish = FIREWALL.get(level, (level, "", ""))
    return Content("\n").join(
        [
            Content.assemble((label, f"bold $fw-{level}" if level in FIREWALL else "bold")),
            Content(passes),
            Content(publish),
        ]
    )


def unused_port_group(spec: VchSpec, facts: TargetFacts | None) -> str:
    if facts is None:
        return ""
    taken = {
        spec.effective_bridge_network(),
        *(spec.effective_port_group(r) for r in ROLES),
        *(cn.port_group for cn in spec.container_networks),
    }
    free = [n for n in distributed_networks(facts.inventory) if n not in taken]
    return free[0] if free else ""


class ContainerNetworksStep(Step):
    KEY = "container_networks"
    TITLE = "Container networks"
    OWNS = ("container_network",)

    def __init__(self) -> None:
        super().__init__()
        self.current: int | None = None
        self._rendered: list[tuple[str, ...]] | None = None  # the rows on screen, to skip needless refills

    def compose_fields(self) -> ComposeResult:
        yield Static(
            Content(
                "No container networks: containers reach the outside through the bridge network and "
                "the VCH's public address (NAT). Add one to attach containers straight to a port "
                "group."
            ),
            id="cn-empty",
            classes="panel",
        )
        table: DataTable[Any] = DataTable(id="cn-table", cursor_type="row", zebra_stripes=True)
        table.add_columns("#", "Port group", "Name in Docker", "Gateway", "IP range", "Firewall", "")
        yield table
        with Horizontal(classes="step-buttons"):
            yield Button("Add container network", id="cn-add", compact=True)
            yield Button("Remove selected", id="cn-remove", compact=True)
        with Vertical(id="cn-editor"):
            yield Static(id="cn-editing", classes="section")
            yield field_row(
                "Port group", Select([], id="cn-port_group", compact=True, prompt="(distributed port group)")
            )
            yield FieldProblems(id="cn-port_group-problems")
            yield field_row(
                "Name in Docker",
                text_input(None, id="cn-alias", placeholder="(the port group's name)"),
                note="docker network ls; no spaces",
            )
            yield FieldProblems(id="cn-alias-problems")
            yield field_row("Gateway", text_input(None, id="cn-gateway", placeholder="DHCP, or e.g. 10.20.0.1/24"))
            yield FieldProblems(id="cn-gateway-problems")
            yield field_row(
                "IP range",
                text_input(None, id="cn-ip_range", placeholder="e.g. 10.20.0.100-10.20.0.199 (comma-separated)"),
            )
            yield FieldProblems(id="cn-ip_range-problems")
            yield field_row("DNS servers", text_input(None, id="cn-dns", placeholder="(comma-separated)"))
            yield FieldProblems(id="cn-dns-problems")
            with Horizontal(id="cn-firewall-row"):
                yield Label("Firewall", classes="field-label")
                with ChoiceSet(id="cn-firewall"):
                    for level in FIREWALL_LEVELS:
                        label = level.capitalize() + (" (default)" if level == DEFAULT_FIREWALL else "")
                        yield RadioButton(label, id=f"fw-{level}", value=level == DEFAULT_FIREWALL)
                yield Static(id="cn-firewall-help")
            yield FieldProblems(id="cn-firewall-problems")

    # -- spec → widgets -------------------------------------------------------------------------------

    def show(self, spec: VchSpec, facts: TargetFacts | None) -> None:
        count = len(spec.container_networks)
        if count == 0:
            self.current = None
        elif self.current is None or self.current >= count:
            self.current = count - 1
        self._facts = facts
        self._fill_table(spec)
        self._fill_editor(spec, facts)

    def _fill_table(self, spec: VchSpec) -> None:
        table = self.query_one("#cn-table", DataTable)
        rows = [self._row(index, cn) for index, cn in enumerate(spec.container_networks)]
        rendered = [tuple(str(cell) for cell in row[:-1]) for row in rows]
        if rendered != self._rendered:  # clearing moves the cursor, which would pick another row
            self._rendered = rendered
            table.clear()
            for index, row in enumerate(rows):
                table.add_row(*row, key=str(index))
        has = bool(spec.container_networks)
        table.display = has
        self.query_one("#cn-empty").display = not has
        self.query_one("#cn-editor").display = has
        self.query_one("#cn-remove", Button).disabled = not has
        if self.current is not None and table.cursor_row != self.current:
            table.move_cursor(row=self.current, animate=False)

    def _row(self, index: int, cn: ContainerNetwork) -> list[object]:
        level = cn.firewall.lower()
        variable = f"fw-{level}" if level in FIREWALL else "text-error"
        return [
            str(index + 1),
            cn.port_group,
            cn.effective_alias(),
            cn.gateway or "DHCP",
            shown(cn.ip_range),
            cell(self.app, cn.firewall, variable),
            "",
        ]

    def _fill_editor(self, spec: VchSpec, facts: TargetFacts | None) -> None:
        if self.current is None:
            return
        cn = spec.container_networks[self.current]
        self.query_one("#cn-editing", Static).update(
            Content(f"Container network {self.current + 1} of {len(spec.container_networks)}")
        )
        options = [(n, n) for n in distributed_networks(facts.inventory)] if facts else []
        fill_select(self.query_one("#cn-port_group", Select), options, cn.port_group or None, facts)
        self.query_one("#cn-alias", Input).value = cn.alias or ""
        self.query_one("#cn-gateway", Input).value = cn.gateway or ""
        self.query_one("#cn-ip_range", Input).value = shown(cn.ip_range)
        self.query_one("#cn-dns", Input).value = shown(cn.dns)
        level = cn.firewall.lower()
        if level in FIREWALL_LEVELS:
            self.query_one(f"#fw-{level}", RadioButton).value = True
        self.query_one("#cn-firewall-help", Static).update(firewall_content(level))
        base = f"container_network[{self.current}]"
        for part in (*_PARTS, "firewall"):
            self.query_one(f"#cn-{part}-problems", FieldProblems).keys = (f"{base}.{part}",)

    # -- widgets → spec -------------------------------------------------------------------------------

    def _level(self) -> str:
        pressed = self.query_one("#cn-firewall", RadioSet).pressed_button
        return pressed.id.removeprefix("fw-") if pressed is not None and pressed.id else DEFAULT_FIREWALL

    def apply(self, spec: VchSpec) -> VchSpec:
        if self.current is None or self.current >= len(spec.container_networks):
            return spec
        old = spec.container_networks[self.current]
        level = self._level()
        # keep a level the file spelled differently (e.g. "Peers") unless the user picked another one
        firewall = old.firewall if old.firewall.lower() == level else level
        cn = ContainerNetwork(
            port_group=select_value(self.query_one("#cn-port_group", Select)) or "",
            alias=optional_text(self.query_one("#cn-alias", Input).value),
            gateway=optional_text(self.query_one("#cn-gateway", Input).value),
            ip_range=text_list(self.query_one("#cn-ip_range", Input).value),
            dns=text_list(self.query_one("#cn-dns", Input).value),
            firewall=firewall,
        )
        self.query_one("#cn-firewall-help", Static).update(firewall_content(level))
        networks = list(spec.container_networks)
        networks[self.current] = cn
        table = self.query_one("#cn-table", DataTable)
        row = self._row(self.current, cn)[:-1]
        for column, value in enumerate(row):
            table.update_cell_at(Coordinate(self.current, column), value)
        if self._rendered is not None and self.current < len(self._rendered):
            self._rendered[self.current] = tuple(str(cell) for cell in row)
        return replace(spec, container_networks=tuple(networks))

    def show_problems(self, problems: list[Problem]) -> None:
        super().show_problems(problems)
        table = self.query_one("#cn-table", DataTable)
        errors = errors_only(problems)
        for index in range(table.row_count):
            bad = [p for p in errors if belongs(p.field, f"container_network[{index}]")]
            table.update_cell_at(Coordinate(index, 6), cell(self.app, f"✗ {len(bad)}", "text-error") if bad else "")

    # -- add, remove, pick ----------------------------------------------------------------------------

    @on(Button.Pressed, "#cn-add")
    def _add(self, event: Button.Pressed) -> None:
        event.stop()

        def add(spec: VchSpec) -> VchSpec:
            fresh = ContainerNetwork(port_group=unused_port_group(spec, getattr(self, "_facts", None)))
            self.current = len(spec.container_networks)
            return replace(spec, container_networks=(*spec.container_networks, fresh))

        self.screen.edit(add, refill=True)  # type: ignore[attr-defined]
        self.query_one("#cn-port_group", Select).focus()

    @on(Button.Pressed, "#cn-remove")
    def _remove(self, event: Button.Pressed) -> None:
        event.stop()
        if self.current is None:
            return
        index = self.current

        def remove(spec: VchSpec) -> VchSpec:
            networks = [cn for i, cn in enumerate(spec.container_networks) if i != index]
            self.current = min(index, len(networks) - 1) if networks else None
            return replace(spec, container_networks=tuple(networks))

        self.screen.edit(remove, refill=True)  # type: ignore[attr-defined]

    @on(DataTable.RowHighlighted, "#cn-table")
    def _pick(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if event.cursor_row != self.current and event.cursor_row >= 0:
            self.current = event.cursor_row
            self.screen.refill(self)  # type: ignore[attr-defined]
