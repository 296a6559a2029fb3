"""Step 4: the image store (datastore and folder) and the volume stores (add / remove)."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, DataTable, Input, Select, Static

from tui.core.spec.model import VchSpec
from tui.core.spec.storage_paths import parse_datastore_path, parse_volume_store
from tui.core.vch.validate_target import TargetFacts, resolve_compute
from tui.core.vsphere.inventory_snapshot import Datastore
from tui.ui.wizard.base import FieldProblems, Step, field_row, fill_select, select_value, text_input

GB = 1024**3


def datastore_options(facts: TargetFacts | None, spec: VchSpec, *, free: bool = True) -> list[tuple[str, str]]:
    """Datastores the chosen compute resource's hosts mount (all of them until one is chosen)."""
    if facts is None:
        return []
    computes = resolve_compute(spec, facts.inventory)
    hosts = computes[0].hosts if len(computes) == 1 else None
    stores: list[Datastore] = sorted(facts.inventory.datastores.values(), key=lambda d: d.name)
    return [
        (f"{d.name}  ({d.free_bytes // GB} of {d.capacity_bytes // GB} GB free)" if free else d.name, d.name)
        for d in stores
        if d.accessible and (hosts is None or d.hosts & hosts)
    ]


def split_image_store(text: str | None) -> tuple[str | None, str]:
    if not text:
        return None, ""
    try:
        path = parse_datastore_path(text)
    except ValueError:
        return text, ""
    return path.datastore, path.path


class StorageStep(Step):
    KEY = "storage"
    TITLE = "Storage"
    OWNS = ("image_store", "volume_store")

    def compose_fields(self) -> ComposeResult:
        yield field_row(
            "Image datastore", Select([], id="image-datastore", compact=True, prompt="(choose a datastore)")
        )
        yield field_row(
            "Image folder", text_input(None, id="image-folder", placeholder="(the datastore's top)"), note="optional"
        )
        yield FieldProblems("image_store")
        yield Static(Content("Volume stores"), classes="section")
        table: DataTable[Any] = DataTable(id="volume-stores", cursor_type="row", zebra_stripes=True)
        table.add_columns("Label", "Datastore / path")
        yield table
        yield Static(
            Content("None: docker volume create will fail until you add one (label default for anonymous volumes)."),
            id="vs-empty",
            classes="muted field-note-line",
        )
        yield FieldProblems("volume_store")
        yield field_row(
            "New volume store",
            Select([], id="vs-datastore", compact=True, prompt="(datastore)"),
            text_input(None, id="vs-folder", placeholder="folder, e.g. volumes"),
            text_input(None, id="vs-label", placeholder="label: default"),
            id="vs-add-row",
        )
        with Horizontal(classes="step-buttons indented"):
            yield Button("Add volume store", id="vs-add", compact=True)
            yield Button("Remove selected", id="vs-remove", compact=True)

    def show(self, spec: VchSpec, facts: TargetFacts | None) -> None:
        options = datastore_options(facts, spec)
        datastore, folder = split_image_store(spec.image_store)
        fill_select(self.query_one("#image-datastore", Select), options, datastore, facts)
        self.query_one("#image-folder", Input).value = folder
        vs = self.query_one("#vs-datastore", Select)
        keep = select_value(vs)
        short = datastore_options(facts, spec, free=False)
        fill_select(vs, short, keep if keep in [v for _, v in short] else None)
        self.show_volume_stores(spec)

    def show_volume_stores(self, spec: VchSpec) -> None:
        table = self.query_one("#volume-stores", DataTable)
        table.clear()
        for index, text in enumerate(spec.volume_store):
            try:
                store = parse_volume_store(text)
                label, where = store.label, store.target
            except ValueError:
                label, where = "?", text
            table.add_row(label, where, key=str(index))
        table.display = bool(spec.volume_store)
        self.query_one("#vs-empty").display = not spec.volume_store
        self.query_one("#vs-remove", Button).disabled = not spec.volume_store
        self.query_one("#vs-label", Input).placeholder = (
            "label" if any(text.endswith(":default") for text in spec.volume_store) else "label: default"
        )

    def apply(self, spec: VchSpec) -> VchSpec:
        datastore = select_value(self.query_one("#image-datastore", Select))
        folder = self.query_one("#image-folder", Input).value.strip().strip("/")
        image = None if datastore is None else (f"{datastore}/{folder}" if folder else datastore)
        return spec.with_values({"image_store": image})

    @on(Button.Pressed, "#vs-add")
    @on(Input.Submitted, "#vs-folder, #vs-label")
    def _add(self, event: Button.Pressed | Input.Submitted) -> None:
        event.stop()
        datastore = select_value(self.query_one("#vs-datastore", Select))
        if datastore is None:
            self.query_one("#vs-datastore", Select).focus()
            self.notify("Choose the datastore of the volume store first.", severity="warning")
            return
        folder = self.query_one("#vs-folder", Input).value.strip().strip("/")
        label_input = self.query_one("#vs-label", Input)
        label = label_input.value.strip() or ("default" if label_input.placeholder.endswith("default") else "")
        if not label:
            label_input.focus()
            self.notify(
                "Give the volume store a label (docker volume create --opt VolumeStore=LABEL).", severity="warning"
            )
            return
        entry = f"{datastore}/{folder}:{label}" if folder else f"{datastore}:{label}"
        self.screen.edit(  # type: ignore[attr-defined]
            lambda spec: spec.with_values({"volume_store": (*spec.volume_store, entry)}),
            refill=True,
        )
        self.query_one("#vs-folder", Input).value = ""
        label_input.value = ""
        self.query_one("#vs-folder", Input).focus()

    @on(Button.Pressed, "#vs-remove")
    def _remove(self, event: Button.Pressed) -> None:
        event.stop()
        table = self.query_one("#volume-stores", DataTable)
        if not table.row_count:
            return
        index = table.cursor_row

        def drop(spec: VchSpec) -> VchSpec:
            stores = list(spec.volume_store)
            if 0 <= index < len(stores):
                del stores[index]
            return spec.with_values({"volume_store": tuple(stores)})

        self.screen.edit(drop, refill=True)  # type: ignore[attr-defined]
