"""One row per container, drawn only where it is seen: a virtual table over the ordered samples.

A refresh hands over the ordered, filtered samples (`show`); nothing per row is built then. Each
painted line builds the cells of its one row (state, name, why, values, trends from the history), so
the work per refresh is the rows on screen, whatever the number of containers (10,000 and more). The
cursor follows its container (by VM moid) wherever the order moved it.

It looks and answers like the DataTable it replaces (its component classes and CSS, cells padded by
one, a header row that stays, a row cursor, enter / click to select, a header click to sort):
which columns are shown depends on the width (`fit`): the least telling go first on a narrow
terminal, the Why column takes the room left, and State and Container stay put when scrolling
sideways. The cursor row keeps the cells' state colours (only its background marks it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.renderables.styled import Styled
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.metrics.model import ContainerSample
from tui.core.metrics.thresholds import Thresholds
from tui.core.monitor.columns import SPARK_WIDTH, Column, dashboard_columns
from tui.ui.monitor.cells import Palette, name_cell, spark_cell, state_cell, value_cell, why_cell

SPARK_SUFFIX = ":trend"
FROZEN = 2  # State and Container
PADDING = 1  # cells are padded by one on each side, as DataTable's
HEADER = -1  # the header's row index (as in DataTable's meta)
CELL_CACHE = 20_000  # rendered cells kept (a few MB); cleared when full


class ContainerTable(ScrollView, can_focus=True):
    # DataTable's own look (textual 8.2's DataTable.DEFAULT_CSS, for this widget), so the dashboard reads the
    # same and themes colour it the same.
    DEFAULT_CSS = """
    ContainerTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;

        &:focus {
            background-tint: $foreground 5%;
            & > .datatable--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .datatable--header {
                background-tint: $foreground 5%;
            }
            & > .datatable--fixed-cursor {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
            }
        }
        & > .datatable--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .datatable--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .datatable--fixed {
            background: $secondary-muted;
            color: $foreground;
        }
        & > .datatable--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .datatable--fixed-cursor {
            background: $block-cursor-blurred-background;
            color: $foreground;
        }
        & > .datatable--header-hover {
            background: $accent 30%;
        }
        & > .datatable--hover {
            background: $block-hover-background;
        }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "datatable--cursor",
        "datatable--fixed",
        "datatable--fixed-cursor",
        "datatable--header",
        "datatable--header-hover",
        "datatable--hover",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("right", "scroll_right", "Scroll right", show=False),
        Binding("left", "scroll_left", "Scroll left", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("ctrl+home", "scroll_top", "Top", show=False),
        Binding("ctrl+end", "scroll_bottom", "Bottom", show=False),
        Binding("home", "scroll_home", "Home", show=False),
        Binding("end", "scroll_end", "End", show=False),
    ]

    class _RowMessage(Message):
        def __init__(self, table: ContainerTable, cursor_row: int, vm: str | None) -> None:
            super().__init__()
            self.table, self.cursor_row, self.vm = table, cursor_row, vm

        @property
        def control(self) -> ContainerTable:
            return self.table

    class RowHighlighted(_RowMessage):
        """The cursor moved to another row (`vm`: that row's container)."""

    class RowSelected(_RowMessage):
        """Enter, or a click on the cursor row."""

    class HeaderSelected(Message):
        """A click on a column's title (`key`: the column, `:trend` for its trend)."""

        def __init__(self, table: ContainerTable, key: str) -> None:
            super().__init__()
            self.table, self.key = table, key

        @property
        def control(self) -> ContainerTable:
            return self.table

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.fixed_columns = FROZEN
        self.cursor_row = 0
        self._hover_row: int | None = None  # the row under the mouse (HEADER for the header), until a key is used
        self.shown: tuple[Column, ...] = ()
        self._why_width = 0
        self._columns: list[tuple[str, Column, int]] = []  # (key, column, cell width), trends after their column
        self._rows: Sequence[ContainerSample] = ()
        self._index: dict[str, int] | None = None  # vm -> row, built when first asked for after a change
        self._palette: Palette | None = None
        self._thresholds = Thresholds()
        self._history: Callable[[str, str], list] = lambda _vm, _metric: []
        self._sort_key = "state"
        self._reverse = False
        self._keep: str | None = None  # the cursor's container across a change of columns
        self._lines: dict[tuple, Strip] = {}  # painted lines of this data, by (row, cursor, scroll x, width)
        self._cell_segments: dict[tuple, list[Segment]] = {}  # a cell's segments by its text, width and styles

    # -- columns

    def on_resize(self, _event) -> None:
        fit_body = getattr(self.screen, "fit_body", None)
        if fit_body is not None:
            fit_body()

    def fit(self, width: int) -> bool:
        """Choose the columns for `width` cells; True when they changed (the rows must be shown again)."""
        shown, why_width = dashboard_columns(max(width, 0))
        if (shown, why_width) == (self.shown, self._why_width):
            return False
        self._keep = self.highlighted_vm()
        self.shown, self._why_width = shown, why_width
        self._columns = []
        for c in shown:
            self._columns.append((c.key, c, why_width if c.key == "why" else c.width))
            if c.spark:
                self._columns.append((c.key + SPARK_SUFFIX, c, SPARK_WIDTH))
        self._rows, self._index = (), None
        self._resized()
        return True

    def _title(self, key: str, c: Column) -> Text:
        if key.endswith(SPARK_SUFFIX):
            return Text("trend")
        mark = ""
        if c.key == self._sort_key:
            mark = " ▲" if self._reverse else " ▼"
        return Text(c.title + mark, justify="right" if c.numeric else "left")

    def show_sort(self, key: str, reverse: bool) -> None:
        if (key, reverse) != (self._sort_key, self._reverse):
            self._sort_key, self._reverse = key, reverse
            self._changed()

    # -- rows

    @property
    def row_count(self) -> int:
        return len(self._rows)

    def _row_of(self, vm: str) -> int | None:
        if self._index is None:
            self._index = {sample.vm: n for n, sample in enumerate(self._rows)}
        return self._index.get(vm)

    def highlighted_vm(self) -> str | None:
        if 0 <= self.cursor_row < len(self._rows):
            return self._rows[self.cursor_row].vm
        return None

    def show(
        self,
        rows: Sequence[ContainerSample],
        *,
        palette: Palette,
        thresholds: Thresholds,
        history: Callable[[str, str], list],
    ) -> None:
        """The rows in their order; the cursor stays on its container. Nothing is drawn until painted."""
        keep = self.highlighted_vm() or self._keep
        self._keep = None
        self._rows, self._index = rows, None
        self._palette, self._thresholds, self._history = palette, thresholds, history
        self._resized()
        at = self._row_of(keep) if keep is not None else None
        self._set_cursor(self.cursor_row if at is None else at, scroll=at is not None)

    def clear_rows(self) -> None:
        self._rows, self._index = (), None
        self._resized()
        self._set_cursor(0)

    def cells(self, row: int) -> list[Text]:
        """The cells of the row at `row`, in column order (what a painted line shows)."""
        sample = self._rows[row]
        palette = self._palette or Palette({})
        thresholds = self._thresholds
        out: list[Text] = []
        for key, c, _width in self._columns:
            if key.endswith(SPARK_SUFFIX):
                out.append(spark_cell(self._history(sample.vm, c.key), c.key, thresholds, palette))
            elif key == "state":
                out.append(state_cell(sample, palette))
            elif key == "name":
                out.append(name_cell(sample, palette))
            elif key == "why":
                out.append(why_cell(sample, palette, thresholds))
            else:
                out.append(value_cell(c, sample, palette, thresholds))
        return out

    def get_row_at(self, row: int) -> list[Text]:
        return self.cells(row)

    def get_cell(self, vm: str, key: str) -> Text:
        row = self._row_of(vm)
        if row is None:
            raise KeyError(vm)
        return self.cells(row)[[k for k, _c, _w in self._columns].index(key)]

    def _resized(self) -> None:
        width = sum(w + 2 * PADDING for _k, _c, w in self._columns)
        self.virtual_size = Size(width, len(self._rows) + 1 if self._columns else 0)
        self._changed()

    def _changed(self) -> None:
        self._lines.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._changed()

    def _on_focus(self, event: events.Focus) -> None:
        self._changed()

    def _on_blur(self, event: events.Blur) -> None:
        self._changed()

    # -- cursor

    def move_cursor(self, *, row: int | None = None, animate: bool = False, scroll: bool = True) -> None:
        if row is not None:
            self._set_cursor(row, scroll=scroll)

    def _set_cursor(self, row: int, *, scroll: bool = True) -> None:
        row = max(0, min(row, len(self._rows) - 1))
        before, self.cursor_row = self.cursor_row, row
        if scroll:
            self._scroll_to_cursor()
        if before != row:
            self.refresh()
            self.post_message(self.RowHighlighted(self, row, self.highlighted_vm()))

    def _body_height(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)  # below the header

    def _scroll_to_cursor(self) -> None:
        top, height = round(self.scroll_y), self._body_height()
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, force=True, immediate=True)
        elif self.cursor_row >= top + height:
            self.scroll_to(y=self.cursor_row - height + 1, animate=False, force=True, immediate=True)

    def _keyed(self) -> None:
        """A key was used: the mouse's hover row is no longer shown (as DataTable does)."""
        if self._hover_row is not None:
            self._hover_row = None
            self.refresh()  # the painted lines are kept by hover too: only the two rows are drawn again

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        row = event.style.meta.get("row")
        if row != self._hover_row:
            self._hover_row = row
            self.refresh()

    def _on_leave(self, _event: events.Leave) -> None:
        self._keyed()

    def action_cursor_up(self) -> None:
        self._keyed()
        self._set_cursor(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self._keyed()
        self._set_cursor(self.cursor_row + 1)

    def action_page_down(self) -> None:
        self._keyed()
        height = self._body_height()
        self.scroll_relative(y=height, animate=False, force=True, immediate=True)
        self._set_cursor(self.cursor_row + height)

    def action_page_up(self) -> None:
        self._keyed()
        height = self._body_height()
        self.scroll_relative(y=-height, animate=False, force=True, immediate=True)
        self._set_cursor(self.cursor_row - height)

    def action_scroll_top(self) -> None:
        self._keyed()
        self._set_cursor(0)

    def action_scroll_bottom(self) -> None:
        self._keyed()
        self._set_cursor(len(self._rows) - 1)

    def action_scroll_home(self) -> None:
        self.scroll_x = 0

    def action_scroll_end(self) -> None:
        self.scroll_x = self.max_scroll_x

    def action_select_cursor(self) -> None:
        if self._rows:
            self.post_message(self.RowSelected(self, self.cursor_row, self.highlighted_vm()))

    async def _on_click(self, event: events.Click) -> None:
        meta = event.style.meta
        if "row" not in meta or "column" not in meta:
            return
        row, column = meta["row"], meta["column"]
        if row == HEADER:
            if 0 <= column < len(self._columns):
                self.post_message(self.HeaderSelected(self, self._columns[column][0]))
        elif 0 <= row < len(self._rows):
            again = row == self.cursor_row
            self._set_cursor(row)
            if again:
                self.action_select_cursor()
            event.stop()

    # -- painting (one row per line; DataTable's styles, cell by cell)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        row = HEADER if y == 0 else y - 1 + round(self.scroll_y)
        if not self._columns or row >= len(self._rows):
            return Strip.blank(width, self.rich_style)
        scroll_x = round(self.scroll_x)
        key = (row, row == self.cursor_row, row == self._hover_row, scroll_x, width)
        strip = self._lines.get(key)
        if strip is None:
            strip = self._lines[key] = self._render_row(row, scroll_x, width)
        return strip

    def _component(self, name: str) -> Style:
        return self.get_component_rich_style(name)

    def _render_row(self, row: int, scroll_x: int, width: int) -> Strip:
        base = self.rich_style
        header = row == HEADER
        cursor = not header and row == self.cursor_row
        cells = [self._title(k, c) for k, c, _w in self._columns] if header else self.cells(row)
        header_style = self._component("datatable--header")
        hover = Style()
        if row == self._hover_row:  # DataTable's hover cursor: under the cursor's own style
            hover = self._component("datatable--hover")
            if header:
                hover += self._component("datatable--header-hover")
        cursor_style = hover + self._component("datatable--cursor") if cursor else hover
        fixed_cursor = cursor_style + self._component("datatable--fixed-cursor") if cursor else hover
        fixed_base = header_style if header else self._component("datatable--fixed") + Style.from_meta({"fixed": True})
        row_base = header_style if header else base
        console = self.app.console
        options = self.app.console_options

        cache = self._cell_segments
        if len(cache) > CELL_CACHE:
            cache.clear()

        def render(cell: Text, column: int, cell_width: int, style: Style, component: Style) -> list[Segment]:
            # Many cells repeat (states, values, trends, and every row's name from one refresh to the next):
            # rendered once without the row/column meta, which is added afterwards (as DataTable's own).
            key = (cell.plain, cell.style, cell.justify, cell.overflow, cell.no_wrap, cell_width, style, component)
            segments = cache.get(key) if not cell.spans else None
            if segments is None:
                lines = console.render_lines(
                    Styled(
                        Padding(cell, (0, PADDING)),
                        pre_style=style + component,
                        post_style=Style.from_color(bgcolor=component.bgcolor),
                    ),
                    options.update_dimensions(cell_width, 1).update(no_wrap=True),
                )
                segments = lines[0]
                if not cell.spans:
                    cache[key] = segments
            meta = Style.from_meta({"row": row, "column": column})
            return [
                Segment(text, segment_style + meta if segment_style else meta) for text, segment_style, _ in segments
            ]

        fixed: list[Segment] = []
        fixed_width = 0
        for column, ((_key, _c, w), cell) in enumerate(zip(self._columns[: self.fixed_columns], cells, strict=False)):
            fixed += render(cell, column, w + 2 * PADDING, fixed_base, fixed_cursor)
            fixed_width += w + 2 * PADDING
        scrollable: list[Segment] = []
        for column, ((_key, _c, w), cell) in enumerate(zip(self._columns, cells, strict=True)):
            if column < self.fixed_columns:
                scrollable.append(Segment(" " * (w + 2 * PADDING)))  # under the frozen columns: cropped away
                continue
            scrollable += render(cell, column, w + 2 * PADDING, row_base, cursor_style)
        table_width = sum(w + 2 * PADDING for _k, _c, w in self._columns[self.fixed_columns :])
        extend = row_base + cursor_style + Style.from_meta({"row": row, "column": 0, "out_of_bounds": True})
        scrollable.append(Segment(" " * max(0, width - table_width), extend))
        cropped = Strip(scrollable).crop(scroll_x + fixed_width, scroll_x + width)
        return Strip([*fixed, *cropped]).adjust_cell_length(width, base).simplify()
