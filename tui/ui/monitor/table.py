"""One row per container, keyed by VM moid, updated in place (Dolphie's keyed diff in batch_update).

Per refresh: rows that vanished are removed, new ones added, changed cells updated; the order is then
applied with DataTable.sort on the rank carried by the name cell, and the cursor stays on the same
container wherever it moved.

Which columns are shown depends on the width (`fit`): the least telling go first on a narrow terminal,
the Why column takes the room left, and State and Container stay put when scrolling sideways. The cursor
row keeps the cells' state colours (only its background marks it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.widgets import DataTable

from tui.core.metrics.model import ContainerSample
from tui.core.metrics.thresholds import Thresholds
from tui.core.monitor.columns import SPARK_WIDTH, Column, dashboard_columns
from tui.ui.monitor.cells import NameCell, Palette, name_cell, spark_cell, state_cell, value_cell, why_cell

SPARK_SUFFIX = ":trend"
FROZEN = 2  # State and Container


def column_keys(columns: Sequence[Column]) -> list[str]:
    keys = []
    for c in columns:
        keys.append(c.key)
        if c.spark:
            keys.append(c.key + SPARK_SUFFIX)
    return keys


class ContainerTable(DataTable):
    def __init__(self, **kwargs) -> None:
        super().__init__(
            cursor_type="row",
            zebra_stripes=False,
            fixed_columns=FROZEN,
            cursor_foreground_priority="renderable",
            **kwargs,
        )
        self._cells: dict[str, tuple[Text, ...]] = {}
        self._sort_key = "state"
        self._reverse = False
        self._pending_refresh = False
        self.shown: tuple[Column, ...] = ()
        self._why_width = 0
        self._keep: str | None = None  # the cursor's container across a change of columns

    def on_resize(self, _event) -> None:
        fit_body = getattr(self.screen, "fit_body", None)
        if fit_body is not None:
            fit_body()

    def fit(self, width: int) -> bool:
        """Choose the columns for `width` cells; True when they changed (the rows must be shown again)."""
        shown, why_width = dashboard_columns(max(width, 0))
        if (shown, why_width) == (self.shown, self._why_width):
            return False
        keep = self.highlighted_vm()
        self.shown, self._why_width = shown, why_width
        self.clear(columns=True)
        self._cells.clear()
        self._keep = keep
        for c in shown:
            self.add_column(self._title(c), key=c.key, width=why_width if c.key == "why" else c.width)
            if c.spark:
                self.add_column("trend", key=c.key + SPARK_SUFFIX, width=SPARK_WIDTH)
        return True

    def _title(self, c: Column) -> Text:
        mark = ""
        if c.key == self._sort_key:
            mark = " ▲" if self._reverse else " ▼"
        return Text(c.title + mark, justify="right" if c.numeric else "left")

    def show_sort(self, key: str, reverse: bool) -> None:
        if (key, reverse) == (self._sort_key, self._reverse):
            return
        self._sort_key, self._reverse = key, reverse
        for c in self.shown:
            self.columns[self._column_key(c.key)].label = self._title(c)
        self.refresh()

    def _column_key(self, key: str):
        for column_key in self.columns:
            if column_key.value == key:
                return column_key
        raise KeyError(key)

    def highlighted_vm(self) -> str | None:
        if not self.row_count:
            return None
        try:
            return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except Exception:  # noqa: BLE001 - no valid cursor (empty table)
            return None

    def show(
        self,
        rows: Sequence[ContainerSample],
        *,
        palette: Palette,
        thresholds: Thresholds,
        history: Callable[[str, str], list],
    ) -> None:
        keep = self.highlighted_vm() or self._keep
        self._keep = None
        wanted = {r.vm for r in rows}
        columns = self.shown
        spark_fields = [c.key for c in columns if c.spark]
        keys = column_keys(columns)
        with self.app.batch_update():
            for vm in [vm for vm in self._cells if vm not in wanted]:
                self.remove_row(vm)
                del self._cells[vm]
            for rank, sample in enumerate(rows):
                sparks = {f: spark_cell(history(sample.vm, f), f, thresholds, palette) for f in spark_fields}
                cells: list[Text] = []
                for c in columns:
                    if c.key == "state":
                        cells.append(state_cell(sample, palette))
                    elif c.key == "name":
                        cells.append(name_cell(sample, palette, rank))
                    elif c.key == "why":
                        cells.append(why_cell(sample, palette, thresholds))
                    else:
                        cells.append(value_cell(c, sample, palette, thresholds))
                    if c.spark:
                        cells.append(sparks[c.key])
                row = tuple(cells)
                old = self._cells.get(sample.vm)
                if old is None:
                    self.add_row(*row, key=sample.vm)
                else:
                    changed = {}
                    for key, before, after in zip(keys, old, row, strict=True):
                        if before.plain == after.plain and before.style == after.style:
                            if isinstance(before, NameCell):
                                before.rank = rank
                            continue
                        changed[key] = after
                    if changed:
                        self._set_cells(sample.vm, changed)
                self._cells[sample.vm] = (
                    row
                    if old is None
                    else tuple(
                        after if (before.plain, before.style) != (after.plain, after.style) else before
                        for before, after in zip(old, row, strict=True)
                    )
                )
            if self._pending_refresh:
                self._pending_refresh = False
                self._update_count += 1
                self.refresh()
            if rows and self.shown:
                self.sort("name", key=lambda cell: cell.rank if isinstance(cell, NameCell) else 0)
        if keep in wanted:
            self.move_cursor(row=self.get_row_index(keep), animate=False)

    def _set_cells(self, row_key: str, cells: dict[str, Text]) -> None:
        """update_cell without its per-call refresh(): at 1000 rows x ~17 changed cells per refresh, that
        refresh() (region maths per call) cost more than everything else together. Private DataTable
        state (textual is pinned): the row's cell dict, and one _update_count bump + refresh() for the
        whole batch, which is what invalidates DataTable's render caches."""
        # A RowKey / ColumnKey (textual's StringKey) hashes and compares equal to its str: no key objects
        # per cell on this hot path.
        row = self._data[row_key]  # type: ignore[index]
        for key, value in cells.items():
            row[key] = value  # type: ignore[index]
        self._pending_refresh = True

    def clear_rows(self) -> None:
        self.clear()
        self._cells.clear()
