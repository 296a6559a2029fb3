"""Step 3: the VCH resource pool's limits, reservations and shares, the endpoint VM's size, and what fits."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from tui.core.spec.model import DEFAULT_ENDPOINT_CPU, DEFAULT_ENDPOINT_MEMORY_MB, DEFAULT_SHARES, SHARE_LEVELS, VchSpec
from tui.core.vch.creation_notes import compute_notes
from tui.core.vch.validate_target import (
    DEFAULT_CONTAINER_MEMORY_MB,
    DEFAULT_CONTAINER_VCPUS,
    TargetFacts,
    capacity_of,
    default_containers_fit,
    resolve_compute,
)
from tui.ui.wizard.base import FieldProblems, Step, field_row, shown, text_input, whole_number

_FIELDS = (
    ("cpu", "CPU limit", "MHz; empty = unlimited"),
    ("cpu_reservation", "CPU reservation", "MHz; empty = none"),
    ("cpu_shares", "CPU shares", "low, normal, high or a number"),
    ("memory", "Memory limit", "MB; empty = unlimited"),
    ("memory_reservation", "Memory reservation", "MB; empty = none"),
    ("memory_shares", "Memory shares", "low, normal, high or a number"),
    ("endpoint_cpu", "Endpoint vCPUs", f"the VCH VM; default {DEFAULT_ENDPOINT_CPU}"),
    ("endpoint_memory", "Endpoint memory", f"MB; default {DEFAULT_ENDPOINT_MEMORY_MB}"),
)
_SHARES = ("cpu_shares", "memory_shares")
_DEFAULTS = {
    "cpu_shares": DEFAULT_SHARES,
    "memory_shares": DEFAULT_SHARES,
    "endpoint_cpu": DEFAULT_ENDPOINT_CPU,
    "endpoint_memory": DEFAULT_ENDPOINT_MEMORY_MB,
}


class ComputeStep(Step):
    KEY = "compute"
    TITLE = "Compute capacity"
    OWNS = tuple(key for key, _, _ in _FIELDS)

    def compose_fields(self) -> ComposeResult:
        yield Static(id="capacity", classes="panel")
        yield Static(id="creates", classes="panel")
        for key, label, note in _FIELDS:
            suggester = SuggestFromList(SHARE_LEVELS, case_sensitive=False) if key in _SHARES else None
            yield field_row(
                label, text_input(None, id=key, placeholder=str(_DEFAULTS.get(key, "")), suggester=suggester), note=note
            )
            yield FieldProblems(key)
        yield Static(id="fit", classes="panel")

    def show(self, spec: VchSpec, facts: TargetFacts | None) -> None:
        for key, _, _ in _FIELDS:
            value = spec.get(key)
            self.query_one(f"#{key}", Input).value = "" if value == _DEFAULTS.get(key) else shown(value)

    def apply(self, spec: VchSpec) -> VchSpec:
        values: dict[str, object] = {}
        for key, _, _ in _FIELDS:
            text = self.query_one(f"#{key}", Input).value
            if key in _SHARES:
                values[key] = text.strip().lower() or DEFAULT_SHARES
            else:
                number = whole_number(text)
                values[key] = _DEFAULTS[key] if number is None and key in _DEFAULTS else number
        return spec.with_values(values)

    def on_show_spec(self, spec: VchSpec, facts: TargetFacts | None) -> None:
        capacity = self.query_one("#capacity", Static)
        fit = self.query_one("#fit", Static)
        creates = self.query_one("#creates", Static)
        notes = compute_notes(spec, facts)
        creates.display = bool(notes)
        creates.update(Content("\n".join(notes)))
        computes = resolve_compute(spec, facts.inventory) if facts else []
        if len(computes) != 1:
            capacity.update(Content("Choose a compute resource on the General step to see its capacity."))
            fit.display = False
            return
        compute = computes[0]
        cap = capacity_of(compute, facts.capacity if facts else None)
        cores = f", {cap.cpu_cores} cores of {cap.core_mhz} MHz" if cap.cpu_cores else ""
        capacity.update(
            Content(
                f"{compute.path} has {cap.cpu_mhz} MHz of CPU{cores} and {cap.memory_mb} MB of "
                f"memory on {cap.hosts} host{'s' if cap.hosts != 1 else ''}."
            )
        )
        fit.display = True
        fit.update(fit_text(spec, cap))


def fit_text(spec: VchSpec, cap) -> Content:
    f = default_containers_fit(spec, cap)
    size = f"{DEFAULT_CONTAINER_VCPUS} vCPU / {DEFAULT_CONTAINER_MEMORY_MB // 1024} GB"
    memory = f"the {f.memory_mb} MB limit" if f.memory_limited else f"all {f.memory_mb} MB (no limit)"
    endpoint = f.memory_mb - f.memory_left_mb
    lines = [
        Content.assemble(
            ("What fits: ", "bold"),
            f"default containers ({size}). VIC never warns about over-commit; this is what it would not tell you.",
        ),
        Content(f"• Memory: {f.by_memory} fit in {memory}, after the endpoint VM's {endpoint} MB."),
    ]
    if f.busy_by_cpu is not None:
        cpu = f"the {f.cpu_mhz} MHz limit" if f.cpu_limited else f"all {f.cpu_mhz} MHz (no limit)"
        lines.append(
            Content(
                f"• CPU: {f.busy_by_cpu} can run flat out at once on {cpu}, each using up to "
                f"{f.container_mhz} MHz; more share the CPU and slow down."
            )
        )
    if f.by_memory == 0:
        lines.append(
            Content.assemble(
                ("Not one default container fits: ", "bold $text-warning"),
                ("containers would fail at power-on. Raise the memory limit.", "$text-warning"),
            )
        )
    elif f.busy_by_cpu == 0:
        lines.append(
            Content.assemble(
                ("Not one default container can run at full speed: ", "bold $text-warning"),
                ("raise the CPU limit, or run smaller containers (--cpuset-cpus 1).", "$text-warning"),
            )
        )
    return Content("\n").join(lines)
